"""Quantities as ranges: what is read, what is left out, and when two sides conflict."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.text.quantities import conflicting, quantities, same_slot


def test_quantities_read_as_written() -> None:
    found = {q.text: (q.dimension, q.low, q.high) for q in quantities(
        "Between 10 and 15 people waited half an hour; some 1,200 troops; a 100m sprint; 87 per cent; £5m.")}
    assert found == {"Between 10 and 15": ("count", 10, 15), "half an hour": ("duration", 1800, 1800),
                     "some 1,200": ("count", 1200 * 0.85, 1200 * 1.15), "100m": ("length", 100, 100),
                     "87 per cent": ("percent", 87, 87), "£5m": ("money:pound", 5e6, 5e6)}
    assert quantities("In 1915 one of the largest cities made a deal between the two, a second time.") == []


def test_qualifiers_open_or_widen_the_range() -> None:
    (less,) = quantities("The meeting lasted less than an hour.")
    (more,) = quantities("More than 40 people came.")
    (about,) = quantities("About 40 people came.")
    assert (less.low, less.high) == (0.0, 3600.0)
    assert more.low == 40 and math.isinf(more.high)
    assert about.low < 40 < about.high
    assert about.overlaps(quantities("45 people came.")[0])
    assert not about.overlaps(quantities("60 people came.")[0])


def test_conflicting_needs_a_misfit_on_both_sides_of_one_dimension() -> None:
    three = quantities("Three hours and 15 commanders.")
    less = quantities("Less than an hour and 15 commanders.")
    left, right = conflicting(less, three)
    assert [q.text for q in left] == ["Less than an hour"] and [q.text for q in right] == ["Three hours"]
    # one side adds a number the other lacks: no conflict ("35 people" / "35 people in 3 cars")
    assert conflicting(quantities("35 people came."), quantities("35 people came in 3 cars.")) == ([], [])
    # plain counts print as numbers, written quantities as written
    assert [q.label for q in quantities("Two men and 1,200 troops, over 50 tanks")] == ["2", "1,200", "over 50"]


def test_same_slot_needs_a_shared_word_next_to_both_amounts() -> None:
    assert same_slot("The official said the meeting lasted less than an hour.", "The meeting lasted three hours.") \
        == "lasted"
    assert same_slot("Police found 54 dogs and 18 cats.", "Police found 45 dogs and 18 cats.") == "dogs"
    # the word shown says what is measured, not when (QA walk 5: "the amounts measure the same thing ('night')")
    assert same_slot("The river peaked at 4.2 metres on Tuesday night.",
                     "The river peaked at 5.1 metres on Tuesday night.") == "peaked"
    # the words next to the amounts differ: different things counted
    assert same_slot("Rosemary Pringle, 28, vowed to wear costumes.", "They dressed up on 2 days in London.") is None
    # no conflict, no slot
    assert same_slot("The meeting lasted three hours.", "The meeting lasted 180 minutes.") is None
    # a name, a month or an adverb beside both amounts does not say what they measure (an OSINT analyst's
    # corpus: "the last 40 years, really" / "I really enjoyed my two years there" read as one slot)
    assert same_slot("My experience in the last 40 years, really.", "I really enjoyed my two years there.") is None
    assert same_slot("The Kremlin said it lasted about one hour.", "Putin met him at the Kremlin five days later.") \
        is None
    assert same_slot("On June 29 talks lasted one hour.", "On June 29 Putin spoke for three hours.") is None
    assert same_slot("Prices rose 5% in March.", "Prices rose 8% in March.") == "prices"
    # how an amount moved or its unit does not say what it measures (a data journalist's statistics copy)
    assert same_slot("Burglaries fell by 12 per cent last year.", "Knife crime fell by 9 per cent in that time.") \
        is None
    assert same_slot("Burglaries fell by 12 per cent last year.", "Burglaries fell by 9 per cent last year.") \
        == "burglaries"


def test_names_ordinals_and_labels_are_not_amounts() -> None:
    # ContraDoc's highway articles: "48th Street" / "72nd Street", "NY 5" / "CR 99" are names, not amounts.
    for text in ("The highway runs along 48th Street.", "It links NY 31 and NY 5 with CR 99.",
                 "M - 82 follows Fremont Street to M-37.", "Highway 151 meets US 385.",
                 "He presented the Ten O'Clock News.", "Kick-off is at 12.45pm.", "A 4x4 crashed."):
        assert quantities(text) == [], text
    # years, alone or as a span, are dates
    assert quantities("From 2009 to 2013 and between 1914 and 1918, in 1915.") == []
    assert [q.label for q in quantities("Between 1,500 and 2,000 people came.")] == ["Between 1,500 and 2,000"]
    # vague amounts need their "of", but for "several" and "a few"
    assert quantities("The scores were level.") == []
    assert [(q.low, q.high) for q in quantities("Dozens of people and several cars.")] == [(24, 143), (3, 9)]
    # "one" as a pronoun counts nothing
    assert quantities("No one cares, and this one stayed; each one left.") == []
    assert quantities("The Steve Jobs one stayed in my SLR, and the BBC one too.") == []
    assert [q.text for q in quantities("The police arrested one man; the Yankees signed one player.")] == ["one", "one"]
    # a time of day is no amount (a reporter read "numbers differ: 4, 11 vs 5" for "As of 11 a.m., four people")
    assert [q.label for q in quantities("As of 11 a.m., four people were confirmed dead.")] == ["4"]
    assert [q.label for q in quantities("As of 11:30 p.m., 14 people had been taken to hospitals.")] == ["14"]
    assert quantities("At 7 a.m. Thursday the order was lifted; at 9:40 it ended, at 14:32 GMT, by 3 o'clock.") == []
    assert [q.label for q in quantities("It lasted 2 hours; the vote was 11 to 5.")] == ["2 hours", "11 to 5"]
    # counts that open a sentence, ages and days of months stay amounts
    assert [q.label for q in quantities("Only 15 commanders came on June 29.")] == ["15", "29"]
    assert [q.label for q in quantities("Thirteen miners and a 47-year-old were rescued.")] == ["13", "47-year-old"]


PIECES = [*"0123456789 ,.-–$£€%abhmorstuvwxyz", " hours", " less than ", " about ", " one", " dozen",
          " between ", " and ", " a half", " years old", " per cent", " million", " June ", " Highway ", "th",
          " an hour"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_any_text_gives_well_formed_ranges(text: str) -> None:
    for quantity in quantities(text):
        assert quantity.low <= quantity.high
        assert 0 <= quantity.start < quantity.end <= len(text)
        assert quantity.label
    left, right = conflicting(quantities(text), quantities(text))
    assert left == [] and right == []  # a text never conflicts with itself


def test_an_age_in_apposition_is_an_age() -> None:
    # An OSINT walk read "numbers differ: 28, 62 vs 1, 3" for "Leon Yeaman, 62, ... Pama, 28" against "his
    # 55-year-old neighbour with one punch ... father of three": the ages were counts
    found = quantities("Leon Yeaman, 62, died after a punch by his neighbour Phillip Pama, 28, on Friday.")
    assert [(q.label, q.dimension) for q in found] == [("62", "age"), ("28", "age")]
    assert [q.dimension for q in quantities("Smith (35) was arrested. He died aged 80. Said Mary Jones, 62.")] \
        == ["age", "age", "age"]
    # a count stays a count (a QA walk: "the death toll was 12 when ..." was an age, and its conflict was lost)
    assert [q.dimension for q in quantities("The death toll was 12 when rescuers arrived.")] == ["count"]
    assert [q.dimension for q in quantities("Kent, 12, and Essex closed schools.")] == ["count"]
    assert [q.dimension for q in quantities("Police arrested 35, and 12 more, on Friday.")] == ["count", "count"]
    older = quantities("The father of three killed his 55-year-old neighbour with one punch.")
    left, right = conflicting(older, found)
    assert [q.label for q in left] == ["55-year-old"] and [q.label for q in right] == ["62", "28"]
    # against a side that gives no age, a bare age is the number it was ("Hargreaves, 32," / "was 42 when")
    left, right = conflicting(quantities("Alison Hargreaves, 32, died on K2."), quantities("She was found by 42 men."))
    assert [q.label for q in left] == ["32"] and [q.label for q in right] == ["42"]


def test_a_tokenised_decimal_in_a_claim_is_one_number() -> None:
    # The segmenter keeps "4. 2 km" in one claim (ContraDoc's tokenised text); read as 4 and "2 km" it gave a QA
    # walk "numbers differ: 2 km vs 4.2 km" against the same fact written plainly
    found = quantities("The crater is 21 km in diameter and 4. 2 km deep.")
    assert [(q.text, q.low) for q in found] == [("21 km", 21000.0), ("4.2 km", 4200.0)]
    assert conflicting(found, quantities("The crater is 21 km wide and 4.2 km deep.")) == ([], [])


def test_a_count_after_a_sentence_opening_conjunction_is_a_count() -> None:
    # A fact-checker's walk: "As 14million working households ..." read as a name like "Highway 151"
    assert [(q.text, q.low) for q in quantities("As 14million working households are better off.")] == [
        ("14million", 14_000_000.0)]
    assert quantities("Highway 151 was closed.") == []
