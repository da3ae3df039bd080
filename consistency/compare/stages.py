"""Cross-article comparison: which claims of different articles contradict each other.

The pipeline is a chain of batch functions over records, so that each stage can be run by an
existing distributed engine (one call per partition) as well as here:

``segment_articles`` (articles -> :class:`ArticleClaims`, embarrassingly parallel)
-> ``embed_claims`` (claim texts -> vectors; identical texts embedded once)
-> ``cross_candidate_pairs`` (vectors -> pairs: nearest neighbours from other articles through
:class:`~consistency.vector_index.VectorIndex`, plus claims sharing an entity or a number slot among
a wider neighbour list; optionally the within-article pairs of ``check``)
-> ``score_candidates`` (pairs -> findings: NLI in both directions; identical text pairs scored once)
-> ``build_report`` (findings -> :class:`CompareReport`: findings per article pair, a conflict
matrix, clusters of claims showing which articles agree and which dissent).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from consistency.compare.articles import Article, LoadProblem
from consistency.compare.vector_index import EXACT_BELOW, VectorIndex
from consistency.pairing import PairingSettings, candidate_pairs, entity_keys, slot_keys
from consistency.runtime.embedding import Embedder
from consistency.runtime.nli import NLIBackend
from consistency.scoring import make_finding
from consistency.text.clauses import MAX_VIEWS, split_clauses
from consistency.types import SCHEMA_VERSION, CandidatePair, Claim, Finding, NLIScores, SkippedSpan

if TYPE_CHECKING:
    from consistency.checker import Checker

DEFAULT_THRESHOLD = 0.5
WIDE_NEIGHBOURS = 24  # neighbours looked at for entity / number-slot partners
SAME_ARTICLE_MARGIN = 32  # extra neighbours searched so that an article's own claims do not crowd out others
CLUSTER_MIN_SIMILARITY = 0.6  # a verdict joins two claims in a cluster only when they are this similar


@dataclass(frozen=True)
class CompareSettings:
    """Knobs of cross-article comparison. ``pairing`` is shared with ``check`` (top_k, floors)."""

    threshold: float = DEFAULT_THRESHOLD
    near_miss_margin: float = 0.0
    within: bool = False
    pairing: PairingSettings = field(default_factory=PairingSettings)
    wide_neighbours: int = WIDE_NEIGHBOURS
    exact_below: int = EXACT_BELOW
    claim_views: bool = True  # also read each claim in its coordinated clauses; False: whole claims only


@dataclass(frozen=True)
class ArticleClaims:
    """One article and its claims (each claim's ``article`` is the article id)."""

    article: Article
    claims: tuple[Claim, ...]
    skipped: tuple[SkippedSpan, ...] = ()


# --- stage 1: segment -----------------------------------------------------------------------------

def segment_articles(articles: Sequence[Article]) -> list[ArticleClaims]:
    """Split each article into claims tagged with the article id. Independent per article."""
    from consistency.text.segment import segment

    out = []
    for article in articles:
        segmentation = segment(article.text)
        claims = tuple(replace(claim, article=article.id) for claim in segmentation.claims)
        out.append(ArticleClaims(article, claims, segmentation.skipped))
    return out


def flatten(records: Sequence[ArticleClaims]) -> list[Claim]:
    """All claims of all records, in record order (positions in this list are what pairs refer to)."""
    return [claim for record in records for claim in record.claims]


# --- stage 2: embed -------------------------------------------------------------------------------

def embed_claims(texts: Sequence[str], embedder: Embedder) -> np.ndarray:
    """L2-normalised float32 rows for ``texts``; a text that occurs several times is embedded once."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    unique: dict[str, int] = {}
    for text in texts:
        unique.setdefault(text, len(unique))
    vectors = embedder.embed(list(unique))
    return np.ascontiguousarray(vectors[[unique[t] for t in texts]], dtype=np.float32)


# --- stage 3: pair --------------------------------------------------------------------------------

def claim_keys(text: str) -> frozenset[str]:
    """Named-entity and number/date-slot keys of a claim ('entity:wagner', 'slot:count:people')."""
    return frozenset({f"entity:{k}" for k in entity_keys(text)} | {f"slot:{k}" for k in slot_keys(text)})


def neighbour_pairs(
    groups: np.ndarray,
    sims: np.ndarray,
    ids: np.ndarray,
    query_rows: np.ndarray,
    keys: Callable[[int], frozenset[str]],
    settings: PairingSettings,
    wide: int,
) -> dict[tuple[int, int], set[str]]:
    """Pairs from a neighbour search: for query row ``query_rows[r]`` with neighbours ``ids[r]``,
    its ``top_k`` most similar claims of other groups above the similarity floor ("similar"), and
    among its ``wide`` nearest claims of other groups, up to ``slot_pairs_per_claim`` that share a
    named entity ("entity") or a number/date slot ("slot") with it above the lower slot floor.

    ``groups[i]`` is the article (as an integer) of row i; pairs are (low row, high row).
    """
    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    if ids.size == 0:
        return reasons
    valid = ids >= 0
    safe = np.where(valid, ids, 0)
    other = valid & (groups[safe] != groups[query_rows][:, None])
    rank = np.cumsum(other, axis=1)  # 1-based rank among other-article neighbours
    similar = other & (rank <= settings.top_k) & (sims >= settings.min_similarity)
    for r, c in zip(*np.nonzero(similar), strict=True):
        i, j = int(query_rows[r]), int(ids[r, c])
        reasons[(min(i, j), max(i, j))].add("similar")
    slot_candidates = other & (rank <= wide) & (sims >= settings.slot_min_similarity)
    for r in range(ids.shape[0]):
        columns = np.flatnonzero(slot_candidates[r])
        if columns.size == 0:
            continue
        i = int(query_rows[r])
        mine = keys(i)
        if not mine:
            continue
        taken = 0
        for c in columns:
            j = int(ids[r, c])
            shared = mine & keys(j)
            if not shared:
                continue
            kind = "entity" if any(key.startswith("entity:") for key in shared) else "slot"
            reasons[(min(i, j), max(i, j))].add(kind)
            taken += 1
            if taken >= settings.slot_pairs_per_claim:
                break
    return reasons


def cross_candidate_pairs(
    claims: Sequence[Claim],
    vectors: np.ndarray,
    settings: CompareSettings | None = None,
    index: VectorIndex | None = None,
) -> list[CandidatePair]:
    """Candidate pairs between claims of different articles (plus, with ``settings.within``, the
    pairs ``check`` would make inside each article). ``pair.a``/``pair.b`` are positions in ``claims``.

    Each claim queries the vector index once for its nearest neighbours (approximate above
    ``settings.exact_below`` claims), so the cost grows as n log n, not n^2.
    """
    settings = settings or CompareSettings()
    n = len(claims)
    if n < 2:
        return []
    article_numbers: dict[str | None, int] = {}
    groups = np.array([article_numbers.setdefault(c.article, len(article_numbers)) for c in claims], dtype=np.int64)
    per_article = np.bincount(groups)
    index = index or VectorIndex.build(vectors, exact_below=settings.exact_below)
    want = max(settings.pairing.top_k, settings.wide_neighbours)
    k = min(n, want + 1 + min(int(per_article.max()), SAME_ARTICLE_MARGIN))
    key_cache: dict[int, frozenset[str]] = {}

    def keys(i: int) -> frozenset[str]:
        if i not in key_cache:
            key_cache[i] = claim_keys(claims[i].text)
        return key_cache[i]

    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    block = 4096
    for start in range(0, n, block):
        rows = np.arange(start, min(n, start + block))
        sims, ids = index.search(vectors[rows], k)
        for key, why in neighbour_pairs(groups, sims, ids, rows, keys, settings.pairing,
                                        settings.wide_neighbours).items():
            reasons[key] |= why
    if settings.within:
        for key, why in within_pairs(claims, vectors, groups, settings.pairing).items():
            reasons[key] |= why
    return [
        CandidatePair(a, b, float(vectors[a] @ vectors[b]), tuple(sorted(why)))
        for (a, b), why in sorted(reasons.items())
    ]


def within_pairs(
    claims: Sequence[Claim], vectors: np.ndarray, groups: np.ndarray, settings: PairingSettings
) -> dict[tuple[int, int], set[str]]:
    """The pairs ``check`` makes inside each article, as positions in ``claims``."""
    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    for group in np.unique(groups):
        positions = np.flatnonzero(groups == group)
        local = [claims[int(p)] for p in positions]
        for pair in candidate_pairs(local, vectors[positions], settings):
            a, b = int(positions[pair.a]), int(positions[pair.b])
            reasons[(min(a, b), max(a, b))].update(pair.reasons)
    return reasons


# --- stage 4: score -------------------------------------------------------------------------------

def text_view_pairs(
    text_pairs: Sequence[tuple[str, str]], views: bool = True
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """For each (a, b): the texts the NLI model reads for a and for b, each whole and (when ``views``) in its
    coordinated clauses (at most ``MAX_VIEWS``)."""
    if not views:
        return [((a,), (b,)) for a, b in text_pairs]
    read = {text: (text, *split_clauses(text))[:MAX_VIEWS] for pair in text_pairs for text in pair}
    return [(read[a], read[b]) for a, b in text_pairs]


def nli_both_directions(
    text_pairs: Sequence[tuple[str, str]], nli: NLIBackend, progress: Callable[[int], None] | None = None,
    views: bool = True,
) -> list[tuple[NLIScores, NLIScores]]:
    """(a->b, b->a) scores for each (a, b), each text read whole and (when ``views``) in its coordinated
    clauses (the most contradictory combination counts); a text pair that occurs several times is
    classified once."""
    from consistency.checker import best_of_views

    return best_of_views(text_view_pairs(text_pairs, views), nli, progress=progress)


def score_candidates(
    claims: Sequence[Claim], pairs: Sequence[CandidatePair], nli: NLIBackend, progress: bool = False,
    views: bool = True,
) -> list[Finding]:
    """Classify each candidate pair in both directions; one (possibly low-scoring) finding per pair."""
    from consistency.checker import _progress_bar, best_of_views, view_inputs

    view_pairs = text_view_pairs([(claims[p.a].text, claims[p.b].text) for p in pairs], views)
    inputs = view_inputs(view_pairs)
    with _progress_bar(nli, inputs, enabled=progress) as update:
        directions = best_of_views(view_pairs, nli, progress=update, inputs=inputs)
    return [make_finding(claims[p.a], claims[p.b], p, forward, backward)
            for p, (forward, backward) in zip(pairs, directions, strict=True)]


# --- stage 5: report ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ArticleSummary:
    """What a report says about one article (its text is kept aside for the HTML view)."""

    id: str
    title: str | None
    source: str | None
    date: str | None
    url: str | None
    path: str | None
    date_from: str | None
    claims: int
    skipped: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "source": self.source, "date": self.date, "url": self.url,
                "path": self.path, "date_from": self.date_from, "claims": self.claims, "skipped": self.skipped}


@dataclass(frozen=True)
class ArticleFinding:
    """A finding between two articles (or inside one, with ``--within``), with both articles' metadata.

    ``dates_differ`` is True when both articles are dated and the dates differ: the two claims may
    describe a change over time rather than contradict each other, and ``date_note`` says so.
    """

    finding: Finding
    source_a: str | None
    source_b: str | None
    date_a: str | None
    date_b: str | None

    @property
    def a(self) -> Claim:
        return self.finding.a

    @property
    def b(self) -> Claim:
        return self.finding.b

    @property
    def score(self) -> float:
        return self.finding.score

    @property
    def within(self) -> bool:
        return self.finding.a.article == self.finding.b.article

    @property
    def dates_differ(self) -> bool | None:
        if self.date_a is None or self.date_b is None:
            return None
        return self.date_a != self.date_b

    @property
    def date_note(self) -> str | None:
        if not self.dates_differ:
            return None
        return (f"the articles are dated {self.date_a} and {self.date_b}: this may be a change over time "
                "rather than a contradiction")

    def to_dict(self) -> dict[str, Any]:
        data = self.finding.to_dict()
        data["a"] = {**self.a.to_dict(), "source": self.source_a, "date": self.date_a}
        data["b"] = {**self.b.to_dict(), "source": self.source_b, "date": self.date_b}
        data["within"] = self.within
        data["dates_differ"] = self.dates_differ
        data["date_note"] = self.date_note
        return data


@dataclass(frozen=True)
class ArticlePair:
    """The findings between two articles."""

    article_a: str
    article_b: str
    findings: tuple[ArticleFinding, ...]

    @property
    def dates_differ(self) -> bool | None:
        return self.findings[0].dates_differ if self.findings else None


@dataclass(frozen=True)
class ClusterMember:
    """One claim in a cluster and which side it is on (0: the anchor's side, 1: against it)."""

    claim: Claim
    side: int

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.claim.article, "index": self.claim.index, "text": self.claim.text,
                "start": self.claim.start, "end": self.claim.end, "speaker": self.claim.speaker,
                "side": self.side}


@dataclass(frozen=True)
class ClaimCluster:
    """Claims of several articles about the same thing, joined by contradiction and entailment verdicts.

    ``agree`` are the articles on the majority side (ties: the anchor claim's side), ``dissent`` those on
    the other side, ``both`` articles with claims on both sides. ``consistent`` is False when the verdicts
    cannot be split into two sides (for example A contradicts B, B contradicts C, C contradicts A).
    """

    id: int
    about: str
    members: tuple[ClusterMember, ...]
    agree: tuple[str, ...]
    dissent: tuple[str, ...]
    both: tuple[str, ...]
    contradictions: int
    agreements: int
    consistent: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "about": self.about, "agree": list(self.agree), "dissent": list(self.dissent),
                "both": list(self.both), "contradictions": self.contradictions, "agreements": self.agreements,
                "consistent": self.consistent, "members": [m.to_dict() for m in self.members]}


