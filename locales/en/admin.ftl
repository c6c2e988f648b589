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
