# /events_admin: organisers' events (handlers/organiser_events.py, handlers/event_form.py)
evadm-list = <b>Events of your regions</b>: { $total } (page { $page } of { $pages }).
    📝 draft · 📢 published · ❌ cancelled
evadm-new-button = ➕ New event
evadm-mark-draft = 📝
evadm-mark-published = 📢
evadm-mark-cancelled = ❌
evadm-to-list-button = « Back to the events
evadm-to-event-button = « Back to the event
evadm-publish-button = 📢 Publish
evadm-draft-button = 📝 Save as a draft
evadm-change-button = ✏️ Change…
evadm-edit-button = ✏️ Edit
evadm-people-button = 👥 Participants
evadm-share-button = 🔗 Link and QR code
evadm-checkin-button = ✅ Check people in
evadm-code-word-button = 🔑 Code word
evadm-summary-button = 📊 Attendance and feedback
evadm-duplicate-button = 📄 Duplicate
evadm-cancel-event-button = 🚫 Cancel the event
evadm-yes = Yes
evadm-no = No
evadm-unlimited = unlimited

evadm-card =
    <b>{ $title }</b>
    { $kind } · { $status } · { $region }

    🗓 { $when }, { $duration }
    💻 Format: { $format }
    🔗 Link: { $link }
    📍 Address: { $address }
    👥 Seats: { $capacity }
    ⏳ Sign-up until: { $deadline }
    🔔 Remind people who looked but did not sign up a day before sign-ups close: { $deadline_reminder }
    🌍 For: { $audience }
    ✋ Sign-ups need the organiser's approval: { $approval }
    ⏰ Reminders to participants: { $reminders } before the start
    ❓ Questions at sign-up:
    { $questions }

    { $description }
evadm-counts = Signed up: { $signed } · waitlist: { $waitlisted } · awaiting approval: { $pending } · attended: { $attended }
evadm-event-new = preview
evadm-event-draft = draft
evadm-event-published = published
evadm-event-cancelled = cancelled
evadm-deadline-at-start = the start
evadm-duration-value = { $hours ->
        [0] { $minutes } min
       *[other] { $hours } h{ $minutes ->
            [0] {""}
           *[other] {" "}{ $minutes } min
        }
    }
evadm-audience-all = all of Russia


