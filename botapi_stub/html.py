"""Telegram-flavoured HTML (``parse_mode=HTML``) validation, modelled on tdlib's parser.

:func:`parse_html` returns the plain text plus Bot API ``MessageEntity`` dicts (offsets in
UTF-16 code units) or raises :class:`HtmlError` whose message follows tdlib's wording
(``Unsupported start tag "script" at byte offset 0`` ...). The server prefixes it with
``Bad Request: can't parse entities: ``.

Deliberately stricter than tdlib in two documented ways (the Bot API docs require both):
an ``&`` that does not start ``&lt; &gt; &amp; &quot;`` or a numeric reference is an error
(tdlib would keep it literally), and an attribute a tag does not support is an error
(tdlib ignores it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "code",
        "pre",
        "tg-spoiler",
        "span",
        "blockquote",
        "tg-emoji",
        "tg-time",
    }
)
_ENTITY_TYPE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "code": frozenset({"class"}),
    "span": frozenset({"class"}),
    "blockquote": frozenset({"expandable"}),
    "tg-emoji": frozenset({"emoji-id"}),
    "tg-time": frozenset({"unix", "format"}),
}
_NO_ATTRIBUTES: frozenset[str] = frozenset()
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = frozenset(" \t\r\n\f\v")
_SPECIAL = re.compile(r"[<&]")
_ENTITY_SNIPPET = re.compile(r"&[#0-9A-Za-z]{0,10};?")
_NAME_TOKEN = re.compile(r"[0-9A-Za-z.\-]*")
_DIGITS = re.compile(r"\d+\Z")


class HtmlError(ValueError):
    """Telegram would answer ``Bad Request: can't parse entities: <message>``."""


@dataclass(frozen=True, slots=True)
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class _Open:
    tag: str
    begin: int
    start16: int
    attributes: dict[str, str]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts limits and offsets in."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8", "surrogatepass"))


def _decode_entity(source: str, i: int) -> tuple[str, int] | None:
    """tdlib's ``decode_html_entity``: (character, index after it) or None."""
    n = len(source)
    j = i + 1
    if j < n and source[j] == "#":
        j += 1
        code = 0
        if j < n and source[j] == "x":
            j += 1
            while j < n and source[j] in "0123456789abcdefABCDEF":
                code = code * 16 + int(source[j], 16)
                j += 1
                if code >= 0x10FFFF:
                    return None
        else:
            while j < n and "0" <= source[j] <= "9":
                code = code * 10 + ord(source[j]) - 48
                j += 1
                if code >= 0x10FFFF:
                    return None
        if code == 0 or j - i >= 10:
            return None
        if 0xD800 <= code <= 0xDFFF:
            raise HtmlError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        char = chr(code)
    else:
        while j < n and source[j].isascii() and source[j].isalpha():
            j += 1
        named = _NAMED_ENTITIES.get(source[i + 1 : j])
        if named is None:
            return None
        char = named
    if j < n and source[j] == ";":
        j += 1
    return char, j


