menu-grants = 💰 Grants and contests
command-grants = Grants and contests: deadlines and reminders
settings-kind-grant_deadline = reminders of the deadlines of grants and contests you subscribed to
grants-register-first = The grant calendar is for registered people: press /start.
grants-federal = 🇷🇺 Federal
grants-list = <b>Grants and contests</b> of the region “{ $region }” and federal ones open for applications: { $count }.
    Open one to subscribe: I will remind you 14, 3 and 1 day before applications close.
grants-list-empty = <b>Grants and contests</b>: none open for applications for the region “{ $region }” or federally yet.
grants-mine-button = ⭐ My subscriptions
grants-add-button = ➕ Add a grant or contest
grants-card = <b>{ $name }</b>{ $subscribed }
    Organiser: { $organiser }
    Who may apply: { $eligible }
    Amount: { $amount }
    Applications until: <b>{ $deadline }</b> ({ $days } { $days ->
        [one] day
       *[other] days
    } left)
    Where: { $scope }
    Link: { $link }
grants-subscribed-mark = {" "}⭐
grants-subscribe-button = 🔔 Remind me of the deadline
grants-unsubscribe-button = 🔕 Stop reminding
grants-ics-button = 📅 To my calendar (.ics)
grants-ics-caption = The application deadline of “{ $name }”. Open the file to add it to your calendar.
grants-ics-all-button = 📅 All my subscriptions in one file (.ics)
grants-ics-all-caption = The deadlines of the { $count } { $count ->
        [one] grant or contest
       *[other] grants and contests
    } you subscribed to.
grants-edit-button = ✏️ Edit
grants-delete-button = 🗑 Delete
grants-back-to-list = ⬅️ To the list
grants-open-button = Open
grants-gone = This grant is no longer in the calendar.
grants-closed = Applications have already closed.
grants-subscribed = Subscribed: I will remind you 14, 3 and 1 day before.
grants-subscribed-already = You are subscribed already.
grants-unsubscribed = No more reminders of this grant.
grants-unsubscribed-already = You were not subscribed.
grants-mine = <b>My subscriptions</b>: { $count }. Reminders come 14, 3 and 1 day before the deadline; to turn them all off, /settings.
grants-mine-empty = You have not subscribed to any grant or contest yet.
grants-ask-name = A new grant or contest. What is it called? (3–200 characters)
grants-ask-organiser = Who runs it (a fund, a ministry, an administration)?
grants-ask-eligible = Who may apply? For example: “TOS without legal entity, NGOs”. Up to 500 characters.
grants-ask-amount = What amount? As the rules put it, for example “up to 500,000 RUB”.
grants-ask-deadline = Until what day are applications accepted? For example, <code>15.03.2027</code>.
grants-ask-link = A link to the rules or the contest's site (http:// or https://). No link: “Skip”.
grants-skip-button = Skip
grants-ask-scope = Which region is this contest for?
grants-ask-scope-admin = Federal or regional? For a regional one, type the region's name or number.
grants-scope-matches = Choose the region:
grants-scope-none = No such region. Type the name differently, or the region's number, e.g. 16.
grants-summary = <b>Please check</b>
    Name: { $name }
    Organiser: { $organiser }
    Who may apply: { $eligible }
    Amount: { $amount }
    Applications until: { $deadline }
    Link: { $link }
    Where: { $scope }
grants-save-button = ✅ Save
grants-saved = Saved: “{ $name }”. The region's residents will see it in /grants.
grants-edit-which = What to change in “{ $name }”? A new deadline re-plans the subscribers' reminders.
grants-field-name = Name
grants-field-organiser = Organiser
grants-field-eligible = Who may apply
grants-field-amount = Amount
grants-field-deadline = Application deadline
grants-field-link = Link
grants-field-scope = Region
grants-changed = Changed: “{ $name }”.
grants-delete-confirm = Delete “{ $name }” from the calendar? Subscribers: { $subscribers }; their reminders will be cancelled. This cannot be undone.
grants-delete-yes = 🗑 Yes, delete
grants-delete-no = No, keep it
grants-deleted = “{ $name }” is deleted from the calendar; the subscribers' reminders are cancelled.
grants-reminder = 💰 { $days ->
        [one] Applications close tomorrow
       *[other] Applications close in { $days } days
    }: <b>{ $name }</b>
    Deadline: { $deadline }. Organiser: { $organiser }. Amount: { $amount }.
    Link: { $link }
grants-name-too-short = The name is too short: 3 characters at least.
grants-name-too-long = The name is too long: 200 characters at most.
grants-organiser-too-short = Type the organiser: 2 characters at least.
grants-organiser-too-long = Too long: 200 characters at most.
grants-eligible-too-short = Type who may apply: 3 characters at least.
grants-eligible-too-long = Too long: 500 characters at most.
grants-amount-too-short = Type the amount, e.g. “up to 500,000 RUB”.
grants-amount-too-long = Too long: 100 characters at most.
grants-deadline-format = I do not understand the date. Type it like this: <code>15.03.2027</code>.
grants-deadline-range = The deadline must be today or later, and no more than three years ahead.
grants-link-invalid = That does not look like a link. Type an address starting with http:// or https://, or press “Skip”.
grants-link-too-long = The link is too long: 500 characters at most.
