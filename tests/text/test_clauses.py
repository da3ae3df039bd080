"""Shorter readings of a claim: coordinated clauses, resolved pronouns, attribution removed; and how the
checker scores a pair on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from conftest import SEED_ARTICLE

from consistency.runtime.nli import NLIBackend
from consistency.scoring import ScoringSettings, best_of_views, nli_views, score_pairs
from consistency.testing import FakeNLI
from consistency.text.clauses import resolve_leading_pronoun, split_clauses, strip_attribution
from consistency.text.segment import segment
from consistency.types import CandidatePair, Finding

SAMPLE_LONG = ("The mercenary groups took control of Rostov-on-Don—one of Russia’s largest cities—but did not "
               "proceed further saying that they want to avoid “shedding Russian blood” and agreed to live in "
               "exile in Belarus.")


def test_coordinated_verb_phrases_get_the_subject() -> None:
    assert split_clauses(SAMPLE_LONG) == [
        "The mercenary groups took control of Rostov-on-Don—one of Russia’s largest cities.",
        "The mercenary groups did not proceed further saying that they want to avoid “shedding Russian blood”.",
        "The mercenary groups agreed to live in exile in Belarus.",
    ]


def test_but_with_a_new_subject_starts_a_clause_of_its_own() -> None:
    text = ("Initially, Putin accused the group of treason and sought to eliminate Prigozhin, once Putin’s ally, "
            "but Lukashenko claimed to have intervened in the matter.")
    assert split_clauses(text) == [
        "Initially, Putin accused the group of treason.",
        "Putin sought to eliminate Prigozhin, once Putin’s ally.",
        "Lukashenko claimed to have intervened in the matter.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Putin met Prigozhin.",  # short
        "Putin and Prigozhin met in the Kremlin on June 29 with 35 commanders of the group present.",  # noun "and"
        "Officials in Minsk and Moscow said the talks on the future of the group were going well.",
    ],
)
def test_sentences_without_coordinated_clauses_are_left_alone(text: str) -> None:
    assert split_clauses(text) == []


def test_a_sentence_without_final_stop_gets_one() -> None:
    assert split_clauses("The talks between the two delegations lasted three hours and ended without a statement") == [
        "The talks between the two delegations lasted three hours.",
        "The talks between the two delegations ended without a statement."]


def test_clauses_never_exceed_the_limit() -> None:
    text = ("The army crossed the river and took the bridge and shelled the town and entered the square and "
            "raised a flag over the hall.")
    assert 2 <= len(split_clauses(text)) <= 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He is not on the territory of Belarus," he said.', "He is not on the territory of Belarus."),
        ('"No, we do not follow his movements," Kremlin spokesman Dmitry Peskov told reporters on Thursday.',
         "No, we do not follow his movements."),
        ("The meeting lasted three hours, Peskov said.", "The meeting lasted three hours."),
        ("The ceasefire holds, said Dmitry Peskov.", "The ceasefire holds."),
        # a speaker that opens with a determiner or a bare source noun, and "according to"
        ("Prigozhin is in Belarus, the Kremlin said.", "Prigozhin is in Belarus."),
        ("The bridge will reopen on Monday, the ministry said in a statement.", "The bridge will reopen on Monday."),
        ("Two men were arrested, police said on Monday.", "Two men were arrested."),
        ("The boat capsized twice, according to the coast guard.", "The boat capsized twice."),
        ("The plan, which the board said it would review, was dropped.",
         "The plan, which the board said it would review, was dropped."),
        ("Peskov said the meeting lasted three hours.", "Peskov said the meeting lasted three hours."),
        ("He further said that the meeting lasted three hours.",
         "He further said that the meeting lasted three hours."),
    ],
)
def test_closing_attribution_is_removed(text: str, expected: str) -> None:
    assert strip_attribution(text) == expected


def test_the_models_view_removes_only_a_named_speakers_attribution() -> None:
    # measured: removing "..., police said" for the model too flagged one more clean FRANK article per half
    assert strip_attribution("Two men were arrested, police said.", unnamed=False) == \
        "Two men were arrested, police said."
    assert strip_attribution("The boat capsized twice, according to the coast guard.", unnamed=False).endswith(
        "coast guard.")
    assert strip_attribution("The meeting lasted three hours, Peskov said.", unnamed=False) == \
        "The meeting lasted three hours."
    # a name after its title, as wire copy writes it (a reporter's Monday / Tuesday conflict went unseen)
    assert strip_attribution("The blast was at 9:40 p.m. on Tuesday, Tessler County emergency management director "
                             "Paula Okafor said.", unnamed=False) == "The blast was at 9:40 p.m. on Tuesday."
    assert strip_attribution("'The team is in good shape,' forward Pedro told reporters.", unnamed=False) == \
        "The team is in good shape."
    assert strip_attribution("It was over, the Kremlin said.", unnamed=False) == "It was over, the Kremlin said."


def test_leading_pronouns_of_the_sample_resolve_to_the_right_person() -> None:
    claims = segment(SEED_ARTICLE.read_text(encoding="utf-8")).claims
    resolved = {c.text[:30]: resolve_leading_pronoun(claims, i) for i, c in enumerate(claims)}
    assert resolved['He is not on the territory of B'[:30]] == 'Prigozhin is not on the territory of Belarus," he said.'
    assert resolved["He further said that the meetin"[:30]].startswith("Dmitry Peskov further said")
    assert resolved["He added that Putin also \"list"[:30]].startswith("Dmitry Peskov added that Putin")
    assert resolved["The Wagner commanders told Put"[:30]] is None  # no leading pronoun


def test_views_of_a_claim_start_with_the_claim() -> None:
    claims = segment(SEED_ARTICLE.read_text(encoding="utf-8")).claims
    position = next(i for i, c in enumerate(claims) if c.text.startswith("He is not on the territory"))
    views = nli_views(claims, position)
    assert views[0].endswith('He is not on the territory of Belarus," he said.')
    assert "Prigozhin is not on the territory of Belarus." in views
    long = next(i for i, c in enumerate(claims) if c.text.startswith("The mercenary groups"))
    assert "The mercenary groups agreed to live in exile in Belarus." in nli_views(claims, long)
    assert len(nli_views(claims, long)) <= 4


class TableNLI(NLIBackend):
    """Contradiction 0.9 for the listed (premise, hypothesis) texts, 0.1 for everything else."""

    name = "table-nli"

    def __init__(self, contradicting: set[tuple[str, str]]) -> None:
        self.batch_size = 16
        self.contradicting = contradicting
        self.seen: list[tuple[str, str]] = []

    def _predict_batch(self, payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        self.seen.extend(tuple(p) for p in payloads)
        return [(0.05, 0.05, 0.9) if tuple(p) in self.contradicting else (0.3, 0.6, 0.1) for p in payloads]


def test_the_most_contradictory_combination_of_views_counts_per_direction() -> None:
    nli = TableNLI({("a2", "b1"), ("b1", "a1")})
    [(forward, backward)] = best_of_views([(("a1", "a2"), ("b1",))], nli)
    assert forward.contradiction == pytest.approx(0.9) and backward.contradiction == pytest.approx(0.9)
    assert sorted(nli.seen) == sorted({("a1", "b1"), ("b1", "a1"), ("a2", "b1"), ("b1", "a2")})


OTHER = "Prigozhin is in St Petersburg, not in Belarus."


def score_long_sentence_against_other(claim_views: bool) -> tuple[Finding, TableNLI]:
    """Score SAMPLE_LONG against OTHER with an NLI table in which only SAMPLE_LONG's exile clause conflicts."""
    claims = segment(f"{SAMPLE_LONG} {OTHER}").claims
    clause = "The mercenary groups agreed to live in exile in Belarus."
    nli = TableNLI({(clause, OTHER), (OTHER, clause)})
    [finding] = score_pairs(claims, [CandidatePair(0, 1, 0.5)], nli, ScoringSettings(views=claim_views))
    return finding, nli


