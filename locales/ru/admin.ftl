admin-title = <b>Администрирование</b>
admin-invite-button = 🔗 Ссылка-приглашение
admin-people-button = 👥 Люди с ролями
admin-invite-choose-role = Какую роль даёт ссылка?
admin-invite-created = Ссылка для роли «{ $role }» (одноразовая, действует до { $expires }):
    { $link }

    Перешлите её человеку: роль выдаётся при первом переходе по ссылке.
admin-people = Людей с ролями: { $count } (стр. { $page } из { $pages }). Выберите человека:
admin-person = <b>{ $name }</b> (id { $id })
    Роли: { $roles }
admin-person-unknown = Этого человека больше нет в базе.
admin-revoke-button = Отозвать роль «{ $role }»
admin-revoke-confirm = Отозвать роль «{ $role }» у { $name }?
admin-revoke-yes = Да, отозвать
admin-revoke-no = Нет
admin-revoked = Роль «{ $role }» отозвана.
admin-revoke-protected = Эту роль администратора нельзя отозвать здесь (своя роль или администратор из настроек ADMIN_IDS).
admin-role-not-held = У этого человека уже нет этой роли.
admin-regions-button = 🗺 Регионы организатора: { $count }
admin-regions = <b>{ $name }</b>: регионы организатора — { $regions }.
    Отметьте регионы, где он(а) ведёт мероприятия и рассылки и проверяет реестр ТОС (стр. { $page } из { $pages }).
