menu-ask = ❓ Спросить эксперта
menu-my-questions = 🗂 Мои вопросы
menu-faq = 📚 Частые вопросы
menu-questions = 🧑‍🏫 Вопросы жителей (эксперт)
command-ask = Задать вопрос эксперту
command-my-questions = Мои вопросы и ответы
command-faq = Частые вопросы и поиск по ответам
command-questions = Вопросы жителей по моим темам
questions-register-first = Задавать вопросы экспертам могут зарегистрированные пользователи: нажмите /start и «Зарегистрироваться».
questions-refused-open-limit = У вас уже { $count } { $count ->
    [one] открытый вопрос
    [few] открытых вопроса
   *[many] открытых вопросов
} — это предел ({ $limit }). Дождитесь ответа или отзовите вопрос в /my_questions, и тогда задайте новый.
questions-refused-flood = За сутки вы задали { $count } { $count ->
    [one] вопрос
    [few] вопроса
   *[many] вопросов
} — больше нельзя. Следующий вопрос можно будет задать после { $until }.
questions-refused-topic = Эта тема больше не принимает вопросы. Начните заново: /ask.
questions-refused-not-registered = Задавать вопросы экспертам могут зарегистрированные пользователи: нажмите /start и «Зарегистрироваться».
questions-ask-text = <b>Вопрос эксперту</b>
    Опишите вопрос одним сообщением: от { $min } до { $max } символов. Фото и документы можно будет приложить на следующем шаге.
questions-text-too-short = Слишком коротко: { $length } из минимум { $min } символов. Опишите вопрос подробнее.
questions-text-too-long = Слишком длинно: { $length } символов, можно не больше { $max }. Сократите текст или перенесите подробности в документ.
questions-text-split = Похоже, это продолжение слишком длинного сообщения — его Telegram разрезал на части. Пришлите вопрос одним сообщением до { $max } символов.
questions-text-first = Сначала напишите вопрос текстом (или пришлите файл с подписью — подпись станет вопросом). Файлы можно приложить на следующем шаге.
questions-suggestions = Возможно, ответ уже есть — посмотрите похожие вопросы. Если не подходит, нажмите «Всё равно спросить».
questions-ask-anyway-button = ✍️ Всё равно спросить
questions-solved-button = ✅ Это отвечает на мой вопрос
questions-back-to-suggestions-button = ⬅️ К похожим вопросам
questions-solved = Рады, что ответ нашёлся! Если появятся новые вопросы — /ask.
questions-ask-topic = Выберите тему вопроса:
questions-ask-files = Приложите фото или документы, если нужно (до { $max }, по одному в сообщении), затем нажмите кнопку ниже.
questions-files-none-button = Продолжить без файлов ➡️
questions-files-done-button = Готово, файлов: { $count } ➡️
questions-file-added = Файл добавлен ({ $count } из { $max }). Пришлите ещё или нажмите «Готово».
questions-files-limit = Уже приложено { $max } файлов — это максимум. Нажмите «Готово».
questions-files-unsupported = Этот тип не подходит: можно приложить только фото и документы (PDF, DOCX, XLSX и другие файлы). Видео, голосовые и стикеры не принимаются.
questions-files-hint = Сейчас можно прислать фото или документ либо нажать «Готово» под сообщением.
questions-ask-contacts = Показать эксперту ваше имя и телефон? Если нет, вопрос уйдёт анонимно.
questions-contacts-yes-button = 👤 Показать имя и телефон эксперту
questions-contacts-no-button = 🕶 Спросить анонимно
questions-ask-publish = Можно ли после ответа опубликовать вопрос и ответ в разделе частых вопросов — без вашего имени и контактов?
questions-publish-yes-button = ✅ Да, можно опубликовать
questions-publish-no-button = 🔒 Нет, только для меня
questions-summary = <b>Проверьте вопрос</b>
    Тема: { $topic }
    Файлов: { $files }
    { $contacts }
    { $publish }

    { $text }
questions-summary-named = Эксперт, взявший вопрос, увидит ваше имя и телефон.
questions-summary-anonymous = Вопрос анонимный: имя и телефон эксперту не показываются.
questions-summary-publish = После ответа можно опубликовать в частых вопросах (без имени).
questions-summary-private = Публиковать нельзя.
questions-send-button = 📨 Отправить
questions-sent = Вопрос №{ $number } отправлен экспертам. Ответ придёт сюда, в этот чат; состояние вопроса — в /my_questions.
questions-mine = <b>Мои вопросы</b> ({ $count }), стр. { $page } из { $pages }
    { $lines }
