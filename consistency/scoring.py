"""Scoring: what the NLI model reads for a claim, both directions of a pair, and the verdict.

ONE path for every command: :func:`score_pairs` reads each claim of a pair in its views (:func:`claim_views`:
the claim in its article's context, a resolved leading pronoun, the closing attribution removed, its
coordinated clauses; only the claim, in context, with ``views`` off), classifies every distinct
(premise, hypothesis) text pair once in both directions, keeps per direction the most contradictory
combination of views, and turns the two directions into a :class:`~consistency.types.Finding`
(:func:`make_finding`). ``check``, ``compare`` (across articles and ``--within``), the corpus store and the
benchmark suites all call it, so the same two sentences in the same article get the same score everywhere.

The score is the mean of the two directions' calibrated contradiction probabilities (a->b and b->a).
Contradiction is symmetric, so a model that sees it in one direction only is usually reacting to
wording (a "not" in the hypothesis), not to a conflict: on 400-pair samples the mean raised
contradiction precision over the larger of the two from 0.47 to 0.66 on SNLI test and from 0.94 to
0.99 on synthetic news pairs (``ScoringSettings.direction_rule``; "max" restores the larger). One exception,
with its own evidence: two different amounts of the same thing ("the meeting lasted less than an hour" /
"the meeting lasted three hours") count the larger direction (``ScoringSettings.same_slot_rule``), because
the conflict is on the page, not in the model's reading of a negation. Only
contradiction probabilities enter the score, so an entailment in one direction cannot mask anything.
Hedged wording ("may", "reportedly") discounts the score by a fixed, reported factor; claims of different
attributed speakers are marked as a disagreement between sources, not as the article contradicting itself.

Evidence: a finding needs the two claims to be about the same thing, which they show by sharing a content
word or a name (a place conflict is exempt: the place is the evidence); without that, its score is discounted
(``ScoringSettings.grounding_discount``) and the finding says why. Most such findings on clean news
articles are a negation cue or a topic read as a conflict ("Hereford United can have no complaints" against
every other sentence about the club's debts); see benchmarks/README.md for what the rule does on clean
articles and on ContraDoc.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from consistency.pairing import entity_keys
from consistency.runtime.nli import NLIBackend
from consistency.text.claimhood import contains_statement, same_statement
from consistency.text.clauses import MAX_VIEWS, resolve_leading_pronoun, split_clauses, strip_attribution
from consistency.text.quantities import Quantity, conflicting, number_label, quantities, same_slot, years
from consistency.text.words import GENERIC_NOUNS, MONTH_PATTERN, MONTHS, WEEKDAYS, content_words
from consistency.types import (
    UNRESOLVED_PRONOUNS,
    CandidatePair,
    Claim,
    Finding,
    FindingType,
    NLIScores,
    Relation,
    speaker_name,
)

HEDGE_DISCOUNT = 0.75
GROUNDING_DISCOUNT = 0.8  # chosen on the tune halves (benchmarks/README.md, "Evidence rules")
DIRECTION_RULES = ("mean", "max", "min")
VERDICT_VERSION = 3  # bump when what a stored verdict means changes (2: views; 3: the one scoring path, in context)
PROGRESS_MIN_PIECES = 256  # a progress bar only for NLI work at least this large


@dataclass(frozen=True)
class ScoringSettings:
    """How a pair is read and scored. ``views``: also read claims in shorter views (False: ~3x fewer NLI
    inputs); ``direction_rule``: how the two directions combine; ``hedge_discount``: factor for hedged claims;
    ``grounding_discount``: factor for a finding whose claims share no content word or name and give no two
    places (1.0 turns the rule off); ``same_slot_rule``: how the directions combine for a numeric conflict
    whose two amounts measure the same thing (:func:`~consistency.text.quantities.same_slot`; "mean" turns
    the rule off)."""

    views: bool = True
    direction_rule: str = "mean"
    hedge_discount: float = HEDGE_DISCOUNT
    grounding_discount: float = GROUNDING_DISCOUNT
    same_slot_rule: str = "max"

    def __post_init__(self) -> None:
        for name in ("direction_rule", "same_slot_rule"):
            if getattr(self, name) not in DIRECTION_RULES:
                raise ValueError(f"{name} '{getattr(self, name)}' is unknown; use one of {', '.join(DIRECTION_RULES)}")

    @property
    def key(self) -> str:
        """What stored NLI probabilities depend on besides the model: the scoring version and the reading
        (the direction rule and the discounts apply later, to stored probabilities)."""
        return f"#v{VERDICT_VERSION}" + ("" if self.views else "#whole")


_NEGATION = re.compile(r"\b(not|no|never|none|nobody|nothing|neither|nor|without|n't|cannot|denied|denies)\b|n't",
                       re.IGNORECASE)
# "according to Peskov" names a source, not a place
_PLACE = re.compile(r"\b(?:in|(?<![Aa]ccording )to|from|at|into|near|on the territory of)\s+((?:[A-Z][\w\-]*\.?\s?)+)")
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("increase", "decrease"), ("increased", "decreased"), ("rose", "fell"), ("rise", "fall"), ("up", "down"),
    ("risen", "fallen"), ("rises", "falls"), ("rising", "falling"),  # "had risen" / "had fallen" (QA walk 6)
    ("won", "lost"), ("win", "lose"), ("alive", "dead"), ("open", "closed"), ("opened", "closed"),
    ("reopened", "closed"), ("passed", "failed"), ("accepted", "rejected"), ("accept", "reject"),
    ("agreed", "refused"), ("agree", "refuse"),
    ("confirmed", "denied"), ("confirm", "deny"), ("present", "absent"), ("true", "false"), ("guilty", "innocent"),
    ("before", "after"), ("more", "fewer"), ("more", "less"), ("higher", "lower"), ("larger", "smaller"),
    ("gained", "lost"), ("allowed", "banned"), ("legal", "illegal"), ("arrived", "left"), ("started", "ended"),
    ("support", "oppose"), ("supported", "opposed"), ("success", "failure"), ("succeeded", "failed"),
    ("peace", "war"), ("resigned", "remained"), ("inside", "outside"), ("exiled", "returned"),
)


DEFAULT_SCORING = ScoringSettings()


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


def _opposite_pair(wa: set[str], wb: set[str], skip: frozenset[tuple[str, str]] = frozenset()
                   ) -> tuple[str, str] | None:
    """The first pair of :data:`ANTONYMS` (not in ``skip``) with one word in each word set and not in the other,
    as the pair is written there, or None: "just before 6pm" / "just before 8pm ... after ramming the gates" say
    "before" both, so "before / after" is no opposite (an OSINT walk was sent to check the wrong fact)."""
    only_a, only_b = wa - wb, wb - wa
    return next(((left, right) for left, right in ANTONYMS if (left, right) not in skip
                 and ((left in only_a and right in only_b) or (right in only_a and left in only_b))), None)


def _labels(found: Sequence[Quantity]) -> list[str]:
    """Distinct labels, plain numbers in numeric order first ("2, 24"), then the written quantities."""
    plain = sorted({q.low for q in found if q.plain})
    written = sorted({q.label for q in found if not q.plain})
    return [number_label(v) for v in plain] + written


_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAYS = rf"{_DAY}(?:\s*(?:and|&|-|–|to)\s*{_DAY})?"
_MONTH_DAYS = re.compile(rf"\b{_DAYS}\s+(?:of\s+)?({MONTH_PATTERN})\b|\b({MONTH_PATTERN})\s+{_DAYS}\b")


def _month_days(text: str) -> dict[str, tuple[set[int], str]]:
    """The days of the month ``text`` gives, by month, with the words as written: "3 and 4 May" -> {"may": ({3,
    4}, "3 and 4 May")}, "June 29" -> {"june": ({29}, "June 29")}."""
    out: dict[str, tuple[set[int], str]] = {}
    for match in _MONTH_DAYS.finditer(text):
        first, second, month, month_first, day, other = match.groups()
        name = (month or month_first).lower()[:3]  # "Jun" and "June" are one month
        if name == "may" and not (month or month_first)[0].isupper():
            continue
        days = {int(d) for d in (first, second, day, other) if d is not None and 1 <= int(d) <= 31}
        if days:
            known, written = out.get(name, (set(), ""))
            out[name] = (known | days, f"{written}, {match.group(0)}" if written else match.group(0))
    return out


def _day_conflict(a: str, b: str) -> str | None:
    """"dates differ: 3 and 4 May vs 10 May" when both claims give days of one month and they share none."""
    days_a, days_b = _month_days(a), _month_days(b)
    for month in sorted(days_a.keys() & days_b.keys()):
        (left, written_a), (right, written_b) = days_a[month], days_b[month]
        if not left & right:
            return f"dates differ: {written_a} vs {written_b}"
    return None


def _not_days(text: str) -> list[Quantity]:
    """The quantities of ``text`` but the days of a month ("on 3 and 4 May", "June 29")."""
    days = [match.span() for match in _MONTH_DAYS.finditer(text)]
    return [q for q in quantities(text) if not any(s <= q.start < e for s, e in days)]


def _months(text: str) -> set[str]:
    """Month names in ``text``; "may" counts only capitalised ("May 9"), not as the modal verb."""
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)
            if w.lower() in MONTHS and (w.lower() != "may" or w[0].isupper())}


_NEGATED_BEFORE = re.compile(  # "not in", "never been to", "isn't currently in": the place itself is denied
    r"(?:\b(?:not|never|no\s+longer)|n[’']t)(?:\s+(?:be|been|being|go|gone|going|went|travel(?:l?ed)?|stay(?:ed)?|"
    r"live[ds]?|living|based|located|present|even|yet|currently|physically|actually|still))*\s*$", re.IGNORECASE)


# Words after which "in", "from" or "to" name a company, not a place: "shares in Home Retail", "Sainsbury's
# interest in Argos", "the offer from Steinhoff" (QA walk 7 read "places differ: Argos, Home Retail vs Steinhoff").
_STAKE_BEFORE = re.compile(r"\b(?:shares?|stakes?|interest|investments?|invested|offers?|bids?|approach|takeover|"
                           r"merger|sale|sold)\s*$", re.IGNORECASE)


def _places(text: str, denied: bool = False) -> set[str]:
    """Capitalised names after a place preposition; "in June" / "on Monday" are dates, not places, a company
    after "shares in" or "an offer from" is none either, and a place denied ("is not in Belarus", "has never
    been to Minsk") is not where the claim puts anything. ``denied``: the denied places instead."""
    found = {m.group(1).strip().rstrip(".").lower() for m in _PLACE.finditer(text)
             if bool(_NEGATED_BEFORE.search(text, max(0, m.start() - 40), m.start())) == denied
             and not _STAKE_BEFORE.search(text, max(0, m.start() - 20), m.start())}
    return {place for place in found if place.split()[0] not in MONTHS + WEEKDAYS}


def _dates_as_written(text: str, names: set[str]) -> list[str]:
    """Each month or weekday of ``names`` as ``text`` writes it, with its day of the month when it has one: "July
    1", "29 June", "Monday" (an editor read "dates differ: july vs june" for July 1 against June 29)."""
    out = []
    for name in sorted(names):
        word, flags = ("May", 0) if name == "may" else (name, re.IGNORECASE)  # not the modal "may"
        dated = re.search(rf"\b{word}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{word}\b", text,
                          flags)
        plain = re.search(rf"\b{word}\b", text, flags)
        out.append(dated.group(0) if dated else plain.group(0) if plain else name)
    return out


def classify_type(a: str, b: str) -> tuple[FindingType, str]:
    """Best-effort type of a contradiction between two claims, with a short reason fragment."""
    wa, wb = _words(a), _words(b)
    months_a, months_b = _months(a), _months(b)
    days_a, days_b = wa & set(WEEKDAYS), wb & set(WEEKDAYS)
    if (months_a and months_b and months_a != months_b) or (days_a and days_b and days_a != days_b):
        left = ", ".join(_dates_as_written(a, months_a | days_a))
        right = ", ".join(_dates_as_written(b, months_b | days_b))
        return FindingType.DATE, f"dates differ: {left} vs {right}"
    years_a, years_b = years(a), years(b)
    if years_a and years_b and years_a - years_b and years_b - years_a:
        return FindingType.DATE, f"years differ: {', '.join(sorted(years_a - years_b))} vs " \
                                 f"{', '.join(sorted(years_b - years_a))}"
    # days of one month ("June 29" / "June 30", "3 and 4 May" / "10 May"), as written; a number beside a month
    # that is not its day ("three officers ... in March") and a weekday in both claims ("a 39-vehicle pileup on
    # Friday" / "a 93-vehicle pileup on Friday") do not make a date
    day_conflict = _day_conflict(a, b)
    if day_conflict is not None:
        return FindingType.DATE, day_conflict
    # Quantities compare as ranges within a dimension: "less than an hour" / "three hours" conflict,
    # "over 1,000" / "over 2,500" do not, and a year is not a count ("1.5 million" / "1915"); days of a month are
    # dates, not amounts.
    only_a, only_b = conflicting(_not_days(a), _not_days(b))
    if only_a and only_b:
        shown_a, shown_b = _labels(only_a), _labels(only_b)
        return FindingType.NUMERIC, f"numbers differ: {', '.join(shown_a)} vs {', '.join(shown_b)}"
    places_a, places_b = _places(a), _places(b)
    if places_a and places_b and not (places_a & places_b):
        return FindingType.LOCATION, (f"places differ: {', '.join(as_written(a, p) for p in sorted(places_a))} vs "
                                      f"{', '.join(as_written(b, p) for p in sorted(places_b))}")
    # "He is not on the territory of Belarus" / "... agreed to live in exile in Belarus": a place one claim
    # gives, the other denies
    for denied, side, other in ((_places(a, denied=True) & places_b, "first", "second"),
                                (_places(b, denied=True) & places_a, "second", "first")):
        if denied:
            return FindingType.LOCATION, f"the {side} claim denies the place the {other} gives: " \
                                         f"{', '.join(as_written(a, p) for p in sorted(denied))}"
    antonym = _opposite_pair(wa, wb)
    neg_a, neg_b = bool(_NEGATION.search(a)), bool(_NEGATION.search(b))
    # "the mayor confirmed ..." / "the mayor denied ...": the denial is the opposite word, not a negation cue
    if neg_a != neg_b and not (antonym and _NEGATION.fullmatch(antonym[1])):
        side = "the second" if neg_b else "the first"
        return FindingType.NEGATION, f"only {side} claim is negated"
    if antonym:
        return FindingType.ANTONYM, f"opposite words: {antonym[0]} / {antonym[1]}"
    # A place in one claim only is an omission, not a conflict ("The British royal, who is working in New York,
    # showcased ..." / "Princess Eugenie showcased ..."): no place conflict, so the grounding rule applies.
    return FindingType.OTHER, "the model judges the claims incompatible"


def grounding_gap(text_a: str, text_b: str, kind: FindingType, shared_names: set[str] | None = None) -> str | None:
    """Why two claims the model finds incompatible show no sign of being about the same thing, or None: they
    need a shared content word or name. A place conflict is exempt ("As for Prigozhin, he's in St Petersburg" /
    "The mercenary groups ... agreed to live in exile in Belarus" share none); two years or two amounts are not
    ("She changed her name in 2012" / "His final album was released in 2007": two events, one finding per year
    in a corpus of many). ``shared_names``: the claims' shared :func:`entity_keys`, when the caller has them."""
    if kind is FindingType.LOCATION:
        return None
    if shared_names is None:
        shared_names = entity_keys(text_a) & entity_keys(text_b)
    if shared_names or content_words(text_a) & content_words(text_b):
        return None
    return "the claims share no content word or name"


# "a spokesman for the Department for Transport" speaks as the department (QA walk 6 read a source disagreement).
_SPEAKS_FOR = re.compile(r"^(?:an?|the)\s+(?:\w+\s+)?(?:spokes(?:man|woman|person)|press officer)\s+for\s+",
                         re.IGNORECASE)


def _same_voice(left: str, right: str) -> bool:
    """Whether two speakers are one person or body: the same words, one name inside the other ("Peskov" /
    "Dmitry Peskov", "the Kremlin" / "Kremlin"), a body named again by its noun ("the group" / "Harbourline
    Group"), or a body and its spokesman ("a spokesman for the Department for Transport" / "the Department for
    Transport"); not "an aide to Prigozhin" / "Prigozhin"."""
    a, b = _SPEAKS_FOR.sub("", left.strip()).lower(), _SPEAKS_FOR.sub("", right.strip()).lower()
    if a == b or a.removeprefix("the ") == b.removeprefix("the "):
        return True
    names = not any(w[:1].islower() and w != "the" for w in f"{left} {right}".split())
    if names and (a in b or b in a):
        return True
    # "the group" / "Harbourline Group", "the council" / "Northfield Council": a body named again by its noun
    for short, named in ((a, right), (b, left)):
        words = short.split()
        if len(words) == 2 and words[0] == "the" and named[:1].isupper() and words[1] in named.lower().split():
            return True
    return False


# Unnamed sources of many voices ("according to reports", "witnesses said", "local media"): two outlets that cite
# them cite different people, so their two accounts are no one source's two accounts (an OSINT walk read "one
# source, two accounts: reports in census_capitalwire vs reports in census_dailymail").
_UNNAMED_SOURCES = frozenset(
    "reports media sources witnesses residents officials experts analysts critics observers neighbours neighbors "
    "people bystanders onlookers eyewitnesses accounts outlets newspapers".split())


def _unnamed(speaker: str) -> bool:
    """Whether ``speaker`` is an unnamed source of many voices: words in lower case (the first may be capitalised)
    ending in one of ``_UNNAMED_SOURCES`` ("reports", "Local media", "Ukrainian officials", "some witnesses")."""
    words = speaker.split()  # the first word may be capitalised where it opens the sentence ("Local media said")
    return bool(words) and all(w[:1].islower() for w in words[1:]) and words[-1] in _UNNAMED_SOURCES


def relation_of(a: Claim, b: Claim) -> tuple[Relation, str | None]:
    """Self-contradiction when both claims have the same voice (:func:`_same_voice`): in one article, or one
    named speaker in two articles (Lukashenko changed his account, or an outlet quoted him wrong: the second value
    names both accounts; not "reports" or "witnesses" in two articles, which are other voices); otherwise a
    disagreement between sources, named. Two articles' own narration are two sources ("bbc_1 vs bbc_2"). An
    unresolved "he" is one voice only within a paragraph: "Police arrested Tom Baker. He said ..." and, a
    paragraph later, "Officers questioned Sam Hill. He said ..." are two people (QA walk 6)."""
    if a.article is not None and b.article is not None and a.article != b.article:
        if a.speaker and b.speaker and _same_voice(a.speaker, b.speaker) and not _unnamed(a.speaker) and \
                a.speaker.lower() not in UNRESOLVED_PRONOUNS:  # two articles' unresolved "he" are anyone
            # he changed his account, or was misquoted
            return Relation.SELF_CONTRADICTION, f"{a.speaker} in {a.article} vs {b.speaker} in {b.article}"
        left, right = (f"{speaker_name(c.speaker)} in {c.article}" if c.speaker else c.article for c in (a, b))
        return Relation.SOURCE_DISAGREEMENT, f"{left} vs {right}"
    unresolved = (a.speaker or "").lower() in UNRESOLVED_PRONOUNS and a.paragraph != b.paragraph
    if not unresolved and ((a.speaker or "").strip().lower() == (b.speaker or "").strip().lower() or (
            a.speaker and b.speaker and _same_voice(a.speaker, b.speaker))):
        return Relation.SELF_CONTRADICTION, None
    return Relation.SOURCE_DISAGREEMENT, f"{speaker_name(a.speaker)} vs {speaker_name(b.speaker)}"


def combine_directions(forward: float, backward: float, rule: str = "mean") -> float:
    """The two directions' contradiction probabilities as one (``ScoringSettings.direction_rule``)."""
    if rule == "max":
        return max(forward, backward)
    if rule == "min":
        return min(forward, backward)
    return (forward + backward) / 2


def second_opinion_note(forward: NLIScores, backward: NLIScores) -> str | None:
    """Each model's own contradiction where a second opinion was blended in (``NLIScores.opinions``), or None:
    "blended with a second opinion: first model a->b 72%, b->a 65%; second model a->b 5%, b->a not asked"."""
    if forward.opinions is None and backward.opinions is None:
        return None
    firsts, seconds = [], []
    for name, scores in (("a->b", forward), ("b->a", backward)):
        first, second = scores.opinions if scores.opinions else (scores.contradiction, None)
        firsts.append(f"{name} {first:.0%}")
        seconds.append(f"{name} {second:.0%}" if second is not None else f"{name} not asked")
    return f"blended with a second opinion: first model {', '.join(firsts)}; second model {', '.join(seconds)}"


def as_written(text: str, key: str) -> str:
    """A lower-cased name key ("st petersburg") as ``text`` writes it ("St Petersburg"); the key when absent."""
    found = re.search(rf"\b{re.escape(key)}\b", text, re.IGNORECASE)
    return found.group(0) if found else key


_NAME_JOINT = re.compile(r"(?:[’']s?)?[\s’']*|\s*&\s*|\s+(?:of|for|de)\s+(?:the\s+)?")  # not "and": a list


def _about(shared_names: set[str], why: str, text: str) -> str:
    """" about Yevgeny Prigozhin, Wagner": the names the claims share as ``text`` writes them, in its order, a
    name's words together (at most three names), less a common noun alone ("Officials said") and those the reason
    gives already ("... denies the place the second gives: Belarus" is not followed by "about Belarus")."""
    keys = [n for n in shared_names if not re.search(rf"\b{re.escape(n)}\b", why, re.IGNORECASE)]
    spans = sorted((m.start(), m.end()) for n in keys
                   if (m := re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)) is not None)
    names: list[list[int]] = []
    for start, end in spans:  # "Yevgeny" and "Prigozhin" next to each other are one name, so are "St Mary's
        # Hospital" and "Smith & Sons" (a QA walk read "about St Mary, Hospital")
        if names and _NAME_JOINT.fullmatch(text[names[-1][1]:start]):
            names[-1][1] = end
        else:
            names.append([start, end])
    shown = [text[start:end] for start, end in names]
    shown = [name for name in shown if name.lower() not in GENERIC_NOUNS]  # "Officials said": no name
    return f" about {', '.join(shown[:3])}" if shown else ""


