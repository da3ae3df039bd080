"""Which language an article is written in: the built-in models read English only.

Detection is py3langid's (a maintained fork of langid.py, a naive Bayes model over byte n-grams of 97
languages; the model ships inside the wheel, so it runs offline). A text is judged only when it has at
least :data:`MIN_LETTERS` letters, and called non-English only when the detector gives English a
probability below :data:`MAX_ENGLISH_PROBABILITY`. Short English sentences are the detector's weak spot:
on 4,396 sentences (20 letters or more) of FRANK's English articles the lowest probability of English
was 0.05 ("Eiffel Tower touches Van De Ven!", read as Luxembourgish at 0.13), five times the bound;
every one of the 1,078 FRANK and ContraDoc documents reads as English at 0.98 or more, while German and
Russian news read below 0.0001 and Chinese near 0 (its probability shared between zh and wuu).

A sentence in another language inside an English article (a quote left in French, a German paragraph) is judged
on its own by :func:`sentence_language`, which the segmenter asks of every claim: the English model reads such a
sentence as noise and pairs it with anything. One sentence is less evidence than an article, so it must also
lack English function words ("the", "of", "which" ...): an English sentence full of foreign names ("The most
important trobairitz are Alamanda de Castelnau, Azalais de Porcairagues ...", 0.0004) keeps them. On the 34,194
claims of FRANK, ContraDoc, SummEdits, ClaimDiff and the seeds it skips four, all French or a Latin quote.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from consistency.errors import InputError
from consistency.types import SkippedSpan

__all__ = [
    "DEFAULT_LANG_CHECK",
    "LANG_CHECK_MODES",
    "REASON_NOT_ENGLISH",
    "LanguageGuess",
    "check_language",
    "detect_language",
    "non_english_message",
    "foreign_sentences_message",
    "sentence_language",
]

LANG_CHECK_MODES = ("warn", "error", "off")
REASON_NOT_ENGLISH = "not-english"  # the reason a sentence in another language is skipped (``sentence_language``)
DEFAULT_LANG_CHECK = "warn"  # a non-English article: a warning and no findings; the run goes on
MIN_LETTERS = 20  # fewer letters than this: too little evidence, the text is taken as English
MAX_ENGLISH_PROBABILITY = 0.01  # a text is non-English when the detector gives English less than this
DETECTED_CHARS = 4000  # the detector reads the first this many characters: plenty, and fast on any article
SHORT_SENTENCE_LETTERS = 60  # a sentence with fewer letters must read as English below ...
SHORT_SENTENCE_MAX_ENGLISH = 0.001  # ... this ("Nicholas Wadada replaces Faruku Miya.": 0.005, names only)
MAX_FUNCTION_WORD_SHARE = 0.08  # a sentence with more English function words than this share is English
# Words frequent in English prose and rare as words of the languages the detector confuses it with ("in", "was",
# "die", "will", "on", "a", "to", "for", "her" are left out: German, French, Dutch, Slavic or Nordic words too).
ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and that with which their they were would been this from said after who his she are have not but "
    "its by it has had".split())
_WORD = re.compile(r"[^\W\d_]+")

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "ru": "Russian", "zh": "Chinese", "fr": "French", "es": "Spanish",
    "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "uk": "Ukrainian", "ar": "Arabic",
    "ja": "Japanese", "ko": "Korean", "tr": "Turkish", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "fi": "Finnish", "cs": "Czech", "el": "Greek", "he": "Hebrew", "hi": "Hindi", "fa": "Persian",
    "be": "Belarusian", "bg": "Bulgarian", "ro": "Romanian", "hu": "Hungarian", "id": "Indonesian",
    "la": "Latin", "ca": "Catalan", "gl": "Galician", "eu": "Basque", "af": "Afrikaans", "sw": "Swahili",
    "lb": "Luxembourgish", "oc": "Occitan", "an": "Aragonese", "ast": "Asturian", "ext": "Extremaduran",
    "pcm": "Nigerian Pidgin", "sk": "Slovak", "sl": "Slovenian", "hr": "Croatian", "sr": "Serbian", "bs": "Bosnian",
    "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian", "vi": "Vietnamese", "th": "Thai", "ms": "Malay",
    "tl": "Tagalog", "ur": "Urdu", "bn": "Bengali", "ta": "Tamil", "is": "Icelandic", "ga": "Irish", "cy": "Welsh",
    "mt": "Maltese", "sq": "Albanian", "mk": "Macedonian", "ka": "Georgian", "hy": "Armenian", "az": "Azerbaijani",
    "kk": "Kazakh", "wuu": "Wu Chinese", "fy": "Frisian", "ht": "Haitian Creole", "ha": "Hausa",
    "gd": "Scottish Gaelic",
}


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language of a text: the likeliest language's ISO 639 ``code`` and probability
    (``confidence``), and the probability of English."""

    code: str
    confidence: float
    english_probability: float

    @property
    def name(self) -> str:
        """The language's English name; for a code without one, "language code xx"."""
        return LANGUAGE_NAMES.get(self.code, f"language code {self.code}")

    @property
    def english(self) -> bool:
        return self.code == "en" or self.english_probability >= MAX_ENGLISH_PROBABILITY


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError as exc:  # a dependency of the package; missing only in a broken install
        raise InputError("the language check needs py3langid: pip install py3langid (or pass --lang-check off; "
                         "in Python: CheckSettings(lang_check=\"off\"))") from exc
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> LanguageGuess | None:
    """The language of ``text``, or None when it has fewer than :data:`MIN_LETTERS` letters (not judged)."""
    head = text[:DETECTED_CHARS]
    if sum(1 for ch in head if ch.isalpha()) < MIN_LETTERS:
        return None
    ranked = _identifier().rank(head)
    code, confidence = ranked[0]
    english = next((float(p) for lang, p in ranked if lang == "en"), 0.0)
    return LanguageGuess(str(code), float(confidence), english)


