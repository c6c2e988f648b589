common-back-button = ⬅️ Back
common-cancel-button = ✖️ Cancel
common-cancelled = Cancelled. Press /start to begin again, /help lists what the bot can do.
common-nothing-to-cancel = Nothing to cancel: you are not filling in a form right now. See /help.
common-button-outdated = This button no longer works. Press /start to go on.
common-nav-other-dialog = This button belongs to a form that is closed. Another form is open now and goes on; /cancel cancels it.
common-dialog-parked = The form is put aside with your answers kept. /start continues it.
common-not-allowed = You are not allowed to do this.
common-expected-text = A text answer is needed here. Type it as a message or press “Cancel”.
common-use-buttons = Please choose an option with the buttons under the message above.
common-page = page { $number } of { $count }
throttle-warning = Too many messages in a row. Please wait { $seconds } { $seconds ->
    [one] second
   *[other] seconds
} and try again.
errors-something-went-wrong = Something went wrong and this action was not done. Your answers are kept — try again or press /start.
fallback-not-understood = I did not understand this message. Commands: /help, main menu: /start.
language-choose = Выберите язык / Choose your language:
language-set = Language: English.
kind-resident = Resident
kind-tos_member = TOS member
kind-tos_chair = TOS chair
role-resident = resident
role-chair = TOS chair
role-expert = expert
role-organiser = organiser
role-admin = administrator
common-participants = { $count } { $count ->
    [one] participant
   *[other] participants
}
language-name-ru = 🇷🇺 Русский
language-name-en = 🇬🇧 English