def _repeats(a: str, b: str, forward: NLIScores, backward: NLIScores,
             notes: list[str]) -> tuple[NLIScores, NLIScores]:
    """The directions (a->b, b->a) with the model's reading replaced where one claim repeats the other."""
    entails, adds = NLIScores(1.0, 0.0, 0.0), NLIScores(0.0, 1.0, 0.0)
    if same_statement(a, b):
        notes.append("the same statement in both: it entails itself (the model's reading is not used)")
        return entails, entails
    if contains_statement(a, b):
        notes.append("the first claim repeats the second word for word and says more (the model's reading is "
                     "not used)")
        return entails, adds
    if contains_statement(b, a):
        notes.append("the second claim repeats the first word for word and says more (the model's reading is "
                     "not used)")
        return adds, entails
    return forward, backward


# "Nobody was injured." / "The ferry was carrying 148 passengers": a claim that nobody was hurt conflicts only with a
# claim about harm or damage. The model read the first against every sentence of a pasted page at 61-73% (a
# fact-checker's walk), and "There were no immediate reports of injuries or damage" against five sentences of one
# quake story (QA walk 7); the evidence benchmark's report half has two such pairs at 0.5 or more, both false
# alarms on clean articles (README.md, "Reading a score": 16 -> 14 findings in the 50-60% band). Damage conflicts
# only with a claim of no damage: "Nobody was injured." against a ferry's "slightly damaged" hull is no conflict.
CASUALTY_DISCOUNT = 0.5
_NOBODY_HURT = re.compile(
    r"\b(?:no\s*(?:one|body)|nobody|none)\b[^.]{0,30}?\b(?:was|were|has\s+been|have\s+been|had\s+been|got)\s+"
    r"(?:seriously\s+|badly\s+)?(?:injured|hurt|harmed|killed|wounded)|\bno\s*(?:one|body)\s+(?:died|was\s+killed)|"
    r"\bno\s+(?:immediate\s+|initial\s+|early\s+|further\s+|other\s+|serious\s+)?(?:reports?\s+of\s+(?:any\s+)?)?"
    r"(?:injur(?:y|ies)|casualties|deaths|fatalities)\b|\b(?:was|were)\s+not\s+(?:seriously\s+)?(?:injured|hurt|"
    r"harmed)", re.IGNORECASE)
