"""Files known to the stub: uploads by the bot and files sent by users, by id and by path."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from botapi_stub.models import UploadedFile, bad_request

_PREFIX = {"documents": "BQACAgIAAx", "photos": "AgACAgIAAx", "stickers": "CAACAgIAAx"}
_SUFFIX = {"photos": ".jpg", "stickers": ".webp"}


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None
    mime_type: str | None

    def photo_sizes(self) -> list[dict[str, Any]]:
        """``PhotoSize`` list as Telegram sends it (a thumbnail and the full size)."""
        size = len(self.content)
        return [
            {
                "file_id": f"{self.file_id}-s",
                "file_unique_id": f"{self.file_unique_id}s",
                "width": 90,
                "height": 90,
                "file_size": size,
            },
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": 800,
                "height": 800,
                "file_size": size,
            },
        ]

    def document(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._seq = 0

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def by_path(self, path: str) -> StoredFile | None:
        return self._by_path.get(path)

    def store(
        self, folder: str, content: bytes, file_name: str | None, mime_type: str | None
    ) -> StoredFile:
        self._seq += 1
        number = self._seq
        suffix = _SUFFIX.get(folder, "")
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"{_PREFIX.get(folder, 'BQAC')}{number:06d}",
            file_unique_id=f"AQAD{number:06d}",
            file_path=f"{folder}/file_{number}{suffix}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._by_id[stored.file_id] = stored
        if folder == "photos":
            self._by_id[f"{stored.file_id}-s"] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def resolve_input(self, value: Any, folder: str, default_name: str | None) -> StoredFile:
        """An InputFile parameter: a multipart upload, a known file_id or an HTTP URL."""
        if isinstance(value, UploadedFile):
            if not value.content:
                raise bad_request("file must be non-empty")
            name = value.filename or default_name
            mime = value.content_type
            if not mime or mime == "application/octet-stream":
                mime = (mimetypes.guess_type(name)[0] if name else None) or mime
            return self.store(folder, value.content, name, mime)
        if isinstance(value, str):
            known = self._by_id.get(value)
            if known is not None:
                return known
            parts = urlsplit(value)
            if parts.scheme in ("http", "https") and parts.hostname:
                name = parts.path.rsplit("/", 1)[-1] or default_name
                return self.store(folder, b"", name, mimetypes.guess_type(name or "")[0])
        raise bad_request("wrong file identifier/HTTP URL specified")
