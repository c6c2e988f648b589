menu-ask = ❓ Ask an expert
menu-my-questions = 🗂 My questions
menu-faq = 📚 FAQ
menu-questions = 🧑‍🏫 Residents' questions (expert)
command-ask = Ask an expert a question
command-my-questions = My questions and answers
command-faq = Frequently asked questions and search
command-questions = Residents' questions on my topics
questions-register-first = Registered users can ask the experts: press /start and “Register”.
questions-refused-open-limit = You already have { $count } open { $count ->
    [one] question
   *[other] questions
}, which is the limit ({ $limit }). Wait for an answer or withdraw a question in /my_questions, then ask a new one.
questions-refused-flood = You have asked { $count } { $count ->
    [one] question
   *[other] questions
} in the last 24 hours, which is the most allowed. You can ask the next one after { $until }.
questions-refused-topic = This topic no longer takes questions. Start again: /ask.
questions-refused-not-registered = Registered users can ask the experts: press /start and “Register”.
questions-ask-text = <b>A question to an expert</b>
    Describe your question in one message: { $min } to { $max } characters. You can attach photos and documents at the next step.
questions-text-too-short = Too short: { $length } of at least { $min } characters. Describe your question in more detail.
questions-text-too-long = Too long: { $length } characters, at most { $max }. Shorten the text or put the details in a document.
questions-text-split = This looks like the rest of a message that was too long (Telegram cut it into parts). Send the question in one message of up to { $max } characters.
questions-text-first = First write your question as text (or send a file with a caption: the caption becomes the question). Files can be attached at the next step.
questions-suggestions = The answer may already be here: look at these similar questions. If none fits, press “Ask anyway”.
questions-ask-anyway-button = ✍️ Ask anyway
questions-solved-button = ✅ This answers my question
questions-back-to-suggestions-button = ⬅️ Back to similar questions
questions-solved = Glad the answer was there! For anything else: /ask.
questions-ask-topic = Choose the topic of your question:
questions-ask-files = Attach photos or documents if needed (up to { $max }, one per message), then press the button below.
questions-files-none-button = Continue without files ➡️
questions-files-done-button = Done, files: { $count } ➡️
questions-file-added = File added ({ $count } of { $max }). Send more or press “Done”.
questions-files-limit = { $max } files are attached already, the most allowed. Press “Done”.
questions-files-unsupported = This type cannot be attached: only photos and documents (PDF, DOCX, XLSX and other files). Videos, voice messages and stickers are not accepted.
questions-files-hint = Now you can send a photo or a document, or press “Done” under the message.
questions-ask-contacts = May the expert see your name and phone? If not, the question goes anonymously.
questions-contacts-yes-button = 👤 Show my name and phone to the expert
questions-contacts-no-button = 🕶 Ask anonymously
questions-ask-publish = Once answered, may the question and the answer be published in the FAQ, without your name and contacts?
questions-publish-yes-button = ✅ Yes, it may be published
questions-publish-no-button = 🔒 No, only for me
questions-summary = <b>Check your question</b>
    Topic: { $topic }
    Files: { $files }
    { $contacts }
    { $publish }

    { $text }
questions-summary-named = The expert who takes the question will see your name and phone.
questions-summary-anonymous = Anonymous: your name and phone are not shown to the expert.
questions-summary-publish = May be published in the FAQ once answered (without your name).
questions-summary-private = Not to be published.
questions-send-button = 📨 Send
questions-sent = Question #{ $number } has been sent to the experts. The answer will come here, to this chat; its state is in /my_questions.
questions-mine = <b>My questions</b> ({ $count }), page { $page } of { $pages }
    { $lines }
questions-mine-line = #{ $number } · { $topic } · { $status } · { $date }
questions-mine-empty = You have not asked any questions yet. Ask an expert: /ask.
questions-status-new = 🆕 waiting for an expert
questions-status-taken = ⏳ an expert is on it
questions-status-answered = ✅ answered
questions-status-closed = 📁 closed
questions-card = <b>Question #{ $number }</b> · { $topic }
    { $status } · asked { $date } · files: { $files }

    { $text }
questions-card-answer = 💬 <b>The expert's answer</b> ({ $date }, files: { $files }):
    { $text }
questions-card-follow-up = ❓ <b>Follow-up question</b> ({ $date }):
    { $text }
questions-card-rated-helpful = Your rating: 👍 helpful.
questions-card-rated-not_helpful = Your rating: 👎 not helpful.
questions-helpful-button = 👍 Helpful
questions-not-helpful-button = 👎 Not helpful
questions-follow-up-button = ❓ Ask a follow-up (once)
questions-withdraw-button = 🗑 Withdraw the question
questions-full-button = 📄 Full text and files
questions-back-to-mine-button = ⬅️ Back to my questions
questions-full-question = <b>Question #{ $number }</b>
    { $text }
questions-full-answer = 💬 <b>The expert's answer</b>
    { $text }
