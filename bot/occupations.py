"""O*NET® occupations: match a typed job title, and profile an occupation for the skill-gap audit.

Pure Python, no Telegram. The data ships in `bot/data/onet/` (built by
`scripts/build_onet_subset.py` from the O*NET 30.2 Database; see ATTRIBUTION.md there).

Title matching works on words, not characters. Titles and queries go through the same
normalisation (case, accents, punctuation, plurals, a few abbreviations), then each query
word is found in an inverted index of title words; a word the index does not know is
corrected to index words within one or two edits (rapidfuzz). A title scores by how much of
the query it covers (70 %) and how much of it the query covers (30 %), so "product manager"
prefers "Digital Product Manager" to the look-alike "Production Manager", and a query half
made of unknown words ("dragon tamer") never reaches the cut-off.
"""

from __future__ import annotations

import gzip
import json
import math
import operator
import re
import sys
import threading
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

Area = Literal["technical", "soft", "knowledge", "tools"]

DATA_DIR = Path(__file__).resolve().parent / "data" / "onet"
MAX_QUERY_LENGTH = 200
# A title must score at least this to be offered. With two query words, a title that
# matches only one of them scores at most 65, so half-nonsense queries stay out, while
# one typo in a two-word title still scores over 90.
MIN_SCORE = 70.0
_COVERAGE_WEIGHT = 0.7  # share of the score for "the title says everything the user typed"
# Ranking bonuses reorder occupations whose titles score about the same; together they
# stay under the 5 points between an exact title and its closest variant.
_OFFICIAL_BONUS = 5.0  # the occupation's own title outranks its alternate titles
_MAX_SUPPORT_BONUS = 3.5
_MAX_OWN_TITLE_BONUS = 1.0
_NO_TASKS_PENALTY = 5.0  # residual codes with no data are offered only after real ones
_LV_MAX = 7.0
_BOT_SCALE_MAX = 5


@dataclass(frozen=True, slots=True)
class TitleMatch:
    code: str  # O*NET-SOC code, e.g. "15-1252.00"
    title: str  # the occupation's official title, e.g. "Software Developers"
    matched_title: str  # the title that matched the query, e.g. "Software Engineer"
    score: float  # 0..100


@dataclass(frozen=True, slots=True)
class Anchor:
    level: float  # on O*NET's 0–7 LV scale (2, 4, 6 ...)
    level_0_5: int  # the same level on the bot's 0–5 scale
    description: str  # e.g. "Read step-by-step instructions for completing a form"


@dataclass(frozen=True, slots=True)
class Requirement:
    element_id: str  # e.g. "2.A.1.a"
    name: str  # e.g. "Reading Comprehension"
    area: Area
    description: str
    importance: float  # IM, 1..5
    level: float  # LV, 0..7
    required_0_5: int  # level on the bot's 0..5 scale, at least 1


@dataclass(frozen=True, slots=True)
class Technology:
    name: str  # e.g. "Microsoft Power BI"
    hot: bool  # often in job postings across all occupations
    in_demand: bool  # often in job postings for this occupation


@dataclass(frozen=True, slots=True)
class OccupationProfile:
    code: str
    title: str
    description: str
    core_tasks: tuple[str, ...]  # up to 8; core tasks first, in O*NET's order
    requirements: tuple[Requirement, ...]  # by importance, then level (both desc), then name
    technologies: tuple[Technology, ...]  # in demand first, then hot, then others; at most 15
    ratings_from: tuple[str, str] | None  # (code, title) whose ratings were borrowed
    job_zone: int | None


def level_to_0_5(level: float) -> int:
    """O*NET's 0–7 level on the bot's 0–5 scale, rounding halves up (not to even)."""
    return min(_BOT_SCALE_MAX, max(0, math.floor(level / _LV_MAX * _BOT_SCALE_MAX + 0.5)))


# Basic skills that are about communicating with people count as soft skills.
_SOFT_BASIC_SKILLS = frozenset({"2.A.1.b", "2.A.1.c", "2.A.1.d"})


