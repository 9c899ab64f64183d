"""The catalogs behind `bot.i18n`: collect the msgids from the texts package, merge them
into each language's .po file, compile the .mo files, and check that every language says
everything, with the same placeholders and HTML tags. Used by `scripts/i18n.py` and the
tests; the running bot only reads the compiled .mo files.

Babel's own extractor finds `_("…")` calls; our texts are plain constants, so they are
collected by importing the texts modules instead.
"""

from __future__ import annotations

import ast
import importlib
import io
import pkgutil
import re
import string
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LOCALE_DIR,
    SUPPORTED_LANGUAGES,
    is_record_key,
    is_text_constant,
)

PROJECT = "Career Change Coach"
TEXTS_PACKAGE = "bot.texts"
# Fixed, so re-running `update` changes a catalog only where its messages changed.
CREATION_DATE = datetime(2026, 11, 23, tzinfo=UTC)

_FIELD = re.compile(r"\{[^{}]*\}")
_TAG = re.compile(r"<(/?)([a-zA-Z]+)\b[^>]*>")
_RAW_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;|quot;|#\d+;)")


@dataclass(frozen=True, slots=True)
class Location:
    path: str  # relative to the repository, e.g. "bot/texts/why.py"
    line: int
    name: str  # the constant, e.g. "PUSH_CHOICES"


def translation_languages() -> tuple[str, ...]:
    """The languages that need a catalog (English is the msgid itself)."""
    return tuple(language for language in SUPPORTED_LANGUAGES if language != DEFAULT_LANGUAGE)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


# --- collecting the msgids --------------------------------------------------------------------


def texts_modules() -> list[ModuleType]:
    package = importlib.import_module(TEXTS_PACKAGE)
    modules = [package]
    for found in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        modules.append(importlib.import_module(f"{TEXTS_PACKAGE}.{found.name}"))
    return modules


def needs_translation(text: str) -> bool:
    """Whether `text` has words once placeholders and tags are set aside: "—", "✓ " and
    "{count} {stage}" read the same in every language."""
    bare = _TAG.sub("", _FIELD.sub("", text))
    return any(char.isalpha() for char in bare)


def _strings(value: Any, *, nested: bool) -> Iterator[str]:
    """The translatable strings in a constant, skipping what `bot.i18n.tr_any` skips."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list):
        items = list(value)
        keyed = nested and is_record_key(items)
        for index, item in enumerate(items):
            if not (keyed and index == 0):
                yield from _strings(item, nested=True)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item, nested=True)


def _constant_lines(module: ModuleType) -> dict[str, int]:
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    lines: dict[str, int] = {}
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                lines.setdefault(target.id, node.lineno)
    return lines


def collect_messages() -> dict[str, list[Location]]:
    """Every msgid of the texts package, in source order, with where it is defined."""
    root = LOCALE_DIR.parent.parent
    messages: dict[str, list[Location]] = {}
    for module in texts_modules():
        path = Path(module.__file__ or "").resolve().relative_to(root).as_posix()
        lines = _constant_lines(module)
        # The raw English values: vars() bypasses the module's translating attribute access.
        for name, value in vars(module).items():
            if not is_text_constant(name):
                continue
            for text in _strings(value, nested=False):
                if needs_translation(text):
                    location = Location(path, lines.get(name, 0), name)
                    messages.setdefault(text, []).append(location)
    return messages


def template() -> Catalog:
    catalog = Catalog(project=PROJECT, creation_date=CREATION_DATE, fuzzy=False)
    for text, locations in collect_messages().items():
        catalog.add(
            text,
            locations=[(location.path, location.line) for location in locations],
            auto_comments=sorted({location.name for location in locations}),
            flags=("python-brace-format",) if placeholders(text) else (),
        )
    return catalog


# --- reading, merging, compiling ---------------------------------------------------------------


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(
            locale=language,
            project=PROJECT,
            version="1",
            copyright_holder=PROJECT,
            last_translator=PROJECT,
            language_team=PROJECT,
            creation_date=CREATION_DATE,
            revision_date=CREATION_DATE,
            fuzzy=False,
        )
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def write_catalog(catalog: Catalog, language: str) -> None:
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=96, ignore_obsolete=True, include_previous=True)
    path.write_bytes(buffer.getvalue())


def update(language: str) -> Catalog:
    """Merge the current msgids into the language's .po: new ones empty, changed ones fuzzy
    (with the old translation as a start), gone ones dropped."""
    catalog = read_catalog(language)
    catalog.update(template(), update_creation_date=False)
    write_catalog(catalog, language)
    return catalog


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalog(language: str) -> None:
    mo_path(language).write_bytes(compiled(read_catalog(language)))


# --- checking ------------------------------------------------------------------------------------


def placeholders(text: str) -> set[str]:
    """The `.format` fields of `text` ("{name}", "{hour:02d}"); ValueError on bad braces."""
    found = set()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            found.add(
                field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            )
    return found


def tags(text: str) -> Counter[str]:
    return Counter(closing + name.lower() for closing, name in _TAG.findall(text))


def message_problems(msgid: str, msgstr: str) -> list[str]:
    """What is wrong with one translation (empty when it is fine)."""
    try:
        fields = placeholders(msgstr)
    except ValueError as error:
        return [f"broken braces ({error})"]
    problems = []
    if fields != placeholders(msgid):
        problems.append(f"placeholders {sorted(fields)} != {sorted(placeholders(msgid))}")
    if tags(msgstr) != tags(msgid):
        problems.append(f"HTML tags {dict(tags(msgstr))} != {dict(tags(msgid))}")
    if _RAW_AMPERSAND.search(msgstr) and not _RAW_AMPERSAND.search(msgid):
        problems.append("a bare & (write &amp; in HTML)")
    return problems


def check(language: str) -> list[str]:
    """Everything that keeps `language` from saying what English says, one line each."""
    catalog = read_catalog(language)
    problems = []
    for text, locations in collect_messages().items():
        where = ", ".join(f"{location.path}:{location.name}" for location in locations)
        message = catalog.get(text)
        if message is None or not message.string:
            problems.append(f"{language}: missing ({where}): {text!r}")
        elif message.fuzzy:
            problems.append(f"{language}: fuzzy, to review ({where}): {text!r}")
        else:
            for problem in message_problems(text, str(message.string)):
                problems.append(f"{language}: {problem} ({where}): {text!r}")
    if not mo_path(language).exists() or mo_path(language).read_bytes() != compiled(catalog):
        problems.append(f"{language}: {mo_path(language).name} is out of date: run compile")
    return problems


def main_check() -> int:
    problems = [problem for language in translation_languages() for problem in check(language)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0