def _decode_attribute(value: str) -> str:
    """Attribute values decode entities leniently (``?a=1&b=2`` in hrefs is fine)."""
    if "&" not in value:
        return value
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            decoded = _decode_entity(value, i)
            if decoded is not None:
                out.append(decoded[0])
                i = decoded[1]
                continue
        out.append(value[i])
        i += 1
    return "".join(out)


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML into plain text + entities, or raise :class:`HtmlError`."""
    if "<" not in source and "&" not in source:
        return ParsedText(source)
    n = len(source)
    out: list[str] = []
    pos16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < n:
        match = _SPECIAL.search(source, i)
        stop = n if match is None else match.start()
        if stop > i:
            chunk = source[i:stop]
            out.append(chunk)
            pos16 += utf16_len(chunk)
            i = stop
            if match is None:
                break
        if source[i] == "&":
            decoded = _decode_entity(source, i)
            if decoded is None:
                snippet_match = _ENTITY_SNIPPET.match(source, i)
                snippet = snippet_match.group(0) if snippet_match else "&"
                raise HtmlError(
                    f'Unsupported HTML entity "{snippet}" at byte offset '
                    f'{_byte_offset(source, i)}; a literal "&" must be escaped as "&amp;"'
                )
            char, i = decoded
            out.append(char)
            pos16 += 2 if ord(char) > 0xFFFF else 1
            continue
        begin = i
        i += 1
        if i < n and source[i] == "/":
            i = _close_tag(source, begin, stack, entities, pos16)
        else:
            i, opened = _open_tag(source, begin)
            opened.start16 = pos16
            stack.append(opened)
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return ParsedText("".join(out), _finish_entities(entities))


def _open_tag(source: str, begin: int) -> tuple[int, _Open]:
    n = len(source)
    i = begin + 1
    while i < n and source[i] not in _SPACES and source[i] != ">":
        i += 1
    if i >= n:
        raise HtmlError(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
    tag = source[begin + 1 : i].lower()
    offset = _byte_offset(source, begin)
    if tag not in SUPPORTED_TAGS:
        raise HtmlError(f'Unsupported start tag "{tag}" at byte offset {offset}')
    allowed = _ALLOWED_ATTRIBUTES.get(tag, _NO_ATTRIBUTES)
    attributes: dict[str, str] = {}
    while True:
        while i < n and source[i] in _SPACES:
            i += 1
        if i >= n:
            raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {offset}')
        if source[i] == ">":
            break
        name_begin = i
        while i < n and source[i] not in _SPACES and source[i] not in "=>":
            i += 1
        name = source[name_begin:i]
        if not name:
            raise HtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {offset}')
        while i < n and source[i] in _SPACES:
            i += 1
        if i >= n or source[i] != "=":
            if tag == "blockquote" and name.lower() == "expandable" and i < n:
                attributes["expandable"] = ""
                continue
            if i >= n:
                raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {offset}')
            raise HtmlError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {offset}'
            )
        i += 1
        while i < n and source[i] in _SPACES:
            i += 1
        if i >= n:
            raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {offset}')
        if source[i] not in "'\"":
            token = _NAME_TOKEN.match(source, i)
            token_end = token.end() if token else i
            if token_end >= n or (source[token_end] not in _SPACES and source[token_end] != ">"):
                raise HtmlError(
                    f"Unexpected end of name token at byte offset {_byte_offset(source, i)}"
                )
            value = source[i:token_end].lower()
            i = token_end
        else:
            quote = source[i]
            close = source.find(quote, i + 1)
            if close < 0:
                raise HtmlError(f"Unclosed start tag at byte offset {offset}")
            value = _decode_attribute(source[i + 1 : close])
            i = close + 1
        key = name.lower()
        if key not in allowed:
            raise HtmlError(
                f'Unsupported attribute "{name}" in the tag "{tag}" at byte offset {offset}'
            )
        attributes[key] = value
    _check_tag_attributes(tag, attributes, offset)
    return i + 1, _Open(tag, begin, 0, attributes)


def _check_tag_attributes(tag: str, attributes: dict[str, str], offset: int) -> None:
    if tag == "span" and attributes.get("class") != "tg-spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if tag == "tg-emoji" and not _DIGITS.match(attributes.get("emoji-id", "")):
        raise HtmlError("Custom emoji entity must contain a valid custom emoji identifier")
    if tag == "tg-time" and not _DIGITS.match(attributes.get("unix", "")):
        raise HtmlError(f'Tag "tg-time" must have a valid "unix" attribute at byte offset {offset}')


def _close_tag(
    source: str, begin: int, stack: list[_Open], entities: list[dict[str, Any]], pos16: int
) -> int:
    n = len(source)
    offset = _byte_offset(source, begin)
    if not stack:
        raise HtmlError(f"Unexpected end tag at byte offset {offset}")
    i = begin + 2
    while i < n and source[i] not in _SPACES and source[i] != ">":
        i += 1
    end_name = source[begin + 2 : i]
    while i < n and source[i] in _SPACES:
        i += 1
    if i >= n or source[i] != ">":
        raise HtmlError(f"Unclosed end tag at byte offset {offset}")
    opened = stack[-1]
    if end_name and end_name.lower() != opened.tag:
        raise HtmlError(
            f'Unmatched end tag at byte offset {offset}, expected "</{opened.tag}>", '
            f'found "</{end_name}>"'
        )
    stack.pop()
    length = pos16 - opened.start16
    if length > 0:
        entity = _make_entity(opened, length)
        if entity is not None:
            entities.append(entity)
    return i + 1


def _make_entity(opened: _Open, length: int) -> dict[str, Any] | None:
    attributes = opened.attributes
    entity: dict[str, Any] = {
        "type": _ENTITY_TYPE[opened.tag],
        "offset": opened.start16,
        "length": length,
    }
    tag = opened.tag
    if tag == "a":
        href = attributes.get("href")
        if not href:
            return None
        entity["url"] = href
    elif tag == "code":
        css = attributes.get("class", "")
        if css.startswith("language-") and len(css) > 9:
            entity["language"] = css[9:]
    elif tag == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attributes["emoji-id"]
    elif tag == "tg-time":
        entity["unix_time"] = int(attributes["unix"])
        if attributes.get("format"):
            entity["date_time_format"] = attributes["format"]
    return entity


def _finish_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge ``<pre><code class="language-x">`` pairs and sort like Telegram does."""
    pres = {(e["offset"], e["length"]): e for e in entities if e["type"] == "pre"}
    result: list[dict[str, Any]] = []
    for entity in entities:
        if entity["type"] == "code" and "language" in entity:
            pre = pres.get((entity["offset"], entity["length"]))
            if pre is not None:
                pre["language"] = entity["language"]
                continue
            del entity["language"]
        result.append(entity)
    result.sort(key=lambda e: (e["offset"], -e["length"]))
    return result
