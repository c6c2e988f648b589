# /events_admin: organisers' events (handlers/organiser_events.py, handlers/event_form.py)
evadm-list = <b>Мероприятия ваших регионов</b>: { $total } (страница { $page } из { $pages }).
    📝 черновик · 📢 опубликовано · ❌ отменено
evadm-new-button = ➕ Новое мероприятие
evadm-mark-draft = 📝
evadm-mark-published = 📢
evadm-mark-cancelled = ❌
evadm-to-list-button = « К списку мероприятий
evadm-to-event-button = « К мероприятию
evadm-publish-button = 📢 Опубликовать
evadm-draft-button = 📝 Сохранить черновик
evadm-change-button = ✏️ Изменить…
evadm-edit-button = ✏️ Изменить
evadm-people-button = 👥 Участники
evadm-share-button = 🔗 Ссылка и QR-код
evadm-checkin-button = ✅ Отметить пришедших
evadm-code-word-button = 🔑 Кодовое слово
evadm-summary-button = 📊 Итоги и отзывы
evadm-duplicate-button = 📄 Дублировать
evadm-cancel-event-button = 🚫 Отменить мероприятие
evadm-yes = Да
evadm-no = Нет
evadm-unlimited = без ограничений

evadm-card =
    <b>{ $title }</b>
    { $kind } · { $status } · { $region }

    🗓 { $when }, { $duration }
    💻 Формат: { $format }
    🔗 Ссылка: { $link }
    📍 Адрес: { $address }
    👥 Мест: { $capacity }
    ⏳ Запись до: { $deadline }
    🔔 Напомнить смотревшим, но не записавшимся, за сутки до конца записи: { $deadline_reminder }
    🌍 Для кого: { $audience }
    ✋ Запись с одобрением организатора: { $approval }
    ⏰ Напоминания участникам: за { $reminders } до начала
    ❓ Вопросы при записи:
    { $questions }

    { $description }
evadm-counts = Записались: { $signed } · лист ожидания: { $waitlisted } · ждут одобрения: { $pending } · пришли: { $attended }
evadm-event-new = предпросмотр
evadm-event-draft = черновик
evadm-event-published = опубликовано
evadm-event-cancelled = отменено
evadm-deadline-at-start = до начала
evadm-duration-value = { $hours ->
        [0] { $minutes } мин
       *[other] { $hours } ч{ $minutes ->
            [0] {""}
           *[other] {" "}{ $minutes } мин
        }
    }
evadm-audience-all = вся Россия


