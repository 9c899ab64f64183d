from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.parse_applications import FIELDS, load_corpus, score
from bot.application_dates import DateMention, find_dates, resolve_date
from bot.application_parser import (
    MAX_FIELD_CHARS,
    MAX_INPUT,
    DateConcern,
    ParsedApplication,
    parse_application,
)
from bot.application_status import Status
from bot.application_urls import find_link

NOW = datetime(2026, 11, 23, 10, 0)  # a Monday morning
TODAY = NOW.date()
ACCURACY_FLOOR = 0.95


def parse(text: str, now: datetime = NOW) -> ParsedApplication:
    parsed = parse_application(text, now=now)
    assert parsed is not None, text
    return parsed


def fields(parsed: ParsedApplication, *names: str) -> dict[str, Any]:
    return {name: getattr(parsed, name) for name in names}


# --- the messages the product must understand -------------------------------------------

LISTED = [
    (
        "Applied to Stripe for a Senior PM role yesterday",
        dict(
            company="Stripe", role="Senior PM", status=Status.APPLIED, event_date=date(2026, 11, 22)
        ),
    ),
    (
        "applied @ acme — data analyst, 3 days ago",
        dict(
            company="acme",
            role="data analyst",
            status=Status.APPLIED,
            event_date=date(2026, 11, 20),
        ),
    ),
    (
        "Sent my CV to Umbrella Corp (marketing manager)",
        dict(
            company="Umbrella Corp",
            role="marketing manager",
            status=Status.APPLIED,
            event_date=None,
        ),
    ),
    (
        "Phone screen w/ Stark Industries tomorrow 10am",
        dict(
            company="Stark Industries",
            status=Status.SCREENING,
            event_date=date(2026, 11, 24),
            event_time=time(10),
        ),
    ),
    (
        "Interview with Globex on Friday at 2pm",
        dict(
            company="Globex",
            status=Status.INTERVIEW,
            event_date=date(2026, 11, 27),
            event_time=time(14),
            round=None,
        ),
    ),
    (
        "2nd round interview at Hooli next Tuesday",
        dict(company="Hooli", status=Status.INTERVIEW, event_date=date(2026, 12, 1), round=2),
    ),
    ("Initech rejected me", dict(company="Initech", status=Status.REJECTED, event_date=None)),
    ("got an offer from Pied Piper!!", dict(company="Pied Piper", status=Status.OFFER)),
    ("withdrew from Wayne Enterprises", dict(company="Wayne Enterprises", status=Status.WITHDRAWN)),
    ("🎉 offer from Initech!!", dict(company="Initech", status=Status.OFFER)),
    (
        "Applied to Société Générale, risk analyst",
        dict(company="Société Générale", role="risk analyst"),
    ),
    ("got an offer from Nestlé", dict(company="Nestlé", status=Status.OFFER)),
    (
        "Zürich Insurance interview tomorrow",
        dict(company="Zürich Insurance", status=Status.INTERVIEW),
    ),
    ("got ghosted by Globex", dict(company="Globex", status=Status.NO_ANSWER)),
    ("HR from Globex called", dict(company="Globex", status=Status.SCREENING)),
    ("no luck with Acme", dict(company="Acme", status=Status.REJECTED)),
    ("Umbrella Corp said no", dict(company="Umbrella Corp", status=Status.REJECTED)),
    ("interview'd @ Initech yesterday", dict(company="Initech", status=Status.INTERVIEW)),
    (
        "applied for data analyst position at Spotify",
        dict(company="Spotify", role="data analyst", status=Status.APPLIED),
    ),
    (
        "Spotify - data analyst role - applied",
        dict(company="Spotify", role="data analyst", status=Status.APPLIED),
    ),
    ("APPLIED TO TESLA!!! SOFTWARE ENGINEER", dict(company="TESLA", role="SOFTWARE ENGINEER")),
    ("applied to revolut yesterday lol", dict(company="revolut", event_date=date(2026, 11, 22))),
    ("Final round with Stripe on Thursday!!", dict(round=None, final_round=True)),
    ("took a take-home test from Wise", dict(company="Wise", status=Status.SCREENING)),
    ("didn't get the job at Hooli", dict(company="Hooli", status=Status.REJECTED)),
    ("Globex turned me down", dict(company="Globex", status=Status.REJECTED)),
    ("accepted the offer from Pied Piper!", dict(company="Pied Piper", status=Status.ACCEPTED)),
]


