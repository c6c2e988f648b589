start-greeting = Hello! I help activists of TOS — territorial public self-government.
    I guide you step by step through creating a TOS and its documents, sign you up for schools and webinars, and pass your questions to lawyers, accountants and grant experts.
    I remind TOS chairs of events and deadlines, and help organisers gather participants and send announcements.

    To begin, please register — it takes a couple of minutes.
start-register-button = 📝 Register
menu-title = Main menu. Choose a section:
menu-create-tos = 🏘 Create a TOS
menu-find-tos = 🔎 Find a TOS
menu-register-tos = 📝 Register a TOS
menu-tos-calendar = 🗓 TOS calendar
menu-profile = 👤 My profile
menu-help = ❓ Help
menu-language = 🌐 Language
menu-events-admin = 🗂 Events I organise
menu-admin = 🛠 Administration
help-everyone = <b>What the bot can do</b>
    /start — main menu
    /events — events: TOS schools, webinars, conferences; sign-up and “My events”
    /create_tos — create a TOS: steps, quorum, ready documents
    /find_tos — find a TOS of your region and ask to join it
    /register_tos — add an existing TOS to the registry
    /grants — grants and contests of your region and federal ones: deadlines, reminders, .ics
    /ask — a question to a lawyer, an accountant, a grants specialist and other experts
    /my_questions — your questions, the answers, a follow-up and the rating
    /faq — frequently asked questions by topic, and a search of the answers
    /profile — your profile, and changing it
    /language — language (Russian or English)
    /settings — which reminders to get
    /my_data — a file with all data about you
    /delete_me — erase your data
    /cancel — leave any dialog
help-unregistered = You are not registered yet: press /start and “Register”.
help-chair = <b>For TOS chairs</b>
    /tos_calendar — the TOS calendar: the dates of the meeting, the budget and the report, with reminders
help-expert = <b>For experts</b>
    /questions — residents' questions on your topics: the queue (oldest first), “Take”, an answer with files, “A good answer for the FAQ”
    New questions of your topics come as a message with “Take” and “Skip”.
help-organiser = <b>For organisers</b>
    /events_admin — the events of your regions: creating, participants, exports, attendance, feedback
    /broadcast — a broadcast to the people of your regions; /broadcasts — reports
    /tos_registry — the TOS registry of your regions, CSV and XLSX export
help-admin = <b>For administrators</b>
    /admin — invite links for roles, the people with roles, revoking roles, organisers' regions, question topics and experts' topics, FAQ drafts
    /questions — every residents' question; in /faq, editing and unpublishing entries
    /events_admin — the events of all regions
    /broadcast — a broadcast to everyone; /broadcasts — reports
    /tos_registry — the TOS registry of all regions and its export
command-start = Main menu
command-create-tos = Create a TOS: a step-by-step wizard and documents
command-find-tos = Find a TOS and join it
command-register-tos = Add an existing TOS to the registry
command-tos-registry = The TOS registry of my regions
command-events = Events: TOS schools, webinars, conferences
command-events-admin = Events I organise
command-settings = Reminders: what to get
command-broadcast = A broadcast to your regions
command-broadcasts = Broadcasts and their reports
command-profile = My profile
command-help = What the bot can do
command-language = Язык / Language
command-cancel = Leave the dialog
command-my-data = My data (file)
command-delete-me = Erase my data
command-admin = Administration
invite-register-first = Invitation accepted. Please register first — the role is granted right after.
invite-granted = Done: you now have the role “{ $role }”.
invite-already = You already have the role “{ $role }”. The link is unused — you can pass it to someone else.
invite-expired = This invite link has expired. Ask an administrator for a new one.
invite-used = This invite link has already been used. Ask an administrator for a new one.
invite-unknown = This invite link is not valid. Check that it was copied in full.
