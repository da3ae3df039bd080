"""The pair selection's recall: planted cross-article conflicts and the sampled estimate of what is left out."""

from __future__ import annotations

from consistency.compare import CompareSettings
from consistency.compare.articles import make_article
from consistency.eval.corpus_suite import recall_line
from consistency.eval.selection_recall import conflicting_variant, plant_conflicts, selection_recall, wilson_interval
from consistency.testing import FakeEmbedder, FakeNLI

TOPICS = ["harbour", "railway", "orchard", "stadium", "library", "glacier", "vineyard", "factory"]


def corpus(n: int = 8) -> list:
    articles = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        text = " ".join(
            f"The {topic} committee counted {10 * i + k} visitors in the {topic} district on day {k}. "
            f"Officials said the {topic} budget was approved after a long {topic} debate number {k}."
            for k in range(1, 4))
        articles.append(make_article(f"a{i}", text))
    return articles


def test_conflicting_variant_changes_a_number_or_negates() -> None:
    assert conflicting_variant("Police said 12 people were hurt.") == "Police said 27 people were hurt."
    assert conflicting_variant("The bridge was closed for repairs.") == "The bridge was not closed for repairs."
    assert conflicting_variant("Rain fell.") is None


def test_plant_conflicts_puts_each_variant_in_another_article() -> None:
    articles = corpus()
    planted_corpus, planted = plant_conflicts(articles, 5, seed=1)
    assert len(planted) == 5
    texts = {a.id: a.text for a in planted_corpus}
    for p in planted:
        assert p.source != p.target and p.variant in texts[p.target] and p.variant not in texts[p.source]
        assert p.original in texts[p.source]


def test_selection_recall_finds_planted_conflicts_among_selected_pairs() -> None:
    nli = FakeNLI(batch_size=64, record=False, min_overlap=0.6, disjoint_numbers=True)
    result = selection_recall(corpus(), FakeEmbedder(), CompareSettings(all_pairs_up_to=0), nli,
                              model_sample=True, planted=4, sample=50)
    assert result["planted"] == 4 and 0 < result["planted_located"] <= 4
    assert result["cross_pairs_selected"] < result["cross_pairs_all"]
    assert result["planted_found_selected"] <= result["planted_found_all_pairs"] <= result["planted_located"]
    assert result["planted_recall"] == 1.0  # near-copies are each other's nearest neighbours
    assert result["model_sample_left_out"] == 50
    low, high = result["model_recall_interval"]
    assert low is None or low <= result["model_recall_estimated"] <= high
    line = recall_line(8, result)
    assert "selection recall 1.000 on planted" in line and "left out" in line


def test_wilson_interval_brackets_the_proportion() -> None:
    low, high = wilson_interval(5, 100)
    assert 0.02 < low < 0.05 < high < 0.12
    assert wilson_interval(0, 0) == (0.0, 1.0)
