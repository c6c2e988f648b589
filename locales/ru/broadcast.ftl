# /broadcast and /broadcasts (handlers/broadcast.py)
bc-audience = <b>Кому отправить?</b> Выберите фильтры — без них сообщение получат все зарегистрированные в ваших регионах.
    Получателей сейчас: { $count }.
bc-role-resident = Жители
bc-role-tos_member = Члены ТОС
bc-role-chair = Председатели ТОС
bc-role-expert = Эксперты
bc-language-all = Все языки
bc-preview-button = Дальше: предпросмотр ({ $count })
bc-nobody = Под эти фильтры никто не подходит. Измените их.
bc-preview = ⬆️ Так получатели увидят сообщение. Получателей: { $count }.
bc-send-button = 📣 Отправить сейчас ({ $count })
bc-schedule-button = 🕒 Запланировать
bc-ask-when = Когда отправить? Напишите дату и время по вашему часовому поясу, например <code>25.12.2026 10:00</code>.
bc-scheduled = 🕒 Рассылка запланирована на { $when }: получателей { $count }. До отправки её можно остановить кнопкой ниже.
bc-progress = 📣 Рассылка: { $status }
    { $bar } { $percent }%
    Доставлено: { $sent } · заблокировали бота: { $blocked } · ошибки: { $failed } · всего: { $total }
bc-status-draft = черновик
bc-status-scheduled = запланирована
bc-status-sending = идёт
bc-status-paused = на паузе
bc-status-stopped = остановлена
bc-status-done = завершена
bc-pause-button = ⏸ Пауза
bc-resume-button = ▶️ Продолжить
bc-stop-button = ⏹ Остановить
bc-list = <b>Рассылки</b>
    { $lines }
bc-list-line = #{ $id } · { $when } · { $status }: доставлено { $sent } из { $total }, заблокировали { $blocked }, ошибки { $failed }
bc-list-empty = Рассылок пока не было. Начать: /broadcast
bc-ask-message = Пришлите сообщение для рассылки — текст, фото, видео, документ или альбом, с оформлением. Получатели увидят его точно таким.
bc-album-received = 🖼 Альбом получен. Когда загрузятся все файлы (до 10), нажмите «Дальше». Кнопки к альбому прикрепить нельзя — так устроен Telegram.
bc-album-count = В альбоме файлов: { $count }
bc-next-button = Дальше ➡️
bc-buttons-ask = <b>Кнопки под сообщением</b> (по желанию)
    Ссылки пришлите строками вида <code>Текст кнопки - https://example.org</code>, по одной на строку (до { $max }), или добавьте кнопку, которая откроет карточку мероприятия.
    Сейчас: { $buttons }
bc-buttons-none = без кнопок
bc-buttons-invalid = Не получилось прочитать кнопки. Каждая — на своей строке: <code>Текст кнопки - https://example.org</code>; ссылка начинается с https://, http:// или tg://.
bc-buttons-text-long = Текст кнопки — не длиннее 64 символов, иначе на телефоне его не прочитать.
bc-buttons-too-many = Ссылок — не больше { $max }.
bc-buttons-expected = Здесь нужны ссылки текстом (<code>Текст кнопки - https://example.org</code>) или кнопка под сообщением выше.
bc-buttons-clear = 🗑 Убрать кнопки
bc-event-button-add = 📅 Кнопка «Открыть мероприятие»
bc-event-button = 📅 Открыть мероприятие
bc-no-events = Нет мероприятий ваших регионов за последний месяц или предстоящих.
bc-choose-event = Выберите мероприятие ({ $page } из { $pages }):
bc-event-not-published = Кнопка может открыть только опубликованное мероприятие.
bc-choose-group = Кому из участников «{ $title }» отправить?
bc-group-all = Всем участникам
bc-group-signed_up = Записавшимся
bc-group-attended = Пришедшим
bc-group-waitlisted = В листе ожидания
bc-event-filter-button = 🎫 Участники мероприятия…
bc-event-filter-set = 🎫 { $title }: { $group } ✖️
bc-municipality-button = 🏘 Муниципалитет: { $name }
bc-municipality-any = любой
bc-choose-municipality = Выберите муниципалитет или напишите часть названия ({ $page } из { $pages }). В скобках — сколько там получателей.
bc-municipality-none-found = Среди получателей нет муниципалитета с таким названием. Напишите иначе или выберите кнопкой.
bc-copy-failed = Это сообщение Telegram не позволяет скопировать (например, викторину или счёт). Пришлите другое.
bc-when-expected = Здесь нужны дата и время текстом, например <code>25.12.2026 10:00</code>.
bc-pace = Скорость: { $rate } в секунду · осталось { $left }
bc-left-seconds = { $seconds } с
bc-left-minutes = { $minutes } мин
bc-left-hours = { $hours } ч { $minutes } мин
