"""A summary against its source (``check_summary``), with the deterministic fakes."""

from __future__ import annotations

import pytest

from consistency import Checker, SummaryCheck, check_summary
from consistency.testing import FakeEmbedder, FakeNLI

DOCUMENT = ("The fire at the Tessler plant killed 3 workers on Tuesday. Firefighters fought the blaze for six "
            "hours. The plant will stay closed until the inquiry ends.")


def checker() -> Checker:
    return Checker(nli=FakeNLI(), embedder=FakeEmbedder())


def test_each_summary_sentence_gets_its_strongest_contradiction_and_the_claim_behind_it() -> None:
    # An ML evaluator found no way to check model summaries against their source, sentence by sentence.
    result = check_summary(checker(), DOCUMENT, "The fire at the Tessler plant killed 7 workers on Tuesday. "
                           "Firefighters fought the blaze for six hours.")
    assert isinstance(result, SummaryCheck) and result.doc_claims == 3 and result.pairs_checked == 6
    wrong, right = result.sentences
    assert wrong.contradiction > 0.5 and wrong.contradicted_by == ("The fire at the Tessler plant killed 3 "
                                                                   "workers on Tuesday.")
    assert right.contradiction < 0.5 and right.entailment > 0.5  # the document's own sentence entails it
    assert right.supported_by == "Firefighters fought the blaze for six hours."
    assert result.scores["contradiction"] == wrong.contradiction
    assert result.scores["either"] == max(wrong.contradiction, 1 - wrong.entailment, 1 - right.entailment)


def test_a_faithful_summary_scores_low_and_an_empty_one_has_no_sentences() -> None:
    faithful = check_summary(checker(), DOCUMENT, "Firefighters fought the blaze for six hours.")
    assert faithful.scores["contradiction"] < 0.5 and faithful.scores["unsupported"] < 0.5
    empty = check_summary(checker(), DOCUMENT, "")
    assert empty.sentences == () and not empty.checked and set(empty.scores.values()) == {0.0}
    # a QA walk: a summary of only a question or a source's silence read as fully consistent, with nothing said
    silent = check_summary(checker(), DOCUMENT, "Who started the fire? The company declined to comment.")
    assert not silent.checked and [s.reason for s in silent.skipped] == ["question", "no-comment"]
    french = check_summary(checker(), DOCUMENT, "L'incendie de l'usine a tué sept ouvriers mardi, selon la police "
                           "locale, et les pompiers ont lutté contre les flammes pendant six heures.")
    assert not french.checked and "the summary reads as French" in french.warnings[0]
    with pytest.raises(TypeError, match="summary: the text must be a str, not NoneType"):
        check_summary(checker(), DOCUMENT, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="document: the text is bytes"):
        check_summary(checker(), DOCUMENT.encode(), "A fire.")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown pairing 'some'"):
        check_summary(checker(), DOCUMENT, "Firefighters fought the blaze.", pairing="some")