def area_of(element_id: str) -> Area:
    """Knowledge is 2.C.*; social skills (2.B.1.*) and communication skills are soft."""
    if element_id.startswith("2.C."):
        return "knowledge"
    if element_id.startswith("2.B.1.") or element_id in _SOFT_BASIC_SKILLS:
        return "soft"
    return "technical"


# --- Normalisation: the same for titles and queries, so quirks cancel out. -------------

_ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "mngr": "manager",
    "mgmt": "management",
    "asst": "assistant",
    "assoc": "associate",
    "engr": "engineer",
    "dev": "developer",
    "devs": "developer",
    "dir": "director",
    "vp": "vice president",
    "rep": "representative",
    "coord": "coordinator",
    "exec": "executive",
    "mktg": "marketing",
}
_STOPWORDS = frozenset({"a", "an", "the", "and", "of", "for", "in", "to", "or", "at", "on", "with"})
# Conversational filler ("I am a nurse", "I want to become a data analyst"); dropped from
# queries only, since a few are real title words.
_QUERY_FILLER = frozenset({"i", "im", "am", "my", "want", "wanna", "become", "be", "as", "like"})
# Seniority says little about the occupation: "junior accountant" should find Accountants
# although no title reads "Junior Accountant", so these weigh a quarter in the coverage.
_SENIORITY = frozenset({"senior", "junior", "lead", "principal", "entry", "level", "trainee"})
_SENIORITY_WEIGHT = 0.25
_APOSTROPHES = re.compile(r"['’`´]")
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")
_HYPHENATED = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
_MIN_COMPOUND_PART = 3


def _fold(text: str) -> str:
    """Lower case without accents: "Café" → "cafe"."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _singular(word: str) -> str:
    """A crude singular ("designers" → "designer"); good enough as both sides get it."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def words(text: str) -> tuple[str, ...]:
    """Normalised words of a title or query: "Sr. UX Designers" → ("senior", "ux", "designer")."""
    folded = _APOSTROPHES.sub("", _fold(text)).replace("&", " and ")
    result: list[str] = []
    for raw in _NON_ALPHANUMERIC.split(folded):
        result.extend(_normal_word(raw))
    return tuple(result)


@lru_cache(maxsize=1 << 16)  # titles use ~10,000 distinct words; this halves load time
def _normal_word(raw: str) -> tuple[str, ...]:
    if not raw or raw in _STOPWORDS:
        return ()
    return tuple(sys.intern(_singular(word)) for word in _ABBREVIATIONS.get(raw, raw).split())


def _title_variants(title: str) -> Iterator[tuple[str, str]]:
    """(text to index, text to show): the title, without its parenthetical, hyphens joined.

    "CEO (Chief Executive Officer)" is also findable as "CEO"; "E-Commerce Manager" as
    "Ecommerce Manager" as well as "E Commerce Manager".
    """
    forms = [title]
    stripped = _PARENTHETICAL.sub("", title).strip()
    if stripped and stripped != title:
        forms.append(stripped)
    for form in forms:
        yield form, form
        joined = _HYPHENATED.sub("", form)
        if joined != form:
            yield joined, form


