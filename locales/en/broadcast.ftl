# /broadcast and /broadcasts (handlers/broadcast.py)
bc-ask-message = Send the message to broadcast — text, a photo, a video or a document, with formatting. Recipients will see it exactly so.
bc-album-later = Albums cannot be broadcast yet: send one message (a photo with a caption, for example).
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
