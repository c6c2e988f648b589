"""The bot application. Importing it first defers the building of aiogram's models to their
first use (bot/lazy_models.py): 100 MB and 2 s less at every start."""

from bot.lazy_models import defer

defer()
