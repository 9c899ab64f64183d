"""The Bot API method table (from the trimmed official spec) and parameter decoding.

Telegram receives every parameter as a string (form / multipart encoding) or as a JSON
value (JSON body). :meth:`BotApiSpec.decode` turns them into Python values according to
the declared types and rejects unknown methods, unknown parameters, missing required
parameters and values of the wrong basic type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from botapi_stub.models import ApiError, UploadedFile, bad_request

Kind = Literal["int", "float", "bool", "str", "int_or_str", "file", "array", "object"]

_INT_RE = re.compile(r"-?\d{1,19}\Z")
#: Required parameters for which an empty string is meaningful (setWebhook url="" removes it).
_EMPTY_ALLOWED = frozenset({"url"})
_JSON_ERRORS = {
    "reply_markup": "can't parse reply keyboard markup JSON object",
    "entities": "can't parse entities JSON object",
    "caption_entities": "can't parse entities JSON object",
}
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})

#: Descriptions real Telegram gives for some missing required parameters.
_MISSING_DESCRIPTIONS = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "callback_query_id": "query is too old and response timeout expired or query ID is invalid",
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    kind: Kind


@dataclass(frozen=True, slots=True)
class MethodSpec:
    name: str
    fields: Mapping[str, FieldSpec]
    required: tuple[str, ...]


def _kind(types: tuple[str, ...]) -> Kind:
    if "InputFile" in types:
        return "file"
    if types == ("Integer", "String"):
        return "int_or_str"
    if len(types) == 1:
        simple: dict[str, Kind] = {
            "Integer": "int",
            "Float": "float",
            "Boolean": "bool",
            "String": "str",
        }
        if types[0] in simple:
            return simple[types[0]]
    if all(t.startswith("Array of ") for t in types):
        return "array"
    return "object"


class BotApiSpec:
    """Lookup tables built once from ``botapi_spec.json``."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = str(data["version"])
        self.release_date: str = str(data["release_date"])
        methods: dict[str, MethodSpec] = {}
        for name, body in data["methods"].items():
            fields = {
                f["name"]: FieldSpec(
                    f["name"], tuple(f["types"]), bool(f["required"]), _kind(tuple(f["types"]))
                )
                for f in body["fields"]
            }
            required = tuple(f.name for f in fields.values() if f.required)
            methods[name.lower()] = MethodSpec(name, fields, required)
        self._methods = methods
        self.type_fields: dict[str, tuple[str, ...]] = {
            name: tuple(f["name"] for f in body["fields"])
            for name, body in data.get("types", {}).items()
        }

    @classmethod
    def load(cls) -> BotApiSpec:
        text = resources.files("botapi_stub").joinpath("botapi_spec.json").read_text("utf-8")
        return cls(json.loads(text))

    def method(self, name: str) -> MethodSpec | None:
        """Case-insensitive lookup (Telegram matches method names case-insensitively)."""
        return self._methods.get(name.lower())

    @property
    def method_names(self) -> list[str]:
        return sorted(m.name for m in self._methods.values())

    def decode(self, method: MethodSpec, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Validate and convert raw parameters; raises :class:`ApiError` (400)."""
        fields = method.fields
        out: dict[str, Any] = {}
        for name, value in raw.items():
            spec = fields.get(name)
            if spec is None:
                raise bad_request(f'unknown parameter "{name}" for method {method.name}')
            out[name] = _convert(spec, value)
        for name in method.required:
            if name not in out or (out[name] == "" and name not in _EMPTY_ALLOWED):
                raise bad_request(
                    _MISSING_DESCRIPTIONS.get(name, f'parameter "{name}" is required')
                )
        return out

    def decode_lenient(self, method: MethodSpec | None, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Best-effort decoding for logging (never raises)."""
        out: dict[str, Any] = {}
        for name, value in raw.items():
            spec = method.fields.get(name) if method is not None else None
            if spec is None:
                out[name] = value
                continue
            try:
                out[name] = _convert(spec, value)
            except ApiError:
                out[name] = value
        return out


def _type_error(spec: FieldSpec) -> ApiError:
    return bad_request(f'field "{spec.name}" must be of type {" or ".join(spec.types)}')


def _convert(spec: FieldSpec, value: Any) -> Any:
    kind = spec.kind
    if kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise _type_error(spec)
    if kind == "int" or kind == "int_or_str":
        if isinstance(value, bool):
            raise _type_error(spec)
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            stripped = value.strip()
            if _INT_RE.match(stripped):
                return int(stripped)
            if kind == "int_or_str":
                return value
        if kind == "int_or_str" and isinstance(value, float) and value.is_integer():
            return int(value)
        raise _type_error(spec)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise _type_error(spec)
    if kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                raise _type_error(spec) from None
        raise _type_error(spec)
    if kind == "file":
        if isinstance(value, UploadedFile | str):
            return value
        raise _type_error(spec)
    # JSON-typed: arrays and objects arrive JSON-encoded in form bodies.
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _json_error(spec) from None
    if kind == "array" and not isinstance(value, list):
        raise _json_error(spec)
    if kind == "object" and not isinstance(value, dict):
        raise _json_error(spec)
    return value


def _json_error(spec: FieldSpec) -> ApiError:
    return bad_request(_JSON_ERRORS.get(spec.name, f"can't parse {spec.name} JSON object"))