def test_a_clause_level_contradiction_is_found_in_a_long_sentence() -> None:
    finding, _ = score_long_sentence_against_other(claim_views=True)
    assert finding.score == pytest.approx(0.9)
    assert finding.a.text == SAMPLE_LONG  # the finding still cites the whole claim


def test_without_views_only_the_whole_claims_are_read() -> None:
    finding, nli = score_long_sentence_against_other(claim_views=False)
    assert finding.score == pytest.approx(0.1)  # the clause that conflicts is never read on its own
    assert sorted(nli.seen) == sorted({(SAMPLE_LONG, OTHER), (OTHER, SAMPLE_LONG)})


def test_views_add_calls_only_for_claims_that_have_them() -> None:
    claims = segment("Putin met Prigozhin on Monday. Peskov met Lukashenko on Tuesday.").claims
    nli = FakeNLI()
    score_pairs(claims, [CandidatePair(0, 1, 0.5)], nli)
    assert len(nli.seen) == 2


@pytest.mark.parametrize("views", [True, False])
def test_the_model_reads_a_word_broken_across_a_hard_wrapped_line_whole(views: bool) -> None:
    # A fact-checker's PDF text: "water treat-\nment works ... house-\nholds".
    from consistency.scoring import claim_views
    from consistency.types import Claim

    text = "The council completed the water treat-\nment works for 62,000 house-\nholds, and a well-known road."
    (view, *_) = claim_views((Claim(0, text, 0, len(text), 0),), 0, views=views)
    assert view == "The council completed the water treatment works for 62,000 households, and a well-known road."


def test_the_model_reads_a_word_broken_across_a_bare_form_feed_whole() -> None:
    # A QA walk's PDF text: "the regional vaccina-\ftion campaign" reached the model with the form feed in it.
    from consistency.scoring import claim_views
    from consistency.types import Claim

    text = "Officials said the regional vaccina-\ftion campaign reached 80 percent of adults."
    (view, *_) = claim_views((Claim(0, text, 0, len(text), 0),), 0)
    assert view == "Officials said the regional vaccination campaign reached 80 percent of adults."


def test_a_named_speaker_with_an_ampersand_is_removed_for_the_model() -> None:
    # A fact-checker's web copy: "..., Glamorgan Fire & Rescue Service said." stayed in the model's reading.
    from consistency.text.clauses import strip_attribution

    text = "Three workers were injured when a span gave way, Glamorgan Fire & Rescue Service said."
    assert strip_attribution(text, unnamed=False) == "Three workers were injured when a span gave way."
