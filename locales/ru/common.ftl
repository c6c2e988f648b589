common-back-button = ⬅️ Назад
common-cancel-button = ✖️ Отмена
common-cancelled = Отменено. Чтобы начать заново, нажмите /start, список возможностей — /help.
common-nothing-to-cancel = Отменять нечего: вы сейчас не заполняете форму. Возможности бота — /help.
common-button-outdated = Эта кнопка уже не действует. Нажмите /start, чтобы продолжить.
common-nav-other-dialog = Эта кнопка — из формы, которая уже закрыта. Сейчас открыта другая форма, она продолжается; отменить её — /cancel.
common-dialog-parked = Заполнение формы отложено, ответы сохранены. Продолжить — /start.
common-not-allowed = Недостаточно прав для этого действия.
common-expected-text = Здесь нужен ответ текстом. Напишите его сообщением или нажмите «Отмена».
common-use-buttons = Пожалуйста, выберите вариант кнопкой под сообщением выше.
common-page = стр. { $number } из { $count }
throttle-warning = Слишком много сообщений подряд. Подождите { $seconds } { $seconds ->
    [one] секунду
    [few] секунды
   *[many] секунд
} и повторите.
errors-something-went-wrong = Что-то пошло не так, и это действие не выполнено. Ваши ответы сохранены — попробуйте ещё раз или нажмите /start.
fallback-not-understood = Я не понял это сообщение. Список команд — /help, главное меню — /start.
language-choose = Выберите язык / Choose your language:
language-set = Язык: русский.
kind-resident = Житель
kind-tos_member = Участник ТОС
kind-tos_chair = Председатель ТОС
role-resident = житель
role-chair = председатель ТОС
role-expert = эксперт
role-organiser = организатор
role-admin = администратор
common-participants = { $count } { $count ->
    [one] участник
    [few] участника
   *[many] участников
}
language-name-ru = 🇷🇺 Русский
language-name-en = 🇬🇧 English
