"""Scoring: from two NLI directions to a finding (type, relation, score, hedge discount, reason), and the one
scoring path every command takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_ARTICLE

from consistency.scoring import (
    GROUNDING_DISCOUNT,
    HEDGE_DISCOUNT,
    ScoringSettings,
    classify_type,
    grounding_gap,
    make_finding,
    relation_of,
)
from consistency.types import CandidatePair, Claim, FindingType, NLIScores, Relation


def claim(text: str, index: int = 0, speaker: str | None = None, hedged: bool = False) -> Claim:
    return Claim(index=index, text=text, start=0, end=len(text), paragraph=0, speaker=speaker, hedged=hedged)


def scores(entailment: float, neutral: float, contradiction: float) -> NLIScores:
    return NLIScores(entailment=entailment, neutral=neutral, contradiction=contradiction)


# --- classify_type ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "kind", "why"),
    [
        ("The meeting was attended by 35 people.", "The meeting was attended by 40 people.",
         FindingType.NUMERIC, "numbers differ: 35 vs 40"),
        ("The meeting lasted three hours.", "The meeting lasted five hours.",
         FindingType.NUMERIC, "numbers differ: three hours vs five hours"),
        ("The official said the meeting lasted less than an hour.", "The meeting lasted three hours.",
         FindingType.NUMERIC, "numbers differ: less than an hour vs three hours"),
        ("Some 1,200 troops crossed.", "Some 1200 troops crossed.", FindingType.OTHER,
         "the model judges the claims incompatible"),
        ("The meeting took place on June 29.", "The meeting took place on July 2.",
         FindingType.DATE, "dates differ: June 29 vs July 2"),
        ("The meeting took place on June 29.", "The meeting took place on June 30.",
         FindingType.DATE, "dates differ: June 29 vs June 30"),
        ("Lukashenko spoke on Monday.", "Lukashenko spoke on Thursday.",
         FindingType.DATE, "dates differ: Monday vs Thursday"),
        ("he is in St Petersburg", "he lives in exile in Belarus",
         FindingType.LOCATION, "places differ: St Petersburg vs Belarus"),
        # a place one claim gives and the other denies is the conflict, and the evidence names it
        ("He is not on the territory of Belarus.", "They agreed to live in exile in Belarus.",
         FindingType.LOCATION, "the first claim denies the place the second gives: Belarus"),
        ("He lives in Minsk.", "He has never been to Minsk.",
         FindingType.LOCATION, "the second claim denies the place the first gives: Minsk"),
        # "according to Peskov" names a source, not a place (an editor read "places differ: st petersburg vs peskov")
        ("According to Peskov, the commanders told Putin they would fight.", "He is in St Petersburg.",
         FindingType.OTHER, "the model judges the claims incompatible"),
        ("As for Prigozhin, he's in St Petersburg.", "Prigozhin is on the territory of Belarus.",
         FindingType.LOCATION, "places differ: St Petersburg vs Belarus"),
        ("Prigozhin was exiled to Belarus.", "Prigozhin was not exiled to Belarus.",
         FindingType.NEGATION, "only the second claim is negated"),
        ("Prigozhin wasn't exiled to Belarus.", "Prigozhin was exiled to Belarus.",
         FindingType.NEGATION, "only the first claim is negated"),
        ("Oil prices rose sharply.", "Oil prices fell sharply.", FindingType.ANTONYM, "opposite words: rose / fell"),
        ("Waiting lists had fallen.", "Waiting lists had risen.", FindingType.ANTONYM,
         "opposite words: risen / fallen"),  # QA walk 6: typed 'other'
        # a denial against a confirmation is the opposite word (a reporter read "only the second claim is negated")
        ("The Kremlin confirmed the meeting.", "The Kremlin denied the meeting.",
         FindingType.ANTONYM, "opposite words: confirmed / denied"),
        ("The Kremlin denied the meeting.", "The meeting took place.",
         FindingType.NEGATION, "only the first claim is negated"),
        ("The offer was accepted.", "The offer was rejected.", FindingType.ANTONYM,
         "opposite words: accepted / rejected"),
        ("The sky is blue.", "The grass is green.", FindingType.OTHER, "the model judges the claims incompatible"),
        # both say "before": no opposite, though one also says "after" (an OSINT walk was sent to the wrong fact)
        ("Authorities locked down the campus just before 6pm.",
         "Authorities locked down the campus just before 8pm after the gunman rammed the gates.",
         FindingType.OTHER, "the model judges the claims incompatible"),
        # a place in one claim only is an omission, not a conflict (it was "the claims place it differently")
        ("The royal, who is working in New York, wore a bowler hat.", "Princess Eugenie wore a bowler hat.",
         FindingType.OTHER, "the model judges the claims incompatible"),
    ],
)
def test_classify_type(a: str, b: str, kind: FindingType, why: str) -> None:
    assert classify_type(a, b) == (kind, why)


def test_classify_type_same_numbers_are_not_numeric() -> None:
    kind, _ = classify_type("35 people came on June 29.", "On June 29, 35 people came.")
    assert kind is FindingType.OTHER


def test_number_words_that_count_nothing_are_not_numbers() -> None:
    # The sample article's spurious "numbers differ: 1 vs 2" ("one of Russia's largest cities" vs
    # "a peace deal between the two").
    kind, why = classify_type(
        "The groups took control of Rostov-on-Don, one of Russia's largest cities, and went to Belarus.",
        "Lukashenko claimed to have negotiated a peace deal between the two.")
    assert kind is not FindingType.NUMERIC, why
    assert classify_type("One of the two men was arrested.", "One of the two men was released.")[0] \
        is not FindingType.NUMERIC
    assert classify_type("Two men were arrested.", "Three men were arrested.") == (
        FindingType.NUMERIC, "numbers differ: 2 vs 3")


def test_a_year_and_a_count_are_not_the_same_quantity() -> None:
    # The Armenian genocide article: "up to 1.5 million Armenians" against "began in 1915" was typed
    # "numbers differ: 1.5 vs 1915".
    assert classify_type("Historians estimate up to 1.5 million Armenians were killed.",
                         "Turkey denies that the killings of 1915 were a genocide.")[0] is not FindingType.NUMERIC
    assert classify_type("The war began in 1914.", "The war began in 1915.") == (
        FindingType.DATE, "years differ: 1914 vs 1915")
    assert classify_type("In 2014, 35 people died.", "In 2014, 40 people died.") == (
        FindingType.NUMERIC, "numbers differ: 35 vs 40")
    assert classify_type("In 2014, 35 people died.", "In 2015, 35 people died.")[0] is FindingType.DATE


def test_modal_may_is_not_a_month() -> None:
    assert classify_type("Prices may rise in June.", "Prices did not rise in June.") == (
        FindingType.NEGATION, "only the second claim is negated")
    assert classify_type("The vote is on May 9.", "The vote is on June 9.") == (
        FindingType.DATE, "dates differ: May 9 vs June 9")
    # dates as the claims write them (an editor read "dates differ: july vs june" for July 1 against June 29)
    assert classify_type("Prices may rise in May 2024.", "Prices rose in June 2024.")[1] == \
        "dates differ: May vs June"


def test_dates_after_prepositions_are_not_places() -> None:
    assert classify_type("The talks were held in June in Minsk.", "The talks were held in Minsk.") == (
        FindingType.OTHER, "the model judges the claims incompatible")
    assert classify_type("Peskov spoke on Thursday in Moscow.", "Peskov spoke in Moscow.")[0] is FindingType.OTHER
    assert classify_type("The meeting took place on June 29 in Moscow.", "The meeting took place in Minsk.") == (
        FindingType.LOCATION, "places differ: Moscow vs Minsk")


def test_quantities_compare_as_ranges_within_a_dimension() -> None:
    # Compatible ranges are no conflict; the same amount written two ways is none either.
    assert classify_type("He averages over 1000 sit-ups a day.", "He averages over 2,500 sit-ups a day.")[0] \
        is FindingType.OTHER
    assert classify_type("The talks lasted 90 minutes.", "The talks lasted an hour and a half.")[0] \
        is not FindingType.NUMERIC
    assert classify_type("The talks lasted 90 minutes.", "The talks lasted half an hour.") == (
        FindingType.NUMERIC, "numbers differ: 90 minutes vs half an hour")
    # Amounts of different dimensions do not compare: three hours and three people, 20lb and 20 people.
    assert classify_type("The lamb weighed 20lb after a three-hour birth.", "20 people watched 3 lambs.")[0] \
        is not FindingType.NUMERIC
    # About 40 million is not about 4 million; multipliers and currencies count.
    assert classify_type("The river supplies about 40 million people.", "The river supplies about 4 million people.") \
        == (FindingType.NUMERIC, "numbers differ: about 40 million vs about 4 million")
    assert classify_type("The club paid £5m for him.", "The club paid £8m for him.") == (
        FindingType.NUMERIC, "numbers differ: £5m vs £8m")
    assert classify_type("A 47-year-old man fired.", "The driver, a 74-year-old, fired.") == (
        FindingType.NUMERIC, "numbers differ: 47-year-old vs 74-year-old")
    assert classify_type("Dozens of people were hurt.", "35 people were hurt.")[0] is FindingType.OTHER


# --- relation_of ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "relation", "sides"),
    [
        (None, None, Relation.SELF_CONTRADICTION, None),
        ("Peskov", "Peskov", Relation.SELF_CONTRADICTION, None),
        ("Peskov", " peskov ", Relation.SELF_CONTRADICTION, None),
        ("Dmitry Peskov", "Peskov", Relation.SELF_CONTRADICTION, None),
        ("", None, Relation.SELF_CONTRADICTION, None),
        ("Peskov", "Lukashenko", Relation.SOURCE_DISAGREEMENT, "Peskov vs Lukashenko"),
        ("Lukashenko", None, Relation.SOURCE_DISAGREEMENT, "Lukashenko vs the article"),
        ("he", "He", Relation.SELF_CONTRADICTION, None),
        (None, "Peskov", Relation.SOURCE_DISAGREEMENT, "the article vs Peskov"),
        # an aide speaks for himself, not for the man he works for (an OSINT analyst's walk)
        ("an aide to Prigozhin", "Prigozhin", Relation.SOURCE_DISAGREEMENT, "an aide to Prigozhin vs Prigozhin"),
        ("the Kremlin", "Kremlin", Relation.SELF_CONTRADICTION, None),
        # a body named again by its noun (a data journalist's quarterly results)
        ("Harbourline Group", "the group", Relation.SELF_CONTRADICTION, None),
        ("the council", "Northfield Council", Relation.SELF_CONTRADICTION, None),
        ("the group", "the union", Relation.SOURCE_DISAGREEMENT, "the group vs the union"),
        ("the spokesman", "Harbourline Group", Relation.SOURCE_DISAGREEMENT, "the spokesman vs Harbourline Group"),
        # a body's spokesman speaks for it (QA walk 6: "source disagreement" for one department)
        ("a spokesman for the Department for Transport", "the Department for Transport", Relation.SELF_CONTRADICTION,
         None),
        ("a spokeswoman for the Kremlin", "Dmitry Peskov", Relation.SOURCE_DISAGREEMENT,
         "a spokeswoman for the Kremlin vs Dmitry Peskov"),
    ],
)
def test_relation_of(left: str | None, right: str | None, relation: Relation, sides: str | None) -> None:
    a = claim("He is in St Petersburg.", 0, speaker=left)
    b = claim("He is in Belarus.", 1, speaker=right)
    assert relation_of(a, b) == (relation, sides)


def test_an_unresolved_pronoun_is_one_voice_only_within_a_paragraph() -> None:
    # QA walk 6: "Police arrested Tom Baker ... He said" and, a paragraph later, "Officers questioned ... Sam Hill
    # ... He said" read "self-contradiction (he)"; reports name such a speaker as unresolved, notes too
    a = claim("He said he was at home all night.", 0, speaker="he")
    b = replace(claim("He said Baker was out all night.", 1, speaker="he"), paragraph=a.paragraph + 1)
    assert relation_of(a, b) == (Relation.SOURCE_DISAGREEMENT, "an unresolved “he” vs an unresolved “he”")
    assert relation_of(a, replace(b, paragraph=a.paragraph))[0] is Relation.SELF_CONTRADICTION
    assert relation_of(replace(a, speaker=None), b) == (Relation.SOURCE_DISAGREEMENT,
                                                        "the article vs an unresolved “he”")
    two = relation_of(replace(a, article="bbc_1"), replace(b, article="bbc_2", paragraph=a.paragraph))
    assert two == (Relation.SOURCE_DISAGREEMENT, "an unresolved “he” in bbc_1 vs an unresolved “he” in bbc_2")


def test_two_articles_are_two_sources() -> None:
    # An OSINT analyst's corpus: two outlets' narration read "self-contradiction (the article)".
    a = replace(claim("The law sets a sentence of 30 years.", 0), article="bbc_1")
    b = replace(claim("He was banned for two years.", 1), article="bbc_2")
    assert relation_of(a, b) == (Relation.SOURCE_DISAGREEMENT, "bbc_1 vs bbc_2")
    # one person quoted in two articles contradicts himself (or an outlet misquoted him): an editor's walk; a
    # reporter's walk wanted both accounts named (Okafor's 800 and 3,000 evacuated, in two outlets)
    quoted = relation_of(replace(a, speaker="Peskov"), replace(b, speaker="Dmitry Peskov"))
    assert quoted == (Relation.SELF_CONTRADICTION, "Peskov in bbc_1 vs Dmitry Peskov in bbc_2")
    two = relation_of(replace(a, speaker="Peskov"), replace(b, speaker="an aide to Prigozhin"))
    assert two == (Relation.SOURCE_DISAGREEMENT, "Peskov in bbc_1 vs an aide to Prigozhin in bbc_2")
    # within one article (compare --within) the voice decides, as in check
    assert relation_of(a, replace(b, article="bbc_1"))[0] is Relation.SELF_CONTRADICTION


# --- make_finding -----------------------------------------------------------------------------------

# The direction rules on a pair with no amounts (amounts of the same thing have their own rule).
C = "Peskov said oil prices rose in June."
D = "Peskov said oil prices fell in June."


def test_score_is_the_mean_of_both_directions() -> None:
    a, b = claim(C, 0), claim(D, 1)
    pair = CandidatePair(0, 1, 0.93, ("all-pairs",))
    finding = make_finding(a, b, pair, scores(0.2, 0.5, 0.3), scores(0.05, 0.15, 0.8))
    assert finding.score == pytest.approx(0.55)
    assert (finding.contradiction_ab, finding.contradiction_ba) == (0.3, 0.8)
    assert (finding.entailment_ab, finding.entailment_ba) == (0.2, 0.05)
    assert finding.similarity == 0.93
    assert finding.a is a and finding.b is b
    assert finding.type is FindingType.ANTONYM
    assert finding.relation is Relation.SELF_CONTRADICTION
    assert finding.reason == "opposite words: rose / fell about Peskov (contradiction 55%: a->b 30%, b->a 80%)"
    assert finding.notes == ()


@pytest.mark.parametrize(("rule", "expected"), [("max", 0.8), ("min", 0.3), ("mean", 0.55)])
def test_direction_rules(rule: str, expected: float) -> None:
    finding = make_finding(claim(C), claim(D, 1), CandidatePair(0, 1, 0.9), scores(0.2, 0.5, 0.3),
                           scores(0.05, 0.15, 0.8), ScoringSettings(direction_rule=rule))
    assert finding.score == pytest.approx(expected)


def test_type_and_names_ignore_a_closing_attribution() -> None:
    """The weekday and Minsk belong to the telling, not to the claim: the conflict is the place one claim gives
    and the other denies."""
    a = claim("Yevgeny Prigozhin is not in Belarus, President Alexander Lukashenko told reporters in Minsk on "
              "Thursday.", 0, speaker="Alexander Lukashenko")
    b = claim("Yevgeny Prigozhin, the head of the Wagner mercenary group, is in Belarus, President Alexander "
              "Lukashenko said on Tuesday.", 1, speaker="Alexander Lukashenko")
    finding = make_finding(a, b, CandidatePair(0, 1, 0.9), scores(0.1, 0.2, 0.7), scores(0.1, 0.2, 0.7))
    assert finding.type is FindingType.LOCATION
    # the names the claims share, less the one the reason gives already
    assert finding.reason.startswith("the first claim denies the place the second gives: Belarus about Yevgeny "
                                     "Prigozhin ")
    assert classify_type(a.text, b.text)[0] is FindingType.DATE  # what the raw sentences would have said


def test_entailment_does_not_enter_the_score() -> None:
    """Only contradiction probabilities count: moving mass between entailment and neutral changes nothing."""
    a, b = claim(C, 0), claim(D, 1)
    entailing = make_finding(a, b, CandidatePair(0, 1, 0.9), scores(0.89, 0.01, 0.1), scores(0.02, 0.03, 0.95))
    neutral = make_finding(a, b, CandidatePair(0, 1, 0.9), scores(0.01, 0.89, 0.1), scores(0.03, 0.02, 0.95))
    assert entailing.score == neutral.score == pytest.approx(0.525)
    assert entailing.entailment_ab == 0.89


def test_one_sided_contradiction_is_halved() -> None:
    """A contradiction seen in one direction only (a "not" in the hypothesis) is weak evidence."""
    finding = make_finding(claim(C), claim(D, 1), CandidatePair(0, 1, 0.9), scores(0.1, 0.88, 0.02),
                           scores(0.1, 0.1, 0.8))
    assert finding.score == pytest.approx(0.41)


@pytest.mark.parametrize(("hedged_a", "hedged_b"), [(True, False), (False, True), (True, True)])
def test_hedged_claims_are_discounted_once_and_noted(hedged_a: bool, hedged_b: bool) -> None:
    a = claim("Prigozhin may be in St Petersburg.", 0, hedged=hedged_a)
    b = claim("Prigozhin is in Belarus.", 1, hedged=hedged_b)
    finding = make_finding(a, b, CandidatePair(0, 1, 0.7), scores(0.05, 0.05, 0.9), scores(0.1, 0.2, 0.7))
    assert HEDGE_DISCOUNT == 0.75
    assert finding.score == pytest.approx(0.8 * 0.75)
    assert finding.contradiction_ab == 0.9  # the raw probabilities are kept
    assert finding.notes == ("hedged wording: score discounted x0.75 (raw 0.80)",)
    assert finding.type is FindingType.LOCATION
    assert finding.reason == (
        "places differ: St Petersburg vs Belarus about Prigozhin (contradiction 80%: a->b 90%, b->a 70%)"
    )


def test_a_common_noun_opening_both_claims_is_no_name_the_finding_is_about() -> None:
    # A QA walk: "about Officials" (and "about Item" in a digest of agenda items); "Tarvo" is the name shared.
    a = claim("Officials in Tarvo said 80 percent of adults were vaccinated.", 0)
    b = claim("Officials in Tarvo said only a third of adults were vaccinated.", 1)
    finding = make_finding(a, b, CandidatePair(0, 1, 0.7), scores(0.05, 0.05, 0.9), scores(0.1, 0.2, 0.7))
    assert " about Tarvo (" in finding.reason
    assert "Officials" not in finding.reason
    c = claim("Officials said the road was shut.", 2)
    d = claim("Officials said the road was open.", 3)
    finding = make_finding(c, d, CandidatePair(2, 3, 0.7), scores(0.05, 0.05, 0.9), scores(0.1, 0.2, 0.7))
    assert " about " not in finding.reason


@pytest.mark.parametrize(("a", "b", "about"), [
    # QA walk 5: "about St Mary, Hospital", "about Smith, Sons", "about Firefighters"
    ("St Mary's Hospital in Leeds was open on Monday.", "St Mary's Hospital in Leeds was closed on Monday.",
     " about St Mary's Hospital, Leeds ("),
    ("Smith & Sons employs 250 workers.", "Smith & Sons employs 520 workers.", " about Smith & Sons ("),
    ("Firefighters rescued four people in Hull.", "Firefighters rescued nine people in Hull.", " about Hull ("),
])
def test_a_finding_is_about_whole_names_not_common_nouns(a: str, b: str, about: str) -> None:
    finding = make_finding(claim(a, 0), claim(b, 1), CandidatePair(0, 1, 0.7), scores(0.05, 0.05, 0.9),
                           scores(0.1, 0.2, 0.7))
    assert about in finding.reason


def test_source_disagreement_is_noted_after_the_hedge() -> None:
    a = claim("As for Prigozhin, he is in St Petersburg.", 0, speaker="Lukashenko", hedged=True)
    b = claim("Prigozhin reportedly lives in exile in Belarus.", 1)
    finding = make_finding(a, b, CandidatePair(0, 1, 0.6), scores(0.1, 0.1, 0.8), scores(0.1, 0.2, 0.7))
    assert finding.relation is Relation.SOURCE_DISAGREEMENT
    assert finding.notes == (
        "hedged wording: score discounted x0.75 (raw 0.75)",
        "source disagreement: Lukashenko vs the article",
    )


@pytest.mark.parametrize(
    ("a", "b", "gap"),
    [
        ("Hereford United can have no complaints.", "They still owe over 70,000 pounds in tax.", True),
        ("Hereford United can have no complaints.", "Hereford owe money to the taxman.", False),  # a shared name
        ("The lamb is not the heaviest.", "The heaviest lamb was born in the wild.", False),  # shared words
        ("He is in St Petersburg.", "The group agreed to live in exile in Belarus.", False),  # places differ: typed
        ("Four people died.", "The road reopened after 9 hours.", True),  # a count and a duration do not compare
        ("Four people died.", "Nine people were hurt.", False),  # numbers differ, and "people" is shared
        # two years are no sign of one event (an OSINT analyst's multi-event corpus)
        ("She changed her name in 2012.", "His final album was released in 2007.", True),
        ("Snow fell.", "The talks were not held.", True),
    ],
)
def test_grounding_gap(a: str, b: str, gap: bool) -> None:
    kind, _ = classify_type(a, b)
    assert (grounding_gap(a, b, kind) is not None) is gap


def test_ungrounded_findings_are_discounted_and_say_why() -> None:
    a, b = claim("Hereford United can have no complaints."), claim("They still owe over 70,000 pounds in tax.", 1)
    pair = CandidatePair(0, 1, 0.3)
    finding = make_finding(a, b, pair, scores(0.1, 0.1, 0.8), scores(0.1, 0.1, 0.8))
    assert GROUNDING_DISCOUNT == 0.8
    assert finding.score == pytest.approx(0.8 * 0.8)
    assert finding.notes == ("the claims share no content word or name: score discounted x0.8 (raw 0.80)",)
    off = make_finding(a, b, pair, scores(0.1, 0.1, 0.8), scores(0.1, 0.1, 0.8), ScoringSettings(grounding_discount=1))
    assert off.score == pytest.approx(0.8) and off.notes == ()


def test_amounts_of_the_same_thing_count_the_larger_direction() -> None:
    # prigozhin-compare: 83% one way, 13% the other; the mean (48%) missed a conflict that is on the page.
    a = claim("The official said the meeting lasted less than an hour.")
    b = claim("The meeting lasted three hours, Peskov said.", 1)
    finding = make_finding(a, b, CandidatePair(0, 1, 0.7), scores(0.1, 0.07, 0.83), scores(0.5, 0.37, 0.13))
    assert finding.type is FindingType.NUMERIC
    assert finding.score == pytest.approx(0.83)
    assert finding.notes[0] == "the amounts measure the same thing ('lasted'): the larger direction counts " \
                               "(83% rather than 48%)"
    off = make_finding(a, b, CandidatePair(0, 1, 0.7), scores(0.1, 0.07, 0.83), scores(0.5, 0.37, 0.13),
                       ScoringSettings(same_slot_rule="mean"))
    assert off.score == pytest.approx(0.48) and off.notes == ()
    # different numbers of different things keep the mean (and, sharing no word, the grounding discount)
    c = claim("Rosemary Pringle, 28, wore costumes.")
    d = claim("They dressed up as Simon Cowell for 2 costume shows.", 1)
    other = make_finding(c, d, CandidatePair(0, 1, 0.5), scores(0.1, 0.07, 0.83), scores(0.5, 0.37, 0.13))
    assert other.type is FindingType.NUMERIC and other.score == pytest.approx(0.48 * 0.8)
    assert other.notes == ("the claims share no content word or name: score discounted x0.8 (raw 0.48)",)
    with pytest.raises(ValueError, match="same_slot_rule 'largest' is unknown"):
        ScoringSettings(same_slot_rule="largest")


def test_reason_names_at_most_three_shared_entities() -> None:
    a = claim("Putin met Prigozhin, Peskov and Lukashenko in Moscow.", 0)
    b = claim("Putin never met Prigozhin, Peskov or Lukashenko in Moscow.", 1)
    finding = make_finding(a, b, CandidatePair(0, 1, 0.9), scores(0.0, 0.1, 0.9), scores(0.0, 0.1, 0.9))
    assert finding.type is FindingType.NEGATION
    assert finding.reason == (
        "only the second claim is negated about Putin, Prigozhin, Peskov (contradiction 90%: a->b 90%, b->a 90%)"
    )


def test_finding_to_dict_rounds_and_uses_plain_values() -> None:
    finding = make_finding(claim(C), claim(D, 1), CandidatePair(0, 1, 0.123456), scores(0.111111, 0.2, 0.666666),
                           scores(0.1, 0.1, 0.8))
    data = finding.to_dict()
    assert data["score"] == 0.7333
    assert data["contradiction_ab"] == 0.6667
    assert data["entailment_ab"] == 0.1111
    assert data["similarity"] == 0.1235
    assert data["type"] == "antonym"
    assert data["relation"] == "self-contradiction"
    assert data["notes"] == []
    assert data["a"]["text"] == C and data["b"]["index"] == 1


# --- one scoring path --------------------------------------------------------------------------------

def test_check_compare_within_and_the_store_score_an_article_alike(tmp_path: Path) -> None:
    """The same two sentences of the same article get the same score through every command: ``check``,
    ``compare --within``, the corpus store and (through ``check``) the benchmark suites."""
    from consistency.checker import Checker, CheckSettings
    from consistency.compare import CompareSettings, compare_articles, make_article
    from consistency.store import CorpusStore
    from consistency.testing import FakeEmbedder, FakeNLI

    text = SEED_ARTICLE.read_text(encoding="utf-8")
    articles = [make_article("seed", text), make_article("other", "The match in Leeds ended late on Sunday.")]
    everything = CompareSettings(threshold=0.0, within=True)

    def scores(findings: Sequence[Any]) -> dict[tuple[int, int], float]:
        return {(f.a.start, f.b.start): round(f.score, 6) for f in findings if f.a.article in (None, "seed")}

    check = Checker(nli=FakeNLI(), embedder=FakeEmbedder(), settings=CheckSettings(threshold=0.0)).check(text)
    compared = compare_articles(articles, Checker(nli=FakeNLI(), embedder=FakeEmbedder()), everything)
    with CorpusStore(tmp_path / "c.db", everything) as store:
        store.add(articles, Checker(nli=FakeNLI(), embedder=FakeEmbedder()))
        stored = store.report(Checker(nli=FakeNLI(), embedder=FakeEmbedder()))
    assert len(check.findings) == check.pairs_checked > 100  # every pair of the article, at threshold 0
    assert any(score > 0.5 for score in scores(check.findings).values())
    assert scores(compared.within_findings) == scores(check.findings)
    assert scores(stored.within_findings) == scores(check.findings)


def test_list_items_about_different_things_are_discounted_alike_through_every_command(tmp_path: Path) -> None:
    """Two items of an article's numbered lists are parallel facts unless they show one thing (a typed conflict,
    half the content words): x0.5 with a note, the same through ``check``, ``compare --within`` and the store; a
    QA walk's "opened in 1990" / "opened in 1995" items stay found (the first form never paired items at all)."""
    from consistency.checker import Checker, CheckSettings
    from consistency.compare import CompareSettings, compare_articles, make_article
    from consistency.store import CorpusStore
    from consistency.testing import FakeEmbedder, FakeNLI

    text = ("Facts about the coach. 1. The coach runs 10 miles a day. 2. The coach runs 12 miles a day. 3. He never "
            "eats meat. 4. He sleeps in the stadium. He has a dog.\n\nHe does not swim, the club said.")
    articles = [make_article("list", text), make_article("other", "The match in Leeds ended late on Sunday.")]
    everything = CompareSettings(threshold=0.0, within=True)

    def nli() -> FakeNLI:
        return FakeNLI(min_overlap=0.0)  # any negation mismatch reads as a contradiction

    def scores(findings: Sequence[Any]) -> dict[tuple[str, str], float]:
        return {(f.a.text, f.b.text): round(f.score, 6) for f in findings if f.a.article in (None, "list")}

    check = Checker(nli=nli(), embedder=FakeEmbedder(), settings=CheckSettings(threshold=0.0)).check(text)
    assert [c.list_item for c in check.claims] == [1, 2, 3, 4, 4, None]  # an item runs to its paragraph's end
    compared = compare_articles(articles, Checker(nli=nli(), embedder=FakeEmbedder()), everything)
    with CorpusStore(tmp_path / "c.db", everything) as store:
        store.add(articles, Checker(nli=nli(), embedder=FakeEmbedder()))
        stored = store.report(Checker(nli=nli(), embedder=FakeEmbedder()))
    assert scores(check.findings) == scores(compared.within_findings) == scores(stored.within_findings)
    by_pair = {(f.a.list_item, f.b.list_item, f.b.text[:8]): f for f in check.findings}
    numbers, apart = by_pair[(1, 2, "The coac")], by_pair[(3, 4, "He sleep")]
    assert numbers.score > 0.5 and not any("numbered lists" in note for note in numbers.notes)
    assert "items 3 and 4 of numbered lists, about different things: score discounted x0.5" in " ".join(apart.notes)
    prose = next(f for f in check.findings if f.a.text == "He never eats meat." and f.b.text.startswith("He does"))
    assert not any("numbered lists" in note for note in prose.notes)  # an item against a claim of the prose


