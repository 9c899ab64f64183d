"""Regenerate ``botapi_spec.json`` from the full machine-readable Bot API spec.

The full spec (https://github.com/PaulSonOfLars/telegram-bot-api-spec, MIT) carries long
descriptions the stub never needs. This script keeps, for every method, only the field
names, their types and whether they are required, plus the fields of the few object types
the stub validates structurally (keyboards, bot commands, message entities).

Usage::

    python -m botapi_stub.trim_spec [SOURCE_API_JSON] [OUTPUT_JSON]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_SOURCE = Path("/work/shared/data/telegram-bot-api/api.json")
DEFAULT_OUTPUT = Path(__file__).with_name("botapi_spec.json")

#: Object types whose field lists are kept (used by the reply-markup / command validation).
KEPT_TYPES = (
    "InlineKeyboardMarkup",
    "InlineKeyboardButton",
    "ReplyKeyboardMarkup",
    "KeyboardButton",
    "ReplyKeyboardRemove",
    "ForceReply",
    "BotCommand",
    "MessageEntity",
    "Update",
)


def _trim_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"name": f["name"], "types": list(f["types"]), "required": bool(f["required"])}
        for f in fields
    ]


def trim(spec: dict[str, Any]) -> dict[str, Any]:
    """Return the trimmed spec as a JSON-ready dict."""
    methods = {
        name: {"fields": _trim_fields(method.get("fields", []))}
        for name, method in sorted(spec["methods"].items())
    }
    types = {
        name: {"fields": _trim_fields(spec["types"][name].get("fields", []))}
        for name in KEPT_TYPES
        if name in spec["types"]
    }
    return {
        "version": spec["version"],
        "release_date": spec["release_date"],
        "methods": methods,
        "types": types,
    }


def render(trimmed: dict[str, Any]) -> str:
    """Compact JSON with one method / type per line (small, yet diff-friendly)."""
    lines = ["{"]
    lines.append(f'"version":{json.dumps(trimmed["version"])},')
    lines.append(f'"release_date":{json.dumps(trimmed["release_date"])},')
    for section in ("methods", "types"):
        entries = list(trimmed[section].items())
        lines.append(f'"{section}":{{')
        for index, (name, body) in enumerate(entries):
            comma = "," if index < len(entries) - 1 else ""
            dumped = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
            lines.append(f"{json.dumps(name)}:{dumped}{comma}")
        lines.append("}," if section == "methods" else "}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    source = Path(args[0]) if args else DEFAULT_SOURCE
    output = Path(args[1]) if len(args) > 1 else DEFAULT_OUTPUT
    spec = json.loads(source.read_text(encoding="utf-8"))
    text = render(trim(spec))
    json.loads(text)  # sanity check: the hand-rendered JSON must parse
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output} ({len(text)} bytes, {len(spec['methods'])} methods)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
