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
admin-law-button = ⚖️ Закон по регионам
admin-law-regions = Выберите регион: для него можно задать значения из местного акта о ТОС. Закон выбирается сам — по дате учредительного собрания.
admin-law-setting = <b>{ $region }</b>, { $municipality }
    Закон — по дате собрания:
    { $laws }
    Возраст участия: { $age }
    Срок регистрации устава, дней: { $term }
    Орган регистрации: { $body }

    Новые проекты ТОС здесь получат эти правила.
admin-law-default = по закону
admin-law-period = • { $act }: { $period }
admin-law-until = собрания по { $date } включительно
admin-law-from = собрания с { $date }
admin-law-always = все собрания
admin-law-whole-region = весь регион
admin-law-age = Возраст { $age }+
admin-law-age-default = Возраст по закону
admin-law-age-fixed-line = { $age } — установлен законом ({ $source }), местный акт его не меняет
admin-law-age-fixed = Нельзя: возраст { $age } лет установлен законом ({ $source }) для собраний по { $until } включительно. Местный акт его не меняет.
admin-law-age-fixed-always = Нельзя: возраст { $age } лет установлен законом ({ $source }). Местный акт его не меняет.
admin-law-term-button = ✏️ Срок регистрации
admin-law-body-button = ✏️ Орган регистрации
admin-law-municipality-button = ➕ Отдельно для муниципалитета
admin-law-ask-term = Срок регистрации устава в днях по местному акту (число от 1 до 365)?
admin-law-ask-body = Как называется орган, регистрирующий устав (например: «Администрация Вахитовского района г. Казани»)?
admin-law-body-law-button = Как в законе: «уполномоченный орган местного самоуправления»
admin-law-ask-municipality = Название муниципального образования, для которого нужны свои правила?
admin-law-term-not-number = Напишите число дней цифрами, например 30.
admin-law-term-out-of-range = Срок — от 1 до 365 дней.
admin-law-body-empty = Напишите название органа.
admin-law-body-too-short = Слишком коротко.
admin-law-body-too-long = Слишком длинно: не больше 200 символов.

## Поиск, блокировки, журнал действий (handlers/admin_moderation.py)
admin-find-button = 🔎 Найти человека
admin-banned-button = 🚫 Заблокированные
admin-audit-button = 📜 Журнал действий
admin-find-ask = Напишите Telegram id человека или часть его имени.
admin-find-none = Никого не нашлось по запросу «{ $query }». Напишите id или другую часть имени.
admin-find-found = Найдено: { $count }. Выберите человека:
admin-ban-button = 🚫 Заблокировать
admin-unban-button = ✅ Разблокировать
admin-ban-confirm = Заблокировать { $name }?
    Бот перестанет отвечать этому человеку и присылать ему рассылки и напоминания, его вопросы скроются от экспертов и из базы ответов. Ничего не удаляется: разблокировать можно здесь же.
admin-ban-yes = Да, заблокировать
admin-ban-no = Нет
admin-banned-done = { $name }: заблокирован(а).
admin-unbanned-done = { $name }: блокировка снята.
admin-to-person-button = 👤 К карточке человека
admin-ban-protected = Нельзя заблокировать себя или администратора из настройки ADMIN_IDS.
admin-ban-already = Этот человек уже заблокирован.
admin-unban-already = Этот человек не заблокирован.
admin-person-banned = 🚫 Заблокирован(а) с { $since }.
admin-banned-list = Заблокированных: { $count } (стр. { $page } из { $pages }). Выберите человека:
admin-banned-none = Заблокированных нет.
admin-audit = <b>Журнал действий</b>: { $count } (стр. { $page } из { $pages }, новые сверху)
    { $lines }
admin-audit-empty = Журнал действий пуст.
admin-audit-line = { $at } · <b>{ $actor }</b> { $action }
audit-nobody = (удалён)
audit-ban = заблокировал(а) { $target }
audit-unban = разблокировал(а) { $target }
audit-role-granted = выдал(а) роль «{ $detail }»: { $target } (по ссылке-приглашению)
audit-role-revoked = отозвал(а) роль «{ $detail }» у { $target }
audit-invite-created = создал(а) ссылку-приглашение для роли «{ $detail }»
audit-region-added = добавил(а) регион «{ $detail }» организатору { $target }
audit-region-removed = убрал(а) регион «{ $detail }» у организатора { $target }
