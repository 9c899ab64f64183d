"""Translations: every text in every language, the same placeholders and tags, the right
language per context, and dates in the reader's language."""

from __future__ import annotations

from datetime import date

import pytest

from bot import i18n_catalog, locale_format, texts
from bot.i18n import (
    DEFAULT_LANGUAGE,
    TranslatedModule,
    current_language,
    resolve_language,
    set_language,
    tr,
    tr_any,
    use_language,
)
from bot.texts import team, why
from handlers.pitch import PITCH
from handlers.questionnaire import Questionnaire
from handlers.target import TARGET
from handlers.team import TEAM
from handlers.why import WHY

LANGUAGES = i18n_catalog.translation_languages()


@pytest.fixture(autouse=True)
def _english_afterwards() -> None:
    """Tests here switch languages; the next test starts in English."""
    set_language(DEFAULT_LANGUAGE)


# --- the catalogs ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_has_a_reviewed_translation(language: str) -> None:
    problems = [p for p in i18n_catalog.check(language) if "missing" in p or "fuzzy" in p]
    assert problems == [], (
        f"{len(problems)} texts without a translation; run `python scripts/i18n.py update`, "
        "translate, then `compile`:\n" + "\n".join(problems[:30])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_html_tags(language: str) -> None:
    problems = [
        p for p in i18n_catalog.check(language) if "placeholders" in p or "tags" in p or "&" in p
    ]
    assert problems == [], "\n".join(problems[:30])


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_is_up_to_date(language: str) -> None:
    problems = [p for p in i18n_catalog.check(language) if "out of date" in p]
    assert problems == [], "run `python scripts/i18n.py compile`"


def test_a_new_english_text_is_reported_until_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(texts, "BRAND_NEW", "A sentence nobody has translated yet", raising=False)
    problems = i18n_catalog.check("es")
    assert any("missing" in p and "A sentence nobody has translated yet" in p for p in problems)
    with use_language("es"):  # English meanwhile
        assert texts.BRAND_NEW == "A sentence nobody has translated yet"  # type: ignore[attr-defined]


def test_every_texts_module_translates_itself() -> None:
    modules = i18n_catalog.texts_modules()
    assert len(modules) > 10
    assert all(isinstance(module, TranslatedModule) for module in modules)


@pytest.mark.parametrize(
    ("msgid", "msgstr", "problem"),
    [
        ("Hi {name}!", "¡Hola!", "placeholders"),
        ("Hi {name}!", "¡Hola, {nombre}!", "placeholders"),
        ("{hour:02d}:{minute:02d}", "{hour}:{minute:02d}", "placeholders"),
        ("<b>Saved</b>", "Guardado", "HTML tags"),
        ("<b>Saved</b>", "<i>Guardado</i>", "HTML tags"),
        ("Tools &amp; data", "Herramientas & datos", "bare &"),
        ("Hi {name}", "¡Hola, {name!", "broken braces"),
    ],
)
def test_a_translation_that_would_break_the_message_is_reported(
    msgid: str, msgstr: str, problem: str
) -> None:
    assert any(problem in found for found in i18n_catalog.message_problems(msgid, msgstr))


def test_a_faithful_translation_passes_even_with_tags_reordered() -> None:
    msgid = "<b>{count} weeks</b> to <i>{date}</i>, {plural}"
    msgstr = "<i>{date}</i>: <b>{count} semanas</b> {plural}"
    assert i18n_catalog.message_problems(msgid, msgstr) == []


def test_texts_without_words_are_not_sent_to_translators() -> None:
    messages = i18n_catalog.collect_messages()
    assert "—" not in messages and "{count} {stage}" not in messages
    assert texts.WELCOME in messages


def test_codes_inside_texts_are_never_msgids() -> None:
    """Command names and choice codes travel in callback data: never translated."""
    messages = i18n_catalog.collect_messages()
    assert not {"start", "why", "boss", "emotional", "tech"} & set(messages)


# --- choosing the language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("es", "es"),
        ("es-ES", "es"),
        ("es-419", "es"),
        ("ES_mx", "es"),
        ("en", "en"),
        ("en-GB", "en"),
        ("fr", "en"),
        ("pt-BR", "en"),
        (None, None),
        ("", None),
    ],
)
def test_telegram_language_codes_map_to_the_languages_spoken(
    code: str | None, language: str | None
) -> None:
    assert resolve_language(code) == language


