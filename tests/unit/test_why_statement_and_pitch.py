"""The why statement and the pitch are assembled from the user's own words."""

from __future__ import annotations

from bot.pitch import assemble_pitch
from bot.why_statement import propose_statement, sentence_fragment

TEMPLATE = "I want to move toward {pull} because {reason}."


def _propose(pull: str | None, *reasons: str) -> str | None:
    return propose_statement(
        pull=pull,
        reasons=list(reasons),
        template=TEMPLATE,
        pull_only="I want to move toward {pull}.",
        fallback="I want a change because {reason}.",
    )


def test_statement_uses_the_deepest_answered_why() -> None:
    assert (
        _propose("Teaching kids.", "I love explaining", "Seeing it click matters to me!", "")
        == "I want to move toward teaching kids because seeing it click matters to me."
    )


def test_statement_does_not_repeat_the_templates_own_because_or_toward() -> None:
    assert (
        _propose("Towards UX research", "Because I get bored.", "because, honestly, I stall")
        == "I want to move toward UX research because honestly, I stall."
    )
    assert _propose(None, "Because of the pay") == "I want a change because of the pay."
    assert _propose(None, "because") is None  # nothing left once the lead word is gone
    assert _propose(None, "Becausethat") == "I want a change because becausethat."


def test_statement_keeps_acronyms_and_i_capitalised() -> None:
    assert sentence_fragment("UX research") == "UX research"
    assert sentence_fragment("I get bored") == "I get bored"
    assert sentence_fragment("Helping people...") == "helping people"


def test_statement_without_answers_is_none() -> None:
    assert _propose(None, "", "") is None
    assert _propose("Data", "") == "I want to move toward data."


def test_statement_trims_very_long_answers_at_a_word() -> None:
    proposal = _propose("x " * 200, "because")
    assert proposal is not None and len(proposal) < 220 and "…" in proposal


def test_pitch_needs_employer_and_problem() -> None:
    kwargs = {
        "template": "I help {employer} {problem}. {proof}.",
        "no_proof": "I help {employer} {problem}.",
    }
    assert assemble_pitch(employer="Clinics", problem=None, proof="x", **kwargs) is None
    assert (
        assemble_pitch(employer="Clinics", problem="to cut waiting times", proof=None, **kwargs)
        == "I help Clinics cut waiting times."
    )
    assert (
        assemble_pitch(
            employer="Clinics", problem="cut waiting times", proof="i did it twice!", **kwargs
        )
        == "I help Clinics cut waiting times. I did it twice."
    )
