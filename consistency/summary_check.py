"""A summary against its source: is every sentence of the summary backed by the document?

Each summary sentence (a claim of ``segment(summary)``) is classified against claims of the document
(``segment(document)``) with the checker's NLI model in both directions, through the scoring path of ``check``.
Per summary sentence ``s``:

* ``contradiction`` = max over paired document claims of the finding score (the mean contradiction
  probability of the two directions over the claims' views, discounted as a ``check`` finding is);
* ``entailment`` = max over paired document claims of P(document claim entails s);
* ``doc_entailment`` = P(whole document entails s), the backend splitting a long document into windows.

A summary's score under each rule (:data:`SUMMARY_RULES`) is the maximum over its sentences of
``contradiction``; ``unsupported`` = 1 - ``entailment``; ``either`` = the larger of those two (contradicted
or unsupported); ``doc-unsupported`` = 1 - ``doc_entailment``. ``pairing="candidates"`` pairs each sentence with
the document claims ``check`` would pair it with (every claim when the two texts have fewer claims than
``PairingSettings.all_pairs_below``; else its most similar claims and those sharing a name or number slot, and
at least its nearest claim); ``"all"`` with every document claim (SummaC-ZS style). ``consistency bench
summaries`` measures the rules on labelled summaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from consistency.checker import Checker
from consistency.pairing import PairingSettings, candidate_pairs
from consistency.scoring import score_pairs
from consistency.text.language import check_language, foreign_sentences_message
from consistency.text.segment import segment
from consistency.text.textio import check_text_argument
from consistency.types import CandidatePair, Claim, SkippedSpan

SUMMARY_RULES = ("either", "contradiction", "unsupported", "doc-unsupported")
SUMMARY_PAIRINGS = ("candidates", "all")


@dataclass(frozen=True)
class SentenceScore:
    """One summary sentence: its strongest contradiction and entailment by a document claim, and by the
    document; ``contradicted_by`` is the document claim of the strongest contradiction (None without a pair)."""

    text: str
    contradiction: float
    entailment: float
    doc_entailment: float
    contradicted_by: str | None = None
    supported_by: str | None = None  # the document claim of the strongest entailment


@dataclass(frozen=True)
class SummaryCheck:
    """A summary checked against its document: each sentence's scores and the summary's score per rule; the
    summary's spans that are not claims (``skipped``: questions, "declined to comment" ...) and why a text was not
    read (``warnings``: a language the models do not read, or sentences of another language left out). Where
    nothing was checked (``checked`` is False: no
    sentence, no document claim, or a warning) the scores say nothing about the summary (0 without a sentence,
    1 for the rules that ask for support)."""

    sentences: tuple[SentenceScore, ...]
    scores: dict[str, float]
    doc_claims: int
    pairs_checked: int
    skipped: tuple[SkippedSpan, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def checked(self) -> bool:
        """Whether any summary sentence was read against the document."""
        return self.pairs_checked > 0


def summary_pairs(
    claims: Sequence[Claim], n_doc: int, vectors: np.ndarray, settings: PairingSettings, pairing: str
) -> list[CandidatePair]:
    """(document claim, summary sentence) pairs: ``claims`` holds the document's claims first, then the summary's."""
    if pairing not in SUMMARY_PAIRINGS:
        raise ValueError(f"unknown pairing {pairing!r}; use one of {', '.join(SUMMARY_PAIRINGS)}")
    n = len(claims)
    if n_doc == 0 or n == n_doc:
        return []

    def similarity(i: int, j: int) -> float:
        return float(vectors[i] @ vectors[j])

    if pairing == "all" or n < settings.all_pairs_below:
        return [CandidatePair(i, j, similarity(i, j), ("all-pairs",)) for i in range(n_doc) for j in range(n_doc, n)]
    pairs = candidate_pairs(claims, vectors, settings, allowed=lambda i, j: i < n_doc <= j)
    covered = {pair.b for pair in pairs}
    for j in range(n_doc, n):
        if j not in covered:  # no partner above the floors: still judge it against its nearest claim
            nearest = max(range(n_doc), key=lambda i: similarity(i, j))
            pairs.append(CandidatePair(nearest, j, similarity(nearest, j), ("nearest",)))
    return sorted(pairs, key=lambda p: (p.a, p.b))


def _checked_texts(document: str, summary: str, lang_check: str) -> tuple[str, ...]:
    """Refuse what is not text (as ``check`` does: a one-line error); the warnings for a text in a language the
    models do not read (``CheckSettings.lang_check``). An empty summary is allowed: it has no sentence."""
    check_text_argument(document, "document")
    if not isinstance(summary, str) or summary.strip():
        check_text_argument(summary, "summary")
    return tuple(warning for warning in (check_language(document, "the document", lang_check),
                                         check_language(summary, "the summary", lang_check)) if warning)


def check_summary(checker: Checker, document: str, summary: str, pairing: str = "candidates") -> SummaryCheck:
    """Check every sentence of ``summary`` against ``document`` with ``checker``'s models (see the module
    docstring and :class:`SummaryCheck`)."""
    warnings = _checked_texts(document, summary, checker.settings.lang_check)
    checker.load()
    english_only = checker.settings.lang_check != "off" and not warnings
    doc_segments = segment(document, english_only)
    doc_claims = doc_segments.claims
    summary_segments = segment(summary, english_only)
    summary_claims = summary_segments.claims
    claims = [*doc_claims, *summary_claims]
    n_doc = len(doc_claims)
    vectors = checker.embedder.embed([c.text for c in claims]) if claims else np.zeros((0, 0), np.float32)
    pairs = [] if warnings else summary_pairs(claims, n_doc, vectors, checker.settings.pairing, pairing)
    findings = score_pairs(claims, pairs, checker.nli, checker.settings.scoring)
    read = () if warnings else summary_claims
    whole = checker.nli.predict([(document, c.text) for c in read]) if read else []
    contradiction, entailment = [0.0] * len(summary_claims), [0.0] * len(summary_claims)
    against: list[str | None] = [None] * len(summary_claims)
    support: list[str | None] = [None] * len(summary_claims)
    for pair, finding in zip(pairs, findings, strict=True):
        j = pair.b - n_doc  # pair.a is the document claim: a < b and the document's claims come first
        if against[j] is None or finding.score > contradiction[j]:
            contradiction[j], against[j] = finding.score, claims[pair.a].text
        if support[j] is None or finding.entailment_ab > entailment[j]:
            entailment[j], support[j] = finding.entailment_ab, claims[pair.a].text
    doc_entailment = [scores.entailment for scores in whole] or [0.0] * len(summary_claims)
    sentences = tuple(SentenceScore(c.text, con, ent, doc, by, sup) for c, con, ent, doc, by, sup
                      in zip(summary_claims, contradiction, entailment, doc_entailment, against, support, strict=True))
    scores = {
        "contradiction": max((s.contradiction for s in sentences), default=0.0),
        "unsupported": max((1.0 - s.entailment for s in sentences), default=0.0),
        "either": max((max(s.contradiction, 1.0 - s.entailment) for s in sentences), default=0.0),
        "doc-unsupported": max((1.0 - s.doc_entailment for s in sentences), default=0.0),
    }
    notes = tuple(note for segmentation, name in ((doc_segments, "the document"), (summary_segments, "the summary"))
                  if (note := foreign_sentences_message(segmentation.skipped, name)) is not None)
    return SummaryCheck(sentences, scores, n_doc, len(pairs), summary_segments.skipped, warnings + notes)