questions-full-follow-up = ❓ <b>Follow-up question</b>
    { $text }
questions-withdraw-confirm = Withdraw question #{ $number }? The experts will stop working on it. This cannot be undone.
questions-withdraw-yes = Yes, withdraw
questions-withdraw-no = No
questions-withdrawn = Question #{ $number } withdrawn.
questions-withdraw-gone = This question can no longer be withdrawn: it has been answered or closed.
questions-rate-gone = The answer is rated already, or the question is closed.
questions-rated-thanks-helpful = Thank you for the rating! Question #{ $number } is closed.
questions-rated-thanks-not_helpful = Thank you for telling us. Question #{ $number } is closed; you can ask a new question: /ask.
questions-follow-up-ask = Write your follow-up to question #{ $number } ({ $min }–{ $max } characters). You can follow up once.
questions-follow-up-confirm = Send this follow-up to the expert?

    { $text }
questions-follow-up-sent = The follow-up to question #{ $number } has been sent to the expert. The answer will come here.
questions-follow-up-gone = A follow-up is no longer possible: you have asked one, or rated the answer.
questions-answer = 💬 <b>The expert's answer to your question #{ $number }</b> ({ $topic }):

    { $reply }

    { $reply_files ->
        [0] Did it help? You can ask one follow-up.
       *[other] 📎 The answer's files are in the next messages. Did it help? You can ask one follow-up.
    }
questions-addition = 💬 <b>The expert adds to the answer to question #{ $number }</b>:

    { $reply }
questions-rated-helpful = 👍 Your answer to question #{ $number } was rated helpful. Thank you!
questions-rated-not_helpful = 👎 Your answer to question #{ $number } was rated not helpful.
questions-expert-new = 🆕 <b>New question #{ $number }</b> · { $topic }
    Files: { $files } (shown once you take it)

    { $text }
questions-expert-follow-up = ❓ <b>A follow-up to question #{ $number }</b> · { $topic }

    { $reply }
questions-expert-withdrawn = Question #{ $number } was withdrawn by its author: no answer needed.
questions-nudge-experts = ⏰ Question #{ $number } ({ $topic }) has been waiting for { $hours } h.
questions-nudge-admins = ⏰ Question #{ $number } ({ $topic }) has had no answer for { $hours } h. Check that the topic has experts (/admin → “Experts' topics”).
questions-take-button = ✋ Take
questions-skip-button = Skip
questions-open-button = Open the question
questions-taken = Question #{ $number } is yours. Answer it with “Answer”, or give it back to the queue.
questions-already-yours = This question is yours already.
questions-taken-by-other = Another expert has already taken this question.
questions-closed = This question has been answered or closed already.
questions-skipped = Skipped. The question stays in the /questions queue.
questions-not-held = This question is not yours now: it went back to the queue, was withdrawn, or has been answered.
questions-released = Question #{ $number } is back in the queue.
questions-expert-no-topics = You have no question topics yet. Ask an administrator to tick them in /admin → “Experts' topics”.
questions-all-topics = all topics
questions-queue = <b>Residents' questions</b>
    Topics: { $topics }
    Yours in progress: { $held } · waiting for an expert: { $waiting } (oldest first), page { $page } of { $pages }
questions-waited-hours = { $hours } h
questions-waited-days = { $days } d
questions-expert-card = <b>Question #{ $number }</b> · { $topic }
    { $status } · asked { $date } · files: { $files }
    { $who }

    { $text }
questions-card-asker = Asked by: { $name }, { $phone }
questions-card-asker-after-take = The author lets the expert who takes the question see their name and phone.
questions-card-anonymous = Anonymous question.
questions-answer-button = ✍️ Answer
questions-release-button = ↩️ Back to the queue
questions-files-button = 📎 Files
questions-back-to-queue-button = ⬅️ Back to the queue
questions-answer-ask = Write your answer to question #{ $number } (up to { $max } characters). You can attach files at the next step.
questions-answer-too-short = The answer is too short.
questions-answer-too-long = The answer is too long: { $length } characters, at most { $max }.
questions-answer-text-first = First write the answer as text (or send a file with a caption).
questions-answer-files = Attach photos or documents to the answer (up to { $max }), or go straight to the check.
questions-answer-files-hint = Send a photo or a document, or press the check button under the message.
questions-answer-preview-button = Check the answer (files: { $count }) ➡️
questions-answer-preview = <b>Your answer to question #{ $number }</b> (files: { $files }):

    { $text }
questions-faq-toggle = A good answer for the FAQ
questions-name-toggle = Name me in the FAQ
questions-faq-not-allowed = The author did not allow publishing this question in the FAQ.
questions-answer-send-button = 📨 Send the answer
questions-answer-sent = The answer to question #{ $number } has been sent to its author.
questions-answer-sent-faq = The answer to question #{ $number } has been sent to its author. An FAQ draft is ready: check that it holds no personal data, then publish it.
questions-forum-post = 🆕 <b>Question #{ $number }</b> · { $topic }
    Files: { $files }

    { $text }

    Answer in this topic: the first expert to answer takes the question, and the bot passes the answer on.