@pytest.mark.parametrize(("a", "b", "reason"), [
    ("An eight-year-old girl was hurt in the crash.", "The five-year-old girl was hurt in the crash.",
     "numbers differ: eight-year-old vs five-year-old"),  # ages written as words, joined by hyphens
    ("Four people were killed, police said on Monday.", "Eleven people were killed.", "numbers differ: 4 vs 11"),
    ("A dozen people were arrested.", "Four people were arrested.", "numbers differ: 12 vs 4"),
    ("Thirteen miners were rescued.", "Fifteen miners were rescued.", "numbers differ: 13 vs 15"),
])
def test_number_words_and_ages_are_typed_numeric(a: str, b: str, reason: str) -> None:
    assert classify_type(a, b) == (FindingType.NUMERIC, reason)


def test_a_number_word_that_counts_nothing_is_not_numeric() -> None:
    assert classify_type("It is one of the largest cities.", "It is one of the smallest cities.")[0] \
        != FindingType.NUMERIC


def test_two_claims_with_the_same_words_entail_each_other_whatever_the_model_read() -> None:
    from consistency.scoring import make_finding

    a = Claim(0, "The bridge is closed, but the ferry runs.", 0, 41, 0, article="x")
    b = Claim(0, "“The bridge is closed but the ferry runs”", 0, 41, 0, article="y")
    clash = NLIScores(entailment=0.1, neutral=0.07, contradiction=0.83)
    same = make_finding(a, b, CandidatePair(0, 1, 1.0), clash, clash)
    assert same.score == 0.0 and same.entailment_ab == same.entailment_ba == 1.0
    assert "the same statement in both" in " ".join(same.notes)
    other = make_finding(a, replace(b, text="The bridge is open, but the ferry runs."), CandidatePair(0, 1, 0.9),
                         clash, clash)
    assert other.score == pytest.approx(0.83) and not any("same statement" in n for n in other.notes)


