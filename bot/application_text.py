"""A job-application message made ready to read: cleaned, with the parts that have a
fixed shape (a link, interview rounds, clock times, dates) found and blanked out, and cut
into tokens that keep their place in the text (pure).

Blanking is what keeps later steps honest: once "2nd round" or "20/11" is blanked, the
cue and name readers cannot take "2nd" for a date or "20" for part of a company name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.application_dates import find_dates, find_times
from bot.application_urls import JobLink, find_link
from bot.application_words import word_set
from bot.date_mentions import DateMention, TimeMention
from bot.spanish_dates import MONTHS, fold

MASK = "\x1f"  # replaces text already understood (a link, a date) so nothing reads it twice

_PLAIN = str.maketrans(
    {
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
        "«": '"', "»": '"', "\u00a0": " ", "\u2009": " ", "\u202f": " ", "…": "...",
        "\r": "\n", "\t": " ",
    }
)  # fmt: skip
_LONG_DASH = re.compile(r"\s*[\u2012\u2013\u2014\u2015\u2212]+\s*")
_SPACES = re.compile(r"[ ]+")
_TOKEN = re.compile(
    r"(?P<mask>\x1f+)"
    r"|(?P<word>w/(?=\s|\w|$)|[\w][\w'&+.\-/]*[\w+]|[\w&])"
    r"|(?P<at>@)"
    r"|(?P<end>[.!?\n]+)"
    r"|(?P<brk>\S)"
)
# A full stop after these is part of the word, not the end of a sentence ("Acme Inc. for").
_ABBREVIATIONS = word_set(
    "inc corp ltd co llc plc sr jr st dr mr ms mrs vs bros dept approx incl eg"
)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_PLAIN)
    text = _LONG_DASH.sub(" - ", text)
    pieces = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n":
            pieces.append("\n")
        elif category in ("So", "Sk", "Co", "Cn", "Cs") or 0x1F000 <= ord(char) <= 0x1FAFF:
            pieces.append(" | ")  # an emoji ends a phrase: "Spotify 🙃 data analyst role"
        elif category[0] == "C" or category == "Me" or 0xFE00 <= ord(char) <= 0xFE0F:
            pieces.append(" " if category == "Cc" else "")  # controls, joiners, selectors
        else:
            pieces.append(char)
    return _SPACES.sub(" ", "".join(pieces)).strip()


def _same_length_lower(text: str) -> str:
    """Lower case with every character kept in place, so positions agree between the two."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    kind: str  # "word", "at" (@), "mask", "end" (of a sentence), "brk" (punctuation)
    low: str


@dataclass(frozen=True, slots=True)
class Round:
    start: int
    end: int
    number: int | None
    final: bool


_ROUND_NUMBERS = {
    "first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3,
    "three": 3, "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5, "five": 5,
    "sixth": 6, "6th": 6, "six": 6,
}  # fmt: skip
_ROUND = re.compile(
    r"\b(?P<ordinal>\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|final|last)"
    r"[- ]?(?:round|stage|interview)s?\b(?:\s+interview\b)?"
    r"|\bround\s*(?P<number>\d{1,2}|one|two|three|four|five|six)\b"
)


# "segunda ronda", "2ª entrevista", "ronda 2", "entrevista final" (on folded text).
_ROUND_NUMBERS_ES = {
    "primera": 1, "primer": 1, "segunda": 2, "segundo": 2, "tercera": 3, "tercer": 3,
    "cuarta": 4, "quinta": 5, "sexta": 6,
}  # fmt: skip
_ROUND_ES = re.compile(
    r"\b(?P<ordinal>primera|primer|segunda|segundo|tercera|tercer|cuarta|quinta|sexta|final|"
    r"ultima|\d{1,2}\s?[ªºa°])\s+(?:ronda|fase|entrevista)\b(?:\s+de\s+entrevistas?)?"
    r"|\b(?:ronda|fase|entrevista)\s+(?P<number>final|\d{1,2})\b(?![:/.]\d)"
    r"(?!\s+(?:de\s+)?(?:" + "|".join(MONTHS) + r")\b)"  # "entrevista 2 de diciembre": a date
)


def _find_rounds(lower: str) -> list[Round]:
    rounds = []
    for match in _ROUND.finditer(lower):
        word = match["ordinal"] or match["number"]
        final = word in ("final", "last")
        number = None if final else _ROUND_NUMBERS.get(word) or _digits(word)
        rounds.append(Round(match.start(), match.end(), number, final))
    for match in _ROUND_ES.finditer(fold(lower)):
        word = match["ordinal"] or match["number"]
        final = word in ("final", "ultima")
        number = None if final else _ROUND_NUMBERS_ES.get(word) or _digits(word)
        if all(match.end() <= r.start or match.start() >= r.end for r in rounds):
            rounds.append(Round(match.start(), match.end(), number, final))
    return sorted(rounds, key=lambda found: found.start)


def _digits(word: str) -> int | None:
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else None


@dataclass(slots=True)
class Message:
    text: str  # normalised, the user's casing, understood spans blanked with MASK
    lower: str
    link: JobLink | None
    rounds: list[Round]
    times: list[TimeMention]
    dates: list[DateMention]
    tokens: list[Token] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)  # sentence number of each token
    all_caps: bool = False  # SHOUTED: capital letters say nothing about names

    @classmethod
    def read(cls, raw: str) -> Message:
        text = _normalise(raw)
        message = cls(text, _same_length_lower(text), None, [], [], [])
        message.all_caps = not any(char.islower() for char in text)
        message.link = find_link(message.text)
        if message.link is not None:
            message.blank(message.link.start, message.link.end)
        message.rounds = _find_rounds(message.lower)
        for found in message.rounds:
            message.blank(found.start, found.end)
        message.times = find_times(message.lower)
        for found_time in message.times:
            message.blank(found_time.start, found_time.end)
        message.dates = find_dates(message.lower)
        for found_date in message.dates:
            message.blank(found_date.start, found_date.end)
        message.tokenise()
        return message

    def blank(self, start: int, end: int) -> None:
        filler = MASK * (end - start)
        self.text = self.text[:start] + filler + self.text[end:]
        self.lower = self.lower[:start] + filler + self.lower[end:]

    def tokenise(self) -> None:
        tokens: list[Token] = []
        for match in _TOKEN.finditer(self.lower):
            kind = match.lastgroup or "brk"
            if (
                kind == "end"
                and match.group() == "."
                and tokens
                and tokens[-1].low in _ABBREVIATIONS
            ):
                continue
            tokens.append(Token(match.start(), match.end(), kind, match.group()))
        sentence, number = [], 0
        for token in tokens:
            sentence.append(number)
            if token.kind == "end":
                number += 1
        self.tokens, self.sentence = tokens, sentence

    def original(self, first: int, last: int) -> str:
        """The user's text of tokens [first, last)."""
        return self.text[self.tokens[first].start : self.tokens[last - 1].end]

    def word(self, index: int) -> str:
        """The lower-case word at `index`, or "" for punctuation, blanks and out of range."""
        if 0 <= index < len(self.tokens) and self.tokens[index].kind in ("word", "at"):
            return self.tokens[index].low
        return ""

    def sentence_span(self, index: int) -> tuple[int, int]:
        number = self.sentence[index]
        first = index
        while first > 0 and self.sentence[first - 1] == number:
            first -= 1
        last = index
        while last + 1 < len(self.tokens) and self.sentence[last + 1] == number:
            last += 1
        return first, last + 1

    def sentence_words(self, index: int) -> list[str]:
        first, last = self.sentence_span(index)
        return [self.word(i) for i in range(first, last) if self.word(i)]