questions-forum-follow-up = ❓ <b>The author's follow-up to question #{ $number }</b>:

    { $text }
questions-forum-answered = ✅ Question #{ $number } has been answered in a private chat with the bot.
questions-group-not-expert = Only the experts of this question's topic can answer it. The message was not passed on.
questions-group-taken-by-other = Another expert has taken this question: the message was not passed on.
questions-group-closed = This question is closed: the message was not passed on.
questions-group-unsupported = Only text, photos and documents can be passed on.
questions-group-relayed = ✅ The answer has been passed to the author of question #{ $number }.
questions-group-relayed-addition = ✅ The addition has been passed to the author of question #{ $number }.
faq-topics = <b>FAQ</b> ({ $count }). Choose a topic, or type words to search.
faq-empty = The FAQ is empty so far. Ask an expert your question: /ask.
faq-topic = <b>{ $topic }</b>: { $count } · page { $page } of { $pages }
faq-topic-empty = <b>{ $topic }</b>: no answers yet.
faq-back-to-topics-button = ⬅️ Back to topics
faq-back-button = ⬅️ Back
faq-results = Found for “{ $query }”: { $count }.
faq-search-again-button = 🔍 Search again
faq-search-prompt = Type words to search the FAQ.
faq-no-results = Nothing found for “{ $query }”. Try other words, or ask an expert: /ask.
faq-entry = <b>Question</b> · { $topic } · { $date }
    { $question }

    <b>Answer</b>
    { $answer }
faq-entry-expert = Expert: { $name }
faq-entry-gone = This entry is no longer published.
faq-edit-button = ✏️ Edit
faq-edit-publish-button = ✏️ Edit and publish
faq-unpublish-button = 🚫 Unpublish
faq-unpublish-confirm = Unpublish “{ $title }”? It disappears from the FAQ and the search; it can be brought back in /admin → “FAQ drafts”.
faq-unpublish-yes = Yes, unpublish
faq-unpublish-no = No
faq-unpublished = The entry is unpublished.
faq-editor = <b>Entry editor</b> · { $status }
    Check that the text holds no names, phones or addresses.
faq-status-draft = draft
faq-status-published = published
faq-status-unpublished = unpublished
faq-edit-question-button = ✏️ Question
faq-edit-answer-button = ✏️ Answer
faq-publish-button = ✅ Publish
faq-published = Published: the entry is in /faq and the search finds it.
faq-already-published = The entry is published already.
faq-drafts-button = 📝 FAQ drafts
faq-drafts = <b>Drafts</b>: { $drafts } · <b>unpublished</b>: { $unpublished } (the last { $shown } shown).
faq-ask-question = Send the new text of the question ({ $min }–{ $max } characters), without names or contacts. Now:

    { $current }
faq-ask-answer = Send the new text of the answer ({ $min }–{ $max } characters). Now:

    { $current }
faq-text-too-short = Too short: { $length } of at least { $min } characters.
faq-text-too-long = Too long: { $length } characters, at most { $max }.
faq-saved = Saved.
qadmin-topics-button = 🗂 Question topics
qadmin-experts-button = 🧑‍🏫 Experts' topics
qadmin-topics = <b>Question topics</b> (🙈 hidden: no new questions on them).
qadmin-add-topic-button = ➕ Add a topic
qadmin-topic = <b>{ $ru }</b> / { $en }
    { $state } · experts: { $experts }
qadmin-topic-hidden = 🙈 hidden
qadmin-topic-shown = open for questions
qadmin-rename-button = ✏️ Rename
qadmin-hide-button = 🙈 Hide
qadmin-show-button = 👁 Show
qadmin-back-to-topics-button = ⬅️ Back to topics
qadmin-ask-name-ru = The topic's name in Russian (2–40 characters):
qadmin-ask-name-en = The topic's name in English (2–40 characters):
qadmin-topic-name-invalid = The name must be 2 to { $max } characters.
qadmin-topic-saved = Topic saved.
qadmin-experts = <b>Experts</b> ({ $count }), page { $page } of { $pages }. The number after a name is how many topics they answer.
qadmin-no-experts = No experts yet. Hand out the role with an invite link: /admin → “Invite link”.
qadmin-expert = <b>{ $name }</b>: { $count } topics. Tick the topics whose questions this expert answers.
qadmin-expert-topics-button = 🗂 Expert's topics ({ $count })
faq-suggested = This looks like a question. The knowledge base may answer it already ({ $count }):
faq-suggest-ask = This looks like a question, but the knowledge base has no ready answer. Ask an expert (a lawyer, an accountant, a grants specialist) or search the knowledge base yourself.
