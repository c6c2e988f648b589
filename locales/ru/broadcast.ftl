# /broadcast and /broadcasts (handlers/broadcast.py)
bc-ask-message = Пришлите сообщение для рассылки — текст, фото, видео или документ, с оформлением. Получатели увидят его точно таким.
bc-album-later = Альбомы пока не рассылаются: пришлите одно сообщение (например, фото с подписью).
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
