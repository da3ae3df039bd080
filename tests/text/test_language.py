"""The language check (``consistency.text.language``): German, Russian and Chinese news are caught, short
and long English text is never misread."""

from __future__ import annotations

import pytest
from conftest import SEED_ARTICLE

from consistency.errors import InputError
from consistency.text.language import check_language, detect_language, foreign_sentences_message, sentence_language
from consistency.types import SkippedSpan

GERMAN = """Der russische Präsident Wladimir Putin hat sich nach Angaben des Kremls fünf Tage nach dem
gescheiterten Aufstand mit dem Chef der Wagner-Gruppe, Jewgeni Prigoschin, getroffen. An dem Treffen am
29. Juni hätten 35 Personen teilgenommen, darunter Kommandeure der Einheiten, sagte Kremlsprecher Dmitri
Peskow am Montag in Moskau.

Das Gespräch habe rund drei Stunden gedauert. Putin habe den Kommandeuren seine Einschätzung der
Ereignisse vom 24. Juni gegeben und sich ihre Schilderungen angehört. Der belarussische Präsident
Alexander Lukaschenko hatte zuvor erklärt, Prigoschin halte sich nicht in Belarus auf."""

RUSSIAN = """Президент России Владимир Путин встретился с главой группы Вагнера Евгением Пригожиным через пять
дней после неудавшегося мятежа, сообщили в Кремле в понедельник. По словам пресс-секретаря Дмитрия
Пескова, встреча состоялась 29 июня, на неё были приглашены 35 человек, в том числе командиры
подразделений.

Встреча продолжалась около трёх часов. Президент Белоруссии Александр Лукашенко ранее заявил
журналистам, что Пригожин находится в Санкт-Петербурге, а не на территории Белоруссии."""

CHINESE = """克里姆林宫周一表示，俄罗斯总统普京在未遂兵变五天后会见了瓦格纳集团负责人普里戈津。
克里姆林宫发言人佩斯科夫说，
会面于6月29日举行，共有35人受邀参加，其中包括各部队指挥官。

佩斯科夫还表示，会面持续了大约三个小时。白俄罗斯总统卢卡申科此前对记者说，普里戈津目前在圣彼得堡，
并不在白俄罗斯境内。"""

SHORT_ENGLISH = [
    "He said no.",
    "He paused.",
    "Go to Greece.",
    "Prices rose 3%.",
    "'His school got new lightbulbs in October,' Mrs Creag said.",
    "Eiffel Tower touches Van De Ven!",
    "Putin met Prigozhin on June 29, Peskov said.",
    "Provisional squad: Myhill, Rose, Gamboa, Pocognoli, Wisdom, Lescott, Dawson, Olsson, Baird, Gardner.",
]


@pytest.mark.parametrize(("text", "code", "name"), [(GERMAN, "de", "German"), (RUSSIAN, "ru", "Russian"),
                                                     (CHINESE, "zh", "Chinese")])
def test_non_english_news_is_detected(text: str, code: str, name: str) -> None:
    guess = detect_language(text)
    assert guess is not None and guess.code == code and guess.english_probability < 0.001 and not guess.english
    warning = check_language(text, "a.txt")
    assert warning == (f"a.txt reads as {name} ({code}, confidence {guess.confidence:.2f}; English 0.00), but the "
                       "built-in models read English only: no pairs were checked; pass --lang-check off (in Python: "
                       "CheckSettings(lang_check=\"off\")) to check it anyway")
    with pytest.raises(InputError, match=f"reads as {name}"):
        check_language(text, "a.txt", "error")
    assert check_language(text, "a.txt", "off") is None


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_is_never_flagged(text: str) -> None:
    assert check_language(text, "s", "error") is None


def test_too_short_to_judge_and_the_seed_article() -> None:
    assert detect_language("Nein.") is None and detect_language("12:30 - 14:00") is None
    guess = detect_language(SEED_ARTICLE.read_text(encoding="utf-8"))
    assert guess is not None and guess.code == "en" and guess.english and guess.english_probability > 0.98


def test_unknown_mode() -> None:
    with pytest.raises(ValueError, match="use one of warn, error, off"):
        check_language(GERMAN, "a", "loud")


FOREIGN_SENTENCES = [
    ("Der Bürgermeister sagte am Montag, die Brücke werde bis Ende des Jahres gesperrt bleiben.", "de"),
    ("« Nous ne reculerons pas », a affirmé le président devant les députés.", "fr"),
    ("El alcalde dijo el lunes que el puente permanecerá cerrado hasta finales de año.", "es"),
    ("Was die Regierung will, ist nicht klar, sagte der Sprecher in Wien.", "de"),  # "was", "will", "in"
    ("Мэр заявил в понедельник, что мост будет закрыт до конца года.", "ru"),
    ("白俄罗斯总统卢卡申科此前对记者说，普里戈津目前在圣彼得堡，并不在白俄罗斯境内。", "zh"),
]

# English sentences that the detector alone reads as another language (FRANK, ContraDoc): names and quotes
ENGLISH_WITH_FOREIGN_NAMES = [
    # names are no language (a QA walk saw these skipped): the lower-case words are English
    "Nuevo León governor Samuel García vetoed Ley de Ingresos, saying Congreso del Estado cut funding.",
    "Rodríguez García Fernández Martínez de la Fuente López Sánchez Pérez Gómez attended.",
    "The most important trobairitz are Alamanda de Castelnau , Azalais de Porcairagues , Maria de Ventadorn , "
    "Tibors , Castelloza , Garsenda of Provence and Beatritz de Dia .",
    "The Patriarchal Cathedral of the Holy Ascension of God ( Bulgarian : Патриаршеска катедрала „ Свето "
    "Възнесение Господне “ ) is the cathedral of the Bulgarian Patriarchate .",
    "Nicholas Wadada replaces Faruku Miya.",
    *SHORT_ENGLISH,
]


@pytest.mark.parametrize(("sentence", "code"), FOREIGN_SENTENCES)
def test_a_sentence_in_another_language_is_named(sentence: str, code: str) -> None:
    guess = sentence_language(sentence)
    assert guess is not None and guess.code == code


@pytest.mark.parametrize("sentence", ENGLISH_WITH_FOREIGN_NAMES)
def test_english_sentences_with_foreign_names_stay_english(sentence: str) -> None:
    assert sentence_language(sentence) is None


def test_the_sentences_message_counts_and_names_the_languages() -> None:
    assert foreign_sentences_message([], "a.txt") is None
    german, french = (SkippedSpan(text, 0, len(text), "not-english") for text, _ in FOREIGN_SENTENCES[:2])
    assert foreign_sentences_message([SkippedSpan("No.", 0, 3, "no-verb")], "a.txt") is None
    assert foreign_sentences_message([german, french, german], "a.txt") == (
        "a.txt: 3 sentences read as another language (French, German) and were not checked (skipped as "
        "not-english); pass --lang-check off (in Python: CheckSettings(lang_check=\"off\")) to check them anyway")
    assert foreign_sentences_message([french], "b").startswith("b: 1 sentence read as another language (French) "
                                                               "and was not checked")


def test_a_language_without_a_name_says_it_is_a_code() -> None:
    from consistency.text.language import LanguageGuess

    assert LanguageGuess("pcm", 0.5, 0.001).name == "Nigerian Pidgin"
    assert LanguageGuess("xx", 0.5, 0.001).name == "language code xx"