_HARM_WORD = re.compile(
    r"\b(?:injur\w*|hurt\w*|harm\w*|wound\w*|kill\w*|dead|die[ds]?|dying|death\w*|hospital\w*|casualt\w*|"
    r"treated|fatal\w*|victims?|bod(?:y|ies)|surviv\w*|unharmed|safe(?:ly)?|rescued|missing)\b", re.IGNORECASE)
_DAMAGE_WORD = re.compile(r"\b(?:damag\w*|destroy\w*|destruction|collaps\w*)\b", re.IGNORECASE)


def casualty_gap(text_a: str, text_b: str) -> str | None:
    """Why a claim that nobody was hurt cannot conflict with the other claim, or None: the other speaks of no harm
    at all ("Nobody was injured." / "Passengers were brought ashore at Oban")."""
    for side, one, other in (("first", text_a, text_b), ("second", text_b, text_a)):
        if not _NOBODY_HURT.search(one):
            continue
        rest = _NOBODY_HURT.sub("", other)
        # damage conflicts only with a claim of no damage ("no reports of injuries or damage"), not with "Nobody
        # was injured" (a ferry's "slightly damaged" hull)
        if not _HARM_WORD.search(rest) and not (_DAMAGE_WORD.search(one) and _DAMAGE_WORD.search(rest)):
            return f"the {side} claim says nobody was hurt and the other speaks of no harm"
    return None