evadm-ask-region = Какой регион проводит мероприятие?
evadm-ask-kind = Новое мероприятие. Что это будет?
evadm-ask-title = Название мероприятия (от 3 до 200 символов):
evadm-ask-description = Описание: о чём мероприятие, для кого, программа (от 10 до 3000 символов):
evadm-ask-zone = В каком часовом поясе указывать время? По умолчанию — пояс вашего региона.
evadm-ask-date = Когда начало? Выберите день в календаре или напишите дату и время, например <code>25.12.2026 10:00</code>.
evadm-ask-time = { $day }: во сколько начало? Напишите время, например <code>10:00</code>.
evadm-ask-duration = Сколько длится? Выберите или напишите, например <code>1:30</code> или <code>2 ч</code>.
evadm-ask-format = Формат проведения:
evadm-ask-link = Ссылка на трансляцию или конференцию (https://…). Её увидят только записавшиеся.
evadm-ask-address = Адрес проведения (город, улица, дом, зал):
evadm-ask-capacity = Сколько мест? Напишите число или нажмите «Без ограничений».
evadm-ask-deadline = До какого момента принимать запись? Выберите или напишите дату и время, например <code>24.12.2026 18:00</code>.
evadm-ask-audience = Для кого мероприятие?
evadm-ask-audience_regions = Напишите регионы через запятую: названия или коды, например <code>Татарстан, Самарская, 02</code>.
evadm-ask-approval = Записывать только после вашего одобрения?
evadm-ask-questions = { $count ->
        [0] Что спросить у участников при записи? Напишите вопрос (до 3 вопросов) или нажмите «Без вопросов».
       *[other] Вопрос { $count } сохранён. Напишите ещё один или нажмите «Готово».
    }

evadm-zone-kaliningrad = Калининград
evadm-zone-moscow = Москва
evadm-zone-samara = Самара
evadm-zone-yekaterinburg = Екатеринбург
evadm-zone-omsk = Омск
evadm-zone-krasnoyarsk = Красноярск
evadm-zone-irkutsk = Иркутск
evadm-zone-yakutsk = Якутск
evadm-zone-vladivostok = Владивосток
evadm-zone-magadan = Магадан
evadm-zone-kamchatka = Камчатка
evadm-cal-days = Пн|Вт|Ср|Чт|Пт|Сб|Вс
evadm-cal-months = Янв|Фев|Мар|Апр|Май|Июн|Июл|Авг|Сен|Окт|Ноя|Дек
evadm-unlimited-button = Без ограничений
evadm-deadline-start = До начала
evadm-deadline-1h = За час до начала
evadm-deadline-1d = За сутки до начала
evadm-deadline-3d = За 3 дня до начала
evadm-audience-all-button = 🇷🇺 Вся Россия
evadm-audience-own-button = Только { $region }
evadm-audience-choose-button = Выбрать регионы…
evadm-no-questions = Без вопросов
evadm-questions-done-button = Готово

evadm-empty = Пустой ответ. Напишите, пожалуйста, текстом.
evadm-title-too-short = Название слишком короткое: нужно хотя бы 3 символа.
evadm-title-too-long = Название слишком длинное: не больше 200 символов.
evadm-description-too-short = Описание слишком короткое: нужно хотя бы 10 символов.
evadm-description-too-long = Описание слишком длинное: не больше 3000 символов. Сократите его.
evadm-address-too-short = Адрес слишком короткий: укажите город, улицу и дом.
evadm-address-too-long = Адрес слишком длинный: не больше 300 символов.
evadm-question-too-short = Вопрос слишком короткий: нужно хотя бы 3 символа.
evadm-question-too-long = Вопрос слишком длинный: не больше 300 символов.
evadm-when-format = Не понимаю дату. Напишите так: <code>25.12.2026 10:00</code>.
evadm-time-format = Не понимаю время. Напишите так: <code>10:00</code>.
evadm-when-past = Это время уже прошло. Укажите момент в будущем.
evadm-when-too-far = Слишком далеко: планировать можно не дальше чем на 3 года вперёд.
evadm-day-past = Этот день уже прошёл. Выберите сегодняшний или более поздний.
evadm-duration-invalid = Не понимаю длительность. От 15 минут до 14 дней, например <code>90</code> (минут), <code>1:30</code> или <code>2 ч</code>.
evadm-link-invalid = Нужна ссылка, которая начинается с https:// (или http://), без пробелов.
evadm-capacity-invalid = Нужно целое число мест от 1 до 100 000 — или нажмите «Без ограничений».
evadm-capacity-below-taken = Мест не может быть меньше, чем уже записалось. Укажите число побольше.
evadm-deadline-after-start = Запись не может закрываться позже начала мероприятия.
evadm-deadline-past = Этот момент уже прошёл: запись закрылась бы сразу. Укажите время позже.
evadm-audience-invalid = Не удалось узнать регионы. Пишите через запятую названия или коды, каждое должно указывать на один регион, например <code>Татарстан, Самарская, 02</code>.

evadm-which-field = Что изменить?
evadm-field-kind = Вид
evadm-field-title = Название
evadm-field-description = Описание
evadm-field-when = Дату и время
evadm-field-zone = Часовой пояс
evadm-field-duration = Длительность
evadm-field-format = Формат, ссылку, адрес
evadm-field-capacity = Число мест
evadm-field-deadline = Срок записи
evadm-field-audience = Для кого
evadm-field-approval = Одобрение
evadm-field-questions = Вопросы
evadm-field-reminders = Напоминания
evadm-questions-locked = На мероприятие уже записались люди: их ответы привязаны к вопросам, поэтому вопросы менять нельзя.
evadm-duplicating = Копия «{ $title }». Всё как в прошлый раз — укажите новые дату и время.
evadm-created-published = 📢 «{ $title }» опубликовано: его видят в /events, можно делиться ссылкой.
evadm-created-draft = 📝 «{ $title }» сохранено черновиком. Его не видят участники, пока вы не опубликуете.
evadm-published = 📢 «{ $title }» опубликовано.
evadm-saved = Сохранено. { $people ->
        [0] {""}
       *[other] Об изменениях сообщили участникам: { $people }.
    }

evadm-cancel-confirm = Отменить «{ $title }»? Это нельзя вернуть. { $people ->
        [0] Записавшихся пока нет.
       *[other] Участникам, листу ожидания и ждущим одобрения ({ $people }) придёт сообщение об отмене.
    }
evadm-cancel-yes = Да, отменить
evadm-cancel-no = Нет, оставить
evadm-cancelled = Мероприятие «{ $title }» отменено. Сообщение об отмене отправлено: { $people }.

evadm-people = <b>Участники «{ $title }»</b>: всего { $total } · записаны: { $signed } · лист ожидания: { $waitlisted } · ждут одобрения: { $pending }
    Страница { $page } из { $pages }.
evadm-status-signed_up = записан(а)
evadm-status-waitlisted = в листе ожидания
evadm-status-offered = предложено место, ждёт ответа
evadm-status-pending = ждёт одобрения
evadm-status-rejected = отклонено
evadm-status-cancelled = отменил(а) запись
evadm-status-attended = пришёл(ла)
evadm-decision-signed_up = Одобрено: место выделено.
evadm-decision-waitlisted = Одобрено, но мест нет: человек в листе ожидания.
evadm-decision-rejected = Заявка отклонена.
evadm-decided-already = По этой заявке уже принято решение.
evadm-export-columns = ФИО|Телефон|Регион|Муниципалитет|ТОС||Статус|Время записи|Отмечен(а) на мероприятии
evadm-export-sheet = Участники
evadm-export-caption = Участники «{ $title }»: { $total }.
evadm-share = Ссылка на «{ $title }» — для чатов и афиш:
    { $link }
    QR-код ведёт туда же.

evadm-notice-cancelled = ❌ Мероприятие «{ $title }» ({ $when }) отменено организатором. Ваша запись снята.
evadm-notice-changed = ✏️ В мероприятии «{ $title }» изменения:
    { $changes }
evadm-change-time = 🗓 новое время: { $when }
evadm-change-place = 📍 новый адрес: { $address }
evadm-change-link = 🔗 новая ссылка: { $link }
evadm-notice-signed_up = ✅ Организатор одобрил вашу заявку: вы записаны на «{ $title }» ({ $when }).
evadm-notice-waitlisted = Организатор одобрил вашу заявку на «{ $title }» ({ $when }), но мест пока нет: вы в листе ожидания, { $position }-й по очереди.
evadm-notice-rejected = К сожалению, организатор отклонил вашу заявку на «{ $title }» ({ $when }).
evadm-ask-reminders = За сколько до начала напоминать участникам? Выберите или напишите часы через запятую, например <code>72, 24, 1</code> (до трёх напоминаний).
evadm-reminders-invalid = Нужно от одного до трёх чисел часов через запятую, от 5 минут (0.1) до 14 дней (336), например <code>24, 1</code>.
evadm-ask-deadline_reminder = Напомнить тем, кто открывал карточку, но не записался, за сутки до конца записи? (Кто отключил такие напоминания в /settings, их не получит.)
