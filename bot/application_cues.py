"""Cues: the phrases in a job-application message that say what happened ("applied",
"phone screen", "rejected me", "ghosted by", "offer from"…), each knowing where its
company may sit — after it ("applied *to Stripe*"), before it ("*Initech* rejected me")
or both — and guarded against look-alikes ("applied the feedback", "they offer remote
work", "my friend got an offer", "should I apply?"). Pure.
"""

from __future__ import annotations

import re

from bot.application_cues_es import SPANISH_RULES
from bot.application_rules import Cue, Rule
from bot.application_rules import rule as _rule
from bot.application_status import Status
from bot.application_text import Message
from bot.application_words import APPLICATION_NOUNS, ROLE_HEADS, ROLE_NOUNS, word_set
from bot.spanish_dates import fold

RANK: dict[Status | None, int] = {
    Status.ACCEPTED: 9,
    Status.WITHDRAWN: 8,
    Status.REJECTED: 7,
    Status.NO_ANSWER: 6,
    Status.OFFER: 5,
    Status.INTERVIEW: 4,
    Status.SCREENING: 3,
    Status.APPLIED: 2,
    Status.SAVED: 1,
    None: 0,
}

_QUESTION_STARTS = word_set(
    "should shall can could would will how what what's whats when where why which do does "
    "is are any tips advice help wondering "
    "debería deberia puedo podría podria cómo qué cuándo dónde consejos alguien merece conviene"
)
_OTHER_PEOPLE = word_set("""
    friend friends sister brother colleague colleagues coworker co-worker partner wife husband
    boyfriend girlfriend bf gf mom mum dad mother father son daughter cousin roommate
    flatmate mate buddy bestie uncle aunt neighbour neighbor classmate teammate boss manager
    amigo amiga amigos amigas hermano hermana pareja novio novia marido mujer esposo esposa
    compañero compañera colega jefe jefa madre padre mamá mama papá papa hijo hija primo prima
    vecino vecina
    """)
# "my", "our", "his", "her" before one of those, and "he"/"she" alone, in both languages.
_OWNERS = word_set("my our his her mi mis nuestro nuestra su")
_THIRD_PERSON = word_set("he she he's she's él ella")
FIRST_PERSON = word_set("i i'm im i've ive i'll i'd me my yo mi mis")
_SPANISH_PARTICIPLE = re.compile(r"(?:ado|ido|cho|isto|uesto|ierto)$")
_PLANNING = word_set(
    "thinking think considering consider planning plan might maybe should worth about of on"
)
_WISHING = word_set(
    "waiting wait hoping hope want wanna wish need expecting praying trying try get "
    "espero esperando ojalá ojala quiero quisiera necesito deseando"
)
_NOT_REAL_INTERVIEW = word_set("mock practice informational info fake prep preparing prepare")
_MEDIA = word_set(
    "podcast podcasts journalist newspaper magazine radio blogger youtuber youtube channel "
    "documentary reporter press"
)
_INTERVIEW_TOPICS = word_set(
    "tips prep questions practice advice skills podcast consejos preguntas preparación"
)
_APPLIED_OBJECTS = word_set("""
    the some my a an this that these those it them what everything all his her their our your
    myself yourself itself ourselves themselves feedback changes edits updates fixes pressure
    sunscreen makeup filter filters paint cream lotion ice heat logic knowledge lessons
    learnings skills principles same new
    """)
_REJECTED_OBJECTS = word_set("the a an his her their this that it them him everything all")
_OFFER_NOUN_BEFORE = word_set("""
    an the a got get received receive job verbal written formal official their my his her
    your first final signed this that accepted declined counter
    """)
_SHOP_OFFER_BEFORE = word_set("no any special limited discount promo promotional best deal")
_SHOP_OFFER_AFTER = word_set("on code ends expires valid price deal")
_CONTACT = re.compile(
    r"\b(?:called|call|calls|rang|phoned|reached|emailed|messaged|pinged|contacted|texted|"
    r"wants|wanted|talked|spoke|chat|chatted|screen|screening|touch|dm'?d|dmed)\b"
)
_OFFER_OBJECTS = word_set("job position role place spot contract offer")


def _guard_applied(message: Message, first: int, last: int) -> bool:
    """ "applied the feedback", "applied my skills": applying, but not for a job."""
    return message.word(last) not in _APPLIED_OBJECTS


