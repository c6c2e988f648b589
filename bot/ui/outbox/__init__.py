"""How outbox rows become Telegram messages at send time, in the recipient's language: one
renderer per payload type (bot/services/outbox.py queues the payloads, bot/outbox_sender.py
sends them). Rendering at send time drops what is no longer true (a seat given up, a question
taken, a deadline moved) and shows the event's time as it is now."""

from __future__ import annotations

from bot.outbox_sender import Renderer
from bot.ui.outbox.common import render_copy, render_event, render_text
from bot.ui.outbox.grants import render_grant
from bot.ui.outbox.questions import render_question

RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "copy": render_copy,
    "event": render_event,
    "question": render_question,
    "grant": render_grant,
}
