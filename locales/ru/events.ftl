# events texts: residents' side (handlers/events.py)
events-menu-button = 📅 Мероприятия
events-mine-button = 🗂 Мои мероприятия
events-all-button = 📅 Все мероприятия
events-register-first = Мероприятия доступны после регистрации. Нажмите /start — это займёт пару минут.
events-register-first-link = Чтобы открыть мероприятие и записаться, сначала зарегистрируйтесь — карточка мероприятия откроется сразу после этого.
events-link-unavailable = Это мероприятие недоступно: ссылка устарела или мероприятие проводится для других регионов. Мероприятия для вас — /events.
events-msk = МСК

events-kind-all-button = Все виды
events-kind-all = все виды
events-kind-school = Школа ТОС
events-kind-webinar = Вебинар
events-kind-conference = Конференция
events-kind-masterclass = Мастер-класс
events-kind-seminar = Семинар
events-kind-meeting = Встреча
events-format-online = онлайн
events-format-offline = очно
events-format-hybrid = очно и онлайн

events-seats-unlimited = мест без ограничений
events-seats-full = мест нет — можно встать в лист ожидания
events-seats-left = { $count ->
    [one] осталось { $count } место из { $capacity }
    [few] осталось { $count } места из { $capacity }
   *[many] осталось { $count } мест из { $capacity }
}

events-list = <b>📅 Мероприятия для вас</b> · { $kind }
    { $total ->
        [one] Найдено { $total } мероприятие
        [few] Найдено { $total } мероприятия
       *[many] Найдено { $total } мероприятий
    } · стр. { $page } из { $pages }

    { $lines }

    Выберите мероприятие кнопкой ниже.
events-list-empty = <b>📅 Мероприятия для вас</b> · { $kind }

    Пока нет предстоящих мероприятий для вашего региона. Загляните позже или выберите другой вид.
events-list-line = { $number }. <b>{ $title }</b>{ $mark }
    { $date }, { $time } · { $format } · { $seats }

events-card-head = <b>{ $title }</b>
    { $kind } · { $format }
events-card-when = 🗓 { $date }, { $time } · { $duration } мин
events-card-address = 📍 { $address }
events-card-link = 🔗 Ссылка на подключение: { $link }
events-card-link-later = 🔗 Ссылка на подключение появится здесь после записи.
events-card-seats = 👥 { $seats }
events-card-deadline = ⏳ Запись до { $date }, { $time }
events-state-event-cancelled = 🚫 Мероприятие отменено организатором.
events-state-past = Мероприятие уже прошло.
events-state-deadline = Запись на мероприятие закрыта.

events-status-signed_up = ✅ Вы записаны.
events-status-waitlisted = ⏳ Вы в листе ожидания: { $position }-й по очереди. Если место освободится, оно достанется вам автоматически.
events-status-pending = ⏳ Заявка ждёт подтверждения организатора.
events-status-offered = ❗ Для вас освободилось место: подтвердите, что придёте.
events-status-rejected = ❌ Организатор отклонил заявку.
events-status-cancelled = Вы отменили запись.
events-status-attended = ✅ Вы участвовали.

events-sign-up-button = ✍️ Записаться
events-waitlist-button = ⏳ Встать в лист ожидания
events-cancel-button = ✖️ Отменить запись
events-cancel-yes = Да, отменить запись
events-cancel-no = Нет, оставить
events-ics-button = 📅 Файл для календаря
events-google-button = ➕ Добавить в Google Календарь
events-code-button = 🎫 Мой код для входа
events-back-to-list-button = ⬅️ К списку мероприятий
events-back-to-mine-button = ⬅️ К моим мероприятиям
events-open-button = Открыть мероприятие

events-question = Вопрос организатора { $number } из { $total } · «{ $title }»

    <b>{ $question }</b>

    Напишите ответ сообщением (до 1000 знаков).
events-answer-empty = Ответ пустой. Напишите его сообщением или нажмите «Отмена».
events-answer-too-long = Ответ длиннее 1000 знаков. Сократите его, пожалуйста, и отправьте снова.

events-outcome-signed_up = ✅ Вы записаны на «{ $title }». Файл для календаря — ниже.
events-outcome-waitlisted = Все места на «{ $title }» заняты, и вы в листе ожидания: { $position }-й по очереди. Если место освободится, оно достанется вам автоматически, и я сразу сообщу.
events-outcome-pending = Заявка на «{ $title }» отправлена и ждёт подтверждения организатора. Я сообщу о решении.
events-outcome-already = Вы уже записаны на это мероприятие.
events-outcome-not_open = Это мероприятие недоступно для записи.
events-outcome-cancelled = Мероприятие отменено организатором — записаться нельзя.
events-outcome-past = Мероприятие уже прошло — записаться нельзя.
events-outcome-deadline = Запись закончилась { $deadline }.
events-outcome-not_registered = Чтобы записываться на мероприятия, сначала зарегистрируйтесь: нажмите /start.

events-ics-caption = Файл для календаря: «{ $title }». Откройте его, чтобы добавить мероприятие в календарь телефона.
events-cancel-confirm = Отменить запись на «{ $title }»? Если все места заняты, ваше место перейдёт первому в листе ожидания.
events-cancelled-done = Запись на «{ $title }» отменена.
events-not-signed-up = Вы не записаны на это мероприятие.
events-promoted = 🎉 Освободилось место, и теперь вы записаны на «{ $title }» ({ $date }, { $time }). В карточке мероприятия — файл для календаря и ссылка на подключение, если она есть.

events-mine = <b>🗂 Мои мероприятия</b>
    { $total ->
        [one] { $total } запись
        [few] { $total } записи
       *[many] { $total } записей
    } · стр. { $page } из { $pages }

    { $lines }
events-mine-empty = <b>🗂 Мои мероприятия</b>

    Вы пока никуда не записаны. Ближайшие мероприятия — /events.
events-mine-line = { $number }. <b>{ $title }</b> — { $date }, { $time }
    { $status }
events-reminder = ⏰ Напоминание: «{ $title }» — { $when }.
    { $format ->
        [online] 🔗 Ссылка: { $link }
        [offline] 📍 Адрес: { $address }
       *[hybrid] 📍 Адрес: { $address }
        🔗 Ссылка: { $link }
    }
events-reminder-cant-come = 🙅 Не смогу прийти
events-deadline-soon = ⏳ Запись на «{ $title }» ({ $when }) закрывается { $closes }. Вы смотрели это мероприятие — ещё можно успеть записаться.
events-offered = ❗ Освободилось место на «{ $title }» ({ $date }, { $time }). Оно ваше, если вы подтвердите до { $until }; иначе оно перейдёт следующему в листе ожидания.
events-offer-yes-button = ✅ Приду
events-offer-no-button = Не смогу
events-offer-confirmed = ✅ Вы записаны на «{ $title }». Напоминание придёт перед началом.
events-offer-declined = Место на «{ $title }» передано следующему. Спасибо, что ответили.
events-offer-gone = Это предложение уже не действует.
events-offer-expired = Место на «{ $title }» не было подтверждено вовремя и перешло следующему в листе ожидания.