def _guard_not_planned(message: Message, first: int, last: int) -> bool:
    """ "I'm applying to Stripe", "thank you for applying" — not "thinking of applying"."""
    before = {message.word(i) for i in range(max(0, first - 3), first)}
    return not before & _PLANNING


def _guard_rejected(message: Message, first: int, last: int) -> bool:
    """ "rejected me", "rejected my application" — not "rejected my holiday request" or
    "rejected the idea"."""
    following = message.word(last)
    if following == "my":
        return message.word(last + 1) in APPLICATION_NOUNS
    return following not in _REJECTED_OBJECTS


def _guard_offer_noun(message: Message, first: int, last: int) -> bool:
    """ "offer" the noun ("got an offer", "offer from X", "offer!!"), not the verb
    ("they offer remote work")."""
    previous = message.word(first - 1)
    if previous in _SHOP_OFFER_BEFORE or message.word(last) in _SHOP_OFFER_AFTER:
        return False  # "no offer yet", "the offer on netflix", "special offer"
    if previous in _OFFER_NOUN_BEFORE or previous.endswith(("'s", "s'")):
        return True
    return (
        first == 0
        or message.tokens[first - 1].kind != "word"
        or message.word(last) in ("from", "at", "with", "letter")
    )


def _guard_offered(message: Message, first: int, last: int) -> bool:
    """ "Stripe offered me the PM job", "acme offered!!" — not "offered me a raise"."""
    following = message.word(last)
    if not following:
        return True
    if following not in ("me", "us"):
        return False
    object_words = [message.word(i) for i in range(last + 1, min(last + 6, len(message.tokens)))]
    object_words = [w for w in object_words if w]
    if not object_words:
        return True
    return any(w in _OFFER_OBJECTS or w in ROLE_HEADS for w in object_words)


def _guard_did_not_get(message: Message, first: int, last: int) -> bool:
    """ "didn't get the job" is a rejection; "didn't get a reply" is not."""
    return message.word(last) not in ("back", "any", "a", "an", "anything", "reply", "response")


def _guard_contact(message: Message, first: int, last: int) -> bool:
    """ "HR", "recruiter" only count when someone got in touch ("HR from X called")."""
    start, end = message.sentence_span(first)
    sentence = message.lower[message.tokens[start].start : message.tokens[end - 1].end]
    return _CONTACT.search(sentence) is not None


def _guard_job_context(message: Message, first: int, last: int) -> bool:
    """ "found", "saved": only about a job when a job link or job word is there."""
    if message.link is not None and message.link.is_job:
        return True
    return any(w in ROLE_NOUNS or w in ROLE_HEADS for w in message.sentence_words(first))