# Items of an article's numbered lists ("a dozen oddities" of a boxer: "Manny starts every morning with a Bible
# reading" / "Pacman, Manny's nine-year-old Jack Russell terrier ... accompanies Manny on all his morning runs",
# 64%) are parallel facts, not one claim told twice: x0.5, unless the two show they speak of one thing, a typed
# conflict (numbers, dates, places, opposite words: "The bridge opened in 1990." / "The bridge opened in 1995.") or
# half the content words of the shorter item ("It has never closed for repairs." / "It closed twice for repairs").
# Of the 1,078 FRANK and ContraDoc texts two have such lists (one measurement-side FRANK article, whose five
# findings at 0.5 were all between items), so the benchmarks measure it on that article only.
LIST_ROWS_DISCOUNT = 0.5
_SAME_THING_TYPES = frozenset({FindingType.NUMERIC, FindingType.DATE, FindingType.LOCATION, FindingType.ANTONYM})


def list_rows_gap(a: Claim, b: Claim, text_a: str, text_b: str, kind: FindingType) -> str | None:
    """Why two items of one article's numbered lists may be parallel facts rather than a conflict, or None (see
    ``LIST_ROWS_DISCOUNT``)."""
    if a.list_item is None or b.list_item is None or a.article != b.article or kind in _SAME_THING_TYPES:
        return None
    words_a, words_b = content_words(text_a), content_words(text_b)
    if len(words_a & words_b) * 2 >= min(len(words_a), len(words_b)) > 0:
        return None
    return f"items {a.list_item} and {b.list_item} of numbered lists, about different things"