questions-mine-line = №{ $number } · { $topic } · { $status } · { $date }
questions-mine-empty = Вы ещё не задавали вопросов. Задать вопрос эксперту — /ask.
questions-status-new = 🆕 ждёт эксперта
questions-status-taken = ⏳ эксперт работает
questions-status-answered = ✅ есть ответ
questions-status-closed = 📁 закрыт
questions-card = <b>Вопрос №{ $number }</b> · { $topic }
    { $status } · задан { $date } · файлов: { $files }

    { $text }
questions-card-answer = 💬 <b>Ответ эксперта</b> ({ $date }, файлов: { $files }):
    { $text }
questions-card-follow-up = ❓ <b>Уточняющий вопрос</b> ({ $date }):
    { $text }
questions-card-rated-helpful = Ваша оценка: 👍 помог.
questions-card-rated-not_helpful = Ваша оценка: 👎 не помог.
questions-helpful-button = 👍 Ответ помог
questions-not-helpful-button = 👎 Не помог
questions-follow-up-button = ❓ Уточнить (один раз)
questions-withdraw-button = 🗑 Отозвать вопрос
questions-full-button = 📄 Полный текст и файлы
questions-back-to-mine-button = ⬅️ К моим вопросам
questions-full-question = <b>Вопрос №{ $number }</b>
    { $text }
questions-full-answer = 💬 <b>Ответ эксперта</b>
    { $text }
questions-full-follow-up = ❓ <b>Уточняющий вопрос</b>
    { $text }
questions-withdraw-confirm = Отозвать вопрос №{ $number }? Эксперты больше не будут над ним работать. Это нельзя отменить.
questions-withdraw-yes = Да, отозвать
questions-withdraw-no = Нет
questions-withdrawn = Вопрос №{ $number } отозван.
questions-withdraw-gone = Этот вопрос уже нельзя отозвать: на него ответили или он закрыт.
questions-rate-gone = Оценка уже поставлена или вопрос закрыт.
questions-rated-thanks-helpful = Спасибо за оценку! Вопрос №{ $number } закрыт.
questions-rated-thanks-not_helpful = Спасибо, что сказали. Вопрос №{ $number } закрыт; вы можете задать новый вопрос — /ask.
questions-follow-up-ask = Напишите уточняющий вопрос к вопросу №{ $number } ({ $min }–{ $max } символов). Уточнить можно один раз.
questions-follow-up-confirm = Отправить эксперту уточнение?

    { $text }
questions-follow-up-sent = Уточнение к вопросу №{ $number } отправлено эксперту. Ответ придёт сюда.
questions-follow-up-gone = Уточнить уже нельзя: уточнение было или ответ оценён.
questions-answer = 💬 <b>Ответ эксперта на ваш вопрос №{ $number }</b> ({ $topic }):

    { $reply }

    { $reply_files ->
        [0] Ответ помог? Можно один раз уточнить.
       *[other] 📎 Файлы ответа — в следующих сообщениях. Ответ помог? Можно один раз уточнить.
    }
questions-addition = 💬 <b>Дополнение эксперта к ответу на вопрос №{ $number }</b>:

    { $reply }
questions-rated-helpful = 👍 Ваш ответ на вопрос №{ $number } отмечен как полезный. Спасибо!
questions-rated-not_helpful = 👎 Ваш ответ на вопрос №{ $number } отмечен как не помогший.
questions-expert-new = 🆕 <b>Новый вопрос №{ $number }</b> · { $topic }
    Файлов: { $files } (покажу, когда возьмёте)

    { $text }
questions-expert-follow-up = ❓ <b>Уточнение к вопросу №{ $number }</b> · { $topic }

    { $reply }
