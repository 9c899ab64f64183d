"""The journal files an update under its user, read from the raw payload: the same user
PTB's `effective_user` finds, for every kind of update."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update

from bot.update_journal import sender_id

ADA = {"id": 501, "is_bot": False, "first_name": "Ada"}
PRIVATE = {"id": 501, "type": "private"}
CHANNEL = {"id": -100, "type": "channel", "title": "News"}
MESSAGE = {"message_id": 1, "date": 0, "chat": PRIVATE, "from": ADA, "text": "hi"}
ANONYMOUS = {"message_id": 2, "date": 0, "chat": CHANNEL, "sender_chat": CHANNEL, "text": "x"}
MEMBER = {"user": ADA, "status": "member"}
KICKED = {"user": ADA, "status": "kicked", "until_date": 0}

KINDS: dict[str, dict[str, Any]] = {
    "message": {"message": MESSAGE},
    "edited message": {"edited_message": {**MESSAGE, "edit_date": 1}},
    "channel post": {"channel_post": ANONYMOUS},
    "button": {
        "callback_query": {
            "id": "q", "from": ADA, "chat_instance": "c", "data": "x", "message": MESSAGE
        }
    },
    "inline query": {"inline_query": {"id": "i", "from": ADA, "query": "", "offset": ""}},
    "blocked the bot": {
        "my_chat_member": {
            "chat": PRIVATE, "from": ADA, "date": 0, "old_chat_member": MEMBER,
            "new_chat_member": KICKED,
        }
    },
    "poll answer": {"poll_answer": {
            "poll_id": "p", "user": ADA, "option_ids": [0], "option_persistent_ids": ["a"]
        }},
    "poll": {
        "poll": {
            "id": "p", "question": "?", "options": [], "total_voter_count": 0,
            "is_closed": False, "is_anonymous": True, "type": "regular",
            "allows_multiple_answers": False, "allows_revoting": False,
            "members_only": False,
        }
    },
    "reaction": {
        "message_reaction": {
            "chat": PRIVATE, "message_id": 1, "user": ADA, "date": 0,
            "old_reaction": [], "new_reaction": [],
        }
    },
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_sender_id_is_the_user_ptb_finds(kind: str) -> None:
    payload = {"update_id": 9, **KINDS[kind]}
    update = Update.de_json(payload, Bot("1:" + "x" * 34))
    expected = update.effective_user.id if update.effective_user else None
    assert sender_id(payload) == expected
    assert (expected is None) == (kind in {"channel post", "poll"})
