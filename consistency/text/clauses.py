"""Shorter readings of a claim for the NLI model: coordinated clauses and a resolved leading pronoun.

NLI models are trained on short sentences. A long news sentence that strings several statements
together ("The groups took control of Rostov-on-Don but did not proceed further and agreed to live in
exile in Belarus") hides each statement from them, and a claim that opens with "He" does not say who.
The checker classifies a pair on every reading of its two claims (the claim itself first) and keeps
the most contradictory one; the claim's text and offsets never change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from consistency.text.words import MONTHS, WEEKDAYS, capitalised
from consistency.types import Claim

MAX_CLAUSES = 3
MAX_VIEWS = 4  # readings of one claim the NLI model sees: the claim, a resolved pronoun, its clauses
MIN_SENTENCE_WORDS = 12
MIN_CLAUSE_WORDS = 3
MAX_SUBJECT_WORDS = 8

_WORD = re.compile(r"[^\s—–]+")
# Past-tense and auxiliary forms that open a coordinated verb phrase ("... and agreed to ...").
_VERB_FORMS = frozenset(
    """did does do was were is are has have had will would could can may might must should said says
    took takes told tells gave gives made makes went goes left leaves met meets sent sends won wins lost
    loses held holds fled flees began begins became becomes came comes ran runs saw sees found finds
    kept keeps brought brings thought knew led leads paid pays sold sells bought built fell struck
    wrote spoke stood rose chose drew grew threw shot fought sought caught taught""".split()
)
_NOT_VERBS = frozenset("need speed feed seed breed bed red shed bred hundred indeed creed".split())
_JOINERS = frozenset({"and", "but", "yet"})
_LEADING_JOINER = re.compile(r"^(?:[,;]\s*)?(?:and|but|yet)\s+", re.IGNORECASE)
_STRIP = " \t\n,;:—–-"
_PERSON_PRONOUN = re.compile(r"^([\"“‘']?)(he|she)\b(?:'s|’s)?", re.IGNORECASE)
_SPEECH_AFTER = re.compile(
    r"^\s+(?:also\s+|further\s+|later\s+|then\s+)?(?:said|says|added|adds|told|tells|wrote|writes|stated|"
    r"insisted|claimed|noted|argued|explained|warned)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<![\w’'])((?:[A-Z][\w’'-]+)(?:\s+(?:[A-Z][\w’'-]+))*)")
_PLACE_BEFORE = re.compile(r"\b(?:in|to|from|at|near|into|of|across|outside|inside)\s*$", re.IGNORECASE)
_NOT_PEOPLE = frozenset(
    """As For The A An He She It They We I In On At After Before When While But And If This That These Those
    There Then However Meanwhile Initially Under Its His Her Their Our No Yes Responding Briefing Kremlin""".split()
) | frozenset(capitalised(WEEKDAYS) + capitalised(MONTHS))


def _is_verb(word: str) -> bool:
    bare = word.strip("\"“”‘’'(),.;:").lower()
    if bare in _VERB_FORMS:
        return True
    return len(bare) > 4 and bare.endswith("ed") and bare not in _NOT_VERBS


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _subject(words: list[tuple[int, int, str]], text: str) -> str | None:
    """The words before the first verb form, after a leading adverbial phrase ("Initially, Putin")."""
    for n, (_, _, word) in enumerate(words):
        if _is_verb(word):
            if n == 0:
                return None
            first = words[0][0]
            for m in range(n - 1, -1, -1):  # start after the last comma before the verb
                if words[m][2].endswith(","):
                    first = words[m + 1][0]
                    break
            subject = text[first : words[n - 1][1]].strip(_STRIP)
            if not subject or len(subject.split()) > MAX_SUBJECT_WORDS or not subject[0].isupper():
                return None
            return subject
    return None


def _finish(text: str) -> str:
    text = text.strip(_STRIP)
    return text if text.endswith((".", "!", "?")) else text.rstrip(".,;:") + "."


def split_clauses(text: str) -> list[str]:
    """The coordinated clauses of a long sentence, each a sentence of its own with the subject carried
    over ("The groups agreed to live in exile in Belarus."); an empty list when there is nothing to split.

    A clause starts at "and", "but" or "yet" (or "—but", "; ") followed by a verb form ("did", "agreed",
    "was") or by a new subject with its own verb. Deliberately conservative: at most ``MAX_CLAUSES``.
    """
    words = _words(text)
    if len(words) < MIN_SENTENCE_WORDS:
        return []
    cuts: list[tuple[int, bool]] = []  # (character offset of the joiner, clause has no subject of its own)
    for n in range(1, len(words) - 1):
        start, _, raw = words[n]
        word = raw.lower().lstrip("—–")
        glued = raw.lower().startswith(("—", "–")) or text[max(0, start - 1) : start] in "—–"
        if word not in _JOINERS or (n < 3 and not glued):
            continue
        following = words[n + 1][2]
        if _is_verb(following) or following.lower() in {"also", "then", "later", "still", "not"}:
            cuts.append((start, True))
        elif word == "but" and following[:1].isupper():  # ", but Lukashenko claimed ..."
            cuts.append((start, False))
    if not cuts:
        return []
    bounds = [0, *(c for c, _ in cuts), len(text)]
    clauses: list[str] = []
    subject = _subject(words, text)
    for i in range(len(bounds) - 1):
        piece = _LEADING_JOINER.sub("", text[bounds[i] : bounds[i + 1]].strip(_STRIP).lstrip("—–")).strip(_STRIP)
        if i > 0 and cuts[i - 1][1]:
            if subject is None:
                continue
            piece = f"{subject} {piece}"
        elif i > 0:
            subject = _subject(_words(piece), piece) or subject
        if len(piece.split()) >= MIN_CLAUSE_WORDS:
            clauses.append(_finish(piece[0].upper() + piece[1:]))
    if len(clauses) < 2:
        return []
    return clauses[:MAX_CLAUSES]


# A name, or a name after its lower-case title ("emergency management director Paula Okafor"); not a clause
# ("and Peskov", "which Putin") or a determiner ("the Kremlin": an unnamed source).
_NAMED_SPEAKER = (r"(?:he|she|they|it|we|I|(?:(?!(?:the|a|an|and|but|or|nor|so|as|which|who|whom|that|while|when|"
                  r"where|because|after|before|if|then|than|to|of|in|on|at|for|with|by|from)\b)[a-z][\w’'-]*\s+)"
                  r"{0,4}[A-Z][\w’'.-]*)")
# Also a speaker that opens with a determiner ("the Kremlin", "a spokesman") or is a bare source noun ("police
# said"), and "according to the Kremlin".
_ANY_SPEAKER = r"(?:he|she|they|it|we|I|the|a|an|two|three|several|police|officials|authorities|sources|" \
               r"witnesses|experts|analysts|investigators|prosecutors|residents|[A-Z][\w’'.-]*)"


def _trailing_attribution(speaker: str, wide: bool) -> re.Pattern[str]:
    """A closing attribution; ``wide``: also "according to ..." and a longer tail ("said in a statement")."""
    return re.compile(
        r"(?:,\s*[\"”’']|[\"”’']?\s*,)\s*"
        r"(?:" + speaker + r"(?:\s+[\w’'.&-]+){0,6}?\s+(?:also\s+)?"
        r"(?:said|says|added|adds|told(?:\s+\w+){1,3}?|wrote|writes|stated|insisted|noted)"
        r"|(?:said|says|added)\s+(?:he|she|they|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})"
        + (r"|according\s+to\s+(?:the\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){0,4}?" if wide else "") + r")"
        + (r"(?:\s+(?:on|in|at)\s+(?:a\s+|the\s+)?[\w’'-]+){0,2}" if wide else r"(?:\s+on\s+\w+)?")
        + r"\s*[.!?]?[\"”’']?\s*$")


_TRAILING_ATTRIBUTION = {True: _trailing_attribution(_ANY_SPEAKER, True),
                         False: _trailing_attribution(_NAMED_SPEAKER, False)}
_OPENING_QUOTE = re.compile(r"^[\"“‘']")


def strip_attribution(text: str, unnamed: bool = True) -> str:
    """The claim without a closing attribution and its quote marks: '"He is not in Belarus," he said.'
    -> 'He is not in Belarus.' (unchanged when there is none). ``unnamed``: also a speaker that is not a name
    or a pronoun ("..., the Kremlin said", "..., police said", "..., according to reports"); the NLI model's
    plain view leaves those (:func:`consistency.scoring.nli_views`, benchmarks/README.md)."""
    match = _TRAILING_ATTRIBUTION[unnamed].search(text)
    if match is None or match.start() == 0:
        return text
    core = _OPENING_QUOTE.sub("", text[: match.start()]).strip(_STRIP + "\"”’'")
    return _finish(core) if len(core.split()) >= MIN_CLAUSE_WORDS else text


def _antecedent(sentence: str, exclude: str | None) -> str | None:
    """The first name in ``sentence`` that can be a person: not a place after "in"/"to", not the speaker."""
    for match in _NAME.finditer(sentence):
        name = match.group(1)
        words = name.split()
        while words and words[0] in _NOT_PEOPLE:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        if _PLACE_BEFORE.search(sentence[: match.start(1)]):
            continue
        if exclude and (name in exclude or exclude in name):
            continue
        return name
    return None


def resolve_leading_pronoun(claims: Sequence[Claim], position: int) -> str | None:
    """The claim with an opening "He"/"She" replaced by the person the previous sentence of the same
    paragraph names ("He is not on the territory of Belarus" -> "Prigozhin is not ..."); None when the
    claim does not open with one or no such person is found."""
    claim = claims[position]
    match = _PERSON_PRONOUN.match(claim.text)
    if match is None or position == 0:
        return None
    rest = claim.text[match.end() :]
    if _SPEECH_AFTER.match(rest):  # "He added that ...": he is the speaker the segmenter resolved
        name = claim.speaker if claim.speaker and claim.speaker.lower() not in {"he", "she"} else None
    else:
        previous = claims[position - 1]
        if previous.article != claim.article or previous.paragraph != claim.paragraph:
            return None
        name = _antecedent(previous.text, claim.speaker)
    if name is None:
        return None
    verb = " is" if match.group().lower().endswith(("'s", "’s")) else ""
    return f"{match.group(1)}{name}{verb}{rest}"


__all__ = ["MAX_VIEWS", "resolve_leading_pronoun", "split_clauses", "strip_attribution"]