@pytest.mark.parametrize(("text", "expected"), LISTED)
def test_listed_message_gives_exact_fields(text: str, expected: dict[str, Any]) -> None:
    assert fields(parse(text), *expected) == expected


def test_listed_message_without_a_date_leaves_date_and_time_empty() -> None:
    parsed = parse("Initech rejected me")
    assert (parsed.event_date, parsed.event_time, parsed.date_concern) == (None, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "what can you do?",
        "I feel tired today",
        "/help",
        "/applied Stripe",
        "",
        "   ",
        "👍",
        "how should I prepare for an interview?",
        "Should I apply to Stripe?",
        "My friend got an offer from Google",
        "my sister got rejected by Amazon",
        "applied the feedback to my portfolio",
        "my manager rejected my holiday request",
        "they offer remote work which is nice",
        "mock interview with my mentor on Friday",
        "I'm going to apply to more jobs this week",
        "May I ask something?",
        "march on!",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "<b>hello</b>",
    ],
)
def test_text_not_about_an_application_returns_none(text: str) -> None:
    assert parse_application(text, now=NOW) is None


# --- false positives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("applied to Monday.com for customer success manager", "Monday.com"),
        ("applied at May Corp for ops coordinator", "May Corp"),
        ("interview at monday.com", "monday.com"),
    ],
)
def test_company_that_looks_like_a_date_is_not_a_date(text: str, company: str) -> None:
    parsed = parse(text)
    assert (parsed.company, parsed.event_date) == (company, None)


@pytest.mark.parametrize(
    "text",
    [
        "applied to 3 jobs",
        "applied to Acme, 2 rounds expected",
        "applied to Acme, may hear back soon",
        "applied to Acme, ask me anything, do it",
        "applied to Acme for 2 weeks of waiting",
        "applied to Acme 24/7 support engineer",
    ],
)
def test_words_and_numbers_that_are_not_dates_give_no_date(text: str) -> None:
    assert parse(text).event_date is None


def test_round_ordinal_is_not_a_day_of_the_month() -> None:
    parsed = parse("2nd round at Hooli")
    assert (parsed.round, parsed.event_date, parsed.status) == (2, None, Status.INTERVIEW)


def test_ordinal_day_after_the_round_is_still_a_date() -> None:
    parsed = parse("3rd round w/ Spotify on the 30th")
    assert (parsed.round, parsed.event_date) == (3, date(2026, 11, 30))


@pytest.mark.parametrize(
    "text",
    ["applied some changes to my CV", "I applied myself at the gym", "what is a take-home test?"],
)
def test_words_of_the_trade_used_otherwise_return_none(text: str) -> None:
    assert parse_application(text, now=NOW) is None


def test_a_person_after_with_is_not_the_company() -> None:
    parsed = parse("interview with the hiring manager at Canva on Wednesday")
    assert (parsed.company, parsed.role) == ("Canva", None)


def test_job_board_is_not_the_company() -> None:
    parsed = parse("applied to Deliveroo via LinkedIn (ops analyst)")
    assert (parsed.company, parsed.role) == ("Deliveroo", "ops analyst")


# --- dates, times, rounds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("applied to Acme on Friday", date(2026, 11, 20)),
        ("interview with Acme on Friday", date(2026, 11, 27)),
        ("had my interview with Acme on Friday", date(2026, 11, 20)),
        ("applied to Acme last friday", date(2026, 11, 20)),
        ("interview with Acme next friday", date(2026, 12, 4)),
        ("interview with Acme this friday", date(2026, 11, 27)),
        ("applied to Acme 2 weeks ago", date(2026, 11, 9)),
        ("applied to Acme a couple days ago", date(2026, 11, 21)),
        ("interview with Acme in 3 days", date(2026, 11, 26)),
        ("interview with Acme day after tomorrow", date(2026, 11, 25)),
        ("applied to Acme tmrw", date(2026, 11, 24)),
        ("applied to Acme 2day", date(2026, 11, 23)),
        ("applied to Acme 20 Nov", date(2026, 11, 20)),
        ("applied to Acme Nov 20th", date(2026, 11, 20)),
        ("applied to Acme on 18/11", date(2026, 11, 18)),
        ("applied to Acme on 11/20", date(2026, 11, 20)),
        ("applied to Acme on 2026-11-19", date(2026, 11, 19)),
        ("applied to Acme on 20.11.2026", date(2026, 11, 20)),
        ("applied to Acme on the 2nd", date(2026, 11, 2)),
        ("interview with Acme on the 1st", date(2026, 12, 1)),
        ("interview with Acme on Friday 27th", date(2026, 11, 27)),
        ("take-home from Acme due Friday", date(2026, 11, 27)),
    ],
)
def test_date_is_resolved_relative_to_now_in_the_verbs_direction(text: str, expected: date) -> None:
    assert parse(text).event_date == expected


