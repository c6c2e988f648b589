profile-fields = 👤 { $name }
    📱 { $phone }
    📍 { $region }, { $municipality }
    🏠 { $kind }
profile-card = <b>Мой профиль</b>

    { $fields }

    Роли: { $roles }
    Зарегистрирован(а): { $registered }
profile-edit-full_name = ✏️ ФИО
profile-edit-phone = ✏️ Телефон
profile-edit-region_code = ✏️ Регион
profile-edit-municipality = ✏️ Населённый пункт
profile-edit-kind = ✏️ Кто я
profile-edit-tz = ✏️ Часовой пояс
profile-saved = ✅ Сохранено.
profile-edit-cancelled = Изменение отменено, профиль прежний.
profile-not-registered = Вы ещё не зарегистрированы. Нажмите /start, чтобы зарегистрироваться.
personal-data-export-caption = Все данные, которые бот хранит о вас (файл JSON).
personal-data-erase-confirm = Удалить ваши данные? Будут удалены профиль (ФИО, телефон, регион, населённый пункт), согласие, роли и незавершённые диалоги. Отменить удаление нельзя.
personal-data-erase-yes = 🗑 Да, удалить
personal-data-erase-no = Нет, оставить
personal-data-erase-aborted = Удаление отменено, данные на месте.
personal-data-erased = Ваши данные удалены: профиль, согласие, { $roles } { $roles ->
    [one] роль
    [few] роли
   *[many] ролей
} и состояние диалогов.
    Сохранено только обезличенное: запись о факте удаления без указания, чьи это были данные, и { $invites } { $invites ->
    [one] ссылка-приглашение
    [few] ссылки-приглашения
   *[many] ссылок-приглашений
}, от которых отвязано ваше имя. Чтобы снова пользоваться ботом, нажмите /start.
personal-data-nothing = О вас нет сохранённых данных — удалять нечего.

settings-title = <b>Напоминания</b>
    { $lines }

    Сообщения о ваших записях и решениях по вашим заявкам приходят всегда. С 22:00 до 8:00 по вашему времени бот молчит (кроме напоминаний о мероприятиях, которые начнутся в ближайшие 2 часа).
settings-line = { $state } { $what }
settings-on = ✅
settings-off = 🔕
settings-turn-on = Включить: { $what }
settings-turn-off = Выключить: { $what }
settings-saved = Сохранено.
settings-register-first = Настройки появятся после регистрации: нажмите /start.
settings-kind-event_reminder = напоминания о мероприятиях (если выключить, останется одно — последнее перед началом)
settings-kind-deadline = «запись скоро закроется» о мероприятиях, которые вы смотрели
settings-kind-feedback = просьбы оценить мероприятие
settings-kind-tos_step = подсказки о следующем шаге создания ТОС
settings-kind-tos_calendar = напоминания календаря ТОС (собрание, смета, отчёт)
