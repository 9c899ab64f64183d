"""/roadmap: the phases with dates, this week and the next four, and a timeline picture."""

from __future__ import annotations

import struct

from botapi_stub.models import BotMessage
from storage.models import Milestone, MilestoneState
from tests.e2e.test_plan import (
    THIS_MONDAY,
    add_gaps,
    plan_with_gaps,
    plan_without_gaps,
    saved_milestones,
    sessions,
)
from tests.harness import BotHarness, ChatUser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def photos(harness: BotHarness, user: ChatUser) -> list[BotMessage]:
    return [m for m in harness.stub.messages(user.user_id) if m.kind == "photo"]


def png_size(content: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert content.startswith(PNG_SIGNATURE), content[:16]
    width, height = struct.unpack(">II", content[16:24])
    return width, height


async def test_roadmap_without_a_plan_points_to_plan(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/roadmap")
    answer = await ada.expect("You don't have a roadmap yet", "/plan")
    assert answer.buttons == []
    await ada.settle()
    assert photos(harness, ada) == []


async def test_roadmap_half_done_plan_is_not_a_roadmap_yet(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/plan")
    await ada.expect("By when")
    await ada.send("in 6 months")
    await ada.press("Yes")
    await ada.expect("How many hours a week")
    await ada.send("/roadmap")  # not a flow: answered without leaving /plan
    await ada.expect("You don't have a roadmap yet")
    await ada.press("5 h")
    await ada.expect("Your roadmap is ready")


async def test_roadmap_shows_phases_five_weeks_and_a_png_timeline(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await add_gaps(harness, ada)
    await plan_with_gaps(ada)
    await ada.send("/roadmap")
    text = await ada.expect("Your roadmap", "to Saturday 22 May 2027, 8 h a week")
    for fragment in (
        "📚 Learn · 22 Nov – 14 Feb",
        "🏗 Build proof · 15 Feb – 4 Apr",
        "📨 Apply · 5 Apr – 2 May",
        "🎤 Interview · 3 May – 22 May",
        "This week · 16 Nov – 22 Nov · 📚 Learn",
        "First step for SQL: Enrol in the <SQL> basics course & do module 1 (1 h)",
        "Next week · 23 Nov – 29 Nov",
        "Learn SQL with your online course (8 h)",
        "Week of 30 Nov",
        "Week of 14 Dec",
    ):
        assert fragment in text, fragment
    assert "Week of 21 Dec" not in text  # this week and the next four, no more
    caption = await ada.expect("Your roadmap at a glance")
    (photo,) = photos(harness, ada)
    assert photo.message_id == caption.message_id
    assert photo.content is not None
    width, height = png_size(photo.content)
    assert width == 1080 and height >= 1000  # full phone width, portrait


async def test_roadmap_without_gaps_shows_open_weeks(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await plan_without_gaps(ada)
    await ada.send("/roadmap")
    text = await ada.expect("Your roadmap", "to Saturday 20 March 2027, 6 h a week")
    assert text.text.count("Open — fill it at your check-in.") == 5  # learn weeks wait
    await ada.expect("Your roadmap at a glance")
    (photo,) = photos(harness, ada)
    assert photo.content is not None and photo.content.startswith(PNG_SIGNATURE)


async def test_roadmap_next_week_moves_forward_and_shows_done_milestones(
    harness: BotHarness,
) -> None:
    ada = await harness.onboard()
    await add_gaps(harness, ada)
    await plan_with_gaps(ada)
    first_step = (await saved_milestones(harness, ada))[0]
    async with sessions(harness).begin() as session:
        done = await session.get(Milestone, first_step.id)
        assert done is not None and done.week_start == THIS_MONDAY
        done.state = MilestoneState.DONE
    harness.clock.advance(days=7)
    await ada.send("/roadmap")
    text = await ada.expect("The next five weeks")
    assert "This week · 23 Nov – 29 Nov" in text
    assert "16 Nov" not in text
    await ada.expect("Your roadmap at a glance")
    harness.clock.advance(days=-7)
    await ada.send("/roadmap")
    text = await ada.expect("The next five weeks")
    assert "✅ 🚀 First step for SQL" in text


async def test_roadmap_after_the_deadline_suggests_a_new_plan(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await plan_without_gaps(ada)
    harness.clock.advance(days=120)
    await ada.send("/roadmap")
    await ada.expect("Your deadline, Saturday 20 March 2027, has passed", "/plan")
    await ada.settle()
    assert photos(harness, ada) == []
