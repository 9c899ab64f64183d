"""/settings: check-in day and time, time zone, pause and resume."""

from __future__ import annotations

from datetime import UTC, datetime, time

from tests.e2e.conftest import load_user
from tests.harness import BotHarness


async def test_settings_menu_shows_current_values(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    menu = await ada.expect(
        "Your settings", "Europe/Paris", "Monday at 09:00", "Reminders: on", "Language: English"
    )
    assert menu.buttons == [
        "🌍 Time zone",
        "📅 Check-in day & time",
        "🌐 Language",
        "⏸ Pause reminders",
        "✅ Done",
    ]


async def test_checkin_day_and_time_picked_with_buttons_are_saved(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.press("Check-in day")
    await ada.expect("Which day")
    await ada.press("Fri")
    await ada.expect("what time on Friday")
    await ada.press("18:00")
    await ada.expect("every Friday at 18:00", "Your settings")
    user = await load_user(harness, ada.user_id)
    assert (user.checkin_weekday, user.checkin_time) == (4, time(18, 0))


async def test_checkin_time_can_be_typed_and_nonsense_gets_a_hint(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.press("Check-in day")
    await ada.press("Wed")
    await ada.expect("what time on Wednesday")
    await ada.send("whenever <you> & I")
    await ada.expect("didn't catch a time", "whenever <you> & I")
    await ada.send("7:45pm")
    await ada.expect("every Wednesday at 19:45")
    user = await load_user(harness, ada.user_id)
    assert (user.checkin_weekday, user.checkin_time) == (2, time(19, 45))


async def test_back_from_the_day_picker_returns_to_the_menu_unchanged(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.press("Check-in day")
    await ada.expect("Which day")
    await ada.press("Back")
    await ada.expect("Your settings", "Monday at 09:00")


async def test_time_zone_changes_from_settings(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.press("Time zone")
    await ada.expect("where are you")
    await ada.send("Tokyo")
    await ada.expect("Asia/Tokyo", "21:00")
    await ada.press("Yes")
    await ada.expect("Your settings", "Asia/Tokyo")
    assert (await load_user(harness, ada.user_id)).timezone == "Asia/Tokyo"


async def test_pause_for_two_weeks_then_resume(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.press("Pause reminders")
    await ada.expect("For how long?")
    await ada.press("2 weeks")
    paused = await ada.expect("paused until", "Sunday 6 December 2026")
    assert "▶️ Resume reminders" in paused.buttons
    user = await load_user(harness, ada.user_id)
    assert user.paused
    assert user.paused_until == datetime(2026, 12, 5, 23, 0, tzinfo=UTC)  # midnight in Paris
    await ada.press("Resume reminders")
    await ada.expect_alert("Reminders are on again")
    await ada.expect("Reminders: on")
    assert not (await load_user(harness, ada.user_id)).paused


async def test_pause_until_a_typed_date_and_refuse_a_past_one(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.press("Pause reminders")
    await ada.expect("For how long?")
    await ada.send("yesterday")
    await ada.expect("couldn't read", "yesterday")
    await ada.send("15 January")
    await ada.expect("paused until", "Friday 15 January 2027")


async def test_pause_until_i_resume_has_no_end_date(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.press("Pause reminders")
    await ada.press("Until I resume")
    await ada.expect("Reminders paused", "Reminders: paused")
    user = await load_user(harness, ada.user_id)
    assert user.paused
    assert user.paused_until is None


async def test_done_closes_the_menu_with_a_summary(harness: BotHarness) -> None:
    ada = await harness.onboard()
    await ada.send("/settings")
    await ada.expect("Your settings")
    await ada.press("Done")
    closed = await ada.expect("Settings saved")
    assert closed.buttons == []
    await ada.send("hello")
    await ada.expect("not sure what to do with that")


async def test_settings_before_start_works_without_a_time_zone(harness: BotHarness) -> None:
    new = harness.user("Nu")
    await new.send("/settings")
    await new.expect("Your settings", "not set yet")