@pytest.mark.parametrize(("a", "b", "kind", "reason"), [
    # a data journalist's copy: a count beside a month is not a day, and the days a poll gives are dates
    ("Three officers were injured during a raid in March.", "Four officers were injured in the raid in March.",
     FindingType.NUMERIC, "numbers differ: 3 vs 4"),
    ("The poll of 2,041 adults was carried out on 3 and 4 May.", "Fieldwork took place on 10 May.",
     FindingType.DATE, "dates differ: 3 and 4 May vs 10 May"),
    ("Talks began on 29th June.", "Talks began on Jun 30.", FindingType.DATE, "dates differ: 29th June vs Jun 30"),
    ("A 39-vehicle pileup on Friday 3 May closed the road.", "A 93-vehicle pileup on Friday 3 May closed it.",
     FindingType.NUMERIC, "numbers differ: 39 vs 93"),
])
def test_days_of_a_month_are_dates_and_other_numbers_beside_a_month_are_not(a: str, b: str, kind: FindingType,
                                                                            reason: str) -> None:
    assert classify_type(a, b) == (kind, reason)


def test_a_claim_that_repeats_the_other_and_says_more_cannot_contradict_it() -> None:
    # FRANK (training side): a caption glued to the body sentence it repeats scored 61% against that sentence.
    from consistency.scoring import make_finding

    body = Claim(0, "He apparently got stuck waist-deep in mud while recovering some duck hunting gear.", 0, 80, 0)
    caption = Claim(1, "Go fetch: This dog saved his master. He apparently got stuck waist-deep in mud while "
                       "recovering some duck hunting gear.", 90, 200, 1)
    clash = NLIScores(entailment=0.1, neutral=0.29, contradiction=0.61)
    found = make_finding(body, caption, CandidatePair(0, 1, 0.9), clash, clash)
    assert found.score == 0.0 and found.entailment_ba == 1.0 and found.entailment_ab == 0.0
    assert "the second claim repeats the first word for word" in " ".join(found.notes)
    denied = replace(caption, text="The sheriff denied that he got stuck waist-deep in mud while recovering some "
                                   "duck hunting gear.")
    assert make_finding(body, denied, CandidatePair(0, 1, 0.9), clash, clash).score == pytest.approx(0.61)


