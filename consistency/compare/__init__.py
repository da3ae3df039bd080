"""Cross-article comparison: articles in, stages over records, a report with a conflict matrix and clusters.

``articles`` (loading and metadata) -> ``stages`` (segment, embed, pair through ``vector_index``, score)
-> ``report`` (findings by article pair, matrix) and ``clusters`` (who agrees, who dissents).
"""

from consistency.compare.articles import Article, LoadProblem, LoadResult, load_inputs, make_article
from consistency.compare.clusters import ClaimCluster, ClusterMember, claim_clusters
from consistency.compare.records import ALL_PAIRS_UP_TO, ArticleClaims, CompareSettings
from consistency.compare.report import ArticleFinding, ArticlePair, ArticleSummary, CompareReport, build_report
from consistency.compare.stages import (
    claim_keys,
    compare_articles,
    cross_candidate_pairs,
    embed_claims,
    flatten,
    neighbour_pairs,
    score_candidates,
    segment_articles,
    within_pairs,
)

__all__ = [
    "ALL_PAIRS_UP_TO",
    "Article",
    "ArticleClaims",
    "ArticleFinding",
    "ArticlePair",
    "ArticleSummary",
    "ClaimCluster",
    "ClusterMember",
    "CompareReport",
    "CompareSettings",
    "LoadProblem",
    "LoadResult",
    "build_report",
    "claim_clusters",
    "claim_keys",
    "compare_articles",
    "cross_candidate_pairs",
    "embed_claims",
    "flatten",
    "load_inputs",
    "make_article",
    "neighbour_pairs",
    "score_candidates",
    "segment_articles",
    "within_pairs",
]
