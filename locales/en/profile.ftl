profile-fields = 👤 { $name }
    📱 { $phone }
    📍 { $region }, { $municipality }
    🏠 { $kind }
profile-card = <b>My profile</b>

    { $fields }

    Roles: { $roles }
    Registered: { $registered }
profile-edit-full_name = ✏️ Full name
profile-edit-phone = ✏️ Phone
profile-edit-region_code = ✏️ Region
profile-edit-municipality = ✏️ Settlement
profile-edit-kind = ✏️ Who I am
profile-edit-tz = ✏️ Time zone
profile-saved = ✅ Saved.
profile-edit-cancelled = Change cancelled, the profile is as it was.
profile-not-registered = You are not registered yet. Press /start to register.
personal-data-export-caption = All data the bot keeps about you (a JSON file).
personal-data-erase-confirm = Erase your data? Your profile (name, phone, region, settlement), consent, roles and unfinished dialogs will be erased. This cannot be undone.
personal-data-erase-yes = 🗑 Yes, erase
personal-data-erase-no = No, keep
personal-data-erase-aborted = Erasure cancelled, your data is kept.
personal-data-erased = Your data is erased: profile, consent, { $roles } { $roles ->
    [one] role
   *[other] roles
} and dialog state.
    Kept, anonymously only: a record that an erasure happened, without saying whose data it was, and { $invites } invite { $invites ->
    [one] link
   *[other] links
} with your name detached. To use the bot again, press /start.
personal-data-nothing = There is no stored data about you — nothing to erase.

settings-title = <b>Reminders</b>
    { $lines }

    Messages about your sign-ups and decisions on your requests always come. From 22:00 to 8:00 your time the bot stays silent (except reminders of events starting within 2 hours).
settings-line = { $state } { $what }
settings-on = ✅
settings-off = 🔕
settings-turn-on = Turn on: { $what }
settings-turn-off = Turn off: { $what }
settings-saved = Saved.
settings-register-first = Settings come after registration: press /start.
settings-kind-event_reminder = event reminders (turned off, the last one before the start still comes)
settings-kind-deadline = "sign-ups close soon" for events you looked at
settings-kind-feedback = requests to rate an event
settings-kind-tos_step = hints about the next step of creating a TOS
settings-kind-tos_calendar = reminders of the TOS calendar (meeting, budget, report)
