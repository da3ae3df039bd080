"""Findings between articles that tell different stories (they share almost no names) are discounted, noted."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from consistency.checker import Checker
from consistency.cli.app import main
from consistency.compare import CompareSettings, compare_articles
from consistency.compare.articles import make_article
from consistency.compare.relatedness import (
    DIFFERENT_STORIES_DISCOUNT,
    NAMES_NEEDED,
    article_names,
    different_stories,
)
from consistency.testing import FakeEmbedder, FakeNLI
from consistency.types import Claim

CONVOY = "The convoy carried {n} trucks of grain to the port."
FLOOD = ("Alice Brown met Carl Dunn in Exeter. Fiona Grant joined Harry Irwin at Kendal. "
         "Laura Moss spoke for Oxfam. " + CONVOY.format(n=35))
MATCH = ("Peter Quinn scored for Rovers at Stamford. Sam Tully and Victor Wade watched from Yeovil. "
         "Zoe Abbott coached Bristol. " + CONVOY.format(n=40))
FLOOD_FOLLOW_UP = "Alice Brown said the floods in Exeter had eased. " + CONVOY.format(n=41)


def claims(text: str) -> list[Claim]:
    return [Claim(n, sentence, 0, len(sentence), 0) for n, sentence in enumerate(text.split(". "))]


def test_names_are_words_of_names_used_inside_a_sentence_and_never_in_lower_case() -> None:
    text = ("She's in Exeter. That's Carl Dunn. The Oxfam report came out. Police said so. The police came. "
            "Officials said it rained.")
    assert article_names(text, claims(text)) == {"exeter", "carl", "dunn", "oxfam"}


def test_different_stories_need_enough_names_on_both_sides_and_none_shared() -> None:
    many = frozenset(f"name{n}" for n in range(NAMES_NEEDED))
    other = frozenset(f"other{n}" for n in range(NAMES_NEEDED))
    assert different_stories(many, other)
    assert not different_stories(many, other | {"name0"})  # one town in common: perhaps one story (a QA walk)
    assert not different_stories(many, frozenset(list(other)[:NAMES_NEEDED - 1]))  # a short article names little


def convoys(*texts: str) -> bool:
    return all(text.startswith("The convoy") for text in texts)


def checker() -> Checker:
    return Checker(nli=FakeNLI(), embedder=FakeEmbedder())


def test_a_finding_between_two_stories_is_discounted_with_a_note_unless_any_story() -> None:
    articles = [make_article("flood", FLOOD), make_article("match", MATCH), make_article("later", FLOOD_FOLLOW_UP)]
    report = compare_articles(articles, checker(), CompareSettings(near_miss_margin=0.5))
    found = {(f.a.article, f.b.article): f for f in report.findings if convoys(f.a.text, f.b.text)}
    near = {(f.a.article, f.b.article): f for f in report.near_misses if convoys(f.a.text, f.b.text)}
    assert ("flood", "later") in found  # one story: "Alice Brown", "Exeter" in both
    assert ("flood", "match") in near and ("flood", "match") not in found
    discounted = near[("flood", "match")]
    assert discounted.score == found[("flood", "later")].score * DIFFERENT_STORIES_DISCOUNT
    assert any("share no name" in note and "likely different stories" in note
               for note in discounted.finding.notes)
    whole = compare_articles(articles, checker(), CompareSettings(different_stories_discount=1.0))
    assert ("flood", "match") in {(f.a.article, f.b.article) for f in whole.findings}


def test_compare_and_corpus_check_discount_other_stories_unless_any_story(tmp_path: Path, fake_models: None) -> None:
    (tmp_path / "flood.txt").write_text(FLOOD, encoding="utf-8")
    (tmp_path / "match.txt").write_text(MATCH, encoding="utf-8")
    files = [str(tmp_path / "flood.txt"), str(tmp_path / "match.txt")]
    db = str(tmp_path / "c.sqlite")
    assert CliRunner().invoke(main, ["corpus", "add", *files, "--db", db, "--no-progress"]).exit_code == 0
    for command in (["compare", *files], ["corpus", "check", "--db", db]):
        counts = []
        for extra in ([], ["--any-story"]):
            result = CliRunner().invoke(main, [*command, *extra, "-f", "json", "--no-progress"])
            assert result.exit_code == 0, result.output
            counts.append(len(json.loads(result.stdout)["findings"]))
        assert counts == [0, 1], command


def test_a_finding_the_discount_hides_is_counted_and_said() -> None:
    from consistency.render.compare import render_compare_markdown, render_compare_text

    articles = [make_article("flood", FLOOD), make_article("match", MATCH)]
    report = compare_articles(articles, checker(), CompareSettings())
    assert report.findings == () and report.stats["different_stories_discounted"] == 1
    line = "1 finding between articles that share no name (likely different stories) was discounted x0.5"
    assert line in render_compare_text(report).replace("\n", " ")
    assert line in render_compare_markdown(report).replace("\n", " ")
    whole = compare_articles(articles, checker(), CompareSettings(different_stories_discount=1.0))
    assert "different_stories_discounted" not in whole.stats and "share no name" not in render_compare_text(whole)


def test_within_a_digest_only_claims_of_one_story_are_set_against_each_other() -> None:
    digest = ("=== Article 1 ===\nShares in Norvik Energy rose 12 percent on Monday.\n\n"
              "=== Article 2 ===\nShares in Norvik Energy rose 9 percent on Monday.\n"
              "The airline carried 12 million passengers. The airline carried 8 million passengers.\n")
    report = compare_articles([make_article("digest", digest), make_article("other", "The weather was mild.")],
                              checker(), CompareSettings(within=True))
    pairs = {(f.a.text, f.b.text) for f in report.within_findings}
    assert pairs == {("The airline carried 12 million passengers.", "The airline carried 8 million passengers.")}


def test_compare_all_says_when_it_found_no_near_miss_and_a_saved_report_keeps_the_margin() -> None:
    # A QA walk: check --all said "none from 30% to 50%", compare --all said nothing at all.
    from consistency.render import render
    from consistency.render.compare import compare_report_from_dict

    articles = [make_article("a", "The dam held on Monday."), make_article("b", "Rain fell in the hills.")]
    looked = compare_articles(articles, checker(), CompareSettings(near_miss_margin=0.2))
    assert looked.near_misses == ()
    line = "Near misses (below the threshold): none from 30% to 50%."
    assert line in render(looked, "text") and line in render(looked, "markdown")
    assert line not in render(compare_articles(articles, checker(), CompareSettings()), "text")
    again = compare_report_from_dict(json.loads(render(looked, "json")))
    assert again.near_miss_margin == 0.2 and line in render(again, "text")
