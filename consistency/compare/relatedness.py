"""Whether two articles tell one story: the names they share.

Cross-article findings between unrelated stories were all false alarms: compare on 45 unrelated FRANK articles
gave 9 findings ("'They don't want us to have any say,' Arum added." against a football manager's "we want to be
in a position to add to it", 80%), and an analyst's growing corpus holds many events. Articles about one event
name the same people, places and bodies: each pair of the sample's five Prigozhin articles, and of an analyst's
Brisbane and census sets, shares 6 to 12 names, while of 3,160 pairs of unrelated training-side FRANK articles 93%
share at most one ("washington", "league"). A finding between two articles that each name at least
:data:`NAMES_NEEDED` things and share at most :data:`MAX_SHARED_NAMES` of them is discounted (x
:data:`DIFFERENT_STORIES_DISCOUNT`), with a note; short articles, which name little, are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from consistency.pairing import entity_keys
from consistency.types import Claim, Finding

NAMES_NEEDED = 8  # both articles name at least this many things (FRANK articles: 11 or more)
MAX_SHARED_NAMES = 1  # sharing at most this many: different stories
DIFFERENT_STORIES_DISCOUNT = 0.5
# capitalised words that name nothing: a sentence's first word the name list lets through ("That's", "She's")
_NOT_NAMES = frozenset("that she he it they we i what there here this who you let".split())


def article_names(claims: Iterable[Claim]) -> frozenset[str]:
    """The names (lower-cased words of capitalised names, :func:`~consistency.pairing.entity_keys`) an
    article's claims use."""
    names: set[str] = set()
    for claim in claims:
        names |= entity_keys(claim.text)
    return frozenset(n for n in names if n not in _NOT_NAMES and "'" not in n and "’" not in n)


def different_stories(names_a: frozenset[str], names_b: frozenset[str]) -> bool:
    """Whether two articles with these names tell different stories: both name enough things and share almost
    none of them."""
    return (min(len(names_a), len(names_b)) >= NAMES_NEEDED
            and len(names_a & names_b) <= MAX_SHARED_NAMES)


def discount_different_stories(scored: Sequence[Finding], names: Mapping[str, frozenset[str]],
                               factor: float = DIFFERENT_STORIES_DISCOUNT) -> list[Finding]:
    """``scored`` with each finding between two articles of different stories (:func:`different_stories`)
    discounted by ``factor`` and noted; ``names`` maps an article id to :func:`article_names` (1.0: no change)."""
    if factor == 1.0:
        return list(scored)
    out: list[Finding] = []
    for finding in scored:
        a, b = str(finding.a.article), str(finding.b.article)
        if a != b and a in names and b in names and different_stories(names[a], names[b]):
            shared = sorted(names[a] & names[b])
            what = f"only '{shared[0]}'" if shared else "none"
            note = (f"the two articles share {what} of their names ({len(names[a])} and {len(names[b])}): likely "
                    f"different stories: score discounted x{factor} (raw {finding.score:.2f})")
            finding = replace(finding, score=finding.score * factor, notes=(*finding.notes, note))
        out.append(finding)
    return out