@pytest.mark.parametrize(
    "text",
    [
        "applied to Acme last week",
        "interview with Acme next week",
        "applied to Acme a few days ago",
        "applied to Acme in March",
    ],
)
def test_vague_date_gives_no_date(text: str) -> None:
    assert parse(text).event_date is None


def test_year_turns_over_for_a_december_date_said_in_january() -> None:
    parsed = parse("applied to Snowflake on Dec 30", now=datetime(2027, 1, 4, 9))
    assert parsed.event_date == date(2026, 12, 30)


def test_next_weekday_is_in_the_following_week() -> None:
    # Said on a Monday: "next Tuesday" is not tomorrow.
    assert parse("interview at Hooli next Tuesday").event_date == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("interview with Acme tomorrow 10am", time(10)),
        ("interview with Acme tomorrow at 2pm", time(14)),
        ("interview with Acme at 14:30", time(14, 30)),
        ("interview with Acme fri 9:30am", time(9, 30)),
        ("interview with Acme tomorrow at 3", time(15)),
        ("interview with Acme tomorrow at 9", time(9)),
        ("interview with Acme at noon", time(12)),
    ],
)
def test_time_of_day_is_read(text: str, expected: time) -> None:
    assert parse(text).event_time == expected


@pytest.mark.parametrize(
    ("text", "number", "final"),
    [
        ("second round at Atlassian", 2, False),
        ("round 3 with Wise", 3, False),
        ("had my first interview with Monzo", 1, False),
        ("final interview w/ Pied Piper", None, True),
        ("onsite with Figma, 4 rounds", None, False),
    ],
)
def test_round_is_counted(text: str, number: int | None, final: bool) -> None:
    parsed = parse(text)
    assert (parsed.round, parsed.final_round) == (number, final)


# --- date concerns ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("applied to Stripe tomorrow", DateConcern.APPLIED_IN_FUTURE),
        ("applied to Stripe on Dec 3", DateConcern.APPLIED_IN_FUTURE),
        ("interview with Globex yesterday", DateConcern.INTERVIEW_IN_PAST),
        ("phone screen with Globex on Nov 20", DateConcern.INTERVIEW_IN_PAST),
        ("applied to Stripe yesterday", None),
        ("applied to Stripe today", None),
        ("interview with Globex today", None),
        ("interview with Globex tomorrow", None),
        ("Globex rejected me yesterday", None),
    ],
)
def test_unlikely_date_for_the_stage_sets_a_concern(text: str, concern: DateConcern | None) -> None:
    assert parse(text).date_concern is concern


# --- links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "company"),
    [
        ("https://boards.greenhouse.io/stripe/jobs/123", "stripe"),
        ("https://job-boards.greenhouse.io/anthropic/jobs/4020305008", "anthropic"),
        ("https://jobs.lever.co/pied-piper/8c1e-4b2a", "pied piper"),
        ("https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite/job/x_JR1", "nvidia"),
        ("https://jobs.ashbyhq.com/notion/5f3e9a1c", "notion"),
        ("https://jobs.smartrecruiters.com/Bosch/743999-data-engineer", "Bosch"),
        ("https://apply.workable.com/huggingface/j/ABC123/", "huggingface"),
        ("https://careers.google.com/jobs/results/12345", "google"),
        ("https://stripe.com/jobs/listing/product-manager/5432", "stripe"),
        ("https://careers.bbc.co.uk/job/content-producer/998", "bbc"),
        ("amazon.jobs/en/jobs/2412345/software-development-engineer", "amazon"),
        ("https://www.linkedin.com/jobs/view/3791234567", None),
        ("https://www.indeed.com/viewjob?jk=abc123", None),
        ("https://www.glassdoor.com/job-listing/xyz", None),
    ],
)
def test_job_link_names_its_company(url: str, company: str | None) -> None:
    parsed = parse(url)
    assert (parsed.company, parsed.status, parsed.url) == (company, Status.SAVED, url)


