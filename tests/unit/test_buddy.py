"""Buddy rules: invite tokens, which links may be opened, what is shared, and when."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.buddy import (
    DEFAULT_SHARE,
    MAX_ENCOURAGEMENT,
    MAX_START_PARAMETER,
    InviteProblem,
    ShareField,
    WeekFacts,
    clean_encouragement,
    encouragement_too_long,
    invite_problem,
    invite_url,
    is_buddy_parameter,
    is_well_formed,
    new_token,
    next_summary_at,
    parse_share_field,
    recent_commitment,
    shared_summary,
    token_fingerprint,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ADA, BOB = 1, 2
FACTS = WeekFacts(streak=3, commitment="Apply to 2 analyst roles", applications=4)


# --- tokens ------------------------------------------------------------------------------------


def test_new_token_is_a_valid_telegram_start_parameter() -> None:
    for _ in range(200):
        token = new_token()
        assert len(token) <= MAX_START_PARAMETER
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert is_buddy_parameter(token)
        assert is_well_formed(token)


def test_new_tokens_are_random_and_never_repeat() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000


@pytest.mark.parametrize(
    "parameter",
    [
        "buddy_",
        "buddy_short",
        "buddy_" + "a" * 23,
        "buddy_" + "a" * 25,
        "buddy_" + "a" * 23 + "!",
        "buddy_" + "a" * 23 + " ",
        "BUDDY_" + "a" * 24,
        "buddy_" + "a" * 23 + "\n",
    ],
)
def test_malformed_tokens_are_refused(parameter: str) -> None:
    assert not is_well_formed(parameter)


def test_other_start_parameters_are_not_buddy_invites() -> None:
    assert not is_buddy_parameter("ref_newsletter")
    assert not is_buddy_parameter("")
    assert is_buddy_parameter("buddy_garbage")  # meant as one: answered as a bad link


def test_fingerprint_is_stable_and_hides_the_token() -> None:
    token = new_token()
    fingerprint = token_fingerprint(token)
    assert fingerprint == token_fingerprint(token)
    assert len(fingerprint) == 64 and token not in fingerprint
    assert fingerprint != token_fingerprint(new_token())


def test_invite_url_is_a_telegram_deep_link() -> None:
    assert (
        invite_url("career_coach_bot", "buddy_x") == "https://t.me/career_coach_bot?start=buddy_x"
    )


# --- which links may be opened -------------------------------------------------------------------


def _problem(**overrides: object) -> InviteProblem | None:
    values: dict[str, object] = {
        "found": True,
        "opened": False,
        "withdrawn": False,
        "owner_id": ADA,
        "opener_id": BOB,
        "expires_at": NOW + timedelta(days=1),
        "now": NOW,
    }
    values.update(overrides)
    return invite_problem(**values)  # type: ignore[arg-type]


def test_a_fresh_link_opened_by_someone_else_is_fine() -> None:
    assert _problem() is None


def test_unknown_used_withdrawn_expired_and_own_links_are_refused() -> None:
    assert _problem(found=False) is InviteProblem.UNKNOWN
    assert _problem(opened=True) is InviteProblem.USED
    assert _problem(withdrawn=True) is InviteProblem.WITHDRAWN
    assert _problem(expires_at=NOW) is InviteProblem.EXPIRED
    assert _problem(expires_at=NOW - timedelta(seconds=1)) is InviteProblem.EXPIRED
    assert _problem(opener_id=ADA) is InviteProblem.OWN


def test_a_used_link_says_used_even_to_its_owner_or_after_expiry() -> None:
    assert _problem(opened=True, opener_id=ADA) is InviteProblem.USED
    assert _problem(opened=True, expires_at=NOW - timedelta(days=3)) is InviteProblem.USED
    assert _problem(opened=True, withdrawn=True) is InviteProblem.USED  # ended after use


def test_a_withdrawn_link_says_so_even_once_it_would_have_expired() -> None:
    assert _problem(withdrawn=True, expires_at=NOW) is InviteProblem.WITHDRAWN


# --- what is shared ------------------------------------------------------------------------------


def test_only_the_agreed_facts_are_kept() -> None:
    summary = shared_summary(FACTS, frozenset({ShareField.STREAK}))
    assert (summary.streak, summary.commitment, summary.applications) == (3, None, None)
    assert not summary.commitment_shared


def test_every_fact_can_be_shared() -> None:
    summary = shared_summary(FACTS, frozenset(ShareField))
    assert (summary.streak, summary.commitment, summary.applications) == (
        3,
        "Apply to 2 analyst roles",
        4,
    )


def test_sharing_nothing_gives_an_empty_summary() -> None:
    summary = shared_summary(FACTS, frozenset())
    assert summary.is_empty
    assert not shared_summary(FACTS, DEFAULT_SHARE).is_empty


def test_a_shared_commitment_that_is_missing_still_counts_as_shared() -> None:
    facts = WeekFacts(streak=0, commitment=None, applications=0)
    summary = shared_summary(facts, frozenset({ShareField.COMMITMENT}))
    assert summary.commitment is None and summary.commitment_shared
    assert not summary.is_empty


def test_the_facts_have_no_field_for_notes_reflections_or_contacts() -> None:
    # The guarantee is structural: nothing else could reach a buddy.
    assert set(WeekFacts.__dataclass_fields__) == {"streak", "commitment", "applications"}
    assert {field.value for field in ShareField} == {"streak", "commitment", "applications"}


def test_share_fields_parse_from_button_data_only_when_known() -> None:
    assert parse_share_field("commitment") is ShareField.COMMITMENT
    assert parse_share_field("notes") is None
    assert parse_share_field("") is None


def test_the_commitment_must_be_from_this_week_or_last() -> None:
    weeks = [("2026-W45", "Old one"), ("2026-W47", "Last week's"), ("2026-W48", None)]
    assert recent_commitment(weeks, this_week="2026-W48", last_week="2026-W47") == "Last week's"
    assert recent_commitment(weeks, this_week="2026-W50", last_week="2026-W49") is None
    newest = [*weeks, ("2026-W48", "This week's")]
    assert recent_commitment(newest, this_week="2026-W48", last_week="2026-W47") == "This week's"


# --- when the weekly update goes out -------------------------------------------------------------


def test_the_update_comes_the_day_after_the_checkin_at_the_same_local_time() -> None:
    # Monday 09:00 check-ins in Paris -> Tuesday 09:00 Paris (08:00 UTC in winter).
    due = next_summary_at(NOW, zone_id="Europe/Paris", weekday=0, at=time(9, 0))
    assert due == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    following = next_summary_at(due, zone_id="Europe/Paris", weekday=0, at=time(9, 0))
    assert following == due + timedelta(days=7)


def test_a_sunday_checkin_is_followed_by_a_monday_update() -> None:
    due = next_summary_at(NOW, zone_id="UTC", weekday=6, at=time(18, 0))
    assert due == datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def test_the_update_keeps_its_local_hour_across_a_dst_change() -> None:
    before = datetime(2027, 3, 22, 12, 0, tzinfo=UTC)  # Paris switches on 28 March 2027
    first = next_summary_at(before, zone_id="Europe/Paris", weekday=0, at=time(9, 0))
    second = next_summary_at(first, zone_id="Europe/Paris", weekday=0, at=time(9, 0))
    assert (first.hour, second.hour) == (8, 7)  # 09:00 local both times


# --- encouragement ------------------------------------------------------------------------------


def test_encouragement_is_one_line_without_extra_spaces() -> None:
    assert clean_encouragement("  You've got\n\nthis!  ") == "You've got this!"
    assert clean_encouragement(" \n ") == ""


def test_encouragement_is_length_limited() -> None:
    assert not encouragement_too_long("a" * MAX_ENCOURAGEMENT)
    assert encouragement_too_long("a" * (MAX_ENCOURAGEMENT + 1))
    assert not encouragement_too_long("a " * (MAX_ENCOURAGEMENT // 2) + "  \n\n  ")
