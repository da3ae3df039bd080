"""How the suites drive the checker: pair selection variants, keeping every scored pair, the frame's model facts.

``pairing="candidates"`` is the shipped pipeline (short articles exhaustively, longer ones by similarity,
shared entities and number/date slots); ``pairing="all"`` checks every claim against every claim
(SummaC-ZS style: the document's score is the maximum contradiction over all pairs).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

from consistency.checker import Checker
from consistency.render.report import models_to_dict
from consistency.runtime.device import dtype_name

from .frame import backend_device

PAIRINGS = ("candidates", "all")
WARM_UP_TEXT = "The council approved the budget on Monday. The council rejected the budget on Monday."


def check_pairing(pairing: str) -> str:
    if pairing not in PAIRINGS:
        raise ValueError(f"unknown pairing '{pairing}'; use one of {', '.join(PAIRINGS)}")
    return pairing


def scoring_checker(checker: Checker, pairing: str = "candidates") -> Checker:
    """A checker sharing ``checker``'s models whose report keeps every scored pair (threshold 0, no near misses).

    With ``pairing="all"`` it classifies every pair of claims, whatever the article's length.
    """
    check_pairing(pairing)
    settings = replace(checker.settings, threshold=0.0, near_miss_margin=0.0)
    if pairing == "all":
        settings = replace(settings, pairing=replace(settings.pairing, all_pairs_below=sys.maxsize))
    return Checker(nli=checker.nli, embedder=checker.embedder, settings=settings)


def warm_up(checker: Checker) -> None:
    """Load the models and run one tiny article through every stage, untimed."""
    scoring_checker(checker).check(WARM_UP_TEXT, source="<warm-up>")


def checker_facts(checker: Checker) -> dict[str, Any]:
    """device, dtype, NLI batch size and model ids of a checker (loads its models)."""
    nli = checker.nli
    return {
        "device": backend_device(nli),
        "dtype": dtype_name(getattr(nli, "dtype", None)),
        "batch_size": getattr(nli, "batch_size", None),
        "models": models_to_dict(checker.model_names()),  # nli_max_length a number, as in check's JSON
    }