_APPLIED_VERB = (
    r"(?:easy[- ]?)?(?:applied|aplied|appled|appplied|applyed|apllied|applid|appiled|"
    r"apply'?d|aplyed)"
)
_DOCUMENT = r"(?:cv|c\.v\.|resume|résumé|application|app|applications|cover letter|portfolio)"
_RULES: tuple[Rule, ...] = (
    # applied
    _rule(Status.APPLIED, r"\b" + _APPLIED_VERB + r"\b", bare=True, check=_guard_applied),
    _rule(
        Status.APPLIED,
        r"\b(?:sent|submitted|shot|fired off|fired|dropped|put in|threw in|emailed|mailed|"
        r"uploaded|handed in|turned in)(?:\s+(?:off|over|out|in))?\s+(?:(?:my|an|the|a|our)\s+)?"
        + _DOCUMENT
        + r"\b",
    ),
    _rule(
        Status.APPLIED,
        r"\b"
        + _DOCUMENT
        + r"\s+(?:is\s+|was\s+|has\s+been\s+|just\s+)?(?:sent|submitted|in|done|out)\b",
        before=True,
    ),
    _rule(Status.APPLIED, r"\bapplication\b(?=[^.!?\n]{0,60}\b(?:is|went)\s+in\b)"),
    _rule(Status.APPLIED, r"\bsubmitted\b", bare=True, check=_guard_applied),
    _rule(
        Status.APPLIED, r"\bapplying\s+(?:to|at|for|with)\b", bare=True, check=_guard_not_planned
    ),
    _rule(Status.APPLIED, r"\bhit\s+(?:submit|apply|send)\b(?:\s+on)?", bare=True),
    # screening
    _rule(
        Status.SCREENING,
        r"\b(?:phone|recruiter|hr|initial|intro|introductory|video|telephone)[- ]?"
        r"(?:screen|scren|sreen|screeen|sceen|screening)(?:\s+(?:call|interview))?\b"
        r"|\bscreening(?:\s+(?:call|interview))?\b",
        before=True,
    ),
    _rule(
        Status.SCREENING,
        r"\b(?:recruiter|hr|intro|introductory|talent|recruiting|phone|discovery)\s+call\b",
        before=True,
    ),
    _rule(
        Status.SCREENING,
        r"\b(?:hr|recruiters?|recruiting\s+team|talent\s+(?:team|acquisition))\b",
        before=True,
        check=_guard_contact,
    ),
    _rule(
        Status.SCREENING,
        r"\b(?:take[- ]?home|takehome)(?:\s+(?:test|task|assignment|challenge|exercise|project))?\b"
        r"|\b(?:coding|technical|tech|online|skills?|written|aptitude|psychometric|personality|"
        r"hackerrank|codility|codesignal|leetcode)\s+(?:challenge|test|assessment|exercise|task|quiz)\b"
        r"|\b(?:hackerrank|codility|codesignal)\b"
        r"|\bcase\s+study\b(?=[^.!?\n]{0,40}\b(?:from|for|due)\b)",
        before=True,
    ),
    # interview
    _rule(
        Status.INTERVIEW,
        r"\b(?:(?:phone|video|technical|tech|panel|behaviou?ral|case|virtual|zoom|teams|"
        r"in-person|culture|cultural|competency|group|coding|system\s+design|hiring\s+manager|"
        r"hm|live|f2f|face\s+to\s+face)\s+)?"
        r"(?:interview|interveiw|intervew|interviw|inteview|intreview|intv|interview'd|"
        r"interviewed|interviewing)\b|\binterviews\b(?=\s+(?:with|at|@|w/))"
        r"|\b(?:onsite|on-site|superday|super\s+day|assessment\s+cent(?:er|re)|final\s+loop)\b",
        before=True,
    ),
    # offer
    _rule(
        Status.OFFER,
        r"\b(?:job\s+|verbal\s+|written\s+|formal\s+|official\s+)?offer(?:\s+letter)?\b",
        before=True,
        check=_guard_offer_noun,
    ),
    _rule(Status.OFFER, r"\boffered\b", after=False, before=True, check=_guard_offered),
    _rule(Status.OFFER, r"\bgot\s+the\s+(?:job|role|position|gig)\b"),
    # accepted
    _rule(
        Status.ACCEPTED,
        r"\baccepted\b(?=(?:\s+\S+){0,4}?\s+(?:offer|job|role|position)\b)",
        bare=True,
    ),
    # "accepted!", "accepted it": the user said yes (an object would be "accepted the feedback")
    _rule(Status.ACCEPTED, r"^\W*accepted\b(?=\s*(?:[!.]|$|it\b))|\baccepted\s+it\b"),
    _rule(Status.ACCEPTED, r"\boffer\s+accepted\b", before=True),
    _rule(Status.ACCEPTED, r"\bsigned\s+(?:with|the\s+offer|the\s+contract|my\s+contract|on)\b"),
    _rule(Status.ACCEPTED, r"\b(?:i'?m|i\s+am|i'?ll\s+be|i\s+will\s+be)\s+joining\b", bare=True),
    _rule(Status.ACCEPTED, r"\bsaid\s+yes\s+to\b", bare=True),
    _rule(Status.ACCEPTED, r"\b(?:(?:i'?m|i\s+am)\s+)?starting\s+(?:at|with)\b", bare=True),
    # rejected
    _rule(
        Status.REJECTED,
        r"\b(?:rejected|rejection|rejections|rejecting|rejects)\b",
        before=True,
        check=_guard_rejected,
    ),
    _rule(Status.REJECTED, r"\bturned\s+me\s+down\b", before=True),
    _rule(Status.REJECTED, r"\b(?:(?:got|was|been|get|getting)\s+)?turned\s+down\b(?=\s+by\b)"),
    _rule(Status.REJECTED, r"\b(?:got|was|been|get|getting)\s+turned\s+down\b"),
    _rule(
        Status.REJECTED,
        r"\bdid(?:n'?t|nt|\s+not)\s+(?:get|land|make\s+it(?:\s+(?:past|through|to|beyond))?)\b",
        bare=True,
        check=_guard_did_not_get,
    ),
    _rule(Status.REJECTED, r"\b(?:a\s+|the\s+)?no\s+from\b", bare=True),
    _rule(Status.REJECTED, r"\bsaid\s+no\b(?!\s+to\s+(?:the|their|an?)\b)", before=True),
    _rule(Status.REJECTED, r"\bit'?s\s+a\s+no\b(?![-\w])", after=False),
    _rule(Status.REJECTED, r"\bno\s+luck\b"),
    _rule(
        Status.REJECTED,
        r"\bpassed\s+on\s+(?:me|my\s+(?:application|candidacy|cv|resume))\b",
        after=False,
        before=True,
    ),
    _rule(
        Status.REJECTED,
        r"\bwent\s+(?:with|for)\s+(?:another|someone|a\s+different|other|an\s+internal)\b",
        after=False,
        before=True,
    ),
    _rule(
        Status.REJECTED,
        r"\b(?:not|isn'?t|aren'?t|won'?t(?:\s+be)?|will\s+not(?:\s+be)?|is\s+not|are\s+not|"
        r"didn'?t|did\s+not)\s+(?:moving|move|moved|going|go|proceeding|proceed|progressing|"
        r"progress)(?:\s+forward)?(?:\s+with\s+(?:my|me)\b)?"
        r"|\bmoving\s+forward\s+with\s+(?:other|another)\s+candidates?\b",
        after=False,
        before=True,
    ),
    _rule(
        Status.REJECTED,
        r"\bdecided\s+not\s+to\s+(?:proceed|move\s+forward|continue|progress)\b",
        after=False,
        before=True,
    ),
    _rule(Status.REJECTED, r"\bdinged\b", before=True),
    _rule(
        Status.REJECTED,
        r"\bunfortunately\b[^.!?\n]{0,40}?\b(?:email|e-mail|mail|message|letter)\b",
    ),
    _rule(Status.REJECTED, r"\bunsuccessful\b", before=True),
    # withdrawn (above rejected: "I rejected their offer" is the user saying no)
    _rule(
        Status.WITHDRAWN, r"\b(?:withdrew|withdrawn|withdrawing|withdraw)\b(?:\s+from)?", bare=True
    ),
    _rule(
        Status.WITHDRAWN,
        r"\bpulled\s+(?:out(?:\s+of)?|my\s+(?:application|app|candidacy))\b",
        bare=True,
    ),
    _rule(Status.WITHDRAWN, r"\bdropped\s+out(?:\s+of)?\b", bare=True),
    _rule(
        Status.WITHDRAWN,
        r"\b(?:declined|turned\s+down|rejected|said\s+no\s+to|passed\s+on|refused)\b"
        r"(?=(?:\s+\S+){0,4}?\s+offer\b)",
        bare=True,
    ),
    _rule(
        Status.WITHDRAWN,
        r"\bnot\s+(?:continuing|proceeding|moving\s+forward|going\s+forward|pursuing)\s+with\b"
        r"(?!\s+(?:my|me)\b)",
        bare=True,
    ),
    _rule(Status.WITHDRAWN, r"\bno\s+longer\s+(?:interested\s+in|pursuing)\b", bare=True),
    # no answer
    _rule(Status.NO_ANSWER, r"\bghost(?:ed|ing)?\b", before=True),
    _rule(
        Status.NO_ANSWER,
        r"\b(?:never|haven'?t|havent|have\s+not|still\s+haven'?t|didn'?t|not)\s+heard"
        r"(?:\s+(?:back|anything|a\s+thing))?\b",
    ),
    _rule(
        Status.NO_ANSWER,
        r"\b(?:no|zero|still\s+no|not\s+a)\s+(?:answer|response|reply|replies|word|news)"
        r"(?=\s+(?:yet\s+)?from\b)|\bno-answer\b",
    ),
    _rule(
        Status.NO_ANSWER,
        r"\bnever\s+(?:got\s+back|replied|responded|answered|called\s+back)\b",
        after=False,
        before=True,
    ),
    _rule(Status.NO_ANSWER, r"\bradio\s+silence\b|\bnothing\s+(?:back\s+)?from\b"),
    # saved
    _rule(
        Status.SAVED,
        r"\b(?:saving|saved|save|bookmark(?:ed|ing)?|book-?marked)\b",
        check=_guard_job_context,
    ),
    _rule(
        Status.SAVED,
        r"\b(?:found|came\s+across|saw|spotted|stumbled\s+(?:on|upon))\b",
        bare=True,
        check=_guard_job_context,
    ),
    _rule(
        Status.SAVED,
        r"\b(?:want|wanna|going|gonna|planning|plan|intend|intending|thinking\s+(?:of|about))"
        r"\s+(?:to\s+)?apply(?:ing)?\b|\bwill\s+apply\b|\bapply\s+later\b",
        check=_guard_job_context,
    ),
    _rule(Status.SAVED, r"\binterested\s+in\b", bare=True, check=_guard_job_context),
    # where the company is, without a stage: "heard back from Duolingo... it's a no"
    _rule(
        None,
        r"\b(?:heard\s+back|heard|email|e-mail|call|news|update|message|letter)\s+from\b",
        bare=True,
    ),
    _rule(None, r"\bapplication\b"),
)
ROUND_RULE = Rule(Status.INTERVIEW, re.compile(""), after=True, before=True)


