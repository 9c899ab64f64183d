"""Job-posting links in a message: where the link is, and the company (and role) it names.

Pure and fast: no network, only the text of the URL. Applicant-tracking systems put the
employer in a fixed place (`boards.greenhouse.io/<company>/…`, `<company>.wd5.myworkdayjobs.com`);
an employer's own careers site names it in the domain (`careers.google.com`, `stripe.com/jobs`);
job boards (LinkedIn, Indeed…) name no employer, so they give none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

MAX_SLUG_WORDS = 6

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    # Bare links people paste without a scheme: only with a path, so "booking.com" stays a name.
    r"|\b(?:[a-z0-9-]+\.)+(?:com|io|co|jobs|careers|app|ai|org|net|de|uk|hr|eu)/[^\s<>\"']*",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""

# Hosts where the first path segment is the employer's slug.
_PATH_SLUG_HOSTS = (
    "greenhouse.io",
    "lever.co",
    "ashbyhq.com",
    "smartrecruiters.com",
    "apply.workable.com",
    "jobs.jobvite.com",
    "jobs.personio.de",
    "recruiting.paylocity.com",
)
# Hosts where the first sub-domain label is the employer's slug.
_SUBDOMAIN_SLUG_HOSTS = (
    "myworkdayjobs.com",
    "workable.com",
    "recruitee.com",
    "bamboohr.com",
    "breezy.hr",
    "teamtailor.com",
    "applytojob.com",
    "pinpointhq.com",
    "personio.de",
    "personio.com",
    "icims.com",
)
# Job boards and link shorteners: a job, but not the employer's name.
_BOARD_HOSTS = (
    "linkedin.com",
    "lnkd.in",
    "indeed.",
    "glassdoor.",
    "monster.",
    "ziprecruiter.com",
    "wellfound.com",
    "angel.co",
    "otta.com",
    "welcometothejungle.com",
    "reed.co.uk",
    "seek.com",
    "totaljobs.com",
    "dice.com",
    "simplyhired.com",
    "builtin.com",
    "hired.com",
    "workatastartup.com",
    "ycombinator.com",
    "google.com/search",
    "bit.ly",
    "t.co",
    "stepstone.",
    "jobs.ch",
    "xing.com",
)
_JOB_PATH = re.compile(
    r"/(?:jobs?|careers?|positions?|openings?|vacanc(?:y|ies)|join(?:-us)?|apply|hiring|"
    r"work-with-us|opportunities|listing|requisitions?)\b",
    re.IGNORECASE,
)
_JOB_HOST_PREFIX = re.compile(r"^(?:careers?|jobs?|apply|join|work|hiring|talent)[.-]")
_JOB_TLD = re.compile(r"\.(?:jobs|careers)$")
_TWO_PART_SUFFIXES = frozenset(
    {"co.uk", "org.uk", "ac.uk", "com.au", "co.nz", "co.jp", "com.br", "co.in", "co.za", "com.sg"}
)
_SLUG_NOISE = re.compile(r"(?:^|[-_ ])(?:[a-z]*\d[\w]*|jr|req|r)(?=$|[-_ ])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class JobLink:
    start: int
    end: int
    url: str
    is_job: bool  # a posting (ATS, careers site, job board), not just any link
    company: str | None  # the employer's slug as written, dashes as spaces ("pied piper")
    role_slug: str | None  # words from the path that may be a job title ("data engineer")


def find_link(text: str) -> JobLink | None:
    """The first link in `text`, described; None when there is none."""
    match = _URL.search(text)
    if match is None:
        return None
    url = match.group().rstrip(_TRAILING_PUNCTUATION)
    host, path = _split(url)
    company = _company_from(host, path)
    is_job = company is not None or _is_board(host, path) or _looks_like_job(host, path)
    return JobLink(
        start=match.start(),
        end=match.start() + len(url),
        url=url,
        is_job=is_job,
        company=company,
        role_slug=_slug_words(path) if is_job else None,
    )


def _split(url: str) -> tuple[str, str]:
    without_scheme = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.IGNORECASE)
    host, _, rest = without_scheme.partition("/")
    path = "/" + rest.split("?", 1)[0].split("#", 1)[0]
    return host.lower().split(":", 1)[0], unquote(path)


def _company_from(host: str, path: str) -> str | None:
    if _is_board(host, path):
        return None
    segments = [segment for segment in path.split("/") if segment]
    for suffix in _PATH_SLUG_HOSTS:
        if _host_is(host, suffix):
            return _tidy_slug(segments[0]) if segments else None
    for suffix in _SUBDOMAIN_SLUG_HOSTS:
        if _host_is(host, suffix) and host != suffix:
            label = host.split(".", 1)[0]
            # iCIMS hosts read "careers-<company>.icims.com".
            return _tidy_slug(re.sub(r"^(?:careers|jobs)-", "", label))
    if _looks_like_job(host, path):
        return _tidy_slug(_registrable_label(host))
    return None


def _host_is(host: str, suffix: str) -> bool:
    return host == suffix or host.endswith("." + suffix)


def _is_board(host: str, path: str) -> bool:
    address = host + path
    return any(
        address.startswith(board) or ("." + board) in ("." + address) for board in _BOARD_HOSTS
    )


def _looks_like_job(host: str, path: str) -> bool:
    return bool(_JOB_HOST_PREFIX.match(host) or _JOB_TLD.search(host) or _JOB_PATH.search(path))


def _registrable_label(host: str) -> str:
    """ "careers.bbc.co.uk" -> "bbc"; "amazon.jobs" -> "amazon"."""
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _TWO_PART_SUFFIXES:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def _tidy_slug(slug: str) -> str | None:
    words = re.sub(r"[-_+]+", " ", slug).strip()
    return words or None


def _slug_words(path: str) -> str | None:
    """Words of path segments that read like a title ("Senior-Data-Scientist_JR1234");
    the parser decides whether they are one (they must contain a job word)."""
    for segment in reversed([s for s in path.split("/") if s]):
        words = _SLUG_NOISE.sub(" ", segment)
        words = re.sub(r"[-_+.]+", " ", words).strip()
        if words and " " in words and len(words.split()) <= MAX_SLUG_WORDS:
            return words
        if (
            words
            and len(words) <= 4
            and words.isalpha()
            and segment == path.rstrip("/").rsplit("/", 1)[-1]
        ):
            return words  # a short title like "pm" at the end of the path
    return None
