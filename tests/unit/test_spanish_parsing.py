"""Messages, deadlines, dates and times in Spanish, read by the same parsers as English."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.parse_applications import FIELDS, load_corpus, score
from bot.application_parser import MAX_FIELD_CHARS, parse_application
from bot.application_status import Status
from bot.clock_parsing import parse_clock_time, parse_future_date
from bot.deadline import DeadlineProblem, parse_deadline
from bot.spanish_dates import fold, to_english

CORPUS = Path(__file__).resolve().parent.parent / "data" / "application_messages_es.jsonl"
NOW = datetime(2026, 11, 23, 10, 0)  # a Monday morning
TODAY = NOW.date()
ACCURACY_FLOOR = 0.95

# --- application messages ----------------------------------------------------------------

LISTED = [
    (
        "Me postulé a Stripe para un puesto de PM ayer",
        dict(company="Stripe", role="PM", status=Status.APPLIED, event_date=date(2026, 11, 22)),
    ),
    (
        "Envié mi CV a Umbrella Corp para el puesto de analista de datos",
        dict(company="Umbrella Corp", role="analista de datos", status=Status.APPLIED),
    ),
    (
        "Entrevista con Globex el viernes a las 14:00",
        dict(
            company="Globex",
            status=Status.INTERVIEW,
            event_date=date(2026, 11, 27),
            event_time=time(14, 0),
        ),
    ),
    ("Me rechazaron en Initech", dict(company="Initech", status=Status.REJECTED)),
    ("Initech me rechazó", dict(company="Initech", status=Status.REJECTED)),
    ("Oferta de Pied Piper!!", dict(company="Pied Piper", status=Status.OFFER)),
    ("Me retiré de Wayne Enterprises", dict(company="Wayne Enterprises", status=Status.WITHDRAWN)),
    ("Sin respuesta de Soylent", dict(company="Soylent", status=Status.NO_ANSWER)),
    (
        "Segunda ronda de entrevistas con Hooli el próximo martes",
        dict(company="Hooli", status=Status.INTERVIEW, event_date=date(2026, 11, 24), round=2),
    ),
    ("Me postulé a El Corte Inglés", dict(company="El Corte Inglés")),
    ("Me postulé para enfermera en el Hospital Clínic", dict(company="Hospital Clínic")),
    ("me postule a telefonica manana", dict(company="telefonica", event_date=date(2026, 11, 24))),
]


@pytest.mark.parametrize(("text", "expected"), LISTED)
def test_listed_spanish_message_gives_exact_fields(text: str, expected: dict[str, Any]) -> None:
    parsed = parse_application(text, now=NOW)
    assert parsed is not None, text
    assert {name: getattr(parsed, name) for name in expected} == expected


@pytest.mark.parametrize(
    "text",
    [
        "¿Debería postularme a Google?",
        "Mi hermana tiene una entrevista con Google mañana",
        "Apliqué el feedback de mi mentora al CV",
        "Estoy preparando mi simulacro de entrevista",
        "Quiero postularme a más trabajos",
    ],
)
def test_spanish_text_not_about_an_application_returns_none(text: str) -> None:
    assert parse_application(text, now=NOW) is None


def test_spanish_i_have_is_not_he() -> None:
    """ "He enviado mi CV…" is the user ("I have sent"), not someone else ("he")."""
    parsed = parse_application("He enviado mi CV a Inditex", now=NOW)
    assert parsed is not None and parsed.company == "Inditex"


def test_spanish_corpus_accuracy_stays_above_the_floor() -> None:
    scores = score(load_corpus(CORPUS))
    assert scores.positives >= 80 and scores.negatives >= 15
    low = {
        name: round(scores.accuracy(name), 3)
        for name in (*FIELDS, "is_application")
        if scores.accuracy(name) < ACCURACY_FLOOR
    }
    assert low == {}, scores.misses[:20]


_SPANISH_WORDS = st.sampled_from(
    [
        "me", "postulé", "a", "en", "de", "del", "para", "un", "puesto", "entrevista", "con",
        "oferta", "rechazaron", "retiré", "Stripe", "El", "Corte", "mañana", "ayer", "el",
        "próximo", "martes", "hace", "3", "días", "a las", "10", "2ª", "ronda", "final",
        "¿", "?", "!!", "sin", "respuesta", "analista", "de datos", "20", "noviembre",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_SPANISH_WORDS, max_size=40))
def test_any_mix_of_spanish_application_words_never_raises(pieces: list[str]) -> None:
    parsed = parse_application(" ".join(pieces), now=NOW)
    if parsed is not None:
        for value in (parsed.company, parsed.role, parsed.note):
            assert value is None or 0 < len(value) <= MAX_FIELD_CHARS


# --- deadlines and dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en 6 meses", date(2027, 5, 23)),
        ("dentro de seis meses", date(2027, 5, 23)),
        ("a finales del año que viene", date(2027, 12, 31)),
        ("el próximo martes", date(2026, 11, 24)),
        ("el martes que viene", date(2026, 11, 24)),
        ("1 de marzo de 2027", date(2027, 3, 1)),
        ("para el 1 de marzo", date(2027, 3, 1)),
        ("antes de marzo", date(2027, 3, 1)),
        ("a finales de marzo", date(2027, 3, 31)),
        ("a mediados de junio", date(2027, 6, 15)),
        ("un año y medio", date(2028, 5, 23)),
        ("medio año", date(2027, 5, 23)),
        ("la primavera que viene", date(2027, 3, 20)),
        ("el verano del año que viene", date(2027, 6, 21)),
        ("fin de año", date(2026, 12, 31)),
        ("T2 2027", date(2027, 6, 30)),
        ("en 2027", date(2027, 12, 31)),
        ("pasado mañana", date(2026, 11, 25)),
        ("15/03/2027", date(2027, 3, 15)),
    ],
)
def test_spanish_deadline_is_read(text: str, expected: date) -> None:
    result = parse_deadline(text, today=TODAY)
    assert (result.deadline, result.problem) == (expected, None)


@pytest.mark.parametrize("text", ["cuanto antes", "nunca", "cuando pueda"])
def test_spanish_words_without_a_date_are_unparsable(text: str) -> None:
    assert parse_deadline(text, today=TODAY).problem is DeadlineProblem.UNPARSABLE


def test_spanish_past_deadline_is_reported_with_its_date() -> None:
    result = parse_deadline("el 1 de marzo de 2026", today=TODAY)
    assert (result.deadline, result.problem) == (date(2026, 3, 1), DeadlineProblem.PAST)


@pytest.mark.parametrize(
    "text", ["in 6 months", "end of next year", "by 1 March", "next spring", "2027"]
)
def test_english_deadline_words_are_left_to_the_english_reader(text: str) -> None:
    assert to_english(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("el próximo viernes", date(2026, 11, 27)),
        ("15 de enero", date(2027, 1, 15)),
        ("en 3 semanas", date(2026, 12, 14)),
        ("mañana", date(2026, 11, 24)),
        ("next Friday", date(2026, 11, 27)),
    ],
)
def test_spanish_future_date_is_read(text: str, expected: date) -> None:
    assert parse_future_date(text, local_now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 de la tarde", time(19, 0)),
        ("a las 18:30", time(18, 30)),
        ("a las 8", time(8, 0)),
        ("9 de la mañana", time(9, 0)),
        ("6pm", time(18, 0)),
    ],
)
def test_spanish_clock_time_is_read(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


def test_fold_keeps_every_position() -> None:
    text = "Mañana ENTREVISTA en Zürich İstanbul"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("manana entrevista en zurich")
