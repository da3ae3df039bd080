"""Quantities in a claim, as ranges, so that two claims' numbers can be compared the way a reader does.

"The meeting lasted less than an hour" and "The meeting lasted three hours" conflict (under 3,600 s against
10,800 s), while "over 1,000 sit-ups" and "over 2,500 sit-ups" do not (both ranges are open upwards), and
"90 minutes" equals "an hour and a half" no matter how it is written. A quantity is a value (digits, a number
word, or "a"/"an" before a unit), an optional multiplier ("1.5 million"), an optional unit that fixes its
dimension (duration, age, length, mass, percent, money), and an optional qualifier that widens it into a
range ("less than", "more than", "about", "between ... and ..."). A plain count ("35 people") is the
dimension ``count``. Years ("in 1915"), ordinals ("48th Street") and numbers inside names ("Highway 151",
"the Ten O'Clock News") are not amounts, nor are times of day ("11 a.m.", "9:40"): :func:`quantities` leaves them
out. :func:`same_slot` says when two
conflicting amounts measure the same thing (a content word next to both), which the scoring takes as
evidence of a real conflict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from consistency.text.words import MONTH_NUMBERS, MONTHS, NUMBER_WORDS, WEEKDAYS, content_words

APPROXIMATE = 0.15  # "about 40" reads as 34-46
SLOT_WINDOW = 3  # words each side of an amount that say what it measures (benchmarks/README.md, "Evidence rules")

# unit word (singular; a plural "s" is accepted) -> (dimension, size in the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "second": ("duration", 1), "sec": ("duration", 1), "minute": ("duration", 60), "min": ("duration", 60),
    "hour": ("duration", 3600), "hr": ("duration", 3600), "day": ("duration", 86400),
    "week": ("duration", 604800), "fortnight": ("duration", 1209600), "month": ("duration", 2629800),
    "year": ("duration", 31557600), "decade": ("duration", 315576000),
    "year-old": ("age", 1), "years old": ("age", 1), "month-old": ("age", 1 / 12), "week-old": ("age", 1 / 52),
    "metre": ("length", 1), "meter": ("length", 1), "m": ("length", 1), "kilometre": ("length", 1000),
    "kilometer": ("length", 1000), "km": ("length", 1000), "mile": ("length", 1609.344), "foot": ("length", 0.3048),
    "feet": ("length", 0.3048), "ft": ("length", 0.3048), "inch": ("length", 0.0254), "inches": ("length", 0.0254),
    "yard": ("length", 0.9144), "cm": ("length", 0.01), "centimetre": ("length", 0.01),
    "kilogram": ("mass", 1), "kg": ("mass", 1), "gram": ("mass", 0.001), "g": ("mass", 0.001),
    "tonne": ("mass", 1000), "ton": ("mass", 1000), "pound": ("mass", 0.4536), "lb": ("mass", 0.4536),
    "lbs": ("mass", 0.4536), "stone": ("mass", 6.35),
    "per cent": ("percent", 1), "percent": ("percent", 1), "%": ("percent", 1),
}
MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
CURRENCIES = {"$": "dollar", "£": "pound", "€": "euro"}
# Qualifiers that turn a value v into a range: 0 to v, v and above, v give or take APPROXIMATE.
AT_MOST = ("less than", "fewer than", "under", "below", "up to", "at most", "no more than", "as many as",
           "as much as", "not more than", "a maximum of")
AT_LEAST = ("more than", "over", "above", "at least", "no fewer than", "no less than", "in excess of",
            "upwards of", "a minimum of", "not less than")
ABOUT = ("about", "around", "approximately", "roughly", "nearly", "almost", "some", "an estimated", "close to",
         "up to about", "just under", "just over", "estimated")
# Vague amounts: "dozens of people" is 24-143 people. All but "several" and "a few" need their "of" ("the scores
# were level" counts nothing).
VAGUE = {"dozens": (24, 143), "scores": (40, 199), "hundreds": (200, 1999), "thousands": (2000, 999_999),
         "millions": (2e6, 999e6), "billions": (2e9, 999e9), "a couple": (2, 3), "a handful": (3, 7),
         "several": (3, 9), "a few": (2, 5)}
VAGUE_WITHOUT_OF = ("several", "a few")
# Capitalised words that open a sentence before a count ("Only 15 were invited"), unlike a name ("Highway 151").
COUNT_OPENERS = frozenset("a an only just all another the these those some with of by and but in on for after "
                          "before at exactly precisely fully as while since when if because although "
                          "to from".split())  # "As 14million working households ...": a count (a fact-checker's walk)
NOT_COUNTED = {"of", "another", "who", "that", "which", "and", "or", "by", "in", "on", "at", "to", "for", "the", "a",
               "an", "his", "her", "its", "their", "is", "was"}


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, any run of spaces matching a space."""
    items = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