evadm-ask-region = Which region holds the event?
evadm-ask-kind = A new event. What kind?
evadm-ask-title = The event's title (3 to 200 characters):
evadm-ask-description = Description: what it is about, who it is for, the programme (10 to 3,000 characters):
evadm-ask-zone = Which time zone are the times in? By default, your region's.
evadm-ask-date = When does it start? Pick a day in the calendar or type the date and time, e.g. <code>25.12.2026 10:00</code>.
evadm-ask-time = { $day }: what time does it start? Type it, e.g. <code>10:00</code>.
evadm-ask-duration = How long does it last? Pick or type, e.g. <code>1:30</code> or <code>2 h</code>.
evadm-ask-format = The format:
evadm-ask-link = The link to the stream or the call (https://…). Only people signed up will see it.
evadm-ask-address = The address (city, street, building, hall):
evadm-ask-capacity = How many seats? Type a number or press "Unlimited".
evadm-ask-deadline = Until when are sign-ups open? Pick or type a date and time, e.g. <code>24.12.2026 18:00</code>.
evadm-ask-audience = Who is the event for?
evadm-ask-audience_regions = Type the regions separated by commas: names or codes, e.g. <code>Tatarstan, Samara, 02</code>.
evadm-ask-approval = Sign people up only after your approval?
evadm-ask-questions = { $count ->
        [0] What should people answer when signing up? Type a question (up to 3) or press "No questions".
       *[other] Question { $count } saved. Type another one or press "Done".
    }

evadm-zone-kaliningrad = Kaliningrad
evadm-zone-moscow = Moscow
evadm-zone-samara = Samara
evadm-zone-yekaterinburg = Yekaterinburg
evadm-zone-omsk = Omsk
evadm-zone-krasnoyarsk = Krasnoyarsk
evadm-zone-irkutsk = Irkutsk
evadm-zone-yakutsk = Yakutsk
evadm-zone-vladivostok = Vladivostok
evadm-zone-magadan = Magadan
evadm-zone-kamchatka = Kamchatka
evadm-cal-days = Mo|Tu|We|Th|Fr|Sa|Su
evadm-cal-months = Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec
evadm-unlimited-button = Unlimited
evadm-deadline-start = Until the start
evadm-deadline-1h = An hour before the start
evadm-deadline-1d = A day before the start
evadm-deadline-3d = 3 days before the start
evadm-audience-all-button = 🇷🇺 All of Russia
evadm-audience-own-button = Only { $region }
evadm-audience-choose-button = Choose regions…
evadm-no-questions = No questions
evadm-questions-done-button = Done

evadm-empty = An empty answer. Please type it as text.
evadm-title-too-short = The title is too short: at least 3 characters.
evadm-title-too-long = The title is too long: at most 200 characters.
evadm-description-too-short = The description is too short: at least 10 characters.
evadm-description-too-long = The description is too long: at most 3,000 characters. Please shorten it.
evadm-address-too-short = The address is too short: give the city, street and building.
evadm-address-too-long = The address is too long: at most 300 characters.
evadm-question-too-short = The question is too short: at least 3 characters.
evadm-question-too-long = The question is too long: at most 300 characters.
evadm-when-format = I can't read this date. Type it like <code>25.12.2026 10:00</code>.
evadm-time-format = I can't read this time. Type it like <code>10:00</code>.
evadm-when-past = This moment has passed. Give one in the future.
evadm-when-too-far = Too far ahead: at most 3 years from now.
evadm-day-past = This day has passed. Pick today or a later day.
evadm-duration-invalid = I can't read this duration. From 15 minutes to 14 days, e.g. <code>90</code> (minutes), <code>1:30</code> or <code>2 h</code>.
evadm-link-invalid = A link starting with https:// (or http://) is needed, without spaces.
evadm-capacity-invalid = A whole number of seats from 1 to 100,000 is needed — or press "Unlimited".
evadm-capacity-below-taken = There cannot be fewer seats than people already signed up. Give a bigger number.
evadm-deadline-after-start = Sign-ups cannot close after the event starts.
evadm-deadline-past = This moment has passed: sign-ups would close at once. Give a later time.
evadm-audience-invalid = I couldn't recognise the regions. Type names or codes separated by commas, each naming one region, e.g. <code>Tatarstan, Samara, 02</code>.

evadm-which-field = What should change?
evadm-field-kind = Kind
evadm-field-title = Title
evadm-field-description = Description
evadm-field-when = Date and time
evadm-field-zone = Time zone
evadm-field-duration = Duration
evadm-field-format = Format, link, address
evadm-field-capacity = Seats
evadm-field-deadline = Sign-up deadline
evadm-field-audience = Audience
evadm-field-approval = Approval
evadm-field-questions = Questions
evadm-field-reminders = Reminders
evadm-questions-locked = People have signed up already: their answers follow the questions, so the questions cannot change.
evadm-duplicating = A copy of "{ $title }". Everything as last time — give the new date and time.
evadm-created-published = 📢 "{ $title }" is published: people see it in /events, and you can share its link.
evadm-created-draft = 📝 "{ $title }" is saved as a draft. Nobody sees it until you publish it.
evadm-published = 📢 "{ $title }" is published.
evadm-saved = Saved. { $people ->
        [0] {""}
       *[other] Participants told about the change: { $people }.
    }

evadm-cancel-confirm = Cancel "{ $title }"? This cannot be undone. { $people ->
        [0] Nobody has signed up yet.
       *[other] The participants, the waitlist and those awaiting approval ({ $people }) will be told.
    }
evadm-cancel-yes = Yes, cancel it
evadm-cancel-no = No, keep it
evadm-cancelled = "{ $title }" is cancelled. People told: { $people }.

evadm-people = <b>Participants of "{ $title }"</b>: { $total } in all · signed up: { $signed } · waitlist: { $waitlisted } · awaiting approval: { $pending }
    Page { $page } of { $pages }.
evadm-status-signed_up = signed up
evadm-status-waitlisted = on the waitlist
evadm-status-offered = offered a seat, not answered yet
evadm-status-pending = awaiting approval
evadm-status-rejected = rejected
evadm-status-cancelled = cancelled their sign-up
evadm-status-attended = attended
evadm-decision-signed_up = Approved: a seat is theirs.
evadm-decision-waitlisted = Approved, but no seats are left: they are on the waitlist.
evadm-decision-rejected = The application is rejected.
evadm-decided-already = This application has been decided already.
evadm-export-columns = Name|Phone|Region|Municipality|TOS||Status|Signed up at|Checked in at
evadm-export-sheet = Participants
evadm-export-caption = Participants of "{ $title }": { $total }.
evadm-share = The link to "{ $title }", for chats and posters:
    { $link }
    The QR code leads to the same place.

evadm-notice-cancelled = ❌ "{ $title }" ({ $when }) has been cancelled by the organiser. Your sign-up is withdrawn.
evadm-notice-changed = ✏️ "{ $title }" has changed:
    { $changes }
evadm-change-time = 🗓 new time: { $when }
evadm-change-place = 📍 new address: { $address }
evadm-change-link = 🔗 new link: { $link }
evadm-notice-signed_up = ✅ The organiser approved your application: you are signed up for "{ $title }" ({ $when }).
evadm-notice-waitlisted = The organiser approved your application for "{ $title }" ({ $when }), but no seats are left yet: you are number { $position } on the waitlist.
evadm-notice-rejected = Sorry, the organiser rejected your application for "{ $title }" ({ $when }).
evadm-ask-reminders = How long before the start should participants be reminded? Pick, or type hours separated by commas, e.g. <code>72, 24, 1</code> (up to three reminders).
evadm-reminders-invalid = One to three numbers of hours separated by commas are needed, from 5 minutes (0.1) to 14 days (336), e.g. <code>24, 1</code>.
evadm-ask-deadline_reminder = A day before sign-ups close, remind the people who opened the card but did not sign up? (Those who turned such reminders off in /settings will not get it.)