def find_cues(message: Message) -> list[Cue]:
    cues = []
    folded = fold(message.lower)  # same length: positions agree with message.lower
    for rule in (*_RULES, *SPANISH_RULES):
        for match in rule.pattern.finditer(folded if rule.folded else message.lower):
            span = _token_span(message, match.start(), match.end())
            if span is None:
                continue
            first, last = span
            if rule.check is not None and not rule.check(message, first, last):
                continue
            cue = Cue(rule, first, last, match.start(), match.end())
            if _counts(message, cue):
                cues.append(cue)
    cues.extend(_round_cues(message))
    return cues


def _round_cues(message: Message) -> list[Cue]:
    cues = []
    for found in message.rounds:
        span = _token_span(message, found.start, found.end)
        if span is not None:
            cue = Cue(ROUND_RULE, span[0], span[1], found.start, found.end)
            if _counts(message, cue):
                cues.append(cue)
    return cues


def _token_span(message: Message, start: int, end: int) -> tuple[int, int] | None:
    inside = [i for i, t in enumerate(message.tokens) if t.start < end and t.end > start]
    return (inside[0], inside[-1] + 1) if inside else None


def _counts(message: Message, cue: Cue) -> bool:
    """False for a cue in a question, about someone else, or only hoped for."""
    words = message.sentence_words(cue.first)
    if words and words[0] in _QUESTION_STARTS:
        return False
    if _about_someone_else(words):
        return False
    if cue.status in (Status.OFFER, Status.INTERVIEW, Status.SCREENING):
        before = [message.word(i) for i in range(max(0, cue.first - 4), cue.first)]
        if any(w in _WISHING for w in before[-4:]) and "got" not in before:
            return False
    if cue.status is Status.INTERVIEW and cue.rule is not ROUND_RULE:
        if message.word(cue.first - 1) in _NOT_REAL_INTERVIEW:
            return False
        if message.word(cue.last) in _INTERVIEW_TOPICS:
            return False
        following = {message.word(i) for i in range(cue.last, cue.last + 4)}
        if following & _MEDIA:
            return False  # "an interview with a podcast": not for a job
    return True


def _about_someone_else(words: list[str]) -> bool:
    """ "my friend got an offer", "she has an interview": not the user's application."""
    if not words or any(w in FIRST_PERSON for w in words[2:]):
        return False
    if words[0] in _THIRD_PERSON:
        # Spanish "he enviado" is "I have sent".
        return not (words[0] == "he" and len(words) > 1 and _SPANISH_PARTICIPLE.search(words[1]))
    return len(words) > 1 and words[0] in _OWNERS and words[1] in _OTHER_PEOPLE


def strongest(cues: list[Cue]) -> Cue | None:
    best: Cue | None = None
    for cue in cues:
        if best is None or RANK[cue.status] > RANK[best.status]:
            best = cue
    return best