# "State Route 9 remained closed ... on Wednesday afternoon" / "State Route 9 was open to traffic on Thursday
# morning": two times and two opposite states are a change over time, not a conflict ("opened on Monday" / "closed
# on Tuesday", "won on Saturday" / "lost on Sunday"). A reporter's walk over six articles of 36 hours' coverage found
# four such findings at 56-89%. Two times with two amounts are not enough: "the meeting took place on July 1 and
# only 15 commanders were invited" / "... on June 29 and 35 people were invited" is one event told two ways (the
# compare seeds' written conflict). One day's two parts count as two times ("remained closed early Wednesday" /
# "reopened ... on Wednesday afternoon"). No pair of the evidence benchmark (every pair at 0.3 or more) has this
# shape, so the rule changes none of its figures.
TIME_CHANGE_DISCOUNT = 0.5

# "Fire Chief Martin Kowalczyk, 52, said ..." / "Fire Chief Martin Kowalczyk, 61, said ...": one person given two
# ages is a conflict whatever else the sentences say; the model read the walk's planted pair at 3-6%, as the rest of
# the sentences differ. A full name (two words or more) is the key: "Lizzi Crawford, 32" and "Mary Crawford, 57"
# are two people. No pair of claims of the 1,078 FRANK and ContraDoc texts gives one full name two ages (8 pairs
# give one full or last name an age in both), so the rule changes none of the benchmarks' figures. Only inside one
# article: two articles may be years apart (a QA walk: 52 in 2019, 57 in 2024), so there it is a note; and not for
# a claim that lists several "Name, 120," (votes, scores) or a number no age reaches.
AGE_CONFLICT_SCORE = 0.9
MAX_AGE = 110
_AGE_APPOSITION = re.compile(r"\b((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+\s+[A-Z][\w'’-]+),\s+(\d{1,3}),")