@dataclass(frozen=True)
class CompareReport:
    """Everything ``consistency compare`` (or ``corpus check``) knows about a set of articles."""

    articles: tuple[ArticleSummary, ...]
    findings: tuple[ArticleFinding, ...]  # between articles, best first
    within_findings: tuple[ArticleFinding, ...]  # inside articles (only with within=True)
    near_misses: tuple[ArticleFinding, ...]
    conflicts: tuple[tuple[int, int, int], ...]  # (i, j, count), i <= j: findings between articles i and j
    clusters: tuple[ClaimCluster, ...]
    claims: int
    pairs_checked: int
    threshold: float
    within: bool
    models: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    problems: tuple[LoadProblem, ...] = ()
    claim_views: bool = True  # claims were also read in their clauses (False: whole claims only)
    texts: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    article_claims: Mapping[str, tuple[Claim, ...]] = field(default_factory=dict, repr=False, compare=False)
    stats: dict[str, Any] = field(default_factory=dict)

    def matrix(self) -> list[list[int]]:
        """Article-by-article conflict counts (articles in report order); the diagonal counts findings
        inside one article (``within`` only). Dense: use ``conflicts`` for large corpora."""
        size = len(self.articles)
        dense = [[0] * size for _ in range(size)]
        for i, j, count in self.conflicts:
            dense[i][j] = dense[j][i] = count
        return dense

    def pairs(self) -> list[ArticlePair]:
        """Findings grouped by article pair, pairs with the most findings first."""
        grouped: dict[tuple[str, str], list[ArticleFinding]] = defaultdict(list)
        order = {a.id: n for n, a in enumerate(self.articles)}
        for item in self.findings:
            left, right = sorted((str(item.a.article), str(item.b.article)), key=lambda x: order.get(x, 0))
            grouped[(left, right)].append(item)
        pairs = [ArticlePair(a, b, tuple(items)) for (a, b), items in grouped.items()]
        return sorted(pairs, key=lambda p: (-len(p.findings), order.get(p.article_a, 0), order.get(p.article_b, 0)))

    def to_dict(self) -> dict[str, Any]:
        from consistency.render.compare import compare_to_dict

        return compare_to_dict(self)

    def to_json(self, indent: int | None = 2) -> str:
        from consistency.render.compare import render_compare_json

        return render_compare_json(self, indent=indent)

    def to_markdown(self) -> str:
        from consistency.render.compare import render_compare_markdown

        return render_compare_markdown(self)

    def to_html(self) -> str:
        from consistency.render.compare import render_compare_html

        return render_compare_html(self)

    def to_text(self, color: bool = False) -> str:
        from consistency.render.compare import render_compare_text

        return render_compare_text(self, color=color)


