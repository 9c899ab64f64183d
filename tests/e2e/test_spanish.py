"""A Spanish speaker's journey, in Spanish from the first word to the weekly check-in; and
a user who picks their language in /settings, which Telegram's language no longer changes.
The harness clock starts on Sunday 22 November 2026, 13:00 in Madrid."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import i18n_catalog
from storage.models import Application
from storage.repositories.applications import ApplicationRepository
from tests.e2e.conftest import load_user
from tests.harness import BotHarness, ChatUser, bot_harness

MONDAY_9_MADRID = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
_FIELD = re.compile(r"\{[^{}]*\}|<[^>]+>|\n")


def english_leaks(texts: list[str]) -> list[str]:
    """English sentences from the catalogs that a reply still contains: any literal run of
    25+ characters of a msgid (between its placeholders and tags)."""
    runs = {
        run.strip()
        for msgid in i18n_catalog.collect_messages()
        for run in _FIELD.split(msgid)
        if len(run.strip()) >= 25
    }
    return sorted({run for run in runs for text in texts if run in text})


async def stored_applications(harness: BotHarness, user: ChatUser) -> list[Application]:
    assert harness.application is not None
    async with harness.application.services.sessions() as session:
        return await ApplicationRepository(session).all_for_user(user_id=user.user_id)


async def onboard_in_spanish(harness: BotHarness) -> ChatUser:
    ana = harness.user("Ana", language_code="es-ES")
    await ana.send("/start")
    await ana.expect("¡Hola, Ana!", "coach de cambio de carrera", "¿dónde estás?")
    await ana.send("Madrid")
    await ana.expect("Madrid", "del domingo", "¿Es correcto?")
    await ana.press("Sí")
    await ana.expect("zona horaria está guardada", "lunes a las 09:00", "/why")
    return ana


async def test_a_spanish_speaker_goes_through_the_journey_in_spanish(
    harness: BotHarness,
) -> None:
    ana = await onboard_in_spanish(harness)

    # /why: buttons, the pitfalls, the statement in her words
    await ana.send("/why")
    await ana.expect("¿Por qué quieres cambiar?", "¿Qué te empuja")
    await ana.press("El aburrimiento")
    await ana.press("Listo")
    await ana.expect("¿qué te atrae hacia algo nuevo?")
    await ana.send("Trabajar con datos para ayudar a decidir")
    await ana.expect("Imagina que mañana cambiara el aburrimiento")
    await ana.press("me iría igualmente")
    await ana.expect("día a día")
    await ana.press("poco por ahora")
    await ana.expect("un café", "¿Por qué es importante para ti?")
    await ana.send("Me gusta descubrir la verdad")
    await ana.expect("¿y por qué es importante eso?")
    await ana.send("Las buenas decisiones mejoran la vida de la gente")
    await ana.expect("Una última vuelta")
    await ana.send("/skip")
    proposal = await ana.expect("Este es tu porqué en una frase")
    assert (
        "Quiero avanzar hacia trabajar con datos para ayudar a decidir porque las buenas "
        "decisiones mejoran la vida de la gente." in proposal
    )
    await ana.press("Usar esta")
    await ana.expect("Tu porqué está guardado", "/target")

    # /target: occupation titles stay in English (O*NET), everything around them is Spanish
    await ana.send("/target")
    await ana.expect("Pongamos nombre al trabajo")
    await ana.send("data analyst")
    candidates = await ana.expect("¿Cuál de estas se parece más a «data analyst»?")
    assert candidates.buttons[-1] == "🙅 Ninguna de estas"
    await ana.press("Business Intelligence Analysts")
    sectors = await ana.expect("¿En qué sector")
    assert "🏦 Finanzas" in sectors.buttons
    await ana.press("Finanzas")
    await ana.expect("un día típico de", "¿Cuáles de estas te")
    await ana.press("1")
    await ana.press("Listo")
    await ana.expect("¿Y cuáles")
    await ana.send("/skip")
    await ana.expect("¿Cuánta seguridad tienes")
    await ana.press("4")
    await ana.expect("este mes")
    await ana.send("Un café con Lucía, analista en mi banco")
    await ana.expect("¿Para cuándo lo harás?")
    await ana.send("el próximo viernes")
    await ana.expect("Objetivo guardado", "viernes 27 de noviembre de 2026", "/gaps")

    # /plan: a deadline in Spanish words, confirmed as a Spanish date
    await ana.send("/plan")
    await ana.expect("Vamos a convertir tu cambio en un plan", "¿Para cuándo")
    await ana.send("en 6 meses")
    confirm = await ana.expect("sábado 22 de mayo de 2027", "¿Correcto?")
    assert confirm.buttons == ["✅ Sí", "✏️ No, quiero corregirlo"]
    await ana.press("Sí")
    await ana.expect("¿Cuántas horas a la semana")
    await ana.send("6")
    await ana.expect(
        "¡Tu hoja de ruta está lista!", "26 semanas hasta el sábado 22 de mayo de 2027"
    )

    # an application told in plain Spanish, confirmed with one tap
    await ana.send("Me postulé a Stripe para un puesto de PM ayer")
    card = await ana.expect(
        "Nueva candidatura", "Stripe", "PM", "Enviada", "sábado 21 de noviembre de 2026"
    )
    assert card.buttons[0] == "✅ Guardar"
    await ana.press("Guardar")
    await ana.expect("Guardada", "Stripe — PM", "enviada", "/apps")
    (stored,) = await stored_applications(harness, ana)
    assert (stored.company, stored.role, stored.status) == ("Stripe", "PM", "applied")

    # the weekly check-in arrives in Spanish, on Monday at 09:00 in Madrid
    harness.clock.now = MONDAY_9_MADRID + timedelta(seconds=5)
    assert (await harness.dispatch()).sent == 1
    prompt = await ana.expect("Check-in semanal", "¡Hola, Ana!")
    assert prompt.buttons == ["✍️ Vamos", "⏰ Más tarde", "Saltar esta semana"]
    await ana.press("Vamos")
    await ana.expect("1/5", "¿Qué has hecho esta semana")
    await ana.send("Terminé el módulo 2 del curso de SQL")
    await ana.expect("2/5")
    await ana.send("/skip")
    await ana.expect("3/5", "ha ido bien")
    await ana.send("Estudié cada mañana antes del trabajo")
    await ana.expect("4/5")
    await ana.send("Enviar dos candidaturas el martes")
    await ana.expect("5/5", "¿Cuánta confianza")
    await ana.press("4")
    await ana.expect("Check-in guardado", "Enviar dos candidaturas el martes", "1 semana seguida")

    await ana.send("/progress")
    await ana.expect("Tu progreso", "Racha de 1 semana", "Hoja de ruta", "Enviadas 1")

    await ana.send("/help")
    help_text = await ana.expect("Esto es lo que puedo hacer", "/settings")
    assert "Tu mejor siguiente paso" in help_text

    seen = [m.text or m.caption or "" for m in harness.stub.messages(ana.user_id)]
    seen += [b for m in harness.stub.messages(ana.user_id) for b in m.button_texts()]
    assert english_leaks(seen) == []


async def test_one_dispatch_speaks_each_recipients_language(harness: BotHarness) -> None:
    ada = await harness.onboard("Ada", city="Paris")
    ana = await onboard_in_spanish(harness)
    harness.clock.now = MONDAY_9_MADRID + timedelta(seconds=5)  # 09:00 in Paris too
    assert (await harness.dispatch()).sent == 2
    await ada.expect("Weekly check-in", "Hi Ada")
    await ana.expect("Check-in semanal", "¡Hola, Ana!")


async def test_commands_menu_is_set_in_every_language(harness: BotHarness) -> None:
    menus = {
        call.params.get("language_code"): call.params["commands"]
        for call in harness.stub.calls
        if call.method == "setMyCommands" and "scope" not in call.params
    }
    assert set(menus) == {None, "es"}
    spanish = {command["command"]: command["description"] for command in menus["es"]}
    english = {command["command"]: command["description"] for command in menus[None]}
    assert set(spanish) == set(english)
    assert spanish["why"] == "Por qué quieres este cambio, en una frase"


async def test_a_language_chosen_in_settings_outlasts_telegrams_and_a_restart(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with bot_harness(sqlite_url) as harness:
        async with harness.running():
            ben = await harness.onboard("Ben")  # Telegram in English
            await ben.send("/settings")
            await ben.expect("Your settings", "Language: English")
            await ben.press("Language")
            choice = await ben.expect("Which language would you like me to speak?")
            assert choice.buttons == ["English", "Español", "⬅️ Back"]
            await ben.press("Español")
            menu = await ben.expect(
                "a partir de ahora te hablo en español", "Tus ajustes", "Idioma: Español"
            )
            assert "🌐 Idioma" in menu.buttons
            commands = [
                call.params
                for call in harness.stub.calls
                if call.method == "setMyCommands" and "scope" in call.params
            ]
            assert commands and commands[-1]["commands"][0]["description"].startswith("Empieza")
            await ben.send("/help")
            await ben.expect("Esto es lo que puedo hacer")
            user = await load_user(harness, ben.user_id)
            assert (user.language, user.language_chosen) == ("es", True)
        # A new process knows nobody yet: the stored choice still beats Telegram's "en".
        async with harness.running():
            await ben.send("/next")
            await ben.expect("👉", "empieza por la razón de tu cambio")
            await ben.send("/settings")
            await ben.expect("Tus ajustes", "Idioma: Español")
            await ben.press("Idioma")
            await ben.press("English")
            await ben.expect("from now on I'll speak English", "Your settings")


async def test_telegram_language_is_followed_until_the_user_chooses(harness: BotHarness) -> None:
    ana = await onboard_in_spanish(harness)
    user = await load_user(harness, ana.user_id)
    assert (user.language, user.language_chosen) == ("es", False)
    # Her Telegram app switches to English: the bot follows, as she never chose.
    harness.stub.user(ana.user_id).language_code = "en"
    await ana.send("/help")
    await ana.expect("Here's what I can do")
    user = await load_user(harness, ana.user_id)
    assert user.language == "en"