def age_conflict(text_a: str, text_b: str) -> str | None:
    """"Martin Kowalczyk: 52 / 61" when both claims give the same full name an age in apposition ("Martin
    Kowalczyk, 52,") and the ages differ, else None."""
    def ages(text: str) -> dict[str, str]:
        found = {" ".join(m.group(1).split()[-2:]): m.group(2) for m in _AGE_APPOSITION.finditer(text)
                 if int(m.group(2)) <= MAX_AGE}
        return found if len(found) == 1 else {}  # several "Name, 120," in one claim: a list of votes or scores

    in_a, in_b = ages(text_a), ages(text_b)
    differ = sorted(name for name in in_a.keys() & in_b.keys() if in_a[name] != in_b[name])
    return "; ".join(f"{name}: {in_a[name]} / {in_b[name]}" for name in differ) or None


_PART_OF_DAY = re.compile(r"\b(early|morning|midday|noon|afternoon|evening|night|overnight|midnight|"
                          r"\d{1,2}(?::\d{2})?\s*[ap]\.?m)\b", re.IGNORECASE)


def _parts_of_day(text: str) -> set[str]:
    return {re.sub(r"[\s.:]", "", m.group(1).lower()) for m in _PART_OF_DAY.finditer(text)}


# Opposite words that are no state of a thing: "closed on March 3 after the explosion" / "closed on March 5, two
# days before the inspection" is one closure given two dates (a QA walk).
_NOT_STATES = frozenset({("before", "after"), ("more", "fewer"), ("more", "less"), ("higher", "lower"),
                         ("larger", "smaller"), ("up", "down"), ("inside", "outside"), ("true", "false"),
                         ("first", "last")})


def time_change(text_a: str, text_b: str, kind: FindingType, why: str) -> str | None:
    """Why a finding may be a change over time, or None: the claims give different days or months, or one day's
    different parts ("early Wednesday" / "Wednesday afternoon", "at 5 a.m." / "at 7 a.m."), and opposite words
    ("closed" / "open"), so they describe a state at two times."""
    if kind is FindingType.ANTONYM:  # one day's two parts
        day_a, day_b = _parts_of_day(text_a), _parts_of_day(text_b)
        if not (day_a and day_b and not day_a & day_b):
            return None
    elif kind is not FindingType.DATE or not why.startswith("dates differ"):
        return None
    wa, wb = _words(text_a), _words(text_b)
    only_a, only_b = wa - wb, wb - wa  # "just before 8pm ... after ramming" / "just before 8pm": no opposite
    pair = _opposite_pair(only_a, only_b, skip=_NOT_STATES)
    if pair is None:
        return None
    left, right = pair if pair[0] in only_a else pair[::-1]
    return f"different times and opposite states ({left} / {right}): this may be a change over time"


def _discounted(raw: float, hedged: bool, gaps: list[tuple[str | None, float]], settings: ScoringSettings,
                notes: list[str]) -> float:
    """``raw`` with the discounts on top of the model: hedged wording, then each ``(why, factor)`` of ``gaps``
    that has a why (no grounding, a casualty claim against a claim about something else, a change over time,
    two list items about different things; only where ``settings.grounding_discount`` is on)."""
    score = raw
    if hedged:
        score = raw * settings.hedge_discount
        notes.append(f"hedged wording: score discounted x{settings.hedge_discount} (raw {raw:.2f})")
    if settings.grounding_discount == 1.0:
        return score
    for why, factor in gaps:
        if why:
            score *= factor
            notes.append(f"{why}: score discounted x{factor} (raw {raw:.2f})")
    return score