def test_link_gives_the_company_when_the_words_do_not() -> None:
    parsed = parse("check this out https://jobs.lever.co/acme/abc-123 applied today")
    assert fields(parsed, "company", "status", "event_date", "url") == {
        "company": "acme",
        "status": Status.APPLIED,
        "event_date": TODAY,
        "url": "https://jobs.lever.co/acme/abc-123",
    }


def test_words_name_the_company_before_the_link_does() -> None:
    parsed = parse("found a cool PM role at Linear https://linear.app/careers/pm")
    assert fields(parsed, "company", "role", "status") == {
        "company": "Linear",
        "role": "PM",
        "status": Status.SAVED,
    }


def test_job_title_is_read_from_a_link_slug() -> None:
    parsed = parse("https://jobs.smartrecruiters.com/Bosch/743999-data-engineer")
    assert parsed.role == "data engineer"


def test_company_from_a_link_alone_is_below_the_sure_threshold() -> None:
    assert parse("https://boards.greenhouse.io/stripe/jobs/123").confidence < 0.7


def test_trailing_punctuation_is_not_part_of_the_link() -> None:
    link = find_link("saving this (https://jobs.lever.co/acme/abc-123).")
    assert link is not None and link.url == "https://jobs.lever.co/acme/abc-123"


def test_plain_domain_without_a_path_is_a_name_not_a_link() -> None:
    assert find_link("applied to booking.com! product analyst") is None


# --- names and notes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Applied to L'Oréal for digital marketing associate", "L'Oréal"),
        ("applied to H&M for visual merchandiser", "H&M"),
        ("applied to AT&T network engineer role", "AT&T"),
        ("Applied to Procter & Gamble - brand manager", "Procter & Gamble"),
        ("applied to Bank of America for a financial analyst job", "Bank of America"),
        ("Applied at Mercedes-Benz as a data engineer", "Mercedes-Benz"),
        ("applied to Acme Inc. for an accountant position", "Acme Inc"),
        ("phone interview with Just Eat tomorrow", "Just Eat"),
        ("I put my application in at Sainsbury's for the ops graduate scheme", "Sainsbury's"),
        ("I accepted Globex's offer today", "Globex"),
        ("Applied to Monzo and Starling today", "Monzo"),
        ("interview at Marks and Spencer on thursday", "Marks and Spencer"),
    ],
)
def test_company_name_survives_intact(text: str, company: str) -> None:
    assert parse(text).company == company


def test_decomposed_accents_are_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "got an offer from Nestlé")
    assert parse(decomposed).company == "Nestlé"


def test_emoji_around_the_company_is_dropped() -> None:
    assert parse("ghosted by Spotify 🙃 data analyst role").company == "Spotify"


@pytest.mark.parametrize(
    ("text", "company", "role"),
    [
        ("withdrew from Pied Piper senior PM", "Pied Piper", "senior PM"),
        ("rejected from Nestlé's graduate scheme", "Nestlé", "graduate scheme"),
        ("Hooli wants to interview me for senior PM!", "Hooli", "senior PM"),
        ("applied. company: Notion, role: product designer", "Notion", "product designer"),
        ("Applied - Spotify - Backend Engineer II - 22/11", "Spotify", "Backend Engineer II"),
    ],
)
def test_company_and_title_are_told_apart(text: str, company: str, role: str) -> None:
    parsed = parse(text)
    assert (parsed.company, parsed.role) == (company, role)


def test_leftover_words_are_kept_as_a_note() -> None:
    assert parse("applied to dropbox for sr product designer, referral from Sam").note == (
        "referral from Sam"
    )


def test_nothing_left_over_gives_no_note() -> None:
    assert parse("Phone screen w/ Stark Industries tomorrow 10am").note is None


# --- confidence, now, the cap --------------------------------------------------------------


def test_confidence_is_highest_when_stage_and_company_sit_together() -> None:
    sure = parse("Applied to Stripe for a Senior PM role yesterday").confidence
    guess = parse("check this out https://jobs.lever.co/acme/abc-123 applied today").confidence
    no_company = parse("got rejected again").confidence
    assert sure >= 0.85 > 0.7 > guess > no_company > 0


