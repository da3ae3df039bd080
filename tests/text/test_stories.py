"""A digest's stories: which lines mark them, which claim belongs to which, and how many pairs lie within one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from consistency.text.stories import (
    is_story_marker,
    pairs_within_stories,
    same_named_story,
    stories_message,
    story_of_claims,
    story_starts,
)
from consistency.types import Claim


@pytest.mark.parametrize("first, second", [
    ("--- Item 1 ---", "--- Item 2 ---"),
    ("=== Story 3 ===", "=== Story 4 ==="),
    ("[Story 1]", "[Story 2]"),
    ("## Story 1: Floods in Kerala", "## Story 2: A fire in Leeds"),
    ("Item 1 of 9", "Item 2 of 9"),
    ("*** Article #4 ***", "*** Article #7 ***"),  # a story left out of the digest: the numbers still go up
    ("News item 1", "News item 2"),
])
def test_numbered_marker_lines_open_stories(first: str, second: str) -> None:
    text = f"Morning digest\n\n{first}\n\nThe dam held. Nobody was hurt.\n\n{second}\n\nThe dam burst."
    assert story_starts(text) == (text.index(first), text.index(second))


@pytest.mark.parametrize("text", [
    "--- Item 1 ---\nThe dam held.\n",  # one marker: one story
    "--- Item 2 ---\nThe dam held.\n--- Item 1 ---\nThe dam burst.",  # numbers going down
    "Article 5 of the treaty bans mines.\nArticle 6 of the treaty bans gas.",  # a title without a rule before it
    "Story 1: he said it rained.\nStory 2: she said it did not.",
    "--- Item 1 ---\nThe dam held.\n=== Story 2 ===\nThe dam burst.",  # two words, one of each
    "The item 1 on the list was rice.\nThe item 2 on the list was salt.",  # mid-sentence
])
def test_lines_that_do_not_mark_stories(text: str) -> None:
    assert story_starts(text) == ()


def claim(index: int, start: int) -> Claim:
    return Claim(index, "x", start, start + 1, 0)


def test_each_claim_gets_the_story_its_start_lies_in() -> None:
    starts = (10, 50)
    claims = [claim(0, 0), claim(1, 10), claim(2, 30), claim(3, 50), claim(4, 90)]
    assert story_of_claims(claims, starts) == [0, 1, 1, 2, 2]
    assert story_of_claims(claims, ()) == [0, 0, 0, 0, 0]


def test_pairs_within_stories_counts_pairs_of_each_story_and_of_the_introduction_with_all() -> None:
    assert pairs_within_stories([1, 1, 2, 2, 2]) == 1 + 3
    assert pairs_within_stories([0, 1, 1, 2, 2, 2]) == 1 + 3 + 5  # the introduction's claim with each other claim
    assert pairs_within_stories([0, 0, 0, 0]) == 6
    assert pairs_within_stories([]) == 0
    named = {story: replace(claim(0, 0), story=story) for story in ("Item 2", "Item 3", "introduction", None)}
    assert same_named_story(named["Item 2"], named["Item 2"]) and not same_named_story(named["Item 2"], named["Item 3"])
    assert same_named_story(named["introduction"], named["Item 3"]) and same_named_story(named["Item 3"],
                                                                                         named["introduction"])
    assert same_named_story(named[None], named["Item 3"])  # a text of one story


def test_the_message_names_the_count_the_marker_and_the_way_to_compare() -> None:
    text = "Digest\n--- Item 1 ---\nA.\n--- Item 2 ---\nB.\n--- Item 3 ---\nC."
    message = stories_message(story_starts(text), text, "digest.txt")
    assert message.startswith("digest.txt: 3 stories, separated by lines such as '--- Item 1 ---'")
    assert "consistency compare" in message


@pytest.mark.parametrize("line", ["--- Item 1 ---", "=== Story 3 ===", "## Story 2: Floods in Kerala", "Item 4 of 9"])
def test_a_marker_line_is_furniture_even_alone(line: str) -> None:
    from consistency.text.segment import segment

    result = segment(f"{line}\n\nThe dam held after the storm on Monday.\n")
    assert [c.text for c in result.claims] == ["The dam held after the storm on Monday."]
    assert [(s.text, s.reason) for s in result.skipped] == [(line, "boilerplate")]
    assert not is_story_marker("Story 1: he said it rained.")