def _with_typed_evidence(raw: float, forward: NLIScores, backward: NLIScores, text_a: str, text_b: str,
                         kind: FindingType, settings: ScoringSettings, notes: list[str], same_article: bool) -> float:
    """``raw`` where the claims' own words show the conflict: two amounts of one slot count the larger direction
    (``settings.same_slot_rule``), one person given two ages in one article scores at least ``AGE_CONFLICT_SCORE``
    (across articles only a note: they may be years apart)."""
    ages = age_conflict(text_a, text_b)  # the ages are what differs, not an amount of the words beside them
    slot = same_slot(text_a, text_b) if kind is FindingType.NUMERIC and not ages and settings.same_slot_rule != \
        settings.direction_rule else None
    if slot:
        combined = combine_directions(forward.contradiction, backward.contradiction, settings.same_slot_rule)
        which = {"max": "the larger direction", "min": "the smaller direction"}.get(settings.same_slot_rule,
                                                                                   "the mean of the directions")
        moved = f" ({combined:.0%} rather than {raw:.0%})" if f"{combined:.0%}" != f"{raw:.0%}" else ""
        notes.append(f"the amounts measure the same thing ('{slot}'): {which} counts{moved}")
        raw = combined
    if ages and raw < AGE_CONFLICT_SCORE and same_article:
        notes.append(f"one person is given two ages ({ages}): scored {AGE_CONFLICT_SCORE:.0%} whatever the model "
                     f"read ({raw:.0%})")
        raw = AGE_CONFLICT_SCORE
    elif ages:  # two articles may be years apart: a person's age changes
        notes.append(f"one person is given two ages ({ages})")
    return raw


def make_finding(
    a: Claim, b: Claim, pair: CandidatePair, forward: NLIScores, backward: NLIScores,
    settings: ScoringSettings | None = None,
) -> Finding:
    """Combine the two directions (a->b, b->a) into a finding (see :class:`ScoringSettings`). Two claims with
    the same words (:func:`~consistency.text.claimhood.same_statement`) entail each other whatever the model
    read: it gives some sentences contradiction against themselves (83% for one of the sample's). A claim that
    repeats all of the other's words and asserts them (:func:`~consistency.text.claimhood.contains_statement`: a
    caption glued to the body sentence it repeats) entails it, and the other way is neutral."""
    settings = settings or DEFAULT_SCORING
    notes: list[str] = []
    forward, backward = _repeats(a.text, b.text, forward, backward, notes)
    raw = combine_directions(forward.contradiction, backward.contradiction, settings.direction_rule)
    # The type and the "about" names come from what the claims assert, without a closing attribution: in
    # "X is not in Belarus, Lukashenko told reporters in Minsk on Thursday" the weekday and Minsk date and
    # place the telling, not the claim.
    text_a, text_b = strip_attribution(a.text), strip_attribution(b.text)
    kind, why = classify_type(text_a, text_b)
    raw = _with_typed_evidence(raw, forward, backward, text_a, text_b, kind, settings, notes, a.article == b.article)
    shared_names = entity_keys(text_a) & entity_keys(text_b)
    gaps = [(grounding_gap(text_a, text_b, kind, shared_names), settings.grounding_discount),
            (casualty_gap(text_a, text_b), CASUALTY_DISCOUNT), (time_change(text_a, text_b, kind, why),
                                                                TIME_CHANGE_DISCOUNT),
            (list_rows_gap(a, b, text_a, text_b, kind), LIST_ROWS_DISCOUNT)]
    score = _discounted(raw, a.hedged or b.hedged, gaps, settings, notes)
    opinions = second_opinion_note(forward, backward)
    if opinions:
        notes.append(opinions)
    relation, sides = relation_of(a, b)
    if sides:
        label = ("source disagreement" if relation is Relation.SOURCE_DISAGREEMENT else
                 "one source, two accounts (changed, or quoted differently)")
        notes.append(f"{label}: {sides}")
    reason = (f"{why}{_about(shared_names, why, text_a)} (contradiction {raw:.0%}: a->b {forward.contradiction:.0%}, "
              f"b->a {backward.contradiction:.0%})")
    return Finding(
        a=a,
        b=b,
        score=score,
        contradiction_ab=forward.contradiction,
        contradiction_ba=backward.contradiction,
        entailment_ab=forward.entailment,
        entailment_ba=backward.entailment,
        similarity=pair.similarity,
        type=kind,
        relation=relation,
        reason=reason,
        notes=tuple(notes),
    )


# --- the scoring path ----------------------------------------------------------------------------

def score_pairs(
    claims: Sequence[Claim],
    pairs: Sequence[CandidatePair],
    nli: NLIBackend,
    settings: ScoringSettings | None = None,
    progress: bool = False,
) -> list[Finding]:
    """Classify each pair in both directions and turn it into a (possibly low-scoring) finding: THE scoring
    path of every command.

    ``pair.a`` / ``pair.b`` are positions in ``claims``; a claim's context is the claims of its own article
    next to it in ``claims`` (``Claim.article`` tells articles apart). Each claim is read as
    :func:`claim_views` says; per direction the most contradictory combination counts.
    """
    settings = settings or DEFAULT_SCORING
    view_pairs = pair_views(claims, pairs, settings.views)
    inputs = view_inputs(view_pairs)
    with progress_bar(nli, inputs, enabled=progress) as update:
        directions = best_of_views(view_pairs, nli, progress=update, inputs=inputs)
    return [make_finding(claims[p.a], claims[p.b], p, forward, backward, settings)
            for p, (forward, backward) in zip(pairs, directions, strict=True)]


