"""File uploads (multipart) and downloads (getFile + the /file/ route)."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest

from botapi_stub import BotApiStub, StubUser, UploadedFile

USER_ID = 1001  # the ``user`` fixture
REPORT = b"%PDF-1.4\n" + bytes(range(256)) * 8


async def test_send_document_upload_is_readable_via_messages_and_get_file(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    sent = await bot.send_document(
        USER_ID,
        InputFile(REPORT, filename="plan.pdf"),
        caption="<b>Your</b> plan",
        parse_mode=ParseMode.HTML,
    )
    assert sent.document is not None
    assert sent.document.file_name == "plan.pdf"
    assert sent.document.file_size == len(REPORT)
    assert sent.caption == "Your plan"

    (stored,) = stub.messages(USER_ID)
    assert stored.kind == "document"
    assert stored.file_name == "plan.pdf"
    assert stored.content == REPORT
    assert stored.caption == "Your plan"
    assert stored.html == "<b>Your</b> plan"
    call = stub.calls[-1]
    assert isinstance(call.params["document"], UploadedFile)
    assert call.params["document"].filename == "plan.pdf"

    telegram_file = await bot.get_file(sent.document.file_id)
    assert telegram_file.file_path is not None
    assert telegram_file.file_path.startswith(stub.base_file_url)
    assert bytes(await telegram_file.download_as_bytearray()) == REPORT
    assert stub.transcript(USER_ID) == ["bot: [document plan.pdf] Your plan"]


async def test_user_document_is_downloadable_by_the_bot(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    stub.send_document(USER_ID, "cv.txt", b"Ada Lovelace, analyst", "text/plain")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    document_file = await update.message.document.get_file()
    assert bytes(await document_file.download_as_bytearray()) == b"Ada Lovelace, analyst"


async def test_send_photo_by_upload_and_by_known_file_id(
    bot: Bot, stub: BotApiStub, user: StubUser
) -> None:
    first = await bot.send_photo(USER_ID, b"\xff\xd8\xff fake jpeg", caption="chart")
    assert first.photo and first.caption == "chart"
    again = await bot.send_photo(USER_ID, first.photo[-1].file_id)
    assert again.photo[-1].file_id == first.photo[-1].file_id
    kinds = [(m.kind, m.content) for m in stub.messages(USER_ID)]
    assert kinds == [("photo", b"\xff\xd8\xff fake jpeg")] * 2
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_photo(USER_ID, "no-such-file-id")


async def test_caption_over_1024_is_rejected(bot: Bot, user: StubUser) -> None:
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(USER_ID, InputFile(b"x", filename="a.txt"), caption="c" * 1025)


async def test_edit_caption_and_not_modified(bot: Bot, stub: BotApiStub, user: StubUser) -> None:
    sent = await bot.send_document(USER_ID, InputFile(b"x", filename="a.txt"), caption="v1")
    await bot.edit_message_caption(chat_id=USER_ID, message_id=sent.message_id, caption="v2")
    assert stub.messages(USER_ID)[0].caption == "v2"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_caption(chat_id=USER_ID, message_id=sent.message_id, caption="v2")
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("text", chat_id=USER_ID, message_id=sent.message_id)


async def test_unknown_file_path_and_file_id(
    bot: Bot, stub: BotApiStub, http: httpx.AsyncClient
) -> None:
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{stub.base_file_url}123:ABC/documents/missing.pdf")
    assert response.status_code == 404