def build_report(
    records: Sequence[ArticleClaims],
    scored: Sequence[Finding],
    settings: CompareSettings,
    *,
    pairs_checked: int,
    models: dict[str, str] | None = None,
    timings: dict[str, float] | None = None,
    problems: Sequence[LoadProblem] = (),
    stats: dict[str, Any] | None = None,
) -> CompareReport:
    """Turn scored pairs into a :class:`CompareReport` (findings, near misses, matrix, clusters)."""
    meta = {r.article.id: r.article for r in records}
    order = {r.article.id: n for n, r in enumerate(records)}

    def wrap(finding: Finding) -> ArticleFinding:
        left, right = meta.get(str(finding.a.article)), meta.get(str(finding.b.article))
        return ArticleFinding(finding, left.source if left else None, right.source if right else None,
                              left.date if left else None, right.date if right else None)

    ranked = sorted(scored, key=lambda f: (-f.score, order.get(str(f.a.article), 0), f.a.start,
                                           order.get(str(f.b.article), 0), f.b.start))
    threshold, margin = settings.threshold, settings.near_miss_margin
    findings: list[ArticleFinding] = []
    within: list[ArticleFinding] = []
    near: list[ArticleFinding] = []
    for finding in ranked:
        same = finding.a.article == finding.b.article
        if same and not settings.within:
            continue
        if finding.score >= threshold:
            (within if same else findings).append(wrap(finding))
        elif threshold - margin <= finding.score and margin > 0:
            near.append(wrap(finding))
    conflicts: dict[tuple[int, int], int] = defaultdict(int)
    for item in (*findings, *within):
        i, j = order[str(item.a.article)], order[str(item.b.article)]
        conflicts[(min(i, j), max(i, j))] += 1
    summaries = tuple(
        ArticleSummary(r.article.id, r.article.title, r.article.source, r.article.date, r.article.url,
                       r.article.path, r.article.date_from, len(r.claims), len(r.skipped))
        for r in records
    )
    return CompareReport(
        articles=summaries,
        findings=tuple(findings),
        within_findings=tuple(within),
        near_misses=tuple(near),
        conflicts=tuple((i, j, n) for (i, j), n in sorted(conflicts.items())),
        clusters=tuple(claim_clusters(scored, threshold, order)),
        claims=sum(len(r.claims) for r in records),
        pairs_checked=pairs_checked,
        threshold=threshold,
        within=settings.within,
        claim_views=settings.claim_views,
        models=dict(models or {}),
        timings=dict(timings or {}),
        problems=tuple(problems),
        texts={r.article.id: r.article.text for r in records},
        article_claims={r.article.id: r.claims for r in records},
        stats={"schema_version": SCHEMA_VERSION, **(stats or {})},
    )