def claim_views(claims: Sequence[Claim], position: int, partner: int | None = None, views: bool = True
                ) -> tuple[str, ...]:
    """The view policy: what the NLI model reads for ``claims[position]`` when compared with
    ``claims[partner]``: :func:`nli_views` with ``views``, else only :func:`nli_text`."""
    return nli_views(claims, position, partner) if views else (unwrap_lines(nli_text(claims, position, partner)),)


def pair_views(claims: Sequence[Claim], pairs: Sequence[CandidatePair], views: bool = True
               ) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """For each pair: the views of its ``a`` claim and of its ``b`` claim (:func:`claim_views`)."""
    read: dict[tuple[int, int], tuple[str, ...]] = {}
    for pair in pairs:
        read.setdefault((pair.a, pair.b), claim_views(claims, pair.a, pair.b, views))
        read.setdefault((pair.b, pair.a), claim_views(claims, pair.b, pair.a, views))
    return [(read[(p.a, p.b)], read[(p.b, p.a)]) for p in pairs]


def view_inputs(view_pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[tuple[str, str]]:
    """The distinct (premise, hypothesis) texts that :func:`best_of_views` classifies, in order."""
    seen: dict[tuple[str, str], None] = {}
    for a_views, b_views in view_pairs:
        for a in a_views:
            for b in b_views:
                seen.setdefault((a, b))
                seen.setdefault((b, a))
    return list(seen)


def best_of_views(
    view_pairs: Sequence[tuple[Sequence[str], Sequence[str]]],
    nli: NLIBackend,
    progress: Callable[[int], None] | None = None,
    inputs: Sequence[tuple[str, str]] | None = None,
) -> list[tuple[NLIScores, NLIScores]]:
    """For each (views of a, views of b): the a->b and b->a scores of the most contradictory combination
    of views. Every distinct text pair is classified once, in one batched call; ``inputs`` is
    ``view_inputs(view_pairs)`` when the caller already has it."""
    inputs = view_inputs(view_pairs) if inputs is None else inputs
    scores = dict(zip(inputs, nli.predict(inputs, progress=progress), strict=True)) if inputs else {}
    out = []
    for a_views, b_views in view_pairs:
        forward = max((scores[(a, b)] for a in a_views for b in b_views), key=lambda s: s.contradiction)
        backward = max((scores[(b, a)] for a in a_views for b in b_views), key=lambda s: s.contradiction)
        out.append((forward, backward))
    return out


def nli_views(claims: Sequence[Claim], position: int, partner: int | None = None) -> tuple[str, ...]:
    """What the NLI model reads for a claim: :func:`nli_text` first, then the claim with its leading
    pronoun resolved and its closing attribution removed ('"He is not on the territory of Belarus," he
    said.' -> "Prigozhin is not on the territory of Belarus.") and its coordinated clauses
    (:mod:`consistency.text.clauses`), at most ``MAX_VIEWS``."""
    first = nli_text(claims, position, partner)
    resolved = resolve_leading_pronoun(claims, position)
    # only a named speaker's attribution is removed for the model: removing "..., police said" too found 2 more
    # of the news challenge set's tune-half contradictions and flagged 1 more of 100 clean FRANK tune articles
    plain = strip_attribution(resolved or claims[position].text, unnamed=False)
    views = [first, plain]
    views.extend(split_clauses(plain))
    return tuple(dict.fromkeys(map(unwrap_lines, views)))[:MAX_VIEWS]


# A word broken across a hard-wrapped line, as PDF text has it: "the Marsh Lane water treat-\nment works", or across
# a page break that a reader wrote as a bare form feed ("vaccina-\ftion": a QA walk's PDF text).
_BROKEN_WORD = re.compile(r"(?<=[a-z])-[ \t]*[\n\f]+[ \t\f]*(?=[a-z])")


def unwrap_lines(text: str) -> str:
    """What the model reads of hard-wrapped text: a word broken at a line's end or a page's whole again
    ("treat-\\nment" -> "treatment", "vaccina-\\ftion" -> "vaccination"); the claim's own text and offsets are
    unchanged (other line breaks read as spaces anyway)."""
    return _BROKEN_WORD.sub("", text)


_PRONOUN_START = re.compile(r"^[\W_]*(he|she|it|they|his|her|its|their|this|these|those|we|i)\b", re.IGNORECASE)


def nli_text(claims: Sequence[Claim], position: int, partner: int | None = None) -> str:
    """What the NLI model reads for a claim: the claim, preceded by the previous sentence of the same
    paragraph when it opens with a pronoun ("He is not on the territory of Belarus"), so that the model
    knows who "he" is; not when that previous sentence is the ``partner`` it is compared with. The
    claim's own text and offsets are unchanged."""
    claim = claims[position]
    if position > 0 and position - 1 != partner and _PRONOUN_START.match(claim.text):
        previous = claims[position - 1]
        if previous.article == claim.article and previous.paragraph == claim.paragraph:
            return f"{previous.text} {claim.text}"
    return claim.text


@contextmanager
def progress_bar(
    nli: NLIBackend, inputs: Sequence[tuple[str, str]], enabled: bool
) -> Iterator[Callable[[int], None] | None]:
    """Progress on stderr over the NLI pieces of ``inputs`` (:mod:`consistency.progress`: a bar on a terminal,
    occasional lines elsewhere, the expected time up front when it is long), when ``enabled`` and the work is large."""
    if not enabled or len(inputs) < PROGRESS_MIN_PIECES:
        yield None
        return
    from consistency.progress import Progress

    device = getattr(nli, "device", None)
    with Progress("scoring", nli.count_pieces(inputs), "NLI inputs", where=str(device) if device else None) as shown:
        yield shown.update
