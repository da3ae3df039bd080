"""Benchmark suites: clean articles (false alarms), document self-contradiction, summary against document, NLI
pair files, and speed.

Each suite is a function that takes a :class:`~consistency.checker.Checker` (or an NLI backend) and
returns one flat result record (see :mod:`consistency.eval.frame`). Importing this package
does not import torch.
"""

from __future__ import annotations

from consistency.eval.clean_suite import format_clean, run_clean
from consistency.eval.docs_suite import format_docs, run_docs
from consistency.eval.frame import check_calibration_file, make_record, save_record
from consistency.eval.metrics import balanced_accuracy, pick_threshold, roc_auc
from consistency.eval.nli_eval import evaluate_file, expected_calibration_error, format_table
from consistency.eval.nli_suite import format_nli, run_nli
from consistency.eval.speed_suite import format_speed, run_speed
from consistency.eval.summaries_suite import RULES, format_summaries, run_summaries

__all__ = [
    "RULES",
    "balanced_accuracy",
    "check_calibration_file",
    "evaluate_file",
    "expected_calibration_error",
    "format_clean",
    "format_docs",
    "format_nli",
    "format_speed",
    "format_summaries",
    "format_table",
    "make_record",
    "pick_threshold",
    "roc_auc",
    "run_clean",
    "run_docs",
    "run_nli",
    "run_speed",
    "run_summaries",
    "save_record",
]
