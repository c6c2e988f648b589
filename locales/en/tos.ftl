# Texts for the law profiles' values (bot/data/law/*.json) and the TOS wizard.
tos-territory-stairwell = a stairwell of a block of flats
tos-territory-building = a block of flats
tos-territory-building_group = a group of residential buildings
tos-territory-microdistrict = a residential micro-district
tos-territory-rural_locality = a rural locality that is not a settlement
tos-territory-other = another territory where people live
tos-power-bodies_structure = setting the structure of the TOS bodies
tos-power-charter = adopting the TOS charter and amending it
tos-power-elect_bodies = electing the TOS bodies
tos-power-directions = setting the main directions of the TOS's activity
tos-power-budget = approving the TOS budget estimate and the report on it
tos-power-reports = considering and approving the reports of the TOS bodies
tos-power-initiative_projects = discussing an initiative project and deciding whether to approve it
tos-charter-territory = the territory of the TOS
tos-charter-goals = goals, tasks, forms and main directions of activity
tos-charter-bodies = how the bodies are formed and their powers end, their rights, duties and term of office
tos-charter-decisions = how decisions are taken
tos-charter-property = how property is acquired, used and disposed of, and how funds are used
tos-charter-termination = how the TOS ends its activity
tos-body-authorized_body = the authorised local self-government body
tos-body-representative_body = the municipality's representative body
tos-establishment-charter_registered = a TOS is established from the moment its charter is registered by the local self-government body
tos-legal-entity-nko_registration = a TOS may become a legal entity by registering as a non-commercial organisation
tos-assembly-meeting = a meeting of residents
tos-assembly-conference = a conference of residents (a meeting of delegates)
tos-to-confirm = ⚠️ check this against your municipality's act
tos-municipal-act-decides = Details (the registration procedure, its terms, the initiative group) are set by your municipality's act on TOS.
tos-residents-not-positive = A whole positive number of residents is needed, for example 120.
tos-residents-absurd = Too large: a TOS never has more than 1,000,000 residents. Please check the number.
tos-delegate-norm-not-positive = The representation norm is a whole positive number of residents per delegate.
tos-source = (source: { $source })
tos-progress = <b>Creating a TOS · step { $step } of { $total }</b>
tos-intro = <b>What a TOS is</b>
    Territorial public self-government means residents of a stairwell, a building, a street or a village who settle local matters themselves: improvements, leisure, safety, helping neighbours. A TOS can win grants and subsidies, and one registered as a legal entity can open a bank account.

    <b>Stages</b>: an initiative group → the territory's boundaries (a decision of the representative body) → a founding meeting or conference → the charter registered by the authorised local self-government body. The bot guides you step by step, computes the quorum and prepares the documents. Answers are saved at once: you can stop and come back with /create_tos.
tos-begin-button = ▶️ Begin
tos-ask-territory = Where will the TOS be? Choose the type of territory { $source }.
tos-ask-boundaries = Describe the boundaries: streets and house numbers (for example: “Lenina St, 1–15; Mira St, 2–10”). Up to 2,000 characters.
tos-ask-residents = How many residents of the territory are aged { $age } and over? Type a number; an estimate is fine for now { $source }.
tos-quorum = <b>Quorum for { $residents } residents</b>
    • A meeting is valid when at least <b>{ $meeting }</b> residents take part (one third) { $meeting_source }.
    • A conference is valid when at least two thirds of the elected delegates take part, representing at least a third of the residents { $conference_source }.

    Tip: above { $threshold } residents a conference is easier. We advise: <b>{ $advised }</b>. Which will you hold?
