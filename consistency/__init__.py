"""consistency: find claims in news text that contradict each other.

>>> from consistency import Checker
>>> report = Checker().check(text)          # doctest: +SKIP
>>> print(report.to_text())                 # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from consistency.checker import Checker, CheckSettings, score_pairs, split_findings
from consistency.errors import ConsistencyError, DataError, InputError, ModelError
from consistency.pairing import PairingSettings, candidate_pairs
from consistency.runtime.embedding import Embedder, SentenceTransformerEmbedder
from consistency.runtime.nli import NLIBackend, TransformersNLI
from consistency.text.segment import segment
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

__all__ = [
    "SCHEMA_VERSION",
    "CandidatePair",
    "CheckSettings",
    "Checker",
    "Claim",
    "ConsistencyError",
    "DataError",
    "Embedder",
    "Finding",
    "FindingType",
    "InputError",
    "Label",
    "ModelError",
    "NLIBackend",
    "NLIScores",
    "PairingSettings",
    "Relation",
    "Report",
    "Segmentation",
    "SentenceTransformerEmbedder",
    "SkippedSpan",
    "TransformersNLI",
    "__version__",
    "candidate_pairs",
    "score_pairs",
    "segment",
    "split_findings",
]