def test_aware_now_is_read_as_the_users_wall_clock() -> None:
    late_evening = datetime(2026, 11, 23, 23, 30, tzinfo=timezone(timedelta(hours=-8)))
    assert parse("applied to Stripe today", now=late_evening).event_date == date(2026, 11, 23)


def test_input_is_capped_before_parsing() -> None:
    padding = "x" * MAX_INPUT
    assert parse_application(padding + " applied to Stripe", now=NOW) is None
    parsed = parse("applied to Stripe " + "lol " * 1000)
    assert parsed.company == "Stripe"


def test_name_cut_by_the_cap_is_still_bounded() -> None:
    parsed = parse("applied to " + "A" * (2 * MAX_INPUT))
    assert parsed.company is None or len(parsed.company) <= MAX_FIELD_CHARS


@pytest.mark.parametrize(
    "now", [datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59), datetime(2028, 2, 29, 12)]
)
@pytest.mark.parametrize(
    "text",
    [
        "interview with Acme next friday",
        "interview with Acme in 3 days",
        "applied to Acme yesterday",
        "applied to Acme on the 31st",
        "applied to Acme on 29/2",
        "applied to Acme Dec 30",
    ],
)
def test_dates_at_the_ends_of_the_calendar_never_raise(text: str, now: datetime) -> None:
    parsed = parse(text, now=now)
    assert parsed.company == "Acme"


def test_common_weekday_slip_is_still_a_weekday() -> None:
    assert parse("interveiw at Multiverse on thrusday").event_date == date(2026, 11, 26)


def test_weekday_next_to_a_date_is_one_date() -> None:
    assert parse("interview with Acme on Friday, 4 December").event_date == date(2026, 12, 4)


def test_number_after_at_that_counts_things_is_not_a_time() -> None:
    assert parse("applied at 3 companies and at Acme").event_time is None


# --- the date helpers directly ----------------------------------------------------------------


def test_find_dates_skips_weekday_abbreviations_that_are_words() -> None:
    assert find_dates("i sat down with the sun on my face, wed") == []


def test_resolve_vague_mention_gives_none() -> None:
    assert resolve_date(DateMention(0, 9, None), today=TODAY, prefer="past") is None


# --- the labelled corpus ---------------------------------------------------------------------


def test_corpus_accuracy_stays_above_the_floor() -> None:
    scores = score(load_corpus())
    assert scores.positives >= 220 and scores.negatives >= 40
    low = {
        name: round(scores.accuracy(name), 3)
        for name in (*FIELDS, "is_application")
        if scores.accuracy(name) < ACCURACY_FLOOR
    }
    assert low == {}, scores.misses[:20]


# --- any text ------------------------------------------------------------------------------

_ALPHABET = st.one_of(
    st.characters(),
    st.sampled_from(list("<>&\"';:/@#%—–…’“”🎉😭🙏👍🏽‍♀️éüñßçøåЖя中文字한국어العربية \n\t")),
)
_WORDS = st.sampled_from(
    [
        "applied", "to", "at", "@", "w/", "interview", "offer", "rejected", "me", "from",
        "Stripe", "acme", "2nd", "round", "tomorrow", "yesterday", "friday", "next", "10am",
        "20/11", "the", "role", "for", "senior", "PM", "https://jobs.lever.co/acme/1", "'s",
        "-", ",", "!!", "May", "Monday.com", "ghosted", "by", "HR", "called", "take-home",
    ]
)  # fmt: skip


def _check_bounds(parsed: ParsedApplication | None) -> None:
    if parsed is None:
        return
    assert 0.0 <= parsed.confidence <= 1.0
    for value in (parsed.company, parsed.role, parsed.note, parsed.url):
        assert value is None or (0 < len(value) <= MAX_FIELD_CHARS)
    assert parsed.round is None or parsed.round >= 1
    assert parsed.status is None or isinstance(parsed.status, Status)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=2 * MAX_INPUT))
def test_any_text_never_raises_and_stays_in_bounds(text: str) -> None:
    _check_bounds(parse_application(text, now=NOW))


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(_WORDS, max_size=60),
    now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31)),
)
def test_any_mix_of_application_words_never_raises(pieces: list[str], now: datetime) -> None:
    _check_bounds(parse_application(" ".join(pieces), now=now))
