"""Separate stories in one text: a digest or newsletter whose items are marked ("--- Item 2 ---", "## Story 3").

Sentences of two different stories are about different events, so a check pairs claims only within a story
(a fact-checker's walk pasted a morning digest of nine stories: "He was not injured." of one story made an 86%
finding against "Keisi was injured ..." of another); an introduction before the first marker is paired with every
story, which it sums up (a QA walk's "the museum theft was solved" against story 3's "nobody had been arrested").
A line counts as a story marker when it names an item, story or article with its number and nothing else but rule
characters ("--- Item 2 ---", "[Story 3]", "=== Article 4 ===", "Item 5 of 9"), or, after rule characters or a
Markdown heading mark, a title too ("## Story 2: Floods in Kerala"); a text has stories only when at least two such
lines number them upwards (1, 2, 3 ...); "Article 5 of the treaty says ..." is no marker.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from consistency.types import Claim

_RULES = r"-=*_~#•·|<>\[\]()"
_MARKER = re.compile(
    rf"^[ \t]*(?P<lead>[{_RULES}][{_RULES} \t]*)?"
    r"(?P<word>item|story|article|news item)\s*(?:#|no\.?\s*)?(?P<number>\d{1,3})(?:\s*(?:of|/)\s*\d{1,3})?"
    rf"[ \t]*(?P<title>[:.–—-][ \t]+[^\n]{{1,120}}?)?[{_RULES} \t:.]*$",
    re.IGNORECASE | re.MULTILINE,
)
STORY_MARKERS_NEEDED = 2


def _markers(text: str) -> list[re.Match[str]]:
    """The marker lines of ``text``: a title only after rule characters or "##"."""
    return [m for m in _MARKER.finditer(text) if m.group("title") is None or m.group("lead") is not None]


def is_story_marker(line: str) -> bool:
    """Whether ``line`` (one line, stripped) names a story as a digest's marker does ("--- Item 2 ---"), whether
    or not the text has more of them: furniture, not a claim."""
    return "\n" not in line.strip() and bool(_markers(line.strip()))  # the pattern spans a whole line


def story_starts(text: str) -> tuple[int, ...]:
    """The offsets of the lines that open a new story of ``text`` (empty when it is one story): marker lines
    of one word ("item", "story" ...) with numbers that go up, at least :data:`STORY_MARKERS_NEEDED` of them.
    The text before the first marker (a digest's title and introduction) is story 0 (:func:`same_named_story`)."""
    markers = [(m.start(), m.group("word").lower(), int(m.group("number"))) for m in _markers(text)]
    best: list[int] = []
    for word in {w for _, w, _ in markers}:
        run: list[int] = []
        previous: int | None = None
        for start, kind, number in markers:
            if kind != word:
                continue
            if previous is not None and number <= previous:
                run = []
            run.append(start)
            previous = number
            if len(run) > len(best):
                best = list(run)
    return tuple(best) if len(best) >= STORY_MARKERS_NEEDED else ()


def story_of_claims(claims: Sequence[Claim], starts: Sequence[int]) -> list[int]:
    """Each claim's story: 0 before the first marker (a digest's introduction), 1 from the first marker on, and so
    on."""
    return [bisect.bisect_right(starts, claim.start) for claim in claims]


INTRODUCTION = "introduction"


def name_stories(claims: Sequence[Claim], stories: Sequence[int], text: str, starts: Sequence[int]
                 ) -> tuple[Claim, ...]:
    """``claims`` with their story named (``Claim.story``) by its marker as written ("Item 3", "Story 2"), or
    :data:`INTRODUCTION` before the first marker (``stories``: :func:`story_of_claims`); unchanged when the text
    has no stories (``starts`` empty)."""
    if not starts:
        return tuple(claims)
    names = [INTRODUCTION]
    for start in starts:
        marker = _MARKER.match(text, start)
        names.append(f"{marker.group('word')} {int(marker.group('number'))}" if marker else f"story {len(names)}")
    return tuple(replace(claim, story=names[story]) for claim, story in zip(claims, stories, strict=True))


def stories_of(claims: Sequence[Claim], text: str) -> tuple[tuple[int, ...], list[int], tuple[Claim, ...]]:
    """A text's stories: :func:`story_starts`, :func:`story_of_claims` and the claims named by :func:`name_stories`."""
    starts = story_starts(text)
    stories = story_of_claims(claims, starts)
    return starts, stories, name_stories(claims, stories, text, starts)


def same_named_story(a: Claim, b: Claim) -> bool:
    """Whether two claims named by :func:`name_stories` may be paired: a text of one story (``Claim.story``
    None), one story, or one of them the introduction before the first marker, which speaks of every story ("the
    museum theft was solved on Saturday")."""
    return a.story is None or b.story is None or a.story == b.story or INTRODUCTION in (a.story, b.story)


def pairs_within_stories(stories: Sequence[int]) -> int:
    """How many claim pairs :func:`same_named_story` allows (the pairs a check may score), by each claim's story
    (:func:`story_of_claims`: 0 the introduction)."""
    sizes: dict[int, int] = {}
    for story in stories:
        sizes[story] = sizes.get(story, 0) + 1
    intro = sizes.pop(0, 0)
    others = sum(sizes.values())
    return intro * (intro - 1) // 2 + intro * others + sum(n * (n - 1) // 2 for n in sizes.values())


def stories_message(starts: Sequence[int], text: str, source: str) -> str:
    """The report's warning for a text of several stories: how many, the marker that separates them, and how to
    check stories against each other."""
    first = text[starts[0]:].split("\n", 1)[0].strip()
    return (f"{source}: {len(starts)} stories, separated by lines such as {first!r}: claims of different stories are "
            f"not paired, an introduction before the first is paired with all (save the stories as separate files "
            f"and run `consistency compare` to check them against each other)")
