"""Spanish date words for the date readers (pure).

Two uses:

* `fold` gives a same-length, accent-free lower case copy of a text, so patterns written
  without accents ("manana", "proximo") also match what people type with them, and the
  positions found still point into the original.
* `to_english` rewrites a short Spanish date answer ("en 6 meses", "a finales del año que
  viene", "el próximo martes", "1 de marzo de 2027") into the English phrase that
  `bot.deadline` and `bot.clock_parsing` already read ("in 6 months", "end of next year",
  "next tuesday", "1 march 2027"), so both languages share one set of rules.

Choices (people could mean otherwise): "el próximo martes" and "el martes que viene" are
the next Tuesday after today (English "next Tuesday" in a message is the following
week's; in Spanish usage "próximo" is simply the coming one); "a finales de" is "end of",
"a principios de" is "start of", "a mediados de" is "mid".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

WEEKDAYS = {
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5,
    "domingo": 6,
}  # fmt: skip
WEEKDAY_NAMES_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "enero": 1, "ene": 1, "febrero": 2, "feb": 2, "marzo": 3, "mar": 3, "abril": 4, "abr": 4,
    "mayo": 5, "may": 5, "junio": 6, "jun": 6, "julio": 7, "jul": 7, "agosto": 8, "ago": 8,
    "septiembre": 9, "setiembre": 9, "sept": 9, "sep": 9, "octubre": 10, "oct": 10,
    "noviembre": 11, "nov": 11, "diciembre": 12, "dic": 12,
}  # fmt: skip
MONTH_NAMES_EN = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
NUMBERS = {
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15,
    "dieciocho": 18, "veinte": 20, "veinticuatro": 24, "treinta": 30, "un par de": 2,
    "par de": 2, "un par": 2,
}  # fmt: skip
UNITS = {
    "dia": "day", "dias": "days", "semana": "week", "semanas": "weeks", "quincena": "fortnight",
    "quincenas": "fortnights", "mes": "month", "meses": "months", "ano": "year",
    "anos": "years", "trimestre": "quarter",
}  # fmt: skip
SEASONS = {"primavera": "spring", "verano": "summer", "otono": "autumn", "invierno": "winter"}


def _accent_free(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isascii() else char


# Latin letters with accents → their base letter (a table: this runs on every message).
_ACCENTS = {code: _accent_free(chr(code)) for code in range(0xC0, 0x250)}


def fold(text: str) -> str:
    """Lower case without accents, one character for one ("Mañana" → "manana")."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowers to two characters: keep positions
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_ACCENTS)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_MONTH = _alternation(MONTHS)
_WEEKDAY = _alternation(WEEKDAYS)
_NUMBER = r"\d{1,4}(?:[.,]\d{1,2})?|" + _alternation(NUMBERS)
_UNIT = _alternation(UNITS)
_SEASON = _alternation(SEASONS)
_NOUN = r"ano|mes|semana|trimestre|" + _SEASON  # what "que viene" / "próximo" qualify
_NEXT = r"(?:proximo|proxima|siguiente)"
_ARTICLE = r"(?:el|la|los|las)"


def _number(word: str) -> str:
    word = " ".join(word.split())
    return str(NUMBERS[word]) if word in NUMBERS else word


