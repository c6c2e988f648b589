# attendance texts

## The participant's code
attendance-not-participant = You are not signed up for this event, so you have no check-in code.
attendance-code-online = This is an online event: during the broadcast the host will announce a code word. Send it to the bot.
attendance-code-attended = You are already checked in at this event. Thank you for coming!
attendance-code =
    Your check-in code for “{ $title }”: <b>{ $code }</b>

    Show this QR code or tell the code to the organiser at the entrance.

## The organiser's check-in desk
attendance-checkin-online = This is an online event: participants check in with a code word. Set it on the event's card.
attendance-checkin-intro =
    <b>Check-in: { $title }</b>

    Type the participants' codes one by one (case and spaces do not matter) or scan their QR codes with your phone's camera.
    Check-in is open from { $opens } to { $closes }.
    Checked in so far: { $attended } of { $total }.

    When finished, press “Done” or /cancel.
attendance-done-button = ✅ Done
attendance-checked-in = ✅ { $name } checked in. Present: { $attended } of { $total }.
attendance-checked-in-already = ☑️ { $name } was already checked in at { $time }. This code has been used.
attendance-code-wrong = ❌ There is no such code for this event. A code has 6 characters and is shown under the participant's QR code. Check it and type it again.
attendance-checkin-closed = ⏰ Check-in is closed: it is open from two hours before the start until six hours after the end of the event.
attendance-code-not-confirmed = ⚠️ { $name }: the sign-up is not confirmed ({ $status ->
    [waitlisted] on the waiting list
    [pending] awaiting approval
    [rejected] rejected
   *[other] cancelled
}). Cannot check in.
attendance-checkin-finished = Check-in finished. Present: { $attended } of { $total }.
attendance-show-to-organiser = This is a participant's check-in code. Show it to the organiser at the entrance: they will scan the QR code.

## The online code word
attendance-word-offline = A code word is only for online and hybrid events. At in-person events participants are checked in by their personal codes.
attendance-word-ask =
    <b>Code word: { $title }</b>

    Type one word of 3–32 letters or digits. Announce it during the broadcast: participants send it to the bot from 15 minutes before the start until an hour after the end. Case does not matter.
attendance-word-current = Currently set: <b>{ $word }</b>. A new word replaces it.
attendance-word-empty = Type the code word as a message.
attendance-word-invalid = It must be one word of 3–32 letters or digits, with no spaces or punctuation. Please try again.
attendance-word-set = ✅ The code word for “{ $title }”: <b>{ $word }</b>. Announce it during the event.
attendance-word-recorded = ✅ Your attendance at “{ $title }” is recorded. Thank you!
attendance-word-already = Your attendance at “{ $title }” is already recorded.
attendance-word-closed = The code word for “{ $title }” is not accepted now: send it from 15 minutes before the start until an hour after the end of the event.

## Feedback
attendance-feedback-ask =
    Thank you for coming to “{ $title }”! Please rate the event from 1 to 5.
attendance-rating-button = { $rating } ⭐
attendance-feedback-rated =
    Your rating of “{ $title }”: { $rating } ⭐. Thank you!
    Changed your mind? Press another rating.
attendance-comment-ask = Anything to add? Write a comment in one message or press “Skip”.
attendance-skip-button = Skip
attendance-comment-empty = Write your comment as text or press “Skip”.
attendance-comment-too-long = The comment is longer than { $max } characters. Please shorten it.
attendance-comment-saved = Thank you for your comment! The organisers will read it.
attendance-comment-skipped = All right, no comment. Thank you for the rating!

## The organiser's summary
attendance-summary =
    <b>Summary: { $title }</b>

    Signed up: { $signed_up }
    Present: { $attended } ({ $share }%)
attendance-summary-no-ratings = No ratings yet.
attendance-summary-average = Ratings: { $count }, average: { NUMBER($average, minimumFractionDigits: 1, maximumFractionDigits: 1) }
attendance-summary-rating-line = { $rating } ⭐ — { $count }
attendance-summary-comments = <b>Latest comments:</b>
