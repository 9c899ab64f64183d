"""The language the bot speaks right now, and the gettext catalogs that translate its texts.

Every sentence lives in English in `bot.texts`; the English text itself is the gettext
msgid, and `bot/locale/<lang>/LC_MESSAGES/messages.mo` holds the translations. Which
language applies is a context variable: set once per update (from the user's stored
choice or Telegram's language_code) and once per user while scheduled prompts are
rendered, so code that words a message never passes a language around.

The texts modules translate themselves on attribute access (`TranslatedModule`), so
`t.WELCOME` read inside a handler is already in the user's language. Text captured
earlier (at import, in a cache) is still English and goes through `tr()` when used.
"""

from __future__ import annotations

import gettext
import re
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

DEFAULT_LANGUAGE = "en"
SUPPORTED_LANGUAGES = ("en", "es")
# Each language by its own name: a language picker must be readable by whoever needs it,
# so these are deliberately not translated.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

# A (key, text…) record's key: "boss" in ("boss", "😤 My boss or manager").
_KEY = re.compile(r"[a-z][a-z0-9_]*")

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)

T = TypeVar("T")


def resolve_language(code: str | None) -> str | None:
    """The language we speak for a Telegram language_code ("es-419" → "es", "fr" → "en");
    None when there is no code at all (keep whatever was known before)."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    return _language.get()


def set_language(code: str | None) -> None:
    """Speak `code` from here on in this update (or task)."""
    _language.set(resolve_language(code) or DEFAULT_LANGUAGE)


@contextmanager
def use_language(code: str | None) -> Iterator[None]:
    """Speak `code` inside the block, then whatever was spoken before."""
    token = _language.set(resolve_language(code) or DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


@cache
def gettext_for(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language`, read once; English needs none (msgid = English)."""
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def tr(text: str) -> str:
    """`text` (an English msgid) in the current language; itself when not in the catalog."""
    language = _language.get()
    if language == DEFAULT_LANGUAGE or not text:
        # gettext("") would return the catalog's header.
        return text
    return gettext_for(language).gettext(text)


def tr_any(value: T) -> T:
    """A text constant in the current language: a string, or the strings inside tuples,
    lists and dict values. Dict keys stay as they are, and so does the key of a record
    nested in a collection: ("boss", "😤 My boss or manager") keeps "boss", which travels
    in callback data."""
    if _language.get() == DEFAULT_LANGUAGE:
        return value
    translated: T = _translate(value, nested=False)  # the same shape, so the same type
    return translated


def _translate(value: Any, *, nested: bool) -> Any:
    if isinstance(value, str):
        return tr(value)
    if isinstance(value, tuple | list):
        items = list(value)
        keyed = nested and is_record_key(items)
        translated = [
            item if keyed and index == 0 else _translate(item, nested=True)
            for index, item in enumerate(items)
        ]
        return type(value)(translated) if isinstance(value, list) else tuple(translated)
    if isinstance(value, dict):
        return {key: _translate(item, nested=True) for key, item in value.items()}
    return value


def is_record_key(items: list[Any]) -> bool:
    """Whether items[0] is a record's key: a lower-case identifier followed by text."""
    return (
        len(items) >= 2
        and isinstance(items[0], str)
        and _KEY.fullmatch(items[0]) is not None
        and any(isinstance(item, str) for item in items[1:])
    )


def is_text_constant(name: str) -> bool:
    """Public UPPER_CASE names are the texts; anything else in a texts module is plumbing."""
    return not name.startswith("_") and name.isupper()


class TranslatedModule(types.ModuleType):
    """A texts module whose constants read in the current language: `t.WELCOME` in a
    handler needs no call-site change."""

    def __getattribute__(self, name: str) -> Any:
        value = super().__getattribute__(name)
        if is_text_constant(name):
            return tr_any(value)
        return value


def translate_module(name: str) -> None:
    """Make the already imported module `name` translate its text constants."""
    module = sys.modules[name]
    if not isinstance(module, TranslatedModule):
        module.__class__ = TranslatedModule