def non_english_message(guess: LanguageGuess, source: str) -> str:
    """The one line that says why an article was not checked."""
    return (f"{source} reads as {guess.name} ({guess.code}, confidence {guess.confidence:.2f}; English "
            f"{guess.english_probability:.2f}), but the built-in models read English only: no pairs were checked; "
            "pass --lang-check off (in Python: CheckSettings(lang_check=\"off\")) to check it anyway")


def check_language(text: str, source: str, mode: str = DEFAULT_LANG_CHECK) -> str | None:
    """The warning for a non-English article (``mode="warn"``), or None when it reads as English, is too short
    to judge, or ``mode="off"``. ``mode="error"`` raises :class:`InputError` with the same line instead."""
    if mode not in LANG_CHECK_MODES:
        raise ValueError(f"unknown language check {mode!r}; use one of {', '.join(LANG_CHECK_MODES)}")
    if mode == "off":
        return None
    guess = detect_language(text)
    if guess is None or guess.english:
        return None
    message = non_english_message(guess, source)
    if mode == "error":
        raise InputError(message)
    return message


def sentence_language(sentence: str) -> LanguageGuess | None:
    """The language of one sentence of an article when it reads as another language than English, else None
    (English, or too little to judge): the detector gives English less than :data:`MAX_ENGLISH_PROBABILITY`
    (less than :data:`SHORT_SENTENCE_MAX_ENGLISH` under :data:`SHORT_SENTENCE_LETTERS` letters), so it does for
    its words in lower case alone (names are no language), and at most :data:`MAX_FUNCTION_WORD_SHARE` of its
    words are English function words."""
    words = _WORD.findall(sentence)
    if sum(1 for word in words if word.lower() in ENGLISH_FUNCTION_WORDS) > MAX_FUNCTION_WORD_SHARE * len(words):
        return None  # most English sentences stop here, before the detector
    guess = detect_language(sentence)
    if guess is None or guess.english:
        return None
    letters = sum(1 for ch in sentence if ch.isalpha())
    if letters < SHORT_SENTENCE_LETTERS and guess.english_probability >= SHORT_SENTENCE_MAX_ENGLISH:
        return None
    # names are no language: the words in lower case must read as another language too ("Nuevo León governor Samuel
    # García vetoed Ley de Ingresos, saying Congreso del Estado cut funding." is English; a QA walk saw it skipped)
    common = detect_language(" ".join(word for word in words if not word[:1].isupper()))
    return guess if common is not None and not common.english else None


def foreign_sentences_message(skipped: Sequence[SkippedSpan], source: str) -> str | None:
    """The one line that says how many sentences of an English article were skipped as another language (its
    ``skipped`` spans of reason :data:`REASON_NOT_ENGLISH`), and which; None when there are none."""
    sentences = [span.text for span in skipped if span.reason == REASON_NOT_ENGLISH]
    if not sentences:
        return None
    names = sorted({guess.name for guess in map(sentence_language, sentences) if guess is not None})
    count = f"{len(sentences)} sentence{'s' if len(sentences) != 1 else ''}"
    which = f" ({', '.join(names)})" if names else ""
    return (f"{source}: {count} read as another language{which} and {'were' if len(sentences) != 1 else 'was'} "
            "not checked (skipped as not-english); pass --lang-check off (in Python: "
            "CheckSettings(lang_check=\"off\")) to check them anyway")