def test_tr_follows_the_current_language_and_use_language_restores_it() -> None:
    assert tr(texts.CANCELLED) == texts.CANCELLED
    with use_language("es-419"):
        assert current_language() == "es"
        assert tr("Okay, stopped there. Everything you already told me is saved.").startswith(
            "Vale"
        )
        with use_language("en"):
            assert texts.CANCELLED.startswith("Okay")
        assert texts.CANCELLED.startswith("Vale")
    assert current_language() == "en"
    assert texts.CANCELLED.startswith("Okay")


def test_text_outside_the_catalog_is_left_as_it_is() -> None:
    with use_language("es"):
        assert tr("Business Intelligence Analysts") == "Business Intelligence Analysts"
        assert tr("") == ""


def test_constants_read_in_the_current_language_keeping_keys_and_codes() -> None:
    with use_language("es"):
        assert texts.WELCOME.startswith("¡Hola, {name}!")
        assert why.PUSH_CHOICES[0] == ("boss", "😤 Mi jefe o jefa")
        assert why.STAY_WHAT["boss"] == "tu jefe o jefa"
        assert [code for code, _description in texts.COMMANDS][:3] == ["start", "next", "why"]
        assert team.ROLES[0][0] == "emotional"
        assert texts.FLOW_NAMES["plan"] == "tu plan"


def test_tr_any_translates_nested_values_and_leaves_other_values_alone() -> None:
    value = {"a": ("✅ Done", 3), "b": [("boss", "✅ Done")], "c": None}
    with use_language("es"):
        assert tr_any(value) == {"a": ("✅ Listo", 3), "b": [("boss", "✅ Listo")], "c": None}
    assert tr_any(value) is value  # English: the constant itself, untouched


@pytest.mark.parametrize("questionnaire", [WHY, TARGET, TEAM, PITCH], ids=lambda q: q.step)
def test_questionnaire_texts_declared_at_import_are_msgids(questionnaire: Questionnaire) -> None:
    """The engine translates plain strings when it shows them: each must be a msgid (text
    formatted at import would stay English); formatted ones must be callables."""
    messages = i18n_catalog.collect_messages()
    declared = [questionnaire.intro, questionnaire.review_header]
    for question in questionnaire.questions:
        declared += [text for text in (question.label, question.prompt) if isinstance(text, str)]
        if not callable(question.choices):
            declared += [choice.label for choice in question.choices]
    untranslatable = [
        text for text in declared if i18n_catalog.needs_translation(text) and text not in messages
    ]
    assert untranslatable == []


# --- dates and numbers -------------------------------------------------------------------------


def test_dates_read_in_the_current_language() -> None:
    day = date(2026, 11, 23)
    assert locale_format.long_date(day) == "Monday 23 November 2026"
    assert locale_format.short_date(day) == "23 Nov"
    assert locale_format.weekday_name(0) == "Monday"
    assert locale_format.weekday_button(2) == "Wed"
    with use_language("es"):
        assert locale_format.long_date(day) == "lunes 23 de noviembre de 2026"
        assert locale_format.short_date(day) == "23 nov"
        assert locale_format.weekday_name(6) == "domingo"
        assert locale_format.weekday_button(2) == "Mié"
        assert locale_format.month_short_names()[:3] == ("ene", "feb", "mar")


def test_numbers_read_in_the_current_language() -> None:
    assert locale_format.number(1234.5) == "1,234.5"
    with use_language("es"):
        assert locale_format.number(12345.5) == "12.345,5"
