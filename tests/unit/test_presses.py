"""Recognising the second tap of a double tap (bot/presses.py)."""

from __future__ import annotations

from bot.presses import RecentPresses

MESSAGE = (1001, 7)


def test_second_tap_on_the_view_the_first_tap_changed_is_a_repeat() -> None:
    presses = RecentPresses()
    assert not presses.is_repeat(MESSAGE, "ci:skip", "question")
    presses.pressed(MESSAGE, "ci:skip", "question")
    presses.shown(MESSAGE, "question → Skip")
    assert presses.is_repeat(MESSAGE, "ci:skip", "question")


def test_another_button_of_the_old_view_is_not_a_repeat() -> None:
    presses = RecentPresses()
    presses.pressed(MESSAGE, "tick:pay", "list")
    presses.shown(MESSAGE, "list ✓ pay")
    assert not presses.is_repeat(MESSAGE, "tick:boredom", "list")


def test_button_pressed_again_on_an_unchanged_message_is_not_a_repeat() -> None:
    presses = RecentPresses()
    presses.pressed(MESSAGE, "bd:cheer", "weekly update")
    assert not presses.is_repeat(MESSAGE, "bd:cheer", "weekly update")


def test_button_pressed_again_after_the_message_changed_back_is_not_a_repeat() -> None:
    presses = RecentPresses()
    presses.pressed(MESSAGE, "ap:d", "card")
    presses.shown(MESSAGE, "delete?")
    presses.pressed(MESSAGE, "ap:keep", "delete?")
    presses.shown(MESSAGE, "card")
    assert not presses.is_repeat(MESSAGE, "ap:d", "card")


def test_the_oldest_presses_are_forgotten_first() -> None:
    presses = RecentPresses(limit=2)
    for number in range(3):
        presses.pressed((1001, number), "go", "view")
        presses.shown((1001, number), "changed")
    assert not presses.is_repeat((1001, 0), "go", "view")
    assert presses.is_repeat((1001, 2), "go", "view")