# Applied in order, on folded text; each turns a Spanish shape into its English twin.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bdel\b", "de el"),
        (r"\bal\b", "a el"),
        (r"\bpasado\s+manana\b", "in 2 days"),
        (r"\bmanana\b", "tomorrow"),
        (r"\bhoy\b", "today"),
        (r"\b(?:a\s+partir\s+de|desde)\s+(?:today|ahora)\b", "from now"),
        (r"\bde\s+aqui\s+a\b", "in"),
        (r"\b(?:como\s+muy\s+tarde|a\s+mas\s+tardar|como\s+maximo)\b", "at the latest"),
        (r"\b(?:mas\s+o\s+menos|aproximadamente|alrededor\s+de|hacia|sobre|unos|unas)\b", "about"),
        (r"\b(?:a\s+)?(?:finales|final|fin)\s+de\b", "end of"),
        (r"\b(?:a\s+)?(?:principios|comienzos|inicios|inicio|comienzo)\s+de\b", "start of"),
        (r"\b(?:a\s+)?mediados\s+de\b", "mid"),
        (r"\bend\s+of\s+(?:el\s+)?ano\b(?!\s+que\s+viene)", "end of this year"),
        # "el año que viene", "la próxima primavera", "el mes siguiente"
        (rf"\b(?:{_ARTICLE}\s+)?({_NOUN})\s+(?:que\s+viene|{_NEXT})\b", r"next \1"),
        (rf"\b(?:{_ARTICLE}\s+)?{_NEXT}\s+({_NOUN})\b", r"next \1"),
        (rf"\b(?:{_ARTICLE}\s+)?(?:este|esta)\s+({_NOUN})\b", r"this \1"),
        # weekdays: "el próximo martes", "el martes que viene", "el lunes pasado"
        (rf"\b(?:el\s+)?(?:{_NEXT}\s+)?({_WEEKDAY})\s+(?:que\s+viene|{_NEXT})\b", r"next \1"),
        (rf"\b(?:el\s+)?{_NEXT}\s+({_WEEKDAY})\b", r"next \1"),
        (rf"\b(?:el\s+)?(?:pasado\s+)?({_WEEKDAY})\s+pasado\b", r"last \1"),
        # "1 de marzo de 2027", "marzo de 2027", "finales de marzo de el next year"
        (rf"\b(\d{{1,2}})\s+de\s+({_MONTH})\b", r"\1 \2"),
        (rf"\b({_MONTH})\s+de\s+((?:19|20|21)\d\d)\b", r"\1 \2"),
        (rf"\b({_MONTH}|{_SEASON})\s+de\s+(?:el\s+)?((?:next|this)\s+ano)\b", r"\1 \2"),
        (rf"\b({_SEASON})\s+de\s+((?:19|20|21)\d\d)\b", r"\1 \2"),
        # quarters: "T2 2027", "el segundo trimestre"
        (r"\b(?:t|q)([1-4])\b", r"q\1"),
        (r"\b(?:el\s+)?(?:primer|primero)\s+trimestre\b", "q1"),
        (r"\b(?:el\s+)?segundo\s+trimestre\b", "q2"),
        (r"\b(?:el\s+)?(?:tercer|tercero)\s+trimestre\b", "q3"),
        (r"\b(?:el\s+)?cuarto\s+trimestre\b", "q4"),
        (r"\b(q[1-4])\s+de\s+((?:19|20|21)\d\d)\b", r"\1 \2"),
        # durations: "seis meses", "año y medio", "medio año", "un par de semanas"
        (rf"\b(?:un\s+|una\s+)?({_UNIT})\s+y\s+medi[oa]\b", r"1 \1 and a half"),
        (rf"\b({_NUMBER})\s+({_UNIT})\s+y\s+medi[oa]\b", r"\1 \2 and a half"),
        (rf"\bmedi[oa]\s+({_UNIT})\b", r"half a \1"),
        (r"\b(?:en|dentro\s+de)\b", "in"),
        (r"\b(?:para|antes\s+de|hasta)\b", "by"),
        (rf"^{_ARTICLE}\s+", "the "),
    )
)
_SPANISH_WORD = re.compile(
    rf"\b(?:{_MONTH}|{_WEEKDAY}|{_UNIT}|{_SEASON}|manana|hoy|que\s+viene|{_NEXT}|pasado|"
    r"finales|principios|mediados|dentro|para|antes|hasta|en|el|t[1-4])\b"
)


def to_english(text: str) -> str | None:
    """The English twin of a Spanish date phrase, or None when `text` has no Spanish date
    words (English stays with the English reader, untouched)."""
    folded = " ".join(fold(text).split())
    if not _SPANISH_WORD.search(folded) or _is_english(folded):
        return None
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    folded = re.sub(rf"\b({_NUMBER})\s+({_UNIT})\b", _words_to_english, folded)
    folded = re.sub(rf"\b({_UNIT})\b", lambda m: UNITS[m[1]], folded)
    folded = re.sub(rf"\b({_SEASON})\b", lambda m: SEASONS[m[1]], folded)
    folded = re.sub(rf"\b({_MONTH})\b", lambda m: MONTH_NAMES_EN[MONTHS[m[1]] - 1], folded)
    folded = re.sub(rf"\b({_WEEKDAY})\b", lambda m: WEEKDAY_NAMES_EN[WEEKDAYS[m[1]]], folded)
    folded = re.sub(r"\b(?:de|el|la|los|las)\b", " ", folded)
    return " ".join(folded.split())


def _words_to_english(match: re.Match[str]) -> str:
    return f"{_number(match[1])} {UNITS[match[2]]}"


# Words only English has: "may", "mar", "sep" alone prove nothing, these do.
_ENGLISH_ONLY = re.compile(
    r"\b(?:in|by|of|the|next|end|before|until|months?|weeks?|years?|days?|spring|summer|"
    r"autumn|fall|winter|january|february|march|april|june|july|august|september|october|"
    r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|"
    r"today)\b"
)


def _is_english(folded: str) -> bool:
    return _ENGLISH_ONLY.search(folded) is not None and not re.search(
        rf"\b(?:{_UNIT}|manana|hoy|que\s+viene|{_NEXT}|finales|principios|mediados|dentro)\b",
        folded,
    )