def test_a_denied_place_is_not_a_place_the_claim_asserts() -> None:
    # A new user's compare seed: "Prigozhin is not in Belarus" / "he is in St Petersburg" agree, but the finding
    # said "places differ: St Petersburg vs Belarus".
    from consistency.scoring import classify_type

    assert classify_type("Prigozhin is not in Belarus.", "Prigozhin is in St Petersburg.") == (
        FindingType.NEGATION, "only the first claim is negated")
    assert classify_type("He has never been to Minsk.", "He lives in Kyiv.")[0] is FindingType.NEGATION
    assert classify_type("He is in Minsk.", "He is in Kyiv.")[0] is FindingType.LOCATION
    # a negation elsewhere in the sentence leaves its place alone
    assert classify_type("He is not happy in Minsk.", "He is happy in Kyiv.")[0] is FindingType.LOCATION


def test_a_company_after_shares_in_or_an_offer_from_is_no_place() -> None:
    # QA walk 7: "places differ: Argos, Home Retail vs Steinhoff" for a share price and a bid
    from consistency.scoring import classify_type

    kind, why = classify_type("Shares in Home Retail have risen 80% following Sainsbury's interest in Argos.",
                              "Sainsbury's will be forced to match the 175p-a-share offer from Steinhoff.")
    assert kind is not FindingType.LOCATION and "places" not in why
    assert classify_type("The firm is based in Leeds.", "The firm is based in York.")[0] is FindingType.LOCATION


