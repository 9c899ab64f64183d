"""Spanish cues: the phrases that say what happened to an application ("me postulé a",
"envié mi CV a", "entrevista con", "me rechazaron", "oferta de", "me retiré de"…), in the
form of `bot.application_cues` (pure). They match the accent-free copy of the message, so
"postulé" and "postule" are one word.

Spanish puts the company after a preposition that English lacks a slot for ("oferta *de*
Pied Piper", "me postulé *a* Stripe"): a cue takes that preposition in, and the phrase
right after it is the company (`bare`). "para" and "como" stay outside: they name the
role ("para un puesto de PM", "como analista").
"""

from __future__ import annotations

from collections.abc import Callable

from bot.application_rules import Rule, rule
from bot.application_status import Status
from bot.application_text import Message
from bot.application_words import ROLE_HEADS, ROLE_NOUNS, word_set
from bot.spanish_dates import fold

# What follows a verb that is not a job: "apliqué *el* feedback", "rechazaron *la* idea".
_OBJECTS = word_set("el la lo los las esto eso todo todos esa ese sus su tus")
_SEEN = word_set("vi visto encontre guarde guardado lei leido hay busco buscando publicaron")
_GOT = word_set("tengo recibi consegui hicieron hecho llego dieron")
_RELAXED_PRACTICE = word_set("simulacro preparar preparando prepararme practicar practicando")
_CONTACT = word_set("llamo llamaron escribio escribieron contacto contactaron hable hablamos")
_POSTING_BEFORE = {("a", "la"), ("en", "la"), ("para", "la"), ("a", "una"), ("en", "una")}
_SILENT = ("contest", "respond", "llam", "escrib", "dicho")
_CV = r"(?:cv|c\.v\.|curriculum|curriculo|candidatura|solicitud|aplicacion|postulacion|portfolio)"
_DOCUMENT = r"(?:mi|el|la|un|una)\s+" + _CV + r"|" + _CV


def _word(message: Message, index: int) -> str:
    return fold(message.word(index))


def _guard_object(message: Message, first: int, last: int) -> bool:
    """ "apliqué al puesto", not "apliqué el feedback" (a cue without its preposition)."""
    took_preposition = _word(message, last - 1) in ("a", "al", "en", "con", "para", "de", "del")
    return took_preposition or _word(message, last) not in _OBJECTS


def _guard_offer(message: Message, first: int, last: int) -> bool:
    """ "oferta de Stripe" is an offer; "vi una oferta de Stripe" or "me postulé a la oferta
    de Stripe" a job ad; "una oferta de trabajo" only an offer once someone made it ("me
    hicieron", "tengo")."""
    before = {_word(message, i) for i in range(max(0, first - 3), first)}
    if before & _SEEN:
        return False
    if (_word(message, first - 2), _word(message, first - 1)) in _POSTING_BEFORE:
        return False
    words = [_word(message, i) for i in range(first, last)]
    if "trabajo" in words or "empleo" in words:
        return bool(before & _GOT)
    return True


def _guard_posting(message: Message, first: int, last: int) -> bool:
    """ "oferta de trabajo de Microsoft (guardada)": a job ad, unless someone made it."""
    before = {_word(message, i) for i in range(max(0, first - 3), first)}
    return not before & _GOT


def _guard_silence(message: Message, first: int, last: int) -> bool:
    """ "nadie de Everis me ha contestado"."""
    return any(fold(w).startswith(_SILENT) for w in message.sentence_words(first))


def _guard_interview(message: Message, first: int, last: int) -> bool:
    """Not a mock one: "simulacro de entrevista", "preparar la entrevista"."""
    before = {_word(message, i) for i in range(max(0, first - 3), first)}
    return not before & _RELAXED_PRACTICE


def _guard_contact(message: Message, first: int, last: int) -> bool:
    """ "RRHH de Booking" counts only when someone got in touch ("me llamó")."""
    return any(fold(word) in _CONTACT for word in message.sentence_words(first))


def _guard_job_words(message: Message, first: int, last: int) -> bool:
    """ "quiero postularme": only about a job when a job word or link is there."""
    if message.link is not None and message.link.is_job:
        return True
    return any(w in ROLE_NOUNS or w in ROLE_HEADS for w in message.sentence_words(first))


def _es(
    status: Status | None,
    pattern: str,
    *,
    after: bool = True,
    before: bool = False,
    bare: bool = True,
    check: Callable[[Message, int, int], bool] | None = None,
) -> Rule:
    return rule(status, pattern, after=after, before=before, bare=bare, check=check, folded=True)


_TO = r"(?:\s+(?:a|al|en|con|para)\b)?"  # "me postulé a|en|para Stripe"
_FROM = r"(?:\s+(?:de|del|en|con|desde)\b)?"  # "oferta de Stripe", "me rechazaron en Initech"