questions-expert-withdrawn = Вопрос №{ $number } отозван автором — отвечать не нужно.
questions-nudge-experts = ⏰ Вопрос №{ $number } ({ $topic }) ждёт ответа уже { $hours } ч.
questions-nudge-admins = ⏰ Вопрос №{ $number } ({ $topic }) без ответа уже { $hours } ч. Проверьте, есть ли эксперты по этой теме (/admin → «Темы экспертов»).
questions-take-button = ✋ Взять
questions-skip-button = Пропустить
questions-open-button = Открыть вопрос
questions-taken = Вопрос №{ $number } ваш. Ответьте кнопкой «Ответить» или верните его в очередь.
questions-already-yours = Этот вопрос уже у вас.
questions-taken-by-other = Этот вопрос уже взял другой эксперт.
questions-closed = На этот вопрос уже ответили, или он закрыт.
questions-skipped = Пропущено. Вопрос остаётся в очереди /questions.
questions-not-held = Этот вопрос сейчас не у вас: его вернули в очередь, отозвали или на него уже ответили.
questions-released = Вопрос №{ $number } возвращён в очередь.
questions-expert-no-topics = Вам ещё не назначены темы вопросов. Попросите администратора отметить их в /admin → «Темы экспертов».
questions-all-topics = все темы
questions-queue = <b>Вопросы жителей</b>
    Темы: { $topics }
    У вас в работе: { $held } · ждут эксперта: { $waiting } (сначала самые старые), стр. { $page } из { $pages }
questions-waited-hours = { $hours } ч
questions-waited-days = { $days } дн.
questions-expert-card = <b>Вопрос №{ $number }</b> · { $topic }
    { $status } · задан { $date } · файлов: { $files }
    { $who }

    { $text }
questions-card-asker = Автор: { $name }, { $phone }
questions-card-asker-after-take = Автор разрешил показать имя и телефон эксперту, который возьмёт вопрос.
questions-card-anonymous = Вопрос анонимный.
questions-answer-button = ✍️ Ответить
questions-release-button = ↩️ Вернуть в очередь
questions-files-button = 📎 Файлы
questions-back-to-queue-button = ⬅️ К очереди
questions-answer-ask = Напишите ответ на вопрос №{ $number } (до { $max } символов). Файлы можно будет приложить на следующем шаге.
questions-answer-too-short = Ответ слишком короткий.
questions-answer-too-long = Ответ слишком длинный: { $length } символов, можно не больше { $max }.
questions-answer-text-first = Сначала напишите ответ текстом (или пришлите файл с подписью).
questions-answer-files = Приложите фото или документы к ответу (до { $max }) или сразу переходите к проверке.
questions-answer-files-hint = Пришлите фото или документ либо нажмите кнопку проверки под сообщением.
questions-answer-preview-button = Проверить ответ (файлов: { $count }) ➡️
questions-answer-preview = <b>Ваш ответ на вопрос №{ $number }</b> (файлов: { $files }):

    { $text }
questions-faq-toggle = Хороший ответ для частых вопросов
questions-name-toggle = Указать моё имя в частых вопросах
questions-faq-not-allowed = Автор не разрешил публиковать этот вопрос в частых вопросах.
questions-answer-send-button = 📨 Отправить ответ
questions-answer-sent = Ответ на вопрос №{ $number } отправлен автору.
questions-answer-sent-faq = Ответ на вопрос №{ $number } отправлен автору. Черновик для частых вопросов создан: проверьте, что в нём нет личных данных, и опубликуйте.
questions-forum-post = 🆕 <b>Вопрос №{ $number }</b> · { $topic }
    Файлов: { $files }

    { $text }

    Ответьте в этой теме — первый ответивший эксперт берёт вопрос, бот передаст ответ автору.
questions-forum-follow-up = ❓ <b>Уточнение автора к вопросу №{ $number }</b>:

    { $text }
questions-forum-answered = ✅ На вопрос №{ $number } ответили в личном чате с ботом.
questions-group-not-expert = Отвечать на этот вопрос могут только эксперты его темы. Сообщение автору не передано.
questions-group-taken-by-other = Этот вопрос уже взял другой эксперт — сообщение автору не передано.
questions-group-closed = Этот вопрос закрыт — сообщение автору не передано.
questions-group-unsupported = Передать можно текст, фото или документ.
questions-group-relayed = ✅ Ответ передан автору вопроса №{ $number }.
questions-group-relayed-addition = ✅ Дополнение передано автору вопроса №{ $number }.
faq-topics = <b>Частые вопросы</b> ({ $count }). Выберите тему или напишите слова для поиска.
faq-empty = В частых вопросах пока пусто. Задайте свой вопрос эксперту — /ask.
faq-topic = <b>{ $topic }</b>: { $count } · стр. { $page } из { $pages }
faq-topic-empty = <b>{ $topic }</b>: пока нет ответов.
faq-back-to-topics-button = ⬅️ К темам
faq-back-button = ⬅️ Назад
faq-results = Найдено по запросу «{ $query }»: { $count }.
faq-search-again-button = 🔍 Искать ещё
faq-search-prompt = Напишите слова для поиска по частым вопросам.
faq-no-results = По запросу «{ $query }» ничего не нашлось. Попробуйте другие слова или задайте вопрос эксперту — /ask.
faq-entry = <b>Вопрос</b> · { $topic } · { $date }
    { $question }

    <b>Ответ</b>
    { $answer }
