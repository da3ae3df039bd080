"""Which language an article is written in: the built-in models read English only.

Detection is py3langid's (a maintained fork of langid.py, a naive Bayes model over byte n-grams of 97
languages; the model ships inside the wheel, so it runs offline). A text is judged only when it has at
least :data:`MIN_LETTERS` letters, and called non-English only when the detector gives English a
probability below :data:`MAX_ENGLISH_PROBABILITY`. Short English sentences are the detector's weak spot:
on 4,396 sentences (20 letters or more) of FRANK's English articles the lowest probability of English
was 0.05 ("Eiffel Tower touches Van De Ven!", read as Luxembourgish at 0.13), five times the bound;
every one of the 1,078 FRANK and ContraDoc documents reads as English at 0.98 or more, while German and
Russian news read below 0.0001 and Chinese near 0 (its probability shared between zh and wuu).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from consistency.errors import InputError

__all__ = [
    "DEFAULT_LANG_CHECK",
    "LANG_CHECK_MODES",
    "LanguageGuess",
    "check_language",
    "detect_language",
    "non_english_message",
]

LANG_CHECK_MODES = ("warn", "error", "off")
DEFAULT_LANG_CHECK = "warn"  # a non-English article: a warning and no findings; the run goes on
MIN_LETTERS = 20  # fewer letters than this: too little evidence, the text is taken as English
MAX_ENGLISH_PROBABILITY = 0.01  # a text is non-English when the detector gives English less than this
DETECTED_CHARS = 4000  # the detector reads the first this many characters: plenty, and fast on any article

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "ru": "Russian", "zh": "Chinese", "fr": "French", "es": "Spanish",
    "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "uk": "Ukrainian", "ar": "Arabic",
    "ja": "Japanese", "ko": "Korean", "tr": "Turkish", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "fi": "Finnish", "cs": "Czech", "el": "Greek", "he": "Hebrew", "hi": "Hindi", "fa": "Persian",
    "be": "Belarusian", "bg": "Bulgarian", "ro": "Romanian", "hu": "Hungarian", "id": "Indonesian",
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
        return LANGUAGE_NAMES.get(self.code, self.code)

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