def _allowed_edits(word: str) -> int:
    """Typos corrected in an unknown query word: none in words of four letters or fewer,
    where one edit turns most strings into some title word ("asdf" → "tsdf")."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 8 else 2


def _typo_credit(word: str, found: str, edits: int) -> float:
    """An edit weighs more in a short word: "nurce" → "nurse" earns 0.8,
    "registerd" → "registered" 0.9."""
    return 1.0 - edits / max(len(word), len(found))


# --- Title index. --------------------------------------------------------------------
# The index holds ~200,000 objects for the life of the process. They are plain tuples of
# strings and numbers, and the postings one flat array, because the garbage collector
# stops tracking such tuples (not NamedTuples or dataclasses): otherwise every full
# collection would scan them all, a pause of ~40 ms in whatever the bot is doing.

# One occupation a title belongs to: (code, the title as that occupation's sources write
# it, how many O*NET sources list it there, whether it is the occupation's own title).
_Link = tuple[str, str, int, bool]


@dataclass(slots=True)
class _OccupationHit:
    code: str
    display: str
    sources: int
    official: bool
    score: float
    rank: float = 0.0


class _TitleIndex:
    def __init__(
        self,
        titles: dict[tuple[str, ...], tuple[_Link, ...]],
        official: dict[str, str],
        has_tasks: set[str],
    ):
        # Two parallel lists, indexed by title number: the title's words, its occupations.
        self._words = list(titles)
        self._links = list(titles.values())
        self._official = official
        self._official_words = {code: frozenset(words(title)) for code, title in official.items()}
        self._has_tasks = has_tasks
        postings: dict[str, list[int]] = defaultdict(list)
        for index, title_words in enumerate(self._words):
            for word in set(title_words):
                postings[word].append(index)
        # word -> (start, end) of its title numbers in one flat array
        self._postings: dict[str, tuple[int, int]] = {}
        self._posting_data = array("i")
        for word, indexes in postings.items():
            self._postings[word] = (len(self._posting_data), len(self._posting_data) + len(indexes))
            self._posting_data.extend(indexes)
        self._vocabulary = sorted(postings)

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self._vocabulary)

    @classmethod
    def build(
        cls,
        rows: Iterable[tuple[str, str, int, bool]],
        official: dict[str, str],
        has_tasks: set[str],
    ) -> _TitleIndex:
        """rows: (code, title, sources, is the official title)."""
        links: dict[tuple[str, ...], dict[str, _Link]] = defaultdict(dict)
        for code, title, sources, is_official in rows:
            for text, display in _title_variants(title):
                key = words(text)
                known = links[key].get(code)
                if known is None or (is_official, sources) > (known[3], known[2]):
                    links[key][code] = (code, display, sources, is_official)
        titles = {key: tuple(by_code.values()) for key, by_code in links.items() if key}
        return cls(titles, official, has_tasks)

    def match(self, query: str, limit: int) -> list[TitleMatch]:
        query_words = self._query_words(query)
        if not query_words or limit <= 0:
            return []
        hits: dict[str, _OccupationHit] = {}
        support: dict[str, int] = defaultdict(int)  # how many of the occupation's titles match
        for index, score in self._scored_titles(query_words):
            for code, display, sources, official in self._links[index]:
                support[code] += 1
                best = hits.get(code)
                if best is None or (score, official, sources) > (
                    best.score,
                    best.official,
                    best.sources,
                ):
                    hits[code] = _OccupationHit(code, display, sources, official, score)
        for code, hit in hits.items():
            hit.rank = self._rank(hit, support[code], query_words)
        ranked = sorted(hits.values(), key=lambda hit: (-hit.rank, hit.code))
        return [
            TitleMatch(hit.code, self._official[hit.code], hit.display, hit.score)
            for hit in ranked[:limit]
        ]

    def _query_words(self, query: str) -> tuple[str, ...]:
        kept: list[str] = []
        for word in words(query[:MAX_QUERY_LENGTH]):
            if word not in _QUERY_FILLER:
                kept.extend(self._split_compound(word))
        return tuple(dict.fromkeys(kept))  # "data data analyst" is "data analyst"

    def _split_compound(self, word: str) -> tuple[str, ...]:
        """An unknown word made of two title words: "frontend" → ("front", "end")."""
        if word in self._postings:
            return (word,)
        for cut in range(_MIN_COMPOUND_PART, len(word) - _MIN_COMPOUND_PART + 1):
            left, right = word[:cut], _singular(word[cut:])
            if left in self._postings and right in self._postings:
                return left, right
        return (word,)

    def _credits(self, query_words: tuple[str, ...]) -> list[dict[str, float]]:
        """For each query word: the index words it stands for, with the credit each earns."""
        credits: list[dict[str, float]] = []
        for word in query_words:
            if word in self._postings:
                credits.append({word: 1.0})
                continue
            edits = _allowed_edits(word)
            near = (
                process.extract(
                    word, self._vocabulary, scorer=OSA.distance, score_cutoff=edits, limit=10
                )
                if edits
                else []
            )
            credits.append(
                {found: _typo_credit(word, found, int(edits)) for found, edits, _ in near}
            )
        return credits

    def _scored_titles(self, query_words: tuple[str, ...]) -> Iterator[tuple[int, float]]:
        """(title index, score) for every title scoring at least MIN_SCORE."""
        query_length = len(query_words)
        weights = [_SENIORITY_WEIGHT if word in _SENIORITY else 1.0 for word in query_words]
        best: dict[int, list[float]] = {}
        for position, alternatives in enumerate(self._credits(query_words)):
            for word, credit in alternatives.items():
                start, end = self._postings[word]
                for index in self._posting_data[start:end]:
                    per_word = best.get(index)
                    if per_word is None:
                        per_word = best[index] = [0.0] * query_length
                    per_word[position] = max(per_word[position], credit)
        for index, per_word in best.items():
            matched = sum(per_word)
            coverage = sum(map(operator.mul, per_word, weights)) / sum(weights)
            precision = min(1.0, matched / len(self._words[index]))
            score = 100.0 * (_COVERAGE_WEIGHT * coverage + (1 - _COVERAGE_WEIGHT) * precision)
            if score >= MIN_SCORE:
                yield index, round(score, 1)

    def _rank(self, hit: _OccupationHit, support: int, query_words: tuple[str, ...]) -> float:
        """Order among similar scores: the occupation's own title first; then how many
        sources list the title and how many of the occupation's titles match; then how
        much of the query its own title shares ("UX designer": Web and Digital Interface
        *Designers* before Web Developers); occupations without tasks last."""
        rank = hit.score + min(_MAX_SUPPORT_BONUS, math.log2(1 + hit.sources + support))
        shared = self._official_words[hit.code].intersection(query_words)
        rank += _MAX_OWN_TITLE_BONUS * len(shared) / len(query_words)
        if hit.official:
            rank += _OFFICIAL_BONUS
        if hit.code not in self._has_tasks:
            rank -= _NO_TASKS_PENALTY
        return rank


# --- Catalog. ------------------------------------------------------------------------


def _read_gzip_text(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


class _Record(NamedTuple):
    """One occupation as shipped (see scripts/build_onet_subset.py)."""

    title: str
    description: str
    job_zone: int | None
    tasks: tuple[str, ...]
    technologies: tuple[tuple[str, bool, bool], ...]  # (name, hot, in demand)
    ratings: str  # "element:IM:LV" items separated by spaces (see the build script)
    ratings_from: str | None  # the code whose ratings this occupation borrows

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> _Record:
        return cls(
            title=record["title"],
            description=record["description"],
            job_zone=record["job_zone"],
            tasks=tuple(record["tasks"]),
            technologies=tuple(
                (name, hot, in_demand) for name, hot, in_demand in record["technologies"]
            ),
            ratings=record["ratings"],
            ratings_from=record["ratings_from"],
        )


class _CatalogData:
    """Everything read from the shipped files; never changes once built."""

    def __init__(self, data_dir: Path) -> None:
        document = json.loads(_read_gzip_text(data_dir / "occupations.json.gz"))
        self.occupations = {
            code: _Record.from_json(record) for code, record in document["occupations"].items()
        }
        self.elements: dict[str, dict[str, Any]] = document["elements"]
        self.anchors = {
            element_id: tuple(
                Anchor(float(level), level_to_0_5(level), description)
                for level, description in sorted(element["anchors"])
            )
            for element_id, element in self.elements.items()
        }
        official = {code: record.title for code, record in self.occupations.items()}
        has_tasks = {code for code, record in self.occupations.items() if record.tasks}
        self.titles = _TitleIndex.build(
            self._title_rows(data_dir / "titles.tsv.gz", official), official, has_tasks
        )
        # Words of well-known tools' names that no job title uses ("python", "salesforce"):
        # a query like "python developer" is retried without them.
        title_words = self.titles.vocabulary
        self.technology_words = frozenset(
            word
            for record in self.occupations.values()
            for name, hot, in_demand in record.technologies
            if hot or in_demand  # tools people name in job titles, not every product
            for word in words(name)
            if len(word) > 1 and word not in title_words
        )
        # Profiles are built on first request; a racing duplicate build is harmless.
        self.profiles: dict[str, OccupationProfile] = {}

    @staticmethod
    def _title_rows(path: Path, official: dict[str, str]) -> Iterator[tuple[str, str, int, bool]]:
        for code, title in official.items():
            yield code, title, 1, True
        lines = _read_gzip_text(path).splitlines()
        codes = {code: code for code in official}  # one string object per code
        for line in lines[1:]:  # after the header
            code, title, sources = line.split("\t")
            yield codes[code], title, int(sources), False

    def profile(self, code: str) -> OccupationProfile | None:
        cached = self.profiles.get(code)
        if cached is None and code in self.occupations:
            cached = self.profiles[code] = self._build_profile(code)
        return cached

    def _build_profile(self, code: str) -> OccupationProfile:
        record = self.occupations[code]
        lender = record.ratings_from
        ratings = self.occupations[lender].ratings if lender else record.ratings
        return OccupationProfile(
            code=code,
            title=record.title,
            description=record.description,
            core_tasks=record.tasks,
            requirements=self._requirements(ratings),
            technologies=tuple(
                sorted(
                    (Technology(*technology) for technology in record.technologies),
                    key=lambda tech: (not tech.in_demand, not tech.hot),
                )
            ),
            ratings_from=(lender, self.occupations[lender].title) if lender else None,
            job_zone=record.job_zone,
        )

    def _requirements(self, ratings: str) -> tuple[Requirement, ...]:
        requirements = [
            Requirement(
                element_id=element_id,
                name=self.elements[element_id]["name"],
                area=area_of(element_id),
                description=self.elements[element_id]["description"],
                importance=importance,
                level=level,
                required_0_5=max(1, level_to_0_5(level)),
            )
            for element_id, importance, level in _parse_ratings(ratings)
        ]
        # O*NET has a Mathematics skill and a Mathematics knowledge area: the id breaks ties.
        requirements.sort(
            key=lambda item: (-item.importance, -item.level, item.name, item.element_id)
        )
        return tuple(requirements)


def _parse_ratings(ratings: str) -> Iterator[tuple[str, float, float]]:
    for item in ratings.split():
        element_id, importance, level = item.split(":")
        yield element_id, float(importance), float(level)


class OccupationCatalog:
    """O*NET occupations, read from `data_dir` on first use (or by `load()`)."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self._data_dir = data_dir if data_dir is not None else DATA_DIR
        self._lock = threading.Lock()
        self._data: _CatalogData | None = None

    def load(self) -> None:
        """Read the data now; safe to call from several threads, and again."""
        self._loaded()

    def match(self, query: str, *, limit: int = 3) -> list[TitleMatch]:
        """Occupations whose titles match `query`, best first; [] when none is credible."""
        data = self._loaded()
        found = data.titles.match(query, limit)
        if found:
            return found
        # "python developer": no title names the tool, so match the job without it.
        query_words = words(query[:MAX_QUERY_LENGTH])
        rest = [word for word in query_words if word not in data.technology_words]
        if not rest or len(rest) == len(query_words):
            return []
        return data.titles.match(" ".join(rest), limit)

    def profile(self, code: str) -> OccupationProfile | None:
        return self._loaded().profile(code.strip())

    def anchors(self, element_id: str) -> tuple[Anchor, ...]:
        """What levels 2, 4 and 6 of a skill or knowledge area look like; () if unknown."""
        return self._loaded().anchors.get(element_id.strip(), ())

    def _loaded(self) -> _CatalogData:
        data = self._data
        if data is None:
            with self._lock:
                if self._data is None:
                    self._data = _CatalogData(self._data_dir)
                data = self._data
        return data


CATALOG = OccupationCatalog()
