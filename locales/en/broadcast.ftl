# /broadcast and /broadcasts (handlers/broadcast.py)
bc-audience = <b>Who should get it?</b> Choose filters — without them, everyone registered in your regions gets it.
    Recipients now: { $count }.
bc-role-resident = Residents
bc-role-tos_member = TOS members
bc-role-chair = TOS chairs
bc-role-expert = Experts
bc-language-all = All languages
bc-preview-button = Next: preview ({ $count })
bc-nobody = Nobody matches these filters. Change them.
bc-preview = ⬆️ This is how recipients will see the message. Recipients: { $count }.
bc-send-button = 📣 Send now ({ $count })
bc-schedule-button = 🕒 Schedule
bc-ask-when = When should it go out? Type the date and time in your time zone, e.g. <code>25.12.2026 10:00</code>.
bc-scheduled = 🕒 The broadcast is scheduled for { $when }: { $count } recipients. Until then you can stop it with the button below.
bc-progress = 📣 Broadcast: { $status }
    { $bar } { $percent }%
    Delivered: { $sent } · blocked the bot: { $blocked } · failed: { $failed } · total: { $total }
bc-status-draft = draft
bc-status-scheduled = scheduled
bc-status-sending = sending
bc-status-paused = paused
bc-status-stopped = stopped
bc-status-done = done
bc-pause-button = ⏸ Pause
bc-resume-button = ▶️ Resume
bc-stop-button = ⏹ Stop
bc-list = <b>Broadcasts</b>
    { $lines }
bc-list-line = #{ $id } · { $when } · { $status }: delivered { $sent } of { $total }, blocked { $blocked }, failed { $failed }
bc-list-empty = No broadcasts yet. Start one: /broadcast
bc-ask-message = Send the message to broadcast — text, a photo, a video, a document or an album, with formatting. Recipients will see it exactly so.
bc-album-received = 🖼 Album received. When all its files have arrived (up to 10), press Next. Buttons cannot be attached to an album — that is how Telegram works.
bc-album-count = Files in the album: { $count }
bc-next-button = Next ➡️
bc-buttons-ask = <b>Buttons under the message</b> (optional)
    Send links as lines like <code>Button text - https://example.org</code>, one a line (up to { $max }), or add a button that opens an event's card.
    Now: { $buttons }
bc-buttons-none = no buttons
bc-buttons-invalid = Could not read the buttons. Each goes on its own line: <code>Button text - https://example.org</code>; the link starts with https://, http:// or tg://.
bc-buttons-text-long = A button's text is at most 64 characters, or it cannot be read on a phone.
bc-buttons-too-many = At most { $max } links.
bc-buttons-expected = Links as text are expected here (<code>Button text - https://example.org</code>), or a button under the message above.
bc-buttons-clear = 🗑 Remove the buttons
bc-event-button-add = 📅 "Open the event" button
bc-event-button = 📅 Open the event
bc-no-events = Your regions have no events from the last month or coming up.
bc-choose-event = Choose the event ({ $page } of { $pages }):
bc-event-not-published = The button can open only a published event.
bc-choose-group = Which participants of "{ $title }" should get it?
bc-group-all = All participants
bc-group-signed_up = Signed up
bc-group-attended = Attended
bc-group-waitlisted = On the waitlist
bc-event-filter-button = 🎫 Participants of an event…
bc-event-filter-set = 🎫 { $title }: { $group } ✖️
bc-municipality-button = 🏘 Municipality: { $name }
bc-municipality-any = any
bc-choose-municipality = Choose the municipality or type part of its name ({ $page } of { $pages }). In brackets: how many recipients live there.
bc-municipality-none-found = No recipient lives in a municipality of that name. Type it differently or choose a button.
bc-copy-failed = Telegram does not allow copying this message (a quiz or an invoice, for example). Send another one.
bc-when-expected = The date and time are expected here as text, e.g. <code>25.12.2026 10:00</code>.
bc-pace = Rate: { $rate } a second · { $left } left
bc-left-seconds = { $seconds } s
bc-left-minutes = { $minutes } min
bc-left-hours = { $hours } h { $minutes } min