@pytest.mark.parametrize(("a", "b", "gap"), [
    ("Nobody was injured.", "Passengers were brought ashore at Oban, the RNLI said.", True),
    ("The ferry was carrying 148 passengers.", "No one was hurt in the collision.", True),
    ("He was not injured.", "The car hit a wall on Friday.", True),
    ("Nobody was hurt.", "A woman was treated in hospital for smoke inhalation.", False),  # a real conflict
    ("There were no casualties.", "Two people died at the scene.", False),
    ("The talks failed.", "Nobody came to the talks.", False),
    # QA walk 7: one quake story's "no immediate reports of injuries or damage" against five other sentences
    ("There were no immediate reports of injuries or damage.", "In Lucca, people poured out into the streets.", True),
    ("There were no immediate reports of injuries or damage.", "The tremor caused significant damage.", False),
    ("Nobody was injured.", "CalMac said the vessel's hull had been slightly damaged.", True),  # a hull is no one
])
def test_a_claim_that_nobody_was_hurt_conflicts_only_with_a_claim_about_harm(a: str, b: str, gap: bool) -> None:
    # A fact-checker's pasted page: "Nobody was injured." against every other sentence at 61-73%.
    from consistency.scoring import CASUALTY_DISCOUNT, casualty_gap, make_finding

    assert (casualty_gap(a, b) is not None) is gap
    clash = NLIScores(entailment=0.05, neutral=0.05, contradiction=0.9)
    finding = make_finding(claim(a, 0), claim(b, 1), CandidatePair(0, 1, 0.5), clash, clash)
    discounted = [n for n in finding.notes if "nobody was hurt" in n]
    assert bool(discounted) is gap
    if gap:
        assert finding.score <= 0.9 * CASUALTY_DISCOUNT


