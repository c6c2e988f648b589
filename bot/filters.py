"""Message filters shared by several dialogs."""

from __future__ import annotations

from aiogram import F

# A command typed in the Q&A dialogs is a command (the routers after them have some): text
# handlers take TYPED, the catch-alls (stickers, photos where text is wanted) NOT_COMMAND.
COMMAND = r"^/[A-Za-z0-9_]+(@\w+)?(\s|$)"
NOT_COMMAND = ~F.text.regexp(COMMAND)
TYPED = F.text & NOT_COMMAND