SPANISH_RULES: tuple[Rule, ...] = (
    # applied
    _es(
        Status.APPLIED,
        r"\b(?:me\s+)?(?:postule|postulo|he\s+postulado|postulado|me\s+inscribi|"
        r"me\s+he\s+inscrito|me\s+apunte|me\s+he\s+apuntado|me\s+presente|"
        r"me\s+he\s+presentado)\b" + _TO,
    ),
    _es(
        Status.APPLIED,
        r"\b(?:aplique|he\s+aplicado|solicite|he\s+solicitado)\b" + _TO,
        check=_guard_object,
    ),
    _es(
        Status.APPLIED,
        r"\b(?:envie|mande|he\s+enviado|he\s+mandado|entregue|he\s+entregado|subi|he\s+subido|"
        r"presente|he\s+presentado)\s+(?:" + _DOCUMENT + r")\b" + _TO,
    ),
    _es(
        Status.APPLIED,
        r"\b" + _CV + r"\s+(?:enviad[oa]|mandad[oa]|entregad[oa]|presentad[oa])\b" + _TO,
        before=True,
    ),
    # screening
    _es(
        Status.SCREENING,
        r"\b(?:llamada|entrevista|filtro)\s+(?:telefonic[oa]\s+)?(?:de\s+)?"
        r"(?:preseleccion|cribado|screening)\b" + _FROM,
        before=True,
    ),
    _es(
        Status.SCREENING,
        r"\b(?:primera\s+llamada|llamada\s+(?:inicial|de\s+rrhh|de\s+recursos\s+humanos)|"
        r"llamada\s+con\s+(?:el\s+|la\s+)?(?:recruiter|reclutador|reclutadora|rrhh|"
        r"recursos\s+humanos|headhunter|hr))\b" + _FROM,
        before=True,
    ),
    _es(
        Status.SCREENING,
        r"\b(?:prueba|test|ejercicio|reto|caso)\s+(?:tecnic[oa]|practic[oa]|de\s+codigo|"
        r"de\s+programacion|online)\b" + _FROM,
        before=True,
    ),
    _es(
        Status.SCREENING,
        r"\b(?:(?:el|la|un|una)\s+)?(?:rrhh|recursos\s+humanos|recruiter|reclutador|"
        r"reclutadora|headhunter)\b" + _FROM,
        before=True,
        check=_guard_contact,
    ),
    # interview
    _es(
        Status.INTERVIEW,
        r"\b(?:tengo\s+(?:una\s+)?)?entrevistas?(?:\s+de\s+trabajo)?(?:\s+(?:tecnica|"
        r"presencial|online|virtual|grupal|telefonica|por\s+video|por\s+videollamada))?\b" + _FROM,
        before=True,
        check=_guard_interview,
    ),
    _es(
        Status.INTERVIEW,
        r"\b(?:me\s+)?(?:entrevistaron|han\s+entrevistado|entrevisto|ha\s+entrevistado|"
        r"van\s+a\s+entrevistar)\b" + _FROM,
        before=True,
    ),
    # offer
    _es(
        Status.OFFER,
        r"\b(?:me\s+)?(?:hicieron|han\s+hecho|hizo|ha\s+hecho)\s+(?:una\s+)?oferta\b" + _FROM,
        before=True,
    ),
    _es(
        Status.OFFER,
        r"\b(?:me\s+)?(?:ofrecieron|han\s+ofrecido|ofrecio|ha\s+ofrecido|dieron|han\s+dado)\s+"
        r"(?:el|un)\s+(?:puesto|trabajo|empleo|contrato)\b" + _FROM,
        before=True,
    ),
    _es(
        Status.OFFER,
        r"\b(?:consegui|he\s+conseguido)\s+(?:el|un)\s+(?:puesto|trabajo|empleo)\b" + _FROM,
    ),
    _es(
        Status.OFFER,
        r"\boferta(?:\s+formal|\s+verbal|\s+por\s+escrito)?(?:\s+de\s+(?:trabajo|empleo))?\b"
        + _FROM,
        before=True,
        check=_guard_offer,
    ),
    # accepted
    _es(
        Status.ACCEPTED,
        r"\b(?:acepte|he\s+aceptado)\s+(?:la\s+oferta|el\s+puesto|el\s+trabajo|"
        r"la\s+propuesta)\b" + _FROM,
    ),
    _es(
        Status.ACCEPTED,
        r"\b(?:empiezo|empezare|comienzo|me\s+incorporo|me\s+incorporare)\s+"
        r"(?:a\s+trabajar\s+)?(?:en|a|al|con)\b",
    ),
    _es(Status.ACCEPTED, r"\b(?:firme|he\s+firmado)\s+(?:el\s+contrato\s+)?(?:con|en)\b"),
    _es(
        Status.ACCEPTED,
        r"\bme\s+(?:contrataron|han\s+contratado|contrato|ha\s+contratado)\b" + _FROM,
        before=True,
    ),
    # rejected
    _es(
        Status.REJECTED,
        r"\b(?:me\s+)?(?:rechazaron|han\s+rechazado|rechazo|ha\s+rechazado|descartaron|"
        r"han\s+descartado|descarto|ha\s+descartado)\b"
        r"(?:\s+mi\s+(?:candidatura|cv|curriculum|solicitud|perfil|postulacion))?" + _FROM,
        before=True,
        check=_guard_object,
    ),
    _es(
        Status.REJECTED,
        r"\b(?:candidatura\s+)?(?:rechazad[oa]|descartad[oa])\b" + _FROM,
        before=True,
    ),
    _es(
        Status.REJECTED,
        r"\b(?:me\s+)?(?:dijeron|han\s+dicho|dijo|ha\s+dicho)\s+que\s+no\b" + _FROM,
        before=True,
    ),
    _es(
        Status.REJECTED,
        r"\bno\s+(?:me\s+)?(?:seleccionaron|han\s+seleccionado|cogieron|han\s+cogido|"
        r"eligieron|han\s+elegido|escogieron|quisieron)\b" + _FROM,
        before=True,
    ),
    _es(
        Status.REJECTED,
        r"\bno\s+(?:pase|he\s+pasado|supere|he\s+superado)\s+(?:(?:la|el|a\s+la)\s+)?"
        r"(?:entrevista|prueba(?:\s+tecnica)?|fase|filtro|siguiente\s+fase|proceso|corte|ronda)"
        r"(?:\s+(?:tecnica|final))?\b" + _FROM,
    ),
    _es(Status.REJECTED, r"\bun\s+no\s+(?:de|del)\b"),
    _es(
        Status.REJECTED,
        r"\bno\s+(?:siguen|seguiran|continuan|avanzan|van\s+a\s+seguir)\s+(?:adelante\s+)?"
        r"con\s+mi\s+(?:candidatura|perfil|proceso)\b" + _FROM,
        before=True,
    ),
    # withdrawn (above rejected: "rechacé la oferta" is the user saying no)
    _es(
        Status.WITHDRAWN,
        r"\b(?:me\s+)?(?:retire|he\s+retirado|me\s+he\s+retirado)"
        r"(?:\s+mi\s+(?:candidatura|solicitud|postulacion))?(?:\s+del\s+proceso)?\b" + _FROM,
    ),
    _es(
        Status.WITHDRAWN,
        r"\b(?:rechace|he\s+rechazado|decline|he\s+declinado|no\s+acepte)\s+"
        r"(?:la\s+oferta|la\s+propuesta|el\s+puesto)\b" + _FROM,
    ),
    _es(
        Status.WITHDRAWN,
        r"\b(?:abandone|he\s+abandonado|deje|he\s+dejado|me\s+baje|me\s+he\s+bajado)\s+"
        r"(?:el|del)\s+proceso\b" + _FROM,
    ),
    _es(
        Status.WITHDRAWN,
        r"\b(?:(?:decidi|he\s+decidido)\s+no\s+seguir|no\s+sigo)(?:\s+adelante)?"
        r"(?:\s+en\s+el\s+proceso)?\s+(?:con|en)\b",
    ),
    # no answer
    _es(
        Status.NO_ANSWER,
        r"\b(?:no\s+tengo|no\s+hay|sin|sigo\s+sin|todavia\s+sin|aun\s+sin|ninguna|ni)\s+"
        r"(?:noticias|respuesta|novedades)\b" + _FROM,
    ),
    _es(
        Status.NO_ANSWER,
        r"\b(?:nunca|no)\s+me\s+(?:han\s+)?(?:contestado|respondido|contestaron|respondieron|"
        r"contesto|respondio|dicho\s+nada|dijeron\s+nada|llamaron)\b" + _FROM,
        before=True,
    ),
    _es(Status.NO_ANSWER, r"\bnadie\s+(?:de|del|en)\b", check=_guard_silence),
    _es(
        Status.NO_ANSWER,
        r"\b(?:me\s+)?(?:ghostearon|han\s+ghosteado|ghosteo|hicieron\s+ghosting|"
        r"han\s+hecho\s+ghosting)\b" + _FROM,
        before=True,
    ),
    # saved: a job ad, or the plan to apply
    _es(
        Status.SAVED,
        r"\b(?:guarde|he\s+guardado|vi|he\s+visto|encontre|he\s+encontrado)\s+(?:una|un|la|el)\s+"
        r"(?:oferta|vacante|puesto|anuncio)(?:\s+de\s+(?:trabajo|empleo))?\b" + _FROM,
    ),
    _es(
        Status.SAVED,
        r"\b(?:oferta|vacante|anuncio)\s+de\s+(?:trabajo|empleo)\b" + _FROM,
        before=True,
        check=_guard_posting,
    ),
    _es(
        Status.SAVED,
        r"\b(?:quiero|voy\s+a|pienso|me\s+gustaria|tengo\s+que)\s+(?:postularme|postular|"
        r"aplicar|presentarme|enviar\s+mi\s+(?:cv|curriculum|candidatura))\b" + _TO,
        check=_guard_job_words,
    ),
    # where the company is, without a stage: "noticias de Duolingo"
    _es(
        None, r"\b(?:noticias|respuesta|correo|email|mail|llamada|mensaje|novedades)\s+(?:de|del)\b"
    ),
    _es(None, r"\b(?:candidatura|solicitud|postulacion)\b", bare=False),
)
