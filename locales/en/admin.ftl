admin-title = <b>Administration</b>
admin-invite-button = 🔗 Invite link
admin-people-button = 👥 People with roles
admin-invite-choose-role = Which role does the link grant?
admin-invite-created = Link for the role “{ $role }” (one-time, valid until { $expires }):
    { $link }

    Send it to the person: the role is granted the first time the link is opened.
admin-people = People with roles: { $count } (page { $page } of { $pages }). Choose a person:
admin-person = <b>{ $name }</b> (id { $id })
    Roles: { $roles }
admin-person-unknown = This person is no longer in the database.
admin-revoke-button = Revoke the role “{ $role }”
admin-revoke-confirm = Revoke the role “{ $role }” from { $name }?
admin-revoke-yes = Yes, revoke
admin-revoke-no = No
admin-revoked = The role “{ $role }” is revoked.
admin-revoke-protected = This admin role cannot be revoked here (your own role, or an admin from the ADMIN_IDS setting).
admin-role-not-held = This person no longer holds this role.
admin-regions-button = 🗺 Organiser's regions: { $count }
admin-regions = <b>{ $name }</b>: organiser's regions — { $regions }.
    Tick the regions where they run events and announcements and check the TOS registry (page { $page } of { $pages }).
admin-law-button = ⚖️ Law by region
admin-law-regions = Choose a region: you can set the values of its local act on TOS. The law is chosen by itself, by the founding meeting's date.
admin-law-setting = <b>{ $region }</b>, { $municipality }
    Law, by the meeting's date:
    { $laws }
    Age of participation: { $age }
    Charter registration term, days: { $term }
    Registration body: { $body }

    New TOS projects here will follow these rules.
admin-law-default = by the law
admin-law-period = • { $act }: { $period }
admin-law-until = meetings up to and including { $date }
admin-law-from = meetings from { $date }
admin-law-always = every meeting
admin-law-whole-region = the whole region
admin-law-age = Age { $age }+
admin-law-age-default = Age by the law
admin-law-age-fixed-line = { $age }: set by the law ({ $source }); a local act cannot change it
admin-law-age-fixed = Not possible: the age of { $age } is set by the law ({ $source }) for meetings up to and including { $until }. A local act cannot change it.
admin-law-age-fixed-always = Not possible: the age of { $age } is set by the law ({ $source }). A local act cannot change it.
admin-law-term-button = ✏️ Registration term
admin-law-body-button = ✏️ Registration body
admin-law-municipality-button = ➕ Separately for a municipality
admin-law-ask-term = The charter registration term in days under the local act (a number from 1 to 365)?
admin-law-ask-body = What is the body that registers the charter called (for example: “Administration of the Vakhitovsky district of Kazan”)?
admin-law-body-law-button = As the law says: “the authorised local self-government body”
admin-law-ask-municipality = The name of the municipality that needs its own rules?
admin-law-term-not-number = Type the number of days in digits, for example 30.
admin-law-term-out-of-range = The term is 1 to 365 days.
admin-law-body-empty = Please type the body's name.
admin-law-body-too-short = Too short.
admin-law-body-too-long = Too long: at most 200 characters.

## Finding people, bans, the audit log (handlers/admin_moderation.py)
admin-find-button = 🔎 Find a person
admin-banned-button = 🚫 Banned
admin-audit-button = 📜 Audit log
admin-find-ask = Write the person's Telegram id or a part of their name.
admin-find-none = Nobody found for “{ $query }”. Write an id or another part of the name.
admin-find-found = Found: { $count }. Choose a person:
admin-ban-button = 🚫 Ban
admin-unban-button = ✅ Unban
admin-ban-confirm = Ban { $name }?
    The bot will stop answering this person and sending them announcements and reminders; their questions will be hidden from the experts and the FAQ. Nothing is deleted: you can unban them here.
admin-ban-yes = Yes, ban
admin-ban-no = No
admin-banned-done = { $name }: banned.
admin-unbanned-done = { $name }: unbanned.
admin-to-person-button = 👤 To the person's card
admin-ban-protected = You cannot ban yourself or an admin from the ADMIN_IDS setting.
admin-ban-already = This person is banned already.
admin-unban-already = This person is not banned.
admin-person-banned = 🚫 Banned since { $since }.
admin-banned-list = Banned: { $count } (page { $page } of { $pages }). Choose a person:
admin-banned-none = Nobody is banned.
admin-audit = <b>Audit log</b>: { $count } (page { $page } of { $pages }, newest first)
    { $lines }
admin-audit-empty = The audit log is empty.
admin-audit-line = { $at } · <b>{ $actor }</b> { $action }
audit-nobody = (erased)
audit-ban = banned { $target }
audit-unban = unbanned { $target }
audit-role-granted = granted the role “{ $detail }” to { $target } (by an invite link)
audit-role-revoked = revoked the role “{ $detail }” from { $target }
audit-invite-created = created an invite link for the role “{ $detail }”
audit-region-added = added the region “{ $detail }” to organiser { $target }
audit-region-removed = removed the region “{ $detail }” from organiser { $target }
