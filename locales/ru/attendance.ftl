# attendance texts

## The participant's code
attendance-not-participant = Вы не записаны на это мероприятие, поэтому кода отметки у вас нет.
attendance-code-online = Это онлайн-мероприятие: во время трансляции ведущий назовёт кодовое слово — отправьте его боту.
attendance-code-attended = Вы уже отмечены на этом мероприятии. Спасибо, что пришли!
attendance-code =
    Ваш код отметки на «{ $title }»: <b>{ $code }</b>

    Покажите этот QR-код или назовите код организатору на входе.

## The organiser's check-in desk
attendance-checkin-online = Это онлайн-мероприятие: участники отмечаются кодовым словом. Задайте его в карточке мероприятия.
attendance-checkin-intro =
    <b>Отметка участников: { $title }</b>

    Вводите коды участников по одному (регистр и пробелы не важны) или сканируйте их QR-коды камерой телефона.
    Отметка открыта с { $opens } до { $closes }.
    Уже отмечено: { $attended } из { $total }.

    Закончив, нажмите «Готово» или /cancel.
attendance-done-button = ✅ Готово
attendance-checked-in = ✅ { $name } — отмечен(а). Пришли: { $attended } из { $total }.
attendance-checked-in-already = ☑️ { $name } уже отмечен(а) в { $time }. Этот код использован.
attendance-code-wrong = ❌ Такого кода на этом мероприятии нет. Код — 6 знаков, он показан под QR-кодом участника. Проверьте и введите ещё раз.
attendance-checkin-closed = ⏰ Отметка закрыта: она открыта с двух часов до начала и до шести часов после окончания мероприятия.
attendance-code-not-confirmed = ⚠️ { $name }: запись не подтверждена ({ $status ->
    [waitlisted] в листе ожидания
    [pending] ждёт одобрения
    [rejected] отклонена
   *[other] отменена
}). Отметить нельзя.
attendance-checkin-finished = Отметка завершена. Пришли: { $attended } из { $total }.
attendance-show-to-organiser = Это код отметки участника. Покажите его организатору на входе — он отсканирует QR-код.

## The online code word
attendance-word-offline = Кодовое слово нужно только для онлайн- и смешанных мероприятий. На очных участников отмечают по их личным кодам.
attendance-word-ask =
    <b>Кодовое слово: { $title }</b>

    Напишите одно слово из 3–32 букв или цифр. Назовите его во время трансляции: участники отправят его боту с 15 минут до начала и до часа после окончания. Регистр не важен.
attendance-word-current = Сейчас задано: <b>{ $word }</b>. Новое слово заменит его.
attendance-word-empty = Напишите кодовое слово сообщением.
attendance-word-invalid = Нужно одно слово из 3–32 букв или цифр, без пробелов и знаков. Попробуйте ещё раз.
attendance-word-set = ✅ Кодовое слово для «{ $title }»: <b>{ $word }</b>. Назовите его во время мероприятия.
attendance-word-recorded = ✅ Участие в «{ $title }» отмечено. Спасибо!
attendance-word-already = Ваше участие в «{ $title }» уже отмечено.
attendance-word-closed = Кодовое слово «{ $title }» сейчас не принимается: его отправляют с 15 минут до начала и до часа после окончания мероприятия.

## Feedback
attendance-feedback-ask =
    Спасибо, что были на «{ $title }»! Оцените, пожалуйста, мероприятие от 1 до 5.
attendance-rating-button = { $rating } ⭐
attendance-feedback-rated =
    Ваша оценка «{ $title }»: { $rating } ⭐. Спасибо!
    Передумали — нажмите другую оценку.
attendance-comment-ask = Хотите что-нибудь добавить? Напишите отзыв одним сообщением или нажмите «Пропустить».
attendance-skip-button = Пропустить
attendance-comment-empty = Напишите отзыв текстом или нажмите «Пропустить».
attendance-comment-too-long = Отзыв длиннее { $max } знаков. Сократите его, пожалуйста.
attendance-comment-saved = Спасибо за отзыв! Организаторы его прочитают.
attendance-comment-skipped = Хорошо, без отзыва. Спасибо за оценку!

## The organiser's summary
attendance-summary =
    <b>Итоги: { $title }</b>

    Записались: { $signed_up }
    Пришли: { $attended } ({ $share }%)
attendance-summary-no-ratings = Оценок пока нет.
attendance-summary-average = Оценок: { $count }, средняя: { NUMBER($average, minimumFractionDigits: 1, maximumFractionDigits: 1) }
attendance-summary-rating-line = { $rating } ⭐ — { $count }
attendance-summary-comments = <b>Последние отзывы:</b>
