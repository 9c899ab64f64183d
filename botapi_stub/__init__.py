"""A local, strict fake of the Telegram Bot API server (see :mod:`botapi_stub.server`)."""

from botapi_stub.models import ApiCall, BotMessage, Fault, StubUser, UploadedFile
from botapi_stub.server import BotApiStub

__all__ = ["ApiCall", "BotApiStub", "BotMessage", "Fault", "StubUser", "UploadedFile"]