@pytest.mark.parametrize(("a", "b", "note"), [
    ("State Route 9 remained closed between Alder Bend and Millport on Wednesday afternoon.",
     "State Route 9 was open to traffic on Thursday morning.",
     "different times and opposite states (closed / open): this may be a change over time"),
    ("The border reopened on Monday.", "The border was closed on Tuesday.",
     "different times and opposite states (reopened / closed): this may be a change over time"),
    ("State Route 9 reopened on Wednesday afternoon.", "State Route 9 remained closed early Wednesday.",
     "different times and opposite states (reopened / closed): this may be a change over time"),
    ("The road was closed at 5 a.m.", "The road was open at 7 a.m.",
     "different times and opposite states (closed / open): this may be a change over time"),
    # a word both claims have is no opposite ("before 8pm ... after ramming" / "before 8pm"): a challenge pair
    ("Police locked down the campus before 8pm Thursday after he rammed the gates.",
     "Police locked down the campus before 8pm on Tuesday.", None),
    # "after" / "before" is no state: one closure given two dates (a QA walk)
    ("The plant closed on March 3 after the explosion.", "The plant closed on March 5, two days before the audit.",
     None),
    # two times and two amounts can be one event told two ways (the compare seeds' written conflict)
    ("The meeting took place on July 1 and only 15 commanders were invited.",
     "The meeting took place on June 29 and 35 people were invited.", None),
    # one fact given two days, or two states at one time: conflicts
    ("The explosion occurred at 9:40 p.m. on Tuesday.", "The explosion occurred at 9:40 p.m. on Monday.", None),
    ("State Route 9 remained closed on Wednesday afternoon.", "State Route 9 reopened on Wednesday afternoon.", None),
    ("Seven firefighters were treated on Tuesday night.", "On Tuesday night, 4 firefighters were treated.", None),
])
def test_two_times_with_two_states_or_amounts_read_as_a_change_over_time(a: str, b: str, note: str | None) -> None:
    # A reporter's walk over 36 hours of coverage: "closed on Wednesday" / "open on Thursday" flagged at 80-89%.
    from consistency.scoring import TIME_CHANGE_DISCOUNT, make_finding

    clash = NLIScores(entailment=0.05, neutral=0.05, contradiction=0.9)
    finding = make_finding(claim(a, 0), claim(b, 1), CandidatePair(0, 1, 0.5), clash, clash)
    changed = [n for n in finding.notes if "change over time" in n]
    assert changed == ([f"{note}: score discounted x{TIME_CHANGE_DISCOUNT} (raw 0.90)"] if note else [])
    assert finding.score == pytest.approx(0.9 * TIME_CHANGE_DISCOUNT if note else 0.9)


