"""Callback data of every dialog, one module per feature, importable without the dialogs: a
service that queues a notice with a button, the scheduler, or another dialog can make a button
without importing the router that handles it.

What a class packs (its prefix, its fields in order, its enum values) is in buttons already sent
to people's chats, so it never changes: tests/unit/test_callback_data.py pins it. The navigation
and region-picker callbacks live beside their builders (bot/ui/keyboards.py, bot/ui/regions.py).
"""