faq-entry-expert = Эксперт: { $name }
faq-entry-gone = Эта запись больше не опубликована.
faq-edit-button = ✏️ Править
faq-edit-publish-button = ✏️ Править и опубликовать
faq-unpublish-button = 🚫 Снять с публикации
faq-unpublish-confirm = Снять с публикации «{ $title }»? Запись пропадёт из частых вопросов и поиска; вернуть её можно в /admin → «Черновики частых вопросов».
faq-unpublish-yes = Да, снять
faq-unpublish-no = Нет
faq-unpublished = Запись снята с публикации.
faq-editor = <b>Редактор записи</b> · { $status }
    Проверьте, что в тексте нет имён, телефонов и адресов.
faq-status-draft = черновик
faq-status-published = опубликована
faq-status-unpublished = снята с публикации
faq-edit-question-button = ✏️ Вопрос
faq-edit-answer-button = ✏️ Ответ
faq-publish-button = ✅ Опубликовать
faq-published = Опубликовано: запись видна в /faq и находится поиском.
faq-already-published = Запись уже опубликована.
faq-drafts-button = 📝 Черновики частых вопросов
faq-drafts = <b>Черновики</b>: { $drafts } · <b>сняты с публикации</b>: { $unpublished } (показаны последние { $shown }).
faq-ask-question = Пришлите новый текст вопроса ({ $min }–{ $max } символов), без имён и контактов. Сейчас:

    { $current }
faq-ask-answer = Пришлите новый текст ответа ({ $min }–{ $max } символов). Сейчас:

    { $current }
faq-text-too-short = Слишком коротко: { $length } из минимум { $min } символов.
faq-text-too-long = Слишком длинно: { $length } символов, можно не больше { $max }.
faq-saved = Сохранено.
qadmin-topics-button = 🗂 Темы вопросов
qadmin-experts-button = 🧑‍🏫 Темы экспертов
qadmin-topics = <b>Темы вопросов</b> (🙈 — скрытые: новые вопросы по ним не принимаются).
qadmin-add-topic-button = ➕ Добавить тему
qadmin-topic = <b>{ $ru }</b> / { $en }
    { $state } · экспертов: { $experts }
qadmin-topic-hidden = 🙈 скрыта
qadmin-topic-shown = открыта для вопросов
qadmin-rename-button = ✏️ Переименовать
qadmin-hide-button = 🙈 Скрыть
qadmin-show-button = 👁 Открыть
qadmin-back-to-topics-button = ⬅️ К темам
qadmin-ask-name-ru = Название темы по-русски (2–40 символов):
qadmin-ask-name-en = Название темы по-английски (2–40 символов):
qadmin-topic-name-invalid = Название должно быть от 2 до { $max } символов.
qadmin-topic-saved = Тема сохранена.
qadmin-experts = <b>Эксперты</b> ({ $count }), стр. { $page } из { $pages }. Число после имени — сколько тем у эксперта.
qadmin-no-experts = Экспертов пока нет. Выдайте роль ссылкой-приглашением: /admin → «Ссылка-приглашение».
qadmin-expert = <b>{ $name }</b>: тем { $count }. Отметьте темы, на вопросы по которым эксперт отвечает.
qadmin-expert-topics-button = 🗂 Темы эксперта ({ $count })
faq-suggested = Похоже на вопрос. Возможно, ответ уже есть в базе знаний ({ $count }):
faq-suggest-ask = Похоже на вопрос, но готового ответа в базе знаний нет. Задайте его эксперту — юристу, бухгалтеру, специалисту по грантам — или поищите в базе знаний сами.