def test_one_person_given_two_ages_is_a_finding_whatever_the_model_read() -> None:
    # A reporter's walk: the fire chief's age, 52 in one outlet and 61 in another, scored 3-6% by the model.
    from consistency.scoring import AGE_CONFLICT_SCORE, age_conflict, make_finding

    a = "Fire Chief Martin Kowalczyk, 52, said crews had contained the fire by 3 a.m."
    b = "Fire Chief Martin Kowalczyk, 61, said the last hot spots were extinguished early Thursday."
    assert age_conflict(a, b) == "Martin Kowalczyk: 52 / 61"
    calm = NLIScores(entailment=0.1, neutral=0.85, contradiction=0.05)
    finding = make_finding(claim(a, 0), claim(b, 1), CandidatePair(0, 1, 0.5), calm, calm)
    assert finding.score == pytest.approx(AGE_CONFLICT_SCORE)
    assert "one person is given two ages (Martin Kowalczyk: 52 / 61): scored 90% whatever the model read (5%)" \
        in finding.notes
    blaze = make_finding(claim("Chief Martin Kowalczyk, 52, said the blaze was out.", 0),
                         claim("Chief Martin Kowalczyk, 61, said the blaze was out by noon.", 1),
                         CandidatePair(0, 1, 0.5), calm, calm)
    assert not any("measure the same thing" in note for note in blaze.notes)  # ages, not the blaze (a QA walk)
    # two people of one surname, one age twice, or one name only: no such evidence
    assert age_conflict("Lizzi Crawford, 32, lost weight.", "Her mum, Mary Crawford, 57, said so.") is None
    assert age_conflict("John Smith, 34, died.", "John Smith, 34, was a technician.") is None
    assert age_conflict("Christie, 52, ran.", "Christie, 51, quit.") is None
    plain = make_finding(claim("John Smith, 34, died.", 0), claim("Smith had left.", 1), CandidatePair(0, 1, 0.5),
                         calm, calm)
    assert plain.score == pytest.approx(0.05)
    # two articles may be years apart: a note, no floor (a QA walk: 52 in 2019, 57 in 2024)
    apart = make_finding(replace(claim(a, 0), article="x2019"), replace(claim(b, 1), article="y2024"),
                         CandidatePair(0, 1, 0.5), calm, calm)
    assert apart.score == pytest.approx(0.05)
    assert "one person is given two ages (Martin Kowalczyk: 52 / 61)" in apart.notes
    # votes listed by name, or a number no age reaches, are no ages
    assert age_conflict("Anna Berg, 120, and Tom Lee, 98, were elected.", "Anna Berg, 130, was elected.") is None
    assert age_conflict("Anna Berg, 120, was elected.", "Anna Berg, 130, was elected.") is None


