"""The four prigozhin-compare seed articles, compared with the real models: every conflict they were written with
is found (issue 16's goal), and no false alarm beside them (the one there was, "he is in St Petersburg" against
"Prigozhin has not commented on his whereabouts", left with the source's silence skipped as ``no-comment``);
with the built-in model alone and with the accurate model's second opinion blended in (``--second-opinion
accurate``)."""

from __future__ import annotations

import pytest
from conftest import REPO_ROOT

from consistency import Checker
from consistency.compare import compare_articles
from consistency.compare.articles import load_inputs
from consistency.compare.report import CompareReport

pytestmark = pytest.mark.real_models

SEEDS = REPO_ROOT / "seeds" / "prigozhin-compare"

# What the four articles were written to disagree on: for each conflict, a phrase of either side.
CONFLICTS = {
    "whereabouts: in Belarus / not in Belarus": ("is in Belarus", "is not in Belarus"),
    "whereabouts: Belarus / St Petersburg": ("in Belarus", "St Petersburg"),
    "the meeting's date": ("July 1", "June 29"),
    "the meeting's length": ("less than an hour", "three hours"),
    "whether Putin met Prigozhin": ("has not met", "met Wagner chief"),
}


@pytest.fixture(scope="module", params=[None, "accurate"], ids=["built-in", "second-opinion"])
def report(request: pytest.FixtureRequest) -> CompareReport:
    loaded = load_inputs([SEEDS])
    return compare_articles(loaded.articles, Checker(dtype="float32", second_opinion=request.param))


def _found(report: CompareReport, left: str, right: str) -> bool:
    return any((left in f.a.text and right in f.b.text) or (right in f.a.text and left in f.b.text)
               for f in report.findings)


@pytest.mark.parametrize("conflict", sorted(CONFLICTS))
def test_every_written_conflict_is_found(report: CompareReport, conflict: str) -> None:
    left, right = CONFLICTS[conflict]
    assert _found(report, left, right), f"{conflict} was missed: " + "; ".join(
        f"{f.score:.2f} {f.a.text[:40]!r} <> {f.b.text[:40]!r}" for f in report.findings)


def test_no_false_alarm_beside_them(report: CompareReport) -> None:
    real = [f for f in report.findings if any(
        (left in f.a.text and right in f.b.text) or (right in f.a.text and left in f.b.text)
        for left, right in CONFLICTS.values())]
    assert len(report.findings) == len(real), [f"{f.score:.2f} {f.a.text[:40]!r} <> {f.b.text[:40]!r}"
                                                   for f in report.findings if f not in real]
