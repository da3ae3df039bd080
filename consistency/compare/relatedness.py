"""Whether two articles tell one story: the names they share.

Cross-article findings between unrelated stories were all false alarms: compare on 45 unrelated FRANK articles
gave 9 findings ("'They don't want us to have any say,' Arum added." against a football manager's "we want to be
in a position to add to it", 80%), and an analyst's growing corpus holds many events. Articles about one event
name the same people, places and bodies: each pair of the sample's five Prigozhin articles, and of an analyst's
Brisbane and census sets, shares 5 to 12 name words, while 77% of 3,160 pairs of unrelated training-side FRANK
articles share none (95% at most one: "washington", "league"). A finding between two articles that each name at
least :data:`NAMES_NEEDED` things and share none of them is discounted (x :data:`DIFFERENT_STORIES_DISCOUNT`),
with a note; short articles, which name little, are left as they are. Sharing one name is not enough to tell
stories apart: a QA walk's two reports of one flood quoted different people and shared only the town.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from consistency.pairing import entity_keys
from consistency.text.segment import lowercase_words
from consistency.types import Claim, Finding

NAMES_NEEDED = 8  # both articles name at least this many things (FRANK articles: 7 or more)
MAX_SHARED_NAMES = 0  # sharing none of them: different stories
DIFFERENT_STORIES_DISCOUNT = 0.5
# capitalised words that name nothing: a sentence's first word the name list lets through ("That's", "She's")
_NOT_NAMES = frozenset("that she he it they we i what there here this who you let".split())
_MID_SENTENCE = re.compile(r"(?<=[a-z,;] )[A-Z][\w’'-]*")  # "in Exeter", "said Dunn"
_MULTI_WORD = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:of\s+|de\s+)?[A-Z][\w’'-]+)+")  # "Carl Dunn", "Bank of England"


def _bare(word: str) -> str:
    return word.lower().removesuffix("'s").removesuffix("’s")


def article_names(text: str, claims: Iterable[Claim]) -> frozenset[str]:
    """The names an article uses: the lower-cased words of its claims' capitalised names
    (:func:`~consistency.pairing.entity_keys`) that ``text`` capitalises inside a sentence or within a name of
    several words, and never writes in lower case ("Police said ..." with "police officers" elsewhere, or an
    "Officials said" opening, name nothing)."""
    keys: set[str] = set()
    for claim in claims:
        keys |= entity_keys(claim.text)
    named = {_bare(w) for w in _MID_SENTENCE.findall(text)} | {_bare(w) for m in _MULTI_WORD.findall(text)
                                                                for w in m.split()}
    return frozenset(k for k in keys - lowercase_words(text) if k in named and k not in _NOT_NAMES
                     and "'" not in k and "’" not in k)


def different_stories(names_a: frozenset[str], names_b: frozenset[str]) -> bool:
    """Whether two articles with these names tell different stories: both name enough things and share none of
    them."""
    return (min(len(names_a), len(names_b)) >= NAMES_NEEDED
            and len(names_a & names_b) <= MAX_SHARED_NAMES)


def discount_different_stories(scored: Sequence[Finding], names: Mapping[str, frozenset[str]], factor: float,
                               threshold: float) -> tuple[list[Finding], int]:
    """``scored`` with each finding between two articles of different stories (:func:`different_stories`)
    discounted by ``factor`` and noted (``names``: an article id's :func:`article_names`; ``factor`` 1.0: no
    change), and how many the discount took from ``threshold`` or above to below it."""
    if factor == 1.0:
        return list(scored), 0
    out: list[Finding] = []
    hidden = 0
    for finding in scored:
        a, b = str(finding.a.article), str(finding.b.article)
        if a != b and a in names and b in names and different_stories(names[a], names[b]):
            note = (f"the two articles share no name (of {len(names[a])} and {len(names[b])} name words): likely "
                    f"different stories: score discounted x{factor} (raw {finding.score:.2f})")
            discounted = replace(finding, score=finding.score * factor, notes=(*finding.notes, note))
            hidden += finding.score >= threshold > discounted.score
            finding = discounted
        out.append(finding)
    return out, hidden