tos-ask-delegate-norm = How many residents does one conference delegate represent? For example 10: then for { $residents } residents about a tenth as many delegates are elected. Type a number.
tos-ask-group = The initiative group: type the full names of its members, one per line (at least { $minimum }) { $source }.
tos-ask-group-chair = Who leads the initiative group? Choose.
tos-ask-name = What will the TOS be called? For example: “Zarechye” or “Sadovaya Street”.
tos-ask-directions = Main directions of activity: tick those you need and press “Done”.
tos-direction-improvement = improvements
tos-direction-greening = greening
tos-direction-sports = sports and health
tos-direction-culture = culture and leisure
tos-direction-children = children and youth
tos-direction-elderly = help for the elderly
tos-direction-safety = safety and order
tos-direction-ecology = ecology and cleanliness
tos-direction-housing = housing matters
tos-direction-local_history = local history
tos-done-button = ✅ Done
tos-ask-goals = If you like, describe the goals in your own words (up to 1,000 characters) or press “Skip”.
tos-skip-button = Skip
tos-ask-meeting-time = When is { $assembly }? Type the date and time as 25.12.2026 18:30 (your region's time, { $zone }).
tos-ask-meeting-place = Where will the founding meeting take place? For example: “School No. 5, assembly hall, 10 Lenina St”.
tos-ask-council = How many people will the TOS council have? Type a number from 3 to 25.
tos-ask-term = For how many years is the council elected? Type a number from 1 to 5.
tos-review = <b>Check the details</b>
    TOS “{ $name }”
    Territory: { $territory }; boundaries: { $boundaries }
    Residents: { $residents }; { $assembly }, quorum: { $quorum }
    Initiative group: { $group }; leader: { $chair }
    Directions: { $directions }
    Meeting: { $meeting }, { $place }
    Council: { $council } people, term { $term } years

    { $note }
tos-review-conference-quorum = { $share } of the elected delegates (if all { $delegates } are elected, at least { $needed })
tos-generate-button = 📄 Prepare the documents
tos-start-over-button = 🔄 Start over
tos-start-over-confirm = Start over? All answers of this project will be deleted.
tos-start-over-yes = Yes, start over
tos-start-over-no = No, go on
tos-resume-prompt = You have a saved TOS project (step { $step } of { $total }). Go on?
tos-resume-button = ▶️ Go on
tos-register-first = To create a TOS, please register first: press /start.
tos-generated = Done: { $count } documents above — the notice, the registration sheet, the protocol, the charter, the application for registration, the proposal on the boundaries and the list of next steps. The documents are in Russian: they are submitted to Russian local authorities.
tos-generated-minutes = For a conference there are also the minutes of a residents' meeting electing delegates (file 08): fill in a copy for each meeting — a building, a stairwell or a street. From them the bot will later ask how many delegates were elected.
tos-body-unnamed = ℹ️ The application names the registration body as the law does: “{ $body }”. Ask the administration for its exact name and write it into the application.
tos-boundaries-empty = Please describe the boundaries as text.
tos-boundaries-too-short = Too short: give the streets and house numbers.
tos-boundaries-too-long = Too long: at most 2,000 characters.
tos-residents-not-number = Type the number of residents in digits, for example 120.
tos-residents-out-of-range = The number of residents is from 1 to 1,000,000.
tos-norm-not-number = Type a number in digits, for example 10.
tos-norm-out-of-range = The norm is from 1 to 10,000 residents per delegate.
tos-group-too-small = The initiative group needs at least { $minimum } people — one full name per line.
tos-group-too-large = Too many: at most 30 people.
tos-name-empty = Please type the name as text.
tos-name-too-short = Too short: at least 2 characters.
tos-name-too-long = Too long: at most 100 characters.
tos-goals-empty = Describe the goals as text or press “Skip”.
tos-goals-too-short = Too short: at least 3 characters.
tos-goals-too-long = Too long: at most 1,000 characters.
tos-date-format = I could not read the date. Type it like this: 25.12.2026 18:30.
tos-date-past = This date has passed. Give a future date and time.
tos-place-empty = Please type the place.
tos-place-too-short = Too short: give the address.
tos-place-too-long = Too long: at most 300 characters.
tos-council-not-number = Type a number in digits, for example 5.
tos-council-out-of-range = A council has 3 to 25 people.
tos-term-not-number = Type the number of years in digits, for example 2.
tos-term-out-of-range = The term is 1 to 5 years.
tos-documents-again-button = 📄 Details and documents
tos-tracker = <b>TOS “{ $name }”: stages of creation</b>
    { $stages }

    { $note }
tos-tracker-next = Mark the stages as you pass them — the button below.
tos-tracker-done = All stages are passed. Congratulations!
tos-stage-boundaries = The territory's boundaries are set
tos-stage-meeting = The founding meeting (conference) was held with a quorum
tos-stage-submitted = The charter is submitted for registration
tos-stage-registered = The charter is registered
tos-stage-boundaries-button = ✅ Boundaries set
tos-stage-meeting-button = ✅ Meeting held
tos-stage-submitted-button = ✅ Charter submitted
tos-stage-registered-button = ✅ Charter registered
tos-ask-participants = How many residents took part in the meeting? Type the number from the registration sheet.
tos-ask-delegates-elected = How many delegates did the residents' meetings elect? Type the total from the minutes of the delegates' election.
tos-ask-delegates-present = How many of the { $elected } elected delegates took part in the conference? Type the number from the registration sheet.
tos-ask-represented = How many residents do the delegates who took part represent together? Type the number.
tos-meeting-held = { $present } people took part in the meeting; the quorum is at least { $needed }.
tos-conference-held = { $present } of the { $elected } elected delegates took part in the conference (at least { $needed } of the { $elected } needed), representing { $represented } residents (at least { $represented_needed } needed).
tos-elected-none = At least one delegate must have been elected. Type the number from the residents' meetings' minutes.
tos-present-above-elected = No more delegates can take part than were elected ({ $elected }). Check the number on the registration sheet.
tos-quorum-met = ✅ There was a quorum: the decisions are valid.
tos-quorum-not-met = ⚠️ There was no quorum: the decisions are not valid, and the administration will refuse to register the charter. Hold the meeting (conference) again and mark the stage again.
tos-ask-registered-on = When was the charter registered? Type the date as 15.03.2027.
tos-ask-registration-number = The charter's registration number (from the decision or the certificate)?
tos-registered = 🎉 TOS “{ $name }” is in the registry. You are its chair. The organisers of your region will check the entry.
tos-duplicate = TOS “{ $name }” of your settlement is already in the registry. If it is yours, contact the organisers of your region.
tos-count-not-number = Type a number in digits, for example 45.
tos-count-out-of-range = The number is from 0 to 1,000,000.
tos-reg-date-format = I could not read the date. Type it like this: 15.03.2027.
tos-reg-date-future = This date has not come yet. Give the date the charter was registered.
tos-reg-number-empty = Please type the number as text.
tos-reg-number-too-short = Please type the number as text.
tos-reg-number-too-long = Too long: at most 50 characters.
tos-find-list = TOS of “{ $region }”: { $count }. Choose one, or type part of its name, its settlement or an address to narrow the list. Send a location (📎 → “Location”) to see the nearest.
tos-find-none = No such TOS found in “{ $region }”. Type it differently or create your own: /create_tos.
tos-card = <b>TOS “{ $name }”</b> ({ $verified })
    { $municipality }; { $territory }
    Boundaries: { $boundaries }
    Members: { $members }
    { $mine }
tos-verified = verified by the organisers
tos-unverified = not verified yet
tos-membership-pending = Your request waits for the chair's decision.
tos-membership-approved = You are a member of this TOS.
tos-membership-rejected = The chair declined your request; you may ask again.
tos-join-button = 🙋 Join
tos-join-already = The request is already sent (or you are a member).
tos-join-sent = Your request to join TOS “{ $name }” went to its chair. The answer will come here.
tos-join-request = { $person } ({ $municipality }) asks to join TOS “{ $name }”.
tos-join-approve = ✅ Accept
tos-join-reject = Decline
tos-join-approved = ✅ Accepted.
tos-join-rejected = Declined.
tos-join-decided-already = This request has been decided already.
tos-join-welcome = The chair accepted you into TOS “{ $name }”. Welcome!
tos-join-declined = The chair of TOS “{ $name }” declined the request. You may ask again or talk to the chair in person.
tos-rt-ask-name = Adding a TOS to the registry. What is the TOS called (as in its charter)?
tos-rt-ask-municipality = In which municipality or settlement does it work?
tos-rt-ask-territory = The type of the TOS's territory?
tos-rt-ask-boundaries = Describe the TOS's boundaries (streets and buildings), up to 2,000 characters.
tos-rt-ask-registered_on = The date the charter was registered (for example, 15.03.2024)?
tos-rt-ask-number = The charter's registration number?
tos-rt-ask-legal = Is the TOS registered as a non-commercial organisation (a legal entity)?
tos-rt-ask-ogrn = The organisation's OGRN (13 digits)?
tos-rt-ask-confirm = Check the details.
tos-rt-legal-yes = Yes, it is a legal entity
tos-rt-legal-no = No
tos-rt-confirm-button = ✅ Send for verification
tos-rt-summary = <b>TOS “{ $name }”</b>
    { $municipality }; { $territory }
    Boundaries: { $boundaries }
    Charter registered { $registered }, No. { $number }; OGRN: { $ogrn }
    Place on the map: { $location }

    The entry appears in the registry once the organisers of your region verify it; then you become the TOS's chair in the bot.
tos-rt-submitted = TOS “{ $name }” was sent to the region's organisers for verification. The result will come here.
tos-ogrn-invalid = This is not an OGRN: it has 13 digits with a valid check digit. Check the number against the register extract.
tos-verify-request = <b>A TOS registry entry to verify</b>
    TOS “{ $name }”, { $region }, { $municipality }
    Charter registered { $registered }, No. { $number }; OGRN: { $ogrn }
tos-verify-button = ✅ Verify
tos-verify-reject-button = Reject
tos-verify-settled-already = This entry has been checked already.
tos-verified-note = ✅ Verified.
tos-rejected-note = Rejected.
tos-verified-chair = ✅ The organisers verified TOS “{ $name }”. You are its chair in the bot.
tos-rejected-chair = The organisers did not verify the entry for TOS “{ $name }”. Please check the details with your region's organisers.
tos-registry = The TOS registry of your regions: { $total }, verified: { $verified }. Export:
tos-registry-columns = Name|Region|Settlement|Territory type|Boundaries|Charter registered|Number|OGRN|Status
tos-registry-caption = TOS registry: { $total }.
tos-registry-rejected = rejected
tos-nudge-wizard = 📋 You started creating a TOS but did not finish: a few questions are left, and then the bot prepares all the documents. You can carry on where you stopped.
tos-nudge-stage = 📋 How is the TOS coming along? The next step: "{ $stage }". When it is done, mark it, and the bot will say what comes next.
tos-nudge-button = Carry on creating the TOS
tos-calendar = <b>The calendar of the TOS "{ $name }"</b>
    { $lines }

    The bot reminds you a week and a day before each date. A date that has passed moves to next year by itself.
tos-calendar-line = { $item }: { $date }
tos-calendar-unset = not set
tos-calendar-meeting = Annual meeting (conference) with the report of the TOS bodies
tos-calendar-budget = Approval of the budget estimate
tos-calendar-report = Report on the budget estimate
tos-calendar-set-button = 🗓 { $item }
tos-calendar-clear-button = Remove
tos-calendar-ask = { $item }: when? Type the date, e.g. <code>15.03.2027</code>.
tos-calendar-date-format = I can't read this date. Type it like <code>15.03.2027</code>.
tos-calendar-date-range = A date in the future is needed, at most two years ahead.
tos-calendar-saved = Saved: { $item } — { $date }. I will remind you a week and a day before.
tos-calendar-not-chair = The calendar is kept by the chair of a TOS in the registry. If you are a chair, enter your TOS into the registry or found a new one:
tos-calendar-reminder = 🗓 { $days ->
        [1] Tomorrow
       *[other] In { $days } days
    }, { $date }: { $item }.
command-tos-calendar = The TOS calendar: meeting, budget, report
tos-law-for-date = ℹ️ The meeting is set for { $date }. On that day founding a TOS is governed by: { $act }. The numbers and the documents follow it.
tos-law-unverified = ⚠️ The text of the law does not confirm these values: check them against your municipality's act (the documents carry no such marks):
    { $lines }
tos-law-unverified-line = • { $rule }: { $value }
tos-rule-min_age = participants' age, years
tos-rule-meeting_quorum = meeting quorum, share of residents
tos-rule-conference_delegates_quorum = conference quorum, share of elected delegates
tos-rule-conference_represented_share = delegates represent at least, share of residents
tos-rule-initiative_group_min = initiative group, at least people
tos-rule-conference_advised_above = a conference is easier above this many residents
tos-rule-registration_term_days = charter registration term, days
tos-rt-ask-location = Where is the TOS? Send a point on the map: 📎 → “Location” (you can pick any place, such as the middle of the TOS's territory). Residents will find the nearest TOS by it. You may skip this.
tos-rt-skip-location-button = Skip
tos-rt-location-hint = A location is needed here: 📎 → “Location”. If you would rather not give it, press “Skip”.
tos-rt-location-saved = 📍 The TOS's place is saved.
tos-rt-location-set = given
tos-rt-location-unset = not given
tos-near-list = The TOS of “{ $region }” nearest to your point (as the crow flies): { $count }. Choose one to open it and ask to join.
tos-near-none = No TOS of “{ $region }” has given its place on the map yet. Type an address, a TOS's or a settlement's name, and I will search the texts.
tos-near-by-address = TOS whose addresses contain the words of “{ $query }”: { $count }. This is a match of words, not a map search: the bot has no geocoder, so check the boundaries in the TOS's card.
tos-near-hint = Type part of a TOS's or settlement's name or an address, or send a location (📎 → “Location”) to find the nearest TOS.
tos-near-km = { $distance } km
tos-near-m = { $distance } m
tos-near-location-invalid = This location could not be read. Send the point again: 📎 → “Location”.
