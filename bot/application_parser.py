"""Understand a plain message about a job application ("Applied to Stripe for a Senior PM
role yesterday", "Initech rejected me", a pasted job link) — pure: no Telegram, no database.

How a message is read, in order:

1. Clean-up (`application_text`): at most `MAX_INPUT` characters; Unicode NFC (so "Nestlé"
   stays one word), curly quotes and long dashes made plain, emoji turned into separators.
   Parts with a fixed shape are found and blanked out so no later step misreads them: the
   first link (`application_urls`), interview rounds ("2nd round" is not a date), clock
   times, then dates (`application_dates`).
2. Cues (`application_cues`): phrases that say what happened ("applied", "phone screen",
   "rejected me", "ghosted by", "offer from"…), each knowing where its company sits. Cues in
   a question ("should I apply?"), about someone else ("my friend got an offer") or only
   hoped for ("waiting for an offer") do not count. The strongest cue wins: accepted >
   withdrawn > rejected > no answer > offer > interview > screening > applied > saved.
3. Company and title (here): from the winning cue's slots (to/at/@/with/w//from/by name the
   company; for/as/about usually the title), the words just before it, other cues,
   "company: X", any "at/with/from X", the sentence's subject, loose pieces between commas
   or dashes ("Klarna - product designer - applied"), and last the link. A phrase in a
   company slot that ends in a title is split ("Pied Piper senior PM", "Stripe's PM role").
4. The date nearest the winning cue, resolved in the direction the status implies: the
   past for applied/rejected/offer, the future for interviews and screens unless the
   sentence is in the past tense ("had", "went", "interviewed"). An "applied" date after
   today or an interview date before it comes with a `DateConcern` to question.

No cue and no job link: not about an application, None. So is a plan to apply, or a
"saved" cue, that names no company and has no link ("I'm going to apply to more jobs").

Spanish reads the same way ("Me postulé a Stripe para un puesto de PM ayer"): Spanish
cues (`application_cues_es`), dates (`application_dates_es`) and words sit beside the
English ones, Spanish prepositions stand for their English twins ("en" for "at", "para"
for "for", "como" for "as"), and a Spanish title puts its head first ("puesto de *analista*
de datos"). A capitalised Spanish article belongs to the name ("El Corte Inglés").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Literal

from bot.application_cues import FIRST_PERSON, RANK, find_cues, strongest
from bot.application_dates import Preference, resolve_date
from bot.application_rules import Cue
from bot.application_status import Status
from bot.application_text import Message, Token
from bot.application_urls import JobLink
from bot.application_words import (
    COMMON_WORDS,
    GENERIC_NOUNS,
    GENERIC_STARTS,
    JOB_BOARDS,
    NAME_TRAILERS,
    PAST_TENSE_MARKERS,
    PEOPLE_WORDS,
    ROLE_FILLERS,
    ROLE_HEADS,
    ROLE_HEADS_ES,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    THROWAWAY_PHRASES,
    word_set,
)
from bot.date_mentions import DateMention

MAX_INPUT = 500  # characters kept before parsing
MAX_FIELD_CHARS = 200
MAX_NAME_WORDS = 6
MAX_NAME_CHARS = 80
MAX_NOTE_CHARS = 200


class DateConcern(StrEnum):
    """A date that is possible but unlikely for the stage: the bot asks before storing it."""

    # "applied ... tomorrow"
    APPLIED_IN_FUTURE = "applied_in_future"
    # an interview or screen dated before today
    INTERVIEW_IN_PAST = "interview_in_past"


@dataclass(frozen=True, slots=True)
class ParsedApplication:
    company: str | None  # as written, edges tidied ("Nestlé", "acme"); or a link's slug
    role: str | None  # "Senior PM", "data analyst" (no "role"/"position", no article)
    status: Status | None  # None only when the message names a company but no stage
    event_date: date | None  # the day the message is about; None when none (or vague)
    event_time: time | None  # "10am", "14:30"
    round: int | None  # "2nd round" = 2; "final round" = None with final_round
    final_round: bool
    url: str | None  # the job link, if one was pasted
    note: str | None  # leftover words worth keeping ("referral from Sam")
    confidence: float  # 0..1: how sure this is an application update with a usable company
    date_concern: DateConcern | None


def parse_application(text: str, *, now: datetime) -> ParsedApplication | None:
    """What `text` says about a job application, or None when it is not about one.

    `now` is the user's local wall-clock time; an aware datetime is read as its local
    wall-clock (its tzinfo is ignored), like a naive one."""
    clipped = text[:MAX_INPUT]
    if clipped.lstrip().startswith("/"):
        return None  # a command: the handlers own those
    message = Message.read(clipped)
    cues = find_cues(message)
    winner = strongest(cues)
    link = message.link
    if link is not None and not link.is_job and winner is None:
        link = None
    if winner is None and link is None:
        return None
    return _Reading(message, cues, winner, link, now.replace(tzinfo=None).date()).result()


# --- reading names and titles ---------------------------------------------------------

_COMPANY_PREPOSITIONS = word_set("to at @ with w/ w from by into 2")
# Away from a cue, "to" and "by" say too little ("went to the gym").
_LOOSE_PREPOSITIONS = word_set("at with w/ from incl including en con")
# Spanish prepositions read as their English twins, so one set of slot rules serves both.
_SPANISH_PREPOSITIONS = {"en": "at", "con": "with", "desde": "from", "para": "for", "como": "as"}
_ROLE_PREPOSITIONS = word_set("as about re regarding")
_NAME_JOINERS = word_set("of & and de du la le von van der del y")
# "and" usually lists two employers ("Monzo and Starling"); these names contain it.
_NAMES_WITH_AND = frozenset(
    {
        ("marks", "spencer"), ("johnson", "johnson"), ("procter", "gamble"),
        ("ernst", "young"), ("barnes", "noble"), ("black", "decker"), ("arm", "hammer"),
        ("tiffany", "co"), ("dolce", "gabbana"), ("bang", "olufsen"), ("ben", "jerry's"),
    }
)  # fmt: skip
_SPANISH_ARTICLES = word_set("el la los las un una mi mis su sus nuestro nuestra este esta")
_LEADING_ARTICLES = word_set("the my our their this that a an") | _SPANISH_ARTICLES
_INDEFINITE = word_set("a an un una")  # "a startup": not a name, so not stripped
# "puesto de analista", "rol como PM": a Spanish role noun leads into the title.
_ROLE_LINKS = word_set("de del como")
_EDGE_PUNCTUATION = " .,;:!?'\"-_*()[]{}"
_PAST_WORDS_THAT_ARE_NAMES = word_set("united limited red seed speed indeed need")
_MAX_SKIPPED_WORDS = 3


@dataclass(frozen=True, slots=True)
class _Span:
    first: int
    last: int


# Where the company was read: next to a cue, a guess (the sentence's subject, a loose
# piece between commas), or only a link's slug.
_Source = Literal["cue", "guess", "link"]
_COMPANY_CONFIDENCE: dict[_Source, float] = {"cue": 0.35, "guess": 0.2, "link": 0.1}


@dataclass(slots=True)
class _Found:
    """What has been read so far: token spans, and the text to return."""

    company: _Span | None = None
    role: _Span | None = None
    source: _Source = "cue"
    role_text: str | None = None
    company_text: str | None = None


class _Reading:
    """One message being turned into a ParsedApplication."""

    def __init__(
        self,
        message: Message,
        cues: list[Cue],
        winner: Cue | None,
        link: JobLink | None,
        today: date,
    ) -> None:
        self.message = message
        self.tokens = message.tokens
        self.cues = cues
        self.winner = winner
        self.link = link
        self.today = today
        self.cue_tokens = {i for cue in cues for i in range(cue.first, cue.last)}
        self.used: set[int] = set(self.cue_tokens)
        self.found = _Found()

    # -- the result

    def result(self) -> ParsedApplication | None:
        self._read_company_and_role()
        status = self.winner.status if self.winner is not None else Status.SAVED
        if self.winner is None or status in (Status.SAVED, None):
            has_link = self.link is not None and self.link.is_job
            if self.found.company_text is None and not has_link:
                return None  # "I'm going to apply to more jobs": no application to log
        mention = self._nearest_date()
        event_date = None
        if mention is not None:
            event_date = resolve_date(mention, today=self.today, prefer=self._preference(status))
        rounds = self.message.rounds
        number = next((r.number for r in rounds if r.number is not None), None)
        return ParsedApplication(
            company=self.found.company_text,
            role=self.found.role_text,
            status=status,
            event_date=event_date,
            event_time=self.message.times[0].value if self.message.times else None,
            round=number,
            final_round=any(r.final for r in rounds),
            url=self.link.url[:MAX_FIELD_CHARS] if self.link is not None else None,
            note=self._note(),
            confidence=self._confidence(status, event_date),
            date_concern=_concern(status, event_date, self.today),
        )

    def _confidence(self, status: Status | None, event_date: date | None) -> float:
        """0.85 and up: a stage and a company read right next to it ("applied to Stripe").
        About 0.7: the company is a good guess (the sentence's subject, a loose piece).
        Below 0.7: the company only comes from a link's slug, or there is none."""
        score = 0.0 if status is None else 0.3 if self.winner is None else 0.5
        if self.found.company_text is not None:
            score += _COMPANY_CONFIDENCE[self.found.source]
        if self.found.role_text is not None:
            score += 0.05
        if event_date is not None or self.message.times:
            score += 0.05
        return round(min(1.0, max(0.0, score)), 2)

    # -- dates

    def _nearest_date(self) -> DateMention | None:
        dates = self.message.dates
        if not dates:
            return None
        if self.winner is None:
            return dates[0]
        start, end = self.winner.start, self.winner.end
        return min(dates, key=lambda d: max(d.start - end, start - d.end, 0))

    def _preference(self, status: Status | None) -> Preference:
        if status not in (Status.INTERVIEW, Status.SCREENING) or self.winner is None:
            return "past"
        words = self.message.sentence_words(self.winner.first)
        return "past" if any(w in PAST_TENSE_MARKERS for w in words) else "future"

    # -- company and title

    def _read_company_and_role(self) -> None:
        ordered = self._cues_by_distance()
        for cue in ordered:
            self._read_slots(cue)
            if self.found.company is not None and self.found.role is not None:
                break
        self._read_keyed()
        if self.found.company is None:
            self._read_any_preposition()
        if self.found.company is None and self.winner is not None:
            self._read_subject(self.winner)
        self._read_pieces()
        self._read_link()

    def _cues_by_distance(self) -> list[Cue]:
        if self.winner is None:
            return []
        winner = self.winner
        rest = [cue for cue in self.cues if cue is not winner]
        rest.sort(key=lambda cue: (RANK[cue.status] == 0, abs(cue.start - winner.start)))
        return [winner, *rest]

    def _read_slots(self, cue: Cue) -> None:
        """The company and title around one cue: its prepositional phrases, then the words
        right before it."""
        slots = self._slots_after(cue) if cue.rule.after else []
        weak: list[_Span] = []
        for preposition, span in slots:
            if preposition == "" and self.message.word(cue.last - 1) in _COMPANY_PREPOSITIONS:
                preposition = self.message.word(cue.last - 1)  # "nothing from| Monese"
            if preposition in _COMPANY_PREPOSITIONS or (preposition == "" and cue.rule.bare):
                self._take_name_phrase(span)
            elif preposition == "":
                if self._role_like(span):
                    self._take_role(span)
            elif preposition in _ROLE_PREPOSITIONS:
                self._take_role(span)
            elif preposition == "for":
                weak.append(span)
        if cue.rule.before and self.found.company is None:
            before = self._phrase_before(cue.first)
            if before is not None:
                self._take_name_phrase(before)
        for span in weak:  # "for X": the title, unless nothing else named the company
            if self.found.company is None:
                self._take_name_phrase(span)
            else:
                self._take_role(span)

    def _slots_after(self, cue: Cue) -> list[tuple[str, _Span]]:
        """(preposition, phrase) pairs after a cue up to the end of its clause:
        "applied [to: Stripe] [for: a Senior PM role]". "" marks a phrase right after it.
        A few other words may sit between ("offer *came thru* from Deloitte")."""
        slots: list[tuple[str, _Span]] = []
        index, skipped = cue.last, 0
        while index < len(self.tokens) and skipped <= _MAX_SKIPPED_WORDS:
            if self.tokens[index].kind in ("end", "brk"):
                break
            if self.tokens[index].kind == "mask" or index in self.cue_tokens:
                index += 1  # a date, or another cue, inside the clause
                continue
            preposition = self._preposition(index)
            span = None
            if preposition:
                span = self._phrase_after(index + 1)
            elif index == cue.last:
                span = self._phrase_after(index)
            if span is not None:
                slots.append((preposition, span))
                index, skipped = span.last, 0
            else:
                index, skipped = index + 1, 0 if preposition else skipped + 1
        return slots

    def _preposition(self, index: int) -> str:
        """The slot a word opens ("to", "at" for "@", "for", "as"…), or ""."""
        token = self.tokens[index]
        if token.kind == "at":
            return "at"
        if token.low == "2":  # "applied 2 Hubspot", not "applied 2 days ago"
            return "to" if self.message.word(index + 1)[:1].isalpha() else ""
        word = _SPANISH_PREPOSITIONS.get(token.low, token.low)
        opens_slot = word in _COMPANY_PREPOSITIONS or word in _ROLE_PREPOSITIONS
        return word if opens_slot or word == "for" else ""

    def _phrase_after(self, first: int) -> _Span | None:
        index = first
        while index < len(self.tokens) and index - first < MAX_NAME_WORDS:
            if not self._continues_name(index, at_start=index == first):
                break
            index += 1
        return _Span(first, index) if index > first else None

    def _continues_name(self, index: int, *, at_start: bool) -> bool:
        token = self.tokens[index]
        if token.kind != "word" or index in self.cue_tokens:
            return False
        word = token.low
        if at_start and word in _LEADING_ARTICLES:
            return True  # before the joiners: Spanish "la" is both
        if word in _NAME_JOINERS:
            return not at_start and self._joins(index)
        if word in COMMON_WORDS:
            return self._capitalised_name_start(index)
        past_tense = word.endswith("ed") and len(word) >= 5
        return at_start or not past_tense or word in _PAST_WORDS_THAT_ARE_NAMES

    def _capitalised_name_start(self, index: int) -> bool:
        """ "with Just Eat", "from Thought Machine": a common word opens a name when it is
        capitalised mid-sentence and the next word is capitalised too."""
        if (
            self.message.all_caps
            or index == 0
            or self.message.sentence[index - 1] != self.message.sentence[index]
        ):
            return False
        previous = self.tokens[index - 1]
        if (
            previous.kind == "word"
            and previous.low not in _COMPANY_PREPOSITIONS
            and previous.low not in _LEADING_ARTICLES
        ):
            return False  # only at the start of a name
        if index + 1 >= len(self.tokens) or self.tokens[index + 1].kind != "word":
            return False
        word, following = (
            self.message.original(index, index + 1),
            self.message.original(index + 1, index + 2),
        )
        return (
            word[:1].isupper()
            and following[:1].isupper()
            and self.tokens[index].low not in FIRST_PERSON
        )

    def _joins(self, index: int) -> bool:
        """ "Bank of America", "Procter & Gamble", "Marks and Spencer"."""
        following = self.message.word(index + 1)
        if not following or following in COMMON_WORDS or (index + 1) in self.cue_tokens:
            return False
        if self.tokens[index].low != "and":
            return True
        return (self.message.word(index - 1), following) in _NAMES_WITH_AND

    def _phrase_before(self, last: int) -> _Span | None:
        first = last
        while first > 0 and last - first < MAX_NAME_WORDS:
            token = self.tokens[first - 1]
            if token.kind != "word" or (first - 1) in self.cue_tokens:
                break
            if token.low in COMMON_WORDS and token.low not in _NAME_JOINERS:
                break
            first -= 1
        while first < last and self.tokens[first].low in _NAME_JOINERS:
            first += 1
        return _Span(first, last) if last > first else None

    def _read_any_preposition(self) -> None:
        """ "Next step at Canva: panel interview": a company slot away from the cue."""
        for index, token in enumerate(self.tokens):
            if self.found.company is not None:
                return
            if index in self.used or (token.kind != "at" and token.low not in _LOOSE_PREPOSITIONS):
                continue
            span = self._phrase_after(index + 1)
            if span is not None:
                self._take_name_phrase(span, weak=True)

    def _read_subject(self, cue: Cue) -> None:
        """The first words of the cue's sentence: "Hooli wants to interview me"."""
        start, _ = self.message.sentence_span(cue.first)
        while start < cue.first and self.tokens[start].kind == "brk":
            start += 1
        span = self._phrase_after(start)
        if span is None or span.last > cue.first:
            return
        word = self.tokens[span.first].low
        if word.endswith("ed") and word not in _PAST_WORDS_THAT_ARE_NAMES:
            return  # "decided to withdraw…": a verb, not a subject
        self._take_name_phrase(span, weak=True)

    def _read_keyed(self) -> None:
        """ "company: Notion, role: product designer", "Role is software engineer",
        "empresa: Notion, puesto: diseñadora"."""
        for index, token in enumerate(self.tokens[:-1]):
            key = token.low
            following = self.tokens[index + 1]
            if key not in _COMPANY_KEYS and key not in _ROLE_KEYS:
                continue
            if following.low not in (":", "=", "is", "-", "es"):
                continue
            span = self._phrase_after(index + 2)
            if span is None:
                continue
            self.used.update((index, index + 1))
            if key in _COMPANY_KEYS and self.found.company is None:
                self._take_name_phrase(span)
            elif key in _ROLE_KEYS and self.found.role is None:
                self._take_role(span)

    def _read_pieces(self) -> None:
        """Loose pieces between punctuation: "Klarna - product designer role - applied"."""
        if self.found.company is not None and self.found.role is not None:
            return
        for span in self._pieces():
            if self._names_a_person(span):
                continue
            if self.found.role is None and self._role_like(span) and self._all_name_words(span):
                self._take_role(span)
            elif self.found.company is None and self._all_name_words(span):
                self._take_name_phrase(span, weak=True)

    def _pieces(self) -> Iterable[_Span]:
        """Runs of words not read yet, between punctuation, cues and blanked parts."""
        run: list[int] = []
        for index, token in enumerate([*self.tokens, Token(0, 0, "brk", "")]):
            if token.kind == "word" and index not in self.used:
                run.append(index)
                continue
            span = self._trim_piece(run)
            run = []
            if span is not None:
                yield span

    def _trim_piece(self, run: list[int]) -> _Span | None:
        if not run:
            return None
        first, last = run[0], run[-1] + 1
        while first < last and (
            self.tokens[first].low in COMMON_WORDS
            or self.tokens[first].low in _COMPANY_PREPOSITIONS
        ):
            first += 1
        while last > first and self.tokens[last - 1].low in COMMON_WORDS:
            last -= 1
        if last <= first or " ".join(t.low for t in self.tokens[first:last]) in THROWAWAY_PHRASES:
            return None
        return _Span(first, last)

    def _all_name_words(self, span: _Span) -> bool:
        words = [t.low for t in self.tokens[span.first : span.last]]
        return all(w not in COMMON_WORDS or w in _NAME_JOINERS for w in words)

    def _read_link(self) -> None:
        """Last resort: the employer's slug in a job link, and a title in its path."""
        if self.link is None:
            return
        if self.found.company_text is None and self.link.company:
            self.found.company_text = _clip(self.link.company)
            self.found.source = "link"
        if (
            self.found.role_text is None
            and self.link.role_slug
            and _title_words(self.link.role_slug.lower().split())
        ):
            self.found.role_text = _clip(self.link.role_slug)

    # -- taking a phrase

    def _take_name_phrase(self, span: _Span, *, weak: bool = False) -> None:
        """A phrase in a company slot: a name, a title, or a name then a title."""
        employer = self._employer_of_person(span)
        if employer is not None:
            span = employer  # "el hiring manager de Canva": Canva
        if self._names_a_person(span) or self._taken(span):
            return  # "with the hiring manager", "from my mentor"; or read already
        company, role = self._split_name_and_role(span)
        if company is not None and self.found.company is None:
            text = self._company_text(company)
            if text is not None:
                self.found.company, self.found.company_text = company, text
                self.found.source = "guess" if weak else "cue"
                self.used.update(range(company.first, company.last))
        if role is not None:
            self._take_role(role)

    def _employer_of_person(self, span: _Span) -> _Span | None:
        """ "la recruiter de Booking", "el hiring manager de Canva", "la oferta de Ericsson":
        the words after "de", when everything before it names a person or a job ad (Spanish
        joins them to the employer with "de")."""
        first = span.first
        while first < span.last and self._is_article(first):
            first += 1
        for index in range(first + 1, span.last - 1):
            if self.tokens[index].low in ("de", "del"):
                people = all(
                    self.tokens[i].low in PEOPLE_WORDS or self.tokens[i].low in _POSTINGS
                    for i in range(first, index)
                )
                return _Span(index + 1, span.last) if people else None
        return None

    def _taken(self, span: _Span) -> bool:
        """Already read as the company or the title (another cue may point at it again)."""
        return any(
            i in self.used and i not in self.cue_tokens for i in range(span.first, span.last)
        )

    def _names_a_person(self, span: _Span) -> bool:
        words = [t.low for t in self.tokens[span.first : span.last]]
        while words and words[0] in _LEADING_ARTICLES:
            words = words[1:]
        return bool(words) and words[0] in PEOPLE_WORDS and len(words) <= 3

    def _split_name_and_role(self, span: _Span) -> tuple[_Span | None, _Span | None]:
        """(name, title) in a company-slot phrase: "Stripe's PM role", "Pied Piper senior
        PM", "the Acme data analyst role", "the junior dev role" (title only)."""
        first, last = span.first, span.last
        while first < last and self._is_article(first):
            first += 1
        if last - first > 2 and self._role_noun_link(first):
            return None, _Span(first + 2, last)  # "puesto de analista de datos"
        if first < last and self.tokens[first].low in ROLE_HEADS_ES:
            return None, _Span(first, last)  # "para enfermera": a Spanish title, head first
        for index in range(first, last - 1):
            if self.tokens[index].low.endswith(("'s", "s'")):  # "Stripe's PM role"
                rest = _Span(index + 1, last)
                # The name span ends before its noun, so _company_text sees what it owns.
                return _Span(first, index + 1), rest if self._role_like(rest) else None
        while last > first and self.tokens[last - 1].low in NAME_TRAILERS - ROLE_NOUNS:
            last -= 1
        had_role_noun = last > first and self.tokens[last - 1].low in ROLE_NOUNS
        while last > first and self.tokens[last - 1].low in ROLE_NOUNS:
            last -= 1
        split = last
        if split > first and self.tokens[split - 1].low in ROLE_HEADS:
            while split > first and self._title_word(split - 1):
                split -= 1
        elif had_role_noun and not self._capitalised(first, last):
            split = first  # "the claims handler role": all of it is the title
        company = _Span(first, split) if split > first else None
        role = _Span(split, last) if last > split else None
        return company, role

    def _is_article(self, index: int, *, indefinite: bool = True) -> bool:
        """An article before a name or title: "the", "a", "el", "una"; a capitalised Spanish
        one mid-sentence belongs to the name ("con El Corte Inglés", "La Caixa")."""
        word = self.tokens[index].low
        if word not in _LEADING_ARTICLES or (not indefinite and word in _INDEFINITE):
            return False
        if word not in _SPANISH_ARTICLES or self.message.all_caps:
            return True
        return not self.message.original(index, index + 1)[:1].isupper()

    def _role_noun_link(self, index: int) -> bool:
        """ "puesto de", "rol como": a Spanish role noun, then the title."""
        return (
            index + 1 < len(self.tokens)
            and self.tokens[index].low in ROLE_NOUNS
            and self.tokens[index + 1].low in _ROLE_LINKS
        )

    def _capitalised(self, first: int, last: int) -> bool:
        """ "the Monzo job" names an employer; "the claims handler role" does not."""
        if self.message.all_caps or last <= first:
            return False
        return all(self.message.original(i, i + 1)[:1].isupper() for i in range(first, last))

    def _title_word(self, index: int) -> bool:
        word = self.tokens[index].low
        return word in ROLE_HEADS or word in ROLE_MODIFIERS or word in ROLE_FILLERS

    def _role_like(self, span: _Span) -> bool:
        words = [t.low for t in self.tokens[span.first : span.last]]
        return _title_words(words)

    def _company_text(self, span: _Span) -> str | None:
        """The name as the user wrote it, without "the", "team", "process" around it; None
        when it is no name ("a startup", "3 jobs", "LinkedIn", "the hiring manager")."""
        first, last = span.first, span.last
        while first < last and self._is_article(first, indefinite=False):
            first += 1
        while last > first and self.tokens[last - 1].low in NAME_TRAILERS:
            last -= 1
        words = [t.low for t in self.tokens[first:last]]
        if not words or not _plausible_name(words):
            return None
        text = self.message.original(first, last)
        following = self.message.word(last)
        if following and following not in COMMON_WORDS:
            # "Globex's offer": a possessive; "at Sainsbury's for": the name itself.
            text = re.sub(r"(?:'s|s')$", lambda m: "s" if m.group() == "s'" else "", text)
        text = text.strip(_EDGE_PUNCTUATION)
        return text if 0 < len(text) <= MAX_NAME_CHARS else None

    def _take_role(self, span: _Span) -> None:
        if self.found.role is not None or self._taken(span):
            return
        first, last = span.first, span.last
        while first < last:
            if self.tokens[first].low in ROLE_FILLERS or self.tokens[first].low in _FOR:
                first += 1
            elif last - first > 2 and self._role_noun_link(first):
                first += 2  # "puesto de PM" is the PM role
            else:
                break
        while last > first and (
            self.tokens[last - 1].low in ROLE_NOUNS or self.tokens[last - 1].low in NAME_TRAILERS
        ):
            last -= 1
        words = [t.low for t in self.tokens[first:last]]
        if not words or len(words) > MAX_NAME_WORDS or all(w in COMMON_WORDS for w in words):
            return
        if words[0] in GENERIC_STARTS or re.fullmatch(r"\d+(?:st|nd|rd|th)?", words[0]):
            return  # "for the 3rd time"
        text = self.message.original(first, last).strip(_EDGE_PUNCTUATION)
        if not text or len(text) > MAX_NAME_CHARS:
            return
        self.found.role, self.found.role_text = _Span(first, last), text
        self.used.update(range(first, last))

    # -- what is left

    def _note(self) -> str | None:
        """Words not understood but worth keeping ("referral from Sam")."""
        kept = []
        for span in self._pieces():
            words = [t.low for t in self.tokens[span.first : span.last]]
            content = [w for w in words if w not in COMMON_WORDS]
            if len(words) >= 2 and content and " ".join(words) not in THROWAWAY_PHRASES:
                kept.append(self.message.original(span.first, span.last))
        if not kept:
            return None
        return "; ".join(kept)[:MAX_NOTE_CHARS]


_LEVEL = re.compile(r"i{1,3}|iv|v|[1-9]|[lep][1-9]|level\s*[1-9]")
_FOR = word_set("for para como")
_POSTINGS = word_set("oferta vacante anuncio proceso convocatoria")
_COMPANY_KEYS = word_set("company employer empresa compañía compania")
_ROLE_KEYS = word_set("role position title job puesto rol cargo")


def _title_words(words: list[str]) -> bool:
    """Words that read as a job title: they end in a title word ("data analyst", "the PM
    role"), once fillers are dropped."""
    words = [w for w in words if w not in ROLE_FILLERS]
    if len(words) > 2 and words[0] in ROLE_NOUNS and words[1] in _ROLE_LINKS:
        words = words[2:]  # "puesto de analista"
    if words and words[0] in ROLE_HEADS_ES:
        return True  # Spanish titles start with their head: "analista de datos"
    while len(words) > 1 and _LEVEL.fullmatch(words[-1]):
        words = words[:-1]  # "Backend Engineer II", "engineer 2", "SWE L4"
    if not words or words[0] in GENERIC_STARTS:
        return False
    return words[-1] in ROLE_NOUNS or words[-1] in ROLE_HEADS


def _plausible_name(words: list[str]) -> bool:
    if len(words) > MAX_NAME_WORDS:
        return False
    if words[0] in GENERIC_STARTS or re.fullmatch(r"[~#]?\d+\+?", words[0]):
        return False  # "a startup", "3 jobs", "~10 companies"
    if all(w in COMMON_WORDS or w in GENERIC_NOUNS or w in _NAME_JOINERS for w in words):
        return False
    # Not "LinkedIn" (where the job was seen), not "the hiring manager" (a person).
    return words[0] not in JOB_BOARDS and not (words[0] in PEOPLE_WORDS and len(words) <= 3)


def _clip(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    return text[:MAX_FIELD_CHARS]


def _concern(status: Status | None, event_date: date | None, today: date) -> DateConcern | None:
    if event_date is None:
        return None
    if status is Status.APPLIED and event_date > today:
        return DateConcern.APPLIED_IN_FUTURE
    if status in (Status.INTERVIEW, Status.SCREENING) and event_date < today:
        return DateConcern.INTERVIEW_IN_PAST
    return None
