menu-grants = 💰 Гранты и конкурсы
command-grants = Гранты и конкурсы: сроки и напоминания
settings-kind-grant_deadline = напоминания о сроках грантов и конкурсов, на которые вы подписаны
grants-register-first = Календарь грантов — для зарегистрированных: нажмите /start.
grants-federal = 🇷🇺 Федеральный
grants-list = <b>Гранты и конкурсы</b>: региона «{ $region }» и федеральные, приём заявок открыт — { $count }.
    Откройте, чтобы подписаться: напомню за 14, 3 и 1 день до окончания приёма заявок.
grants-list-empty = <b>Гранты и конкурсы</b>: для региона «{ $region }» и федеральных с открытым приёмом заявок пока ничего нет.
grants-mine-button = ⭐ Мои подписки
grants-add-button = ➕ Добавить грант или конкурс
grants-card = <b>{ $name }</b>{ $subscribed }
    Организатор: { $organiser }
    Кто может участвовать: { $eligible }
    Сумма: { $amount }
    Приём заявок до: <b>{ $deadline }</b> (осталось { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    })
    Где: { $scope }
    Ссылка: { $link }
grants-subscribed-mark = {" "}⭐
grants-subscribe-button = 🔔 Напоминать о сроке
grants-unsubscribe-button = 🔕 Не напоминать
grants-ics-button = 📅 В календарь (.ics)
grants-ics-caption = Срок подачи заявок: «{ $name }». Откройте файл, чтобы добавить в календарь.
grants-ics-all-button = 📅 Все мои подписки одним файлом (.ics)
grants-ics-all-caption = Сроки { $count } { $count ->
        [one] гранта
       *[other] грантов
    } и конкурсов, на которые вы подписаны.
grants-edit-button = ✏️ Изменить
grants-delete-button = 🗑 Удалить
grants-back-to-list = ⬅️ К списку
grants-open-button = Открыть
grants-gone = Этого гранта больше нет в календаре.
grants-closed = Приём заявок уже закончился.
grants-subscribed = Подписка оформлена: напомню за 14, 3 и 1 день.
grants-subscribed-already = Вы уже подписаны.
grants-unsubscribed = Напоминаний об этом гранте больше не будет.
grants-unsubscribed-already = Вы не были подписаны.
grants-mine = <b>Мои подписки</b>: { $count }. Напоминания приходят за 14, 3 и 1 день до срока; выключить их все — /settings.
grants-mine-empty = Вы пока не подписаны ни на один грант или конкурс.
grants-ask-name = Новый грант или конкурс. Как он называется? (3–200 символов)
grants-ask-organiser = Кто его проводит (фонд, министерство, администрация)?
grants-ask-eligible = Кто может участвовать? Например: «ТОС без образования юрлица, НКО». До 500 символов.
grants-ask-amount = Какая сумма? Как в положении, например: «до 500 000 ₽».
grants-ask-deadline = До какого дня принимаются заявки? Например, <code>15.03.2027</code>.
grants-ask-link = Ссылка на положение или сайт конкурса (http:// или https://). Если ссылки нет — «Пропустить».
grants-skip-button = Пропустить
grants-ask-scope = Для какого региона этот конкурс?
grants-ask-scope-admin = Конкурс федеральный или региональный? Для регионального напишите название или номер региона.
grants-scope-matches = Выберите регион:
grants-scope-none = Такой регион не найден. Напишите название иначе или номер региона, например 16.
grants-summary = <b>Проверьте</b>
    Название: { $name }
    Организатор: { $organiser }
    Кто может участвовать: { $eligible }
    Сумма: { $amount }
    Приём заявок до: { $deadline }
    Ссылка: { $link }
    Где: { $scope }
grants-save-button = ✅ Сохранить
grants-saved = Сохранено: «{ $name }». Жители региона увидят его в /grants.
grants-edit-which = Что изменить в «{ $name }»? Если изменить срок, напоминания подписчикам перестроятся.
grants-field-name = Название
grants-field-organiser = Организатор
grants-field-eligible = Кто может участвовать
grants-field-amount = Сумма
grants-field-deadline = Срок подачи заявок
grants-field-link = Ссылка
grants-field-scope = Регион
grants-changed = Изменено: «{ $name }».
grants-delete-confirm = Удалить «{ $name }» из календаря? Подписчиков: { $subscribers }; их напоминания будут отменены. Это нельзя отменить.
grants-delete-yes = 🗑 Да, удалить
grants-delete-no = Нет, оставить
grants-deleted = «{ $name }» удалён из календаря, напоминания подписчикам отменены.
grants-reminder = 💰 { $days ->
        [one] Приём заявок заканчивается завтра
       *[other] Приём заявок заканчивается через { $days } { $days ->
            [few] дня
           *[many] дней
        }
    }: <b>{ $name }</b>
    Срок: { $deadline }. Организатор: { $organiser }. Сумма: { $amount }.
    Ссылка: { $link }
grants-name-too-short = Название слишком короткое: нужно от 3 символов.
grants-name-too-long = Название слишком длинное: не больше 200 символов.
grants-organiser-too-short = Напишите организатора: от 2 символов.
grants-organiser-too-long = Слишком длинно: не больше 200 символов.
grants-eligible-too-short = Напишите, кто может участвовать: от 3 символов.
grants-eligible-too-long = Слишком длинно: не больше 500 символов.
grants-amount-too-short = Напишите сумму, например «до 500 000 ₽».
grants-amount-too-long = Слишком длинно: не больше 100 символов.
grants-deadline-format = Не понимаю дату. Напишите так: <code>15.03.2027</code>.
grants-deadline-range = Срок должен быть сегодня или позже, но не дальше чем через три года.
grants-link-invalid = Это не похоже на ссылку. Напишите адрес, начинающийся с http:// или https://, или нажмите «Пропустить».
grants-link-too-long = Ссылка слишком длинная: не больше 500 символов.
