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
