"""Word lists shared by segmentation, pairing, scoring and article metadata: months, weekdays, numbers."""

from __future__ import annotations

import re

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                       "oct": 10, "nov": 11, "dec": 12}
# Every month name and abbreviation with its number ("may" is both).
MONTH_NUMBERS = {**{name: n for n, name in enumerate(MONTHS, start=1)}, **MONTH_ABBREVIATIONS}
# A month name or abbreviation in running text, as a regular expression ("June", "Sept.", "Dec").
MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Number words with the number they stand for (a quantity: "three hours").
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
                "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
                "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
                "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100", "dozen": "12"}
# Words that count something ("dozens of people", "35 people"): the number slots of pairing.
COUNT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
               "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion")


# Common nouns that open news sentences with a capital ("Officials said", "Police found") or head a digest's items
# ("Item 3:", "Article 5"): alone, they name nothing (a QA walk's findings read "about Officials", "about Item").
GENERIC_NOUNS = frozenset(
    "officials official police residents witnesses authorities experts analysts sources critics officers "
    "investigators prosecutors doctors scientists researchers campaigners protesters workers staff people "
    "item items article articles story stories section page chapter part update report statement ministers "
    "minister government council court company firm hospital firefighters nurses teachers parents bus train "
    "drivers passengers fans".split())


# Frequent words of four letters or more that say nothing about what a claim is about.
FUNCTION_WORDS = frozenset(
    "that this with from have were they their there which would about after before been being said says what "
    "when where while into than then them these those will your more most such only also over very just some "
    "could should other told".split())
_CONTENT_WORD = re.compile(r"[a-z]{4,}")


def content_words(text: str) -> set[str]:
    """Lower-cased words of four letters or more, function words left out: what two claims about the same
    thing usually share ("belarus", "lamb", "budget")."""
    return {w for w in _CONTENT_WORD.findall(text.lower()) if w not in FUNCTION_WORDS}


def capitalised(words: tuple[str, ...]) -> tuple[str, ...]:
    """``("monday",)`` -> ``("Monday",)``."""
    return tuple(word.capitalize() for word in words)
