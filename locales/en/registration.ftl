registration-consent = <b>Consent to the processing of personal data</b>
    (a separate document, version { $version })

    Operator: { $operator }, contacts: { $contacts }.
    Purpose: registration in the bot to take part in TOS activities, sign up for events, consult experts and receive messages about them.
    Data: full name; phone number; region and settlement; role in a TOS; Telegram id.
    Actions: collection, recording, systematisation, storage, correction, use, erasure; disclosure only to the organisers of events you sign up for.
    Term: until you withdraw consent. You can withdraw consent and erase your data at any time with /delete_me, and get a copy with /my_data.

    By pressing “I agree” you give your consent freely, of your own will and in your own interest (art. 9 of Federal Law No. 152-FZ).
registration-consent-agree = ✅ I agree
registration-consent-decline = I do not agree
registration-consent-given = ✅ Consent received.
registration-consent-declined = Without consent we cannot register you, and nothing about you was stored. If you change your mind, press /start.
registration-consent-use-buttons = To go on, press “I agree” under the consent text, or “Cancel”.
registration-ask-name = Step { $step } of { $total }. What is your name? Type your full name (for example: Anna Petrovna Ivanova).
registration-ask-phone = Step { $step } of { $total }. Your phone number: press “Share my number” below or type it (for example: +7 912 345-67-89).
registration-share-phone = 📱 Share my number
registration-phone-saved = Phone number saved.
registration-phone-not-own = We need your own number: press “Share my number” or type it.
registration-ask-region = Step { $step } of { $total }. Your region: pick it from the list or type its name the way you say it (for example: “Tatarstan”, “Samara”, “Petersburg”, “KhMAO”) or its number (“63”).
registration-region-not-found = No such region found. Type part of the name differently or pick from the list:
registration-region-matches = { $count ->
    [one] Found { $count } region
   *[other] Found { $count } regions
}. Pick yours:
registration-region-show-all = 📋 Full list
registration-region-unknown = This region is not on the list. Please pick the region again.
registration-region-chosen = Region: { $region }.
registration-ask-zone = Step { $step } of { $total }. “{ $region }” has several time zones. Choose yours: the bot will show times in it:
registration-zone-chosen = Time zone: { $zone }.
registration-ask-municipality = Step { $step } of { $total }. Your municipality or settlement (for example: “Kazan” or “Ivanovka village, Laishevo district”).
registration-ask-kind = Step { $step } of { $total }. Who are you?
registration-kind-chosen = You are: { $kind }.
registration-summary = <b>Check your details</b>

    { $fields }

    Is everything right?
registration-confirm-button = ✅ Confirm
registration-incomplete = Some details are missing — let us go back to that step.
registration-done = Done! You are registered: { $name }.
registration-chair-next = You are a TOS chair. What next?
    • Your TOS exists and its charter is registered: enter it into the registry. The organisers check the entry, and the TOS calendar opens to you.
    • There is no TOS yet: the bot walks you through founding one and prepares the documents.
registration-already = You are already registered. Your profile: /profile.
validation-name-empty = Please type your full name as text.
validation-name-too-short = Too short: at least 2 letters, please.
validation-name-too-long = Too long: at most 100 characters.
validation-name-letters = A name may hold only letters, spaces and hyphens. For example: Anna Petrovna Ivanova.
validation-phone-invalid = This does not look like a phone number. For example: +7 912 345-67-89 or 8 912 345-67-89.
validation-municipality-empty = Please type the name of your municipality or settlement.
validation-municipality-too-short = Too short: at least 2 characters, please.
validation-municipality-too-long = Too long: at most 100 characters.
validation-municipality-letters = The name needs letters, for example: “Kazan”.
validation-command-in-answer = A command does not fit here: type the answer as plain text, or press /cancel to leave.
