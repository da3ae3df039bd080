"""consistency: find claims in news text that contradict each other.

>>> from consistency import Checker, render
>>> report = Checker().check(text)          # doctest: +SKIP
>>> print(render(report, "text"))           # doctest: +SKIP
>>> loaded = load_inputs(["seeds/prigozhin-compare"])                    # doctest: +SKIP
>>> print(render(compare_articles(loaded.articles, Checker()), "text"))  # doctest: +SKIP
"""

from __future__ import annotations

import logging

from consistency.build_info import __version__
from consistency.checker import Checker, CheckSettings, split_findings
from consistency.compare import (
    Article,
    CompareReport,
    CompareSettings,
    LoadProblem,
    compare_articles,
    load_inputs,
    make_article,
)
from consistency.errors import ConsistencyError, DataError, InputError, ModelError, OutputError
from consistency.pairing import PairingSettings, candidate_pairs
from consistency.render import render, write_output
from consistency.runtime.embedding import Embedder, SentenceTransformerEmbedder
from consistency.runtime.nli import NLIBackend, TransformersNLI
from consistency.runtime.spec import ModelSpec
from consistency.scoring import ScoringSettings, score_pairs
from consistency.summary_check import SentenceScore, SummaryCheck, check_summary
from consistency.text.segment import segment
from consistency.text.textio import read_article
from consistency.types import (
    SCHEMA_VERSION,
    CandidatePair,
    Claim,
    Finding,
    FindingType,
    Label,
    NLIScores,
    Relation,
    Report,
    Segmentation,
    SkippedSpan,
)

# A library logs, it does not print: without a handler of the application's, warnings stay silent
# (the command line sets up its own).
logging.getLogger("consistency").addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "CandidatePair",
    "CheckSettings",
    "Checker",
    "Claim",
    "CompareReport",
    "CompareSettings",
    "ConsistencyError",
    "DataError",
    "Embedder",
    "Finding",
    "FindingType",
    "InputError",
    "Label",
    "LoadProblem",
    "ModelError",
    "OutputError",
    "ModelSpec",
    "NLIBackend",
    "NLIScores",
    "PairingSettings",
    "Relation",
    "Report",
    "SCHEMA_VERSION",
    "ScoringSettings",
    "Segmentation",
    "SentenceScore",
    "SentenceTransformerEmbedder",
    "SkippedSpan",
    "SummaryCheck",
    "TransformersNLI",
    "__version__",
    "candidate_pairs",
    "check_summary",
    "compare_articles",
    "load_inputs",
    "make_article",
    "read_article",
    "render",
    "score_pairs",
    "segment",
    "split_findings",
    "write_output",
]