def claim_clusters(
    scored: Sequence[Finding], threshold: float, order: Mapping[str, int] | None = None
) -> list[ClaimCluster]:
    """Group claims of different articles that are about the same thing (cosine >= ``CLUSTER_MIN_SIMILARITY``)
    and joined by a verdict: a contradiction (score >= threshold) puts two claims on opposite sides, an
    entailment in either direction (>= threshold) on the same side. The similarity bar keeps a chain of
    loose verdicts from merging unrelated claims into one cluster; a contradiction below it is still a
    finding, it just does not join a cluster.
    Only groups with at least one contradiction are returned (they show who agrees and who dissents),
    largest first."""
    order = order or {}
    edges: list[tuple[Claim, Claim, bool]] = []  # (a, b, contradicts)
    for f in scored:
        if f.a.article == f.b.article or f.similarity < CLUSTER_MIN_SIMILARITY:
            continue
        if f.score >= threshold:
            edges.append((f.a, f.b, True))
        elif max(f.entailment_ab, f.entailment_ba) >= threshold:
            edges.append((f.a, f.b, False))
    key_of: Callable[[Claim], tuple[str, int]] = lambda c: (str(c.article), c.index)  # noqa: E731
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    claims: dict[tuple[str, int], Claim] = {}
    adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], bool]]] = defaultdict(list)
    for a, b, contradicts in edges:
        ka, kb = key_of(a), key_of(b)
        claims[ka], claims[kb] = a, b
        adjacency[ka].append((kb, contradicts))
        adjacency[kb].append((ka, contradicts))
        parent[find(ka)] = find(kb)
    components: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for key in claims:
        components[find(key)].append(key)

    def position(key: tuple[str, int]) -> tuple[int, int]:
        return order.get(key[0], 0), key[1]

    clusters: list[ClaimCluster] = []
    for members in components.values():
        member_set = set(members)
        contradictions = sum(1 for k in members for _, c in adjacency[k] if c) // 2
        if contradictions == 0:
            continue
        agreements = sum(1 for k in members for _, c in adjacency[k] if not c) // 2
        anchor = min(members, key=lambda k: (-sum(c for _, c in adjacency[k]), -len(adjacency[k]), position(k)))
        side = {anchor: 0}
        queue, consistent = [anchor], True
        while queue:
            current = queue.pop()
            for neighbour, contradicts in adjacency[current]:
                if neighbour not in member_set:
                    continue
                expected = side[current] ^ int(contradicts)
                if neighbour not in side:
                    side[neighbour] = expected
                    queue.append(neighbour)
                elif side[neighbour] != expected:
                    consistent = False
        sides_of: dict[str, set[int]] = defaultdict(set)
        for key in members:
            sides_of[key[0]].add(side[key])
        articles = sorted(sides_of, key=lambda a: order.get(a, 0))
        zero = [a for a in articles if sides_of[a] == {0}]
        one = [a for a in articles if sides_of[a] == {1}]
        both = [a for a in articles if len(sides_of[a]) == 2]
        if len(one) > len(zero):
            zero, one = one, zero
            side = {k: 1 - v for k, v in side.items()}
        ordered = sorted(members, key=lambda k: (side[k], position(k)))
        clusters.append(ClaimCluster(
            id=0, about=claims[anchor].text,
            members=tuple(ClusterMember(claims[k], side[k]) for k in ordered),
            agree=tuple(zero), dissent=tuple(one), both=tuple(both),
            contradictions=contradictions, agreements=agreements, consistent=consistent,
        ))
    clusters.sort(key=lambda c: (-(len(c.agree) + len(c.dissent) + len(c.both)), -c.contradictions,
                                 position(key_of(c.members[0].claim))))
    return [replace(c, id=n) for n, c in enumerate(clusters, start=1)]


