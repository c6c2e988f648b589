# events texts: residents' side (handlers/events.py)
events-menu-button = 📅 Events
events-mine-button = 🗂 My events
events-all-button = 📅 All events
events-register-first = Events are available after registration. Press /start: it takes a couple of minutes.
events-register-first-link = To open the event and sign up, please register first: the event card opens right after that.
events-link-unavailable = This event is not available: the link is out of date or the event is for other regions. Events for you: /events.
events-msk = MSK

events-kind-all-button = All kinds
events-kind-all = all kinds
events-kind-school = TOS school
events-kind-webinar = Webinar
events-kind-conference = Conference
events-kind-masterclass = Master class
events-kind-seminar = Seminar
events-kind-meeting = Meeting
events-format-online = online
events-format-offline = in person
events-format-hybrid = in person and online

events-seats-unlimited = no seat limit
events-seats-full = no seats left: you can join the waitlist
events-seats-left = { $count ->
    [one] { $count } seat of { $capacity } left
   *[other] { $count } seats of { $capacity } left
}

events-list = <b>📅 Events for you</b> · { $kind }
    { $total ->
        [one] { $total } event found
       *[other] { $total } events found
    } · page { $page } of { $pages }

    { $lines }

    Pick an event with a button below.
events-list-empty = <b>📅 Events for you</b> · { $kind }

    No upcoming events for your region yet. Come back later or pick another kind.
events-list-line = { $number }. <b>{ $title }</b>{ $mark }
    { $date }, { $time } · { $format } · { $seats }

events-card-head = <b>{ $title }</b>
    { $kind } · { $format }
events-card-when = 🗓 { $date }, { $time } · { $duration } min
events-card-address = 📍 { $address }
events-card-link = 🔗 Link to join: { $link }
events-card-link-later = 🔗 The link to join appears here once you sign up.
events-card-seats = 👥 { $seats }
events-card-deadline = ⏳ Sign-up until { $date }, { $time }
events-state-event-cancelled = 🚫 The organiser cancelled this event.
events-state-past = This event is over.
events-state-deadline = Sign-up for this event is closed.

events-status-signed_up = ✅ You are signed up.
events-status-waitlisted = ⏳ You are on the waitlist: number { $position } in line. If a seat frees up, it goes to you automatically.
events-status-offered = ❗ A seat came free for you: confirm that you are coming.
events-status-pending = ⏳ Your request is waiting for the organiser's approval.
events-status-rejected = ❌ The organiser declined your request.
events-status-cancelled = You cancelled your sign-up.
events-status-attended = ✅ You attended.

events-sign-up-button = ✍️ Sign up
events-waitlist-button = ⏳ Join the waitlist
events-cancel-button = ✖️ Cancel my sign-up
events-cancel-yes = Yes, cancel my sign-up
events-cancel-no = No, keep it
events-ics-button = 📅 Calendar file
events-google-button = ➕ Add to Google Calendar
events-code-button = 🎫 My check-in code
events-back-to-list-button = ⬅️ Back to events
events-back-to-mine-button = ⬅️ Back to my events
events-open-button = Open the event

events-question = The organiser's question { $number } of { $total } · “{ $title }”

    <b>{ $question }</b>

    Type your answer as a message (up to 1,000 characters).
events-answer-empty = The answer is empty. Type it as a message or press “Cancel”.
events-answer-too-long = The answer is longer than 1,000 characters. Please shorten it and send it again.

events-outcome-signed_up = ✅ You are signed up for “{ $title }”. The calendar file is below.
events-outcome-waitlisted = All seats for “{ $title }” are taken, and you are on the waitlist: number { $position } in line. If a seat frees up, it goes to you automatically and I will tell you at once.
events-outcome-pending = Your request for “{ $title }” is sent and is waiting for the organiser's approval. I will tell you the decision.
events-outcome-already = You are already signed up for this event.
events-outcome-not_open = This event is not open for sign-up.
events-outcome-cancelled = The organiser cancelled this event: signing up is not possible.
events-outcome-past = This event is over: signing up is not possible.
events-outcome-deadline = Sign-up closed on { $deadline }.
events-outcome-not_registered = To sign up for events, please register first: press /start.

events-ics-caption = Calendar file: “{ $title }”. Open it to add the event to your phone's calendar.
events-cancel-confirm = Cancel your sign-up for “{ $title }”? If all seats are taken, your seat goes to the first person on the waitlist.
events-cancelled-done = Your sign-up for “{ $title }” is cancelled.
events-not-signed-up = You are not signed up for this event.
events-promoted = 🎉 A seat freed up, and you are now signed up for “{ $title }” ({ $date }, { $time }). The event card has the calendar file and the link to join, if there is one.

events-mine = <b>🗂 My events</b>
    { $total ->
        [one] { $total } sign-up
       *[other] { $total } sign-ups
    } · page { $page } of { $pages }

    { $lines }
events-mine-empty = <b>🗂 My events</b>

    You have not signed up for anything yet. Upcoming events: /events.
events-mine-line = { $number }. <b>{ $title }</b> — { $date }, { $time }
    { $status }
events-reminder = ⏰ A reminder: "{ $title }" — { $when }.
    { $format ->
        [online] 🔗 Link: { $link }
        [offline] 📍 Address: { $address }
       *[hybrid] 📍 Address: { $address }
        🔗 Link: { $link }
    }
events-reminder-cant-come = 🙅 I can't come
events-deadline-soon = ⏳ Sign-ups for "{ $title }" ({ $when }) close { $closes }. You looked at this event — there is still time to sign up.
events-offered = ❗ A seat came free for "{ $title }" ({ $date }, { $time }). It is yours if you confirm by { $until }; otherwise it goes to the next on the waitlist.
events-offer-yes-button = ✅ I'm coming
events-offer-no-button = I can't
events-offer-confirmed = ✅ You are signed up for "{ $title }". A reminder will come before the start.
events-offer-declined = The seat for "{ $title }" went to the next person. Thank you for answering.
events-offer-gone = This offer is no longer open.
events-offer-expired = The seat for "{ $title }" was not confirmed in time and went to the next on the waitlist.
