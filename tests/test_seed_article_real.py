"""The product's specifying example, end to end with the real models: the sample article's tension is found.

"Prigozhin agreed to live in exile in Belarus" against Lukashenko's "As for Prigozhin, he's in St Petersburg"
must be the checker's top finding, reported as a source disagreement, without a flood of false alarms.
"""

from __future__ import annotations

import pytest
from conftest import SEED_ARTICLE

from consistency import Checker
from consistency.types import Relation, Report
from models.sample_check import is_the_tension

pytestmark = pytest.mark.real_models

# Phase 6 flags the tension alone (53%); phase 5 had two false alarms after it (52-53%). More than this
# many findings on a 17-claim article means topic similarity is being taken for conflict again.
MAX_FINDINGS = 3


@pytest.fixture(scope="module")
def report() -> Report:
    checker = Checker(dtype="float32")  # float32: the same scores on every CPU (auto is bfloat16 on AMX CPUs)
    return checker.check(SEED_ARTICLE.read_text(encoding="utf-8"))


def test_the_st_petersburg_tension_is_the_top_finding(report: Report) -> None:
    assert report.findings, "no finding on the sample article: the St Petersburg vs Belarus tension was missed"
    top = report.findings[0]
    assert is_the_tension(top.a.text, top.b.text), f"top finding {top.score:.2f}: {top.a.text!r} <> {top.b.text!r}"
    assert top.score >= report.threshold
    assert top.relation is Relation.SOURCE_DISAGREEMENT  # Lukashenko against the article's own narration
    assert "Lukashenko" in {top.a.speaker, top.b.speaker}


def test_the_sample_article_raises_no_flood_of_false_alarms(report: Report) -> None:
    assert len(report.findings) <= MAX_FINDINGS, [
        f"{f.score:.2f}: {f.a.text[:50]!r} <> {f.b.text[:50]!r}" for f in report.findings
    ]
    assert report.pairs_checked == report.pairs_possible  # 17 claims: checked exhaustively, nothing skipped