# --- the whole chain ------------------------------------------------------------------------------

def compare_articles(
    articles: Sequence[Article],
    checker: Checker,
    settings: CompareSettings | None = None,
    problems: Sequence[LoadProblem] = (),
    progress: bool = False,
) -> CompareReport:
    """Compare ``articles`` with each other using ``checker``'s models (loaded on first use)."""
    settings = settings or CompareSettings()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    records = segment_articles(articles)
    claims = flatten(records)
    timings["segment"] = time.perf_counter() - clock

    clock = time.perf_counter()
    vectors = embed_claims([c.text for c in claims], checker.embedder)
    timings["embed"] = time.perf_counter() - clock

    clock = time.perf_counter()
    index = VectorIndex.build(vectors, exact_below=settings.exact_below) if len(claims) > 1 else None
    pairs = cross_candidate_pairs(claims, vectors, settings, index=index)
    timings["pair"] = time.perf_counter() - clock

    clock = time.perf_counter()
    scored = score_candidates(claims, pairs, checker.nli, progress=progress, views=settings.claim_views)
    timings["nli"] = time.perf_counter() - clock

    clock = time.perf_counter()
    cross = sum(1 for p in pairs if claims[p.a].article != claims[p.b].article)
    report = build_report(
        records, scored, settings, pairs_checked=len(pairs), models=checker.model_names(), timings=timings,
        problems=problems,
        stats={"cross_pairs": cross, "within_pairs": len(pairs) - cross,
               "index": index.backend if index is not None else "none"},
    )
    timings["report"] = time.perf_counter() - clock
    return report
