"""Assemble a two-sentence pitch from the user's answers (pure; the wording is a template)."""

from __future__ import annotations

from bot.why_statement import sentence_fragment


def _sentence(text: str) -> str:
    """An answer as a sentence of its own: capitalised, without its end punctuation."""
    cleaned = sentence_fragment(text)
    return cleaned[:1].upper() + cleaned[1:]


def assemble_pitch(
    *, employer: str | None, problem: str | None, proof: str | None, template: str, no_proof: str
) -> str | None:
    """ "I help <employer> <problem>. <Proof>." — None until employer and problem are known."""
    if not employer or not problem:
        return None
    # Employers are often names ("Google", "NHS trusts"): keep them as typed.
    who = sentence_fragment(employer, lower_first=False)
    what = sentence_fragment(problem)
    what = what.removeprefix("to ")
    if proof and sentence_fragment(proof):
        return template.format(employer=who, problem=what, proof=_sentence(proof))
    return no_proof.format(employer=who, problem=what)