# Units that "a"/"an" can stand before as the value one ("an hour", "a year"); not "a second time".
ARTICLE_UNITS = ("hour", "minute", "day", "week", "fortnight", "month", "year", "decade", "mile", "metre", "meter",
                 "kilometre", "kilometer", "foot", "yard", "inch", "kilogram", "tonne", "ton", "stone")
_UNIT = r"(?:" + _alternatives(UNITS) + r")"
_NUMBER = r"(?:\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + _alternatives(NUMBER_WORDS) + r")"
_QUANTITY = re.compile(
    r"(?<![\w.,$£€-])"
    r"(?:(?P<qualifier>" + _alternatives(AT_MOST + AT_LEAST + ABOUT) + r")\s+)?"
    r"(?:(?P<range_from>between|from)\s+)?"
    r"(?P<currency>[$£€])?"
    r"(?:(?P<half>half\s+an?|a\s+half)(?=\s+" + _UNIT + r")"
    r"|(?P<article>an?)(?=\s+(?:" + _alternatives(ARTICLE_UNITS) + r")s?\b)"
    r"|(?P<value>" + _NUMBER + r")(?!\d)(?!(?:st|nd|rd|th)\b))"
    r"(?P<and_half>\s+and\s+a\s+half(?=\s+" + _UNIT + r"))?"
    r"(?:\s+(?P<range_sep>to|and)\s+(?P<value_to>" + _NUMBER + r"))?"
    r"(?:[\s-]*(?P<multiplier>hundred|thousand|million|billion|trillion|bn|k|m)\b)?"
    r"(?:[\s-]*(?P<unit>" + _UNIT + r")(?:s|es)?(?![\w-])(?P<unit_and_half>\s+and\s+a\s+half)?)?"
    r"(?:(?=[ \t]+(?P<after>[A-Za-z]+)))?",
    re.IGNORECASE,
)
_VAGUE = re.compile(r"\b(?:(?P<vague>" + _alternatives(set(VAGUE) - set(VAGUE_WITHOUT_OF)) + r")\s+of"
                    r"|(?P<vague_bare>" + _alternatives(VAGUE_WITHOUT_OF) + r"))\s+[A-Za-z]+", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A quantity as a range ``low``-``high`` (inclusive) in its dimension's base unit; ``text`` as written."""

    low: float
    high: float
    dimension: str
    text: str
    plain: bool  # a bare number with no unit, qualifier or multiplier ("35 people"): shown as the number
    start: int = 0  # where it stands in the text
    end: int = 0

    def overlaps(self, other: Quantity) -> bool:
        return self.low <= other.high * (1 + 1e-9) and other.low <= self.high * (1 + 1e-9)

    @property
    def label(self) -> str:
        """How a finding names it: the number for a plain count ("35"), else the words ("less than an hour")."""
        return number_label(self.low) if self.plain else self.text


def number_label(value: float) -> str:
    """A plain number as a reader writes it: 35, 1,200, 7.5 (a QA walk read "1200 vs 2100" for "1,200 / 2,100")."""
    return f"{int(value):,}" if value == int(value) else f"{value:,g}"


def _value(token: str) -> float:
    token = token.lower().replace(",", "")
    return float(NUMBER_WORDS[token]) if token in NUMBER_WORDS else float(token)


def is_year(text: str) -> bool:
    """A four-digit whole number from 1000 to 2099 reads as a year ("in 1915"), not as a count."""
    return len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2099


_DIGITS = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")


def years(text: str) -> set[str]:
    """Years named in ``text`` ("in 1915"; a count like "1,915 people" or "1.5 million" is not one)."""
    return {n for n in _DIGITS.findall(text) if is_year(n)}


def quantities(text: str) -> list[Quantity]:
    """The quantities of ``text`` in order of appearance (years and number words that count nothing left out:
    "one of the largest cities", "between the two.")."""
    return list(_read_quantities(text))


# A decimal of tokenised text that the segmenter kept in one claim ("4. 2 km deep"): a sentence does not end
# inside a claim, so "4. 2" there is 4.2 (read as 4 and "2 km" it gave "numbers differ: 2 km vs 4.2 km").
_TOKENISED_DECIMAL = re.compile(r"(?<![\d.,])(\d{1,5})\. (\d+)(?![\d.,])")


@lru_cache(maxsize=4096)
def _read_quantities(text: str) -> tuple[Quantity, ...]:
    """:func:`quantities`, read once per text: a claim meets many partners, and the typing and the slot test
    of every pair read its amounts."""
    text = _TOKENISED_DECIMAL.sub(lambda m: f"{m.group(1)}.{m.group(2)} ", text)  # the same length: offsets hold
    found: list[Quantity] = []
    clocks = [clock.span() for clock in _CLOCK_TIME.finditer(text)]
    for match in _QUANTITY.finditer(text):
        if match.group("value") and (_names_something(text, match) or any(
                start <= match.start("value") < end for start, end in clocks)):
            continue
        quantity = _parse(match)
        if quantity is not None:
            found.append(_as_age(text, quantity))
    for match in _VAGUE.finditer(text):
        group = "vague" if match.group("vague") else "vague_bare"
        low, high = VAGUE[re.sub(r"\s+", " ", match.group(group).lower())]
        found.append(Quantity(low, high, "count", match.group(group), plain=False, start=match.start(group),
                              end=match.end(group)))
    return tuple(found)


# A person's age in apposition, as news gives it: "Leon Yeaman, 62, died ...", "Smith (35) was arrested". Read as a
# count, "62" conflicted with "one punch" and "father of three" while the "55-year-old" of the other account went
# unnamed (an OSINT walk read "numbers differ: 28, 62 vs 1, 3").
# So is a number after "aged". ("Alison Hargreaves, 32, ..." / "Alison Hargreaves was 42 when she ...": against a
# side with no age a bare age is the count it was, see ``conflicting``.) Not "Kent, 12, and Essex, 7,": a list.
_NAME_COMMA_BEFORE = re.compile(r"[A-Z][\w'’.-]*(?:,\s*|\s+\()$")
_AGED_BEFORE = re.compile(r"\baged\s+$", re.IGNORECASE)
_LIST_AFTER = re.compile(r",\s*(?:and|or)\b")
MAX_AGE = 120


def _as_age(text: str, quantity: Quantity) -> Quantity:
    """``quantity`` as an age where it is a bare number between commas (or brackets, or a comma and the sentence's
    end: "said resident Mary Jones, 62.") after a name, or after "aged", else as it is."""
    if not quantity.plain or not quantity.text.isdigit() or not 0 < quantity.low <= MAX_AGE:
        return quantity
    head, tail = text[max(0, quantity.start - 40) : quantity.start], text[quantity.end :].lstrip(" ")
    before = _NAME_COMMA_BEFORE.search(head)
    closing = (")",) if before is not None and before.group().endswith("(") else (",", ".")
    apposition = before is not None and tail.startswith(closing) and not _LIST_AFTER.match(tail)
    if not (apposition or _AGED_BEFORE.search(head)):
        return quantity
    return Quantity(quantity.low, quantity.high, "age", quantity.text, True, quantity.start, quantity.end)


# A time of day is no amount: "As of 11 a.m., four people ...", "at 9:40 p.m.", "11:30", "by 3 o'clock", "14:32 GMT".
_CLOCK_TIME = re.compile(r"(?<![\w.,])\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\b\.?|o['’]clock\b|(?:GMT|BST|UTC)\b)"
                         r"|(?<![\w.,:])\d{1,2}:\d{2}(?![\d:])", re.IGNORECASE)


# "one" as a pronoun: after a determiner ("no one", "this one"); also with a name between when no unit follows
# ("the Steve Jobs one stayed", "the BBC one"), but not after a lower-case word ("the police arrested one man").
_PRONOUN_ONE = re.compile(r"\b(?:no|this|that|each|every|any|which|the|another|someone's)\s+$", re.IGNORECASE)
_NAMED_ONE = re.compile(r"\b(?i:this|that|the|another)\s+(?:[A-Z][\w'’.-]*\s+){1,3}$")


def _unit(word: str) -> tuple[str, float]:
    """The unit the regex matched (always a key of UNITS, up to case and spacing; a plural "s" is outside it)."""
    return UNITS[re.sub(r"\s+", " ", word.lower())]


_NAME_BEFORE = re.compile(r"(?:\b([A-Z][A-Za-z.]*|[A-Z]+)\s*[-–]?\s*)$")


def _opens_sentence(text: str, position: int) -> bool:
    head = text[:position].rstrip()
    return not head or head[-1] in ".!?\"'“‘(:;-–—"


def _names_something(text: str, match: re.Match[str]) -> bool:
    """A number that is part of a name or a label, not an amount: "Highway 151", "NY 5", "M-82", "Apollo 11"
    (digits after a capitalised word, unless it opens the sentence as a count does: "Only 15"; a month before a
    day stays a date: "June 29"),
    or digits glued to letters that are no unit ("12.45pm", "4x4"); a capitalised number word inside a sentence
    ("the Ten O'Clock News")."""
    end = match.end()
    if not (match.group("unit") or match.group("multiplier")) and end < len(text) and text[end].isalnum():
        return True
    value = match.group("value")
    if value[0].isupper() and not _opens_sentence(text, match.start()):
        return True  # a number word as part of a name: "the Ten O'Clock News", "Formula One"
    before = _NAME_BEFORE.search(text, 0, match.start())
    if before is None or match.group("currency") or match.group("qualifier") or not value[0].isdigit():
        return False
    word = before.group(1)
    opens_sentence = _opens_sentence(text, before.start())
    if word.lower().rstrip(".") in MONTH_NUMBERS:
        return False
    return not opens_sentence or word.lower() not in COUNT_OPENERS


def _parse(match: re.Match[str]) -> Quantity | None:
    groups = {k: v for k, v in match.groupdict().items() if v}
    unit = _unit(groups["unit"]) if "unit" in groups else None
    multiplier_word = groups.get("multiplier", "").lower()
    if multiplier_word == "m" and "currency" not in groups:
        if unit is not None:
            return None  # "5 m metres": nothing sensible
        unit, multiplier_word = UNITS["m"], ""  # "a 100m sprint": metres; "£5m": millions
    if "half" in groups:
        value = 0.5
    elif "article" in groups:
        value = 1.0
    else:
        raw = groups["value"]
        bare = not (unit or multiplier_word or groups.keys() & {"currency", "qualifier", "value_to"})
        if bare and raw.lower() in NUMBER_WORDS and groups.get("after", "of").lower() in NOT_COUNTED:
            return None  # "one of the ...", "between the two."
        if raw.lower() == "one" and (_PRONOUN_ONE.search(match.string, 0, match.start()) or (
                bare and _NAMED_ONE.search(match.string, 0, match.start()))):
            return None  # "no one cares", "this one", "the Steve Jobs one": a pronoun, not a count
        if is_year(raw) and not (unit or multiplier_word or "currency" in groups) and (
                is_year(groups.get("value_to", "")) or "value_to" not in groups):
            return None  # "in 1915", "from 2009 to 2013": dates
        value = _value(raw)
    if groups.keys() & {"and_half", "unit_and_half"}:
        value += 0.5  # "two and a half hours", "an hour and a half"
    multiplier = MULTIPLIERS.get(multiplier_word, 100.0 if multiplier_word == "hundred" else 1.0)
    dimension, size = unit if unit else ("count", 1.0)
    if "currency" in groups:
        dimension = "money:" + CURRENCIES[groups["currency"]]
    low = high = value * multiplier * size
    if "value_to" in groups:
        if groups["range_sep"].lower() == "and" and "range_from" not in groups:
            return None  # "two and three" outside "between ... and ..." is not a range
        high = _value(groups["value_to"]) * multiplier * size
        low, high = min(low, high), max(low, high)
    qualifier = re.sub(r"\s+", " ", groups.get("qualifier", "").lower())
    if qualifier in AT_MOST:
        low = 0.0
    elif qualifier in AT_LEAST:
        high = math.inf
    elif qualifier in ABOUT:
        low, high = low * (1 - APPROXIMATE), high * (1 + APPROXIMATE)
    plain = dimension == "count" and not (multiplier_word or groups.keys() & {"qualifier", "value_to"})
    return Quantity(low, high, dimension, re.sub(r"\s+", " ", match.group(0).strip()), plain, match.start(),
                    match.end())


def conflicting(a: list[Quantity], b: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """The quantities of each side that fit none of the other side's quantities of the same dimension, for
    the dimensions both sides have where each side has such a quantity; two empty lists when they agree. A bare
    age read from its place ("Smith, 35,") counts as a number where the other side gives no age."""
    if ("age" in {q.dimension for q in a}) != ("age" in {q.dimension for q in b}):
        # ages on one side only: its bare ages ("Smith, 35,") are numbers to the other ("Smith was 53.")
        a, b = ([replace(q, dimension="count") if q.dimension == "age" and q.plain else q for q in side]
                for side in (a, b))
    only_a: list[Quantity] = []
    only_b: list[Quantity] = []
    for dimension in sorted({q.dimension for q in a} & {q.dimension for q in b}):
        side_a = [q for q in a if q.dimension == dimension]
        side_b = [q for q in b if q.dimension == dimension]
        left = [q for q in side_a if not any(q.overlaps(r) for r in side_b)]
        right = [q for q in side_b if not any(q.overlaps(r) for r in side_a)]
        if left and right:
            only_a += left
            only_b += right
    return only_a, only_b


_WORD = re.compile(r"\S+")


# Words beside an amount that say how it moved or in what unit, not what it measures: "burglaries fell by 12 per
# cent" / "knife crime fell by 9 per cent" are two measures (a data journalist's false alarm at 54%). On the
# evidence pairs' tune halves leaving them out spared one challenge pair and changed nothing else.
DIRECTION_AND_UNIT_WORDS = frozenset(
    """fell fall falls fallen falling rose rise rises risen rising up down increased increase increases increasing
    decreased decrease decreases decreasing dropped drop drops dropping grew grow grows growing growth climbed climb
    climbs jumped jump jumps slipped slip gained gain gains lost cast cent percent per points point""".split())


def _not_slot_words(text: str) -> set[str]:
    """The content words of ``text`` that cannot say what an amount measures: names (capitalised wherever they
    stand but first, "Kremlin"), months and weekdays ("June 29"), adverbs ("really", "nearly"), how it moved or
    its unit (:data:`DIRECTION_AND_UNIT_WORDS`: "fell", "per cent")."""
    words = _WORD.findall(text)[1:]
    names = {w.lower() for w in words if w[:1].isupper()} - {w.lower() for w in words if w[:1].islower()}
    return {w for w in content_words(text)
            if w in MONTHS or w in WEEKDAYS or w.endswith("ly") or w in DIRECTION_AND_UNIT_WORDS
            or any(w in name for name in names)}


def _surroundings(text: str, found: list[Quantity], width: int) -> list[set[str]]:
    """For each of ``found`` (quantities of ``text``): the content words within ``width`` words of it that can
    say what it measures (not :func:`_not_slot_words`)."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    excluded = _not_slot_words(text)
    out = []
    for quantity in found:
        before = [w for w in words if w[1] <= quantity.start][-width:]
        after = [w for w in words if w[0] >= quantity.end][:width]
        out.append(content_words(" ".join(text[s:e] for s, e in before + after)) - excluded)
    return out


def same_slot(text_a: str, text_b: str, width: int = SLOT_WINDOW) -> str | None:
    """The content word that puts two conflicting amounts in the same slot, or None: "the meeting *lasted* less
    than an hour" / "the meeting *lasted* three hours" share "lasted" within ``width`` words of the amounts, so
    the two claims give different values of one thing; "Rosemary Pringle, 28" / "for 40 days" do not."""
    only_a, only_b = conflicting(quantities(text_a), quantities(text_b))
    near_a, near_b = _surroundings(text_a, only_a, width), _surroundings(text_b, only_b, width)
    for left, words_left in zip(only_a, near_a, strict=True):
        for right, words_right in zip(only_b, near_b, strict=True):
            shared = words_left & words_right if left.dimension == right.dimension else set()
            if shared:  # the word shown says what is measured where it can: "peaked", not "night"
                return min(shared, key=lambda word: (word in _WHEN_WORDS, word))
    return None


_WHEN_WORDS = frozenset("night morning afternoon evening midnight noon today tonight yesterday week weekend".split())
