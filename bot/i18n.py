"""Fluent texts from locales/<lang>/*.ftl. A missing key or argument raises instead of
rendering the key's name, so a forgotten English text fails a test, not a user."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("ru", "en")


class TranslationError(LookupError):
    pass


class Text:
    """Text lookup bound to one language: `t("registration-ask-name", step=2)`."""

    __slots__ = ("_bundle", "locale")

    def __init__(self, locale: str, bundle: FluentBundle) -> None:
        self.locale = locale
        self._bundle = bundle

    def __call__(self, key: str, **args: Any) -> str:
        if not self._bundle.has_message(key):
            raise TranslationError(f"no text {key!r} in locale {self.locale!r}")
        message = self._bundle.get_message(key)
        if message.value is None:
            raise TranslationError(f"text {key!r} in {self.locale!r} has no value")
        text, errors = self._bundle.format_pattern(message.value, args)
        if errors:
            raise TranslationError(f"text {key!r} in {self.locale!r}: {errors[0]}")
        return str(text)

    def has(self, key: str) -> bool:
        return bool(self._bundle.has_message(key))


class Translator:
    def __init__(self, default_locale: str = "ru", locales_dir: Path = LOCALES_DIR) -> None:
        self.default_locale = default_locale
        self._texts: dict[str, Text] = {}
        self.sources: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            # use_isolating=False: Unicode bidi marks around arguments only clutter Telegram.
            bundle = FluentBundle([lang], use_isolating=False)
            files: dict[str, str] = {}
            for path in sorted((locales_dir / lang).glob("*.ftl")):
                source = path.read_text(encoding="utf-8")
                files[path.name] = source
                bundle.add_resource(FluentResource(source))
            self.sources[lang] = files
            self._texts[lang] = Text(lang, bundle)

    @property
    def languages(self) -> Iterable[str]:
        return self._texts.keys()

    def for_locale(self, locale: str | None) -> Text:
        return self._texts.get(locale or "", self._texts[self.default_locale])

    def pick_language(self, telegram_language: str | None) -> str:
        """The language for someone who has not chosen one: English only if Telegram says so."""
        if telegram_language and telegram_language.split("-")[0].lower() == "en":
            return "en"
        return self.default_locale

    def all(self, key: str, **args: Any) -> set[str]:
        """The text in every language (to recognise a reply-keyboard button in any of them)."""
        return {text(key, **args) for text in self._texts.values()}