def test_unnamed_sources_in_two_articles_are_two_voices() -> None:
    # An OSINT walk: "according to reports" in two outlets was "one source, two accounts" (a self-contradiction)
    a = Claim(0, "The gunman fired once, according to reports.", 0, 44, 0, speaker="reports", article="capitalwire")
    b = Claim(1, "The gunman fired twice, according to reports.", 0, 45, 0, speaker="reports", article="dailymail")
    assert relation_of(a, b) == (Relation.SOURCE_DISAGREEMENT, "reports in capitalwire vs reports in dailymail")
    named = [replace(c, speaker="Peskov") for c in (a, b)]
    assert relation_of(*named) == (Relation.SELF_CONTRADICTION, "Peskov in capitalwire vs Peskov in dailymail")
    for unnamed in ("some witnesses", "Local media", "Ukrainian officials"):  # capitalised where a sentence opens
        assert relation_of(*(replace(c, speaker=unnamed) for c in (a, b)))[0] is Relation.SOURCE_DISAGREEMENT


def test_a_finding_has_a_stable_id_in_either_order() -> None:
    # An OSINT analyst diffing yesterday's findings had no key: a and b follow the order of the inputs
    a = replace(claim("The guard died on Thursday."), article="capitalwire")
    b = replace(claim("The guard survived, police said.", 1), article="dailymail")
    forward = make_finding(a, b, CandidatePair(0, 1, 0.7), scores(0.1, 0.1, 0.8), scores(0.1, 0.1, 0.8))
    backward = make_finding(b, a, CandidatePair(0, 1, 0.7), scores(0.1, 0.1, 0.8), scores(0.1, 0.1, 0.8))
    assert forward.id == backward.id and len(forward.id) == 16 and forward.to_dict()["id"] == forward.id
    moved = replace(a, start=500, end=527, index=9, text="the guard died on Thursday")  # case and punctuation aside
    assert make_finding(moved, b, CandidatePair(0, 1, 0.7), scores(0.1, 0.1, 0.8), scores(0.1, 0.1, 0.8)).id \
        == forward.id
    other = replace(a, article="metrodaily")
    assert make_finding(other, b, CandidatePair(0, 1, 0.7), scores(0.1, 0.1, 0.8), scores(0.1, 0.1, 0.8)).id \
        != forward.id
