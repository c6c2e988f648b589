# Панель организатора (Telegram Mini App). Тексты страницы отдаются ей через /api/texts:
# переменные подставляет сама страница, поэтому здесь без форм множественного числа.

## В чате
dash-menu-button = Панель
dash-open-button = 📊 Панель организатора
dash-event-button = 📊 Открыть в панели

## Страница
dash-title = Панель организатора
dash-scope-all = Все регионы
dash-scope-regions = Регионы: { $regions }
dash-tab-overview = Обзор
dash-tab-events = Мероприятия
dash-tab-broadcasts = Рассылки
dash-empty = Пока нет данных.
dash-error = Не удалось загрузить данные. Попробуйте ещё раз.
dash-retry = Повторить
dash-stale = Сессия устарела. Закройте панель и откройте её снова из меню бота.
dash-forbidden = Панель доступна только организаторам и администраторам.
dash-outside-title = Откройте панель в Telegram
dash-outside = Эта страница работает внутри Telegram. Откройте чат с ботом и нажмите кнопку «Панель» слева от поля ввода (или «Панель организатора» в главном меню, /start). Кнопка есть у организаторов и администраторов.
dash-back = ← Назад

## Обзор
dash-kpi-people = зарегистрировано
dash-kpi-tos = ТОС в реестре
dash-kpi-events = предстоящих мероприятий
dash-kpi-questions = открытых вопросов
dash-people-chart = Регистрации: всего на конец дня
dash-range = от { $low } до { $high }
dash-people-total = всего зарегистрировано
dash-people-new = новых за день
dash-period = Период
dash-days-option = { $days } дн.
dash-by-region = Люди по регионам
dash-other-regions = Остальные регионы
dash-by-role = Люди по ролям
dash-tos = Реестр ТОС по статусам
dash-tos-unverified = ещё не проверены
dash-tos-verified = проверены
dash-tos-rejected = отклонены
dash-upcoming = Ближайшие мероприятия
dash-col-when = Когда
dash-col-event = Мероприятие
dash-col-seats = Места
dash-seats-of = { $taken } из { $capacity }
dash-seats-unlimited = { $taken }, без ограничения
dash-waiting-line = ожидают: { $waitlisted } · на одобрении: { $pending }
dash-questions = Открытые вопросы экспертам по темам
dash-questions-open = Открыто: { $open }, из них ждут эксперта: { $waiting }
dash-questions-new = ждут эксперта
dash-questions-taken = в работе у эксперта
dash-longest-wait = дольше всех { $wait }
dash-hours-value = { $hours } ч
dash-days-value = { $days } дн.
dash-broadcasts = Последние рассылки
dash-col-broadcast = Рассылка
dash-col-delivery = Доставка
dash-delivered-of = { $sent } из { $total } ({ $percent }%)
dash-blocked-failed = заблокировали: { $blocked } · ошибки: { $failed }

## Мероприятия
dash-events-all = Мероприятия (за 30 дней и предстоящие)
dash-kpi-signed = записаны
dash-kpi-seats = занято мест
dash-kpi-waitlisted = в листе ожидания
dash-kpi-pending = ждут одобрения
dash-kpi-attended = пришли
dash-kpi-rating = средняя оценка
dash-ratings = Оценки участников (всего { $count })
dash-participants = Участники
dash-search = Поиск по имени, телефону, ТОС…
dash-status-filter = Статус
dash-status-all = Все статусы
dash-shown = Показано { $shown } из { $total }
dash-download = Скачать { $format }
dash-send-to-chat = { $format } в чат
dash-sent-to-chat = Файл отправлен в чат с ботом.

## Рассылки
dash-broadcast-title = Рассылка №{ $id }
dash-kpi-audience = получателей
dash-kpi-delivered = доставлено
dash-kpi-blocked = заблокировали бота
dash-kpi-failed = ошибки
dash-pace = Скорость: { $rate } в секунду, осталось около { $minutes } мин.
dash-report = Отчёт по доставке
dash-delivery-pending = ждут отправки
dash-delivery-sending = отправляются
dash-delivery-sent = доставлено
dash-delivery-blocked = заблокировали бота
dash-delivery-failed = не удалось
dash-delivery-cancelled = отменены (остановка)
dash-delivery-expired = устарели
dash-delivery-paused = на паузе

## Журнал действий (только администраторам)
dash-tab-audit = Журнал
dash-audit = Журнал действий администраторов
dash-audit-counts = Записей: { $total } · заблокировано сейчас: { $banned }
dash-page = стр. { $page } из { $pages }
