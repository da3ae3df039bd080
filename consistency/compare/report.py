"""The comparison report: findings between articles with their metadata, the conflict matrix, clusters."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from consistency.compare.articles import LoadProblem
from consistency.compare.clusters import ClaimCluster, claim_clusters
from consistency.compare.records import ArticleClaims, CompareSettings
from consistency.compare.relatedness import article_names, discount_different_stories
from consistency.text.stories import same_named_story
from consistency.text.words import MONTHS, WEEKDAYS
from consistency.types import SCHEMA_VERSION, Claim, Finding


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
        """Why the finding may be a change over time: the articles are dated apart. None when they are not, or
        when both claims name the same day or month ("on Tuesday night", "in October": a fact fixed in time,
        whenever it was reported; a reporter's walk saw the hint on four such planted errors)."""
        if not self.dates_differ or _shared_time_words(self.a.text, self.b.text):
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


_TIME_WORDS = frozenset((*WEEKDAYS, *MONTHS))


def _shared_time_words(text_a: str, text_b: str) -> set[str]:
    """The weekdays and months both texts name (capitalised: "may" is a verb, "May" a month)."""
    def words(text: str) -> set[str]:
        return {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", text) if w.lower() in _TIME_WORDS}
    return words(text_a) & words(text_b)


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
    focus: tuple[str, ...] = ()  # the article ids this report is narrowed to (:meth:`about`); () = all of them
    near_miss_margin: float = 0.0  # how far below the threshold near misses were looked for (0: they were not)

    def matrix(self) -> list[list[int]]:
        """Article-by-article conflict counts (articles in report order); the diagonal counts findings
        inside one article (``within`` only). Dense: use ``conflicts`` for large corpora."""
        size = len(self.articles)
        dense = [[0] * size for _ in range(size)]
        for i, j, count in self.conflicts:
            dense[i][j] = dense[j][i] = count
        return dense

    def odd_one_out(self) -> tuple[ArticleSummary, int] | None:
        """The article in more than half of the findings between articles, with its count, when there are three
        articles or more and three findings or more: the one outlet whose version differs from the others' (a
        reporter's walk: one aggregator was in 9 of 20 findings, which only the matrix hinted at)."""
        if len(self.articles) < 3 or len(self.findings) < 3 or self.focus:
            return None  # narrowed to some articles (corpus check --article / --since), they are in every finding
        counts = {a.id: 0 for a in self.articles}
        for item in self.findings:
            for article in {str(item.a.article), str(item.b.article)}:
                counts[article] = counts.get(article, 0) + 1
        ranked = sorted(self.articles, key=lambda a: -counts[a.id])  # stable: ties keep the articles' order
        best, second = counts[ranked[0].id], counts[ranked[1].id]
        if 2 * best <= len(self.findings) or best == second:  # no clear odd one out (a tie names nobody)
            return None
        return ranked[0], best

    def about(self, article_ids: Sequence[str]) -> CompareReport:
        """This report narrowed to what involves ``article_ids`` (``focus``): their findings (with any article),
        near misses, disputed clusters and matrix cells; the article list and the claim and pair counts stay the
        whole corpus's, and the reports say which is which."""
        wanted = set(article_ids)
        ids = [a.id for a in self.articles]

        def touches(item: ArticleFinding) -> bool:
            return str(item.a.article) in wanted or str(item.b.article) in wanted

        return replace(self, findings=tuple(filter(touches, self.findings)),
                       within_findings=tuple(filter(touches, self.within_findings)),
                       near_misses=tuple(filter(touches, self.near_misses)),
                       clusters=tuple(c for c in self.clusters if any(str(m.claim.article) in wanted
                                                                          for m in c.members)),
                       conflicts=tuple(c for c in self.conflicts if ids[c[0]] in wanted or ids[c[1]] in wanted),
                       focus=tuple(article_ids))

    def pairs(self) -> list[ArticlePair]:
        """Findings grouped by article pair: the pair with the strongest finding first, ties by the number of
        findings (a reporter read two 80% changes over time before the 97% conflict because their pair had
        more findings)."""
        grouped: dict[tuple[str, str], list[ArticleFinding]] = defaultdict(list)
        order = {a.id: n for n, a in enumerate(self.articles)}
        for item in self.findings:
            left, right = sorted((str(item.a.article), str(item.b.article)), key=lambda x: order.get(x, 0))
            grouped[(left, right)].append(item)
        pairs = [ArticlePair(a, b, tuple(items)) for (a, b), items in grouped.items()]
        return sorted(pairs, key=lambda p: (-max(f.score for f in p.findings), -len(p.findings),
                                            order.get(p.article_a, 0), order.get(p.article_b, 0)))


def split_by_article(
    ranked: Sequence[Finding], settings: CompareSettings, wrap: Callable[[Finding], ArticleFinding]
) -> tuple[list[ArticleFinding], list[ArticleFinding], list[ArticleFinding]]:
    """Findings between articles, inside articles (``settings.within`` only) and near misses, in rank order."""
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
    return findings, within, near


def conflict_counts(items: Sequence[ArticleFinding], order: Mapping[str, int]) -> tuple[tuple[int, int, int], ...]:
    """(i, j, count), i <= j: how many findings are between the articles at positions i and j."""
    conflicts: dict[tuple[int, int], int] = defaultdict(int)
    for item in items:
        i, j = order[str(item.a.article)], order[str(item.b.article)]
        conflicts[(min(i, j), max(i, j))] += 1
    return tuple((i, j, n) for (i, j), n in sorted(conflicts.items()))


def fold_repeats(ranked: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
    """``ranked`` with every finding between the same two sentences as an earlier one left out (a syndicated copy
    of an article repeats each of its findings: an OSINT walk's corpus went from 7 findings to 10 with one
    reprint), the kept finding noting where else the two sentences stand; and those left out."""
    from consistency.text.claimhood import statement_key

    first: dict[tuple[str, ...], int] = {}
    kept: list[Finding] = []
    left_out: list[Finding] = []
    also: dict[int, list[str]] = defaultdict(list)
    for finding in ranked:
        key = tuple(sorted((statement_key(finding.a.text), statement_key(finding.b.text))))
        if key in first:
            where = sorted({str(finding.a.article), str(finding.b.article)})
            also[first[key]].append(" / ".join(where))
            left_out.append(finding)
            continue
        first[key] = len(kept)
        kept.append(finding)
    folded = [replace(f, notes=(*f.notes, f"the same two sentences also in {'; '.join(also[n])}")) if n in also
              else f for n, f in enumerate(kept)]
    return folded, left_out


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

    if settings.within:  # a digest's stories are checked each on its own, as check does (a store's pairs may
        # predate that: its claims know their story since store schema 4)
        scored = [f for f in scored if f.a.article != f.b.article or same_named_story(f.a, f.b)]
    names = {r.article.id: article_names(r.article.text, r.claims) for r in records}
    scored, hidden = discount_different_stories(scored, names, settings.different_stories_discount,
                                                settings.threshold)
    ranked, folded = fold_repeats(sorted(scored, key=lambda f: (-f.score, order.get(str(f.a.article), 0), f.a.start,
                                                                order.get(str(f.b.article), 0), f.b.start)))
    findings, within, near = split_by_article(ranked, settings, wrap)
    repeats = sum(1 for finding in folded if finding.score >= settings.threshold)  # findings left out as repeats
    conflicts = conflict_counts((*findings, *within), order)
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
        near_miss_margin=settings.near_miss_margin,
        conflicts=conflicts,
        clusters=tuple(claim_clusters(scored, settings.threshold, order)),
        claims=sum(len(r.claims) for r in records),
        pairs_checked=pairs_checked,
        threshold=settings.threshold,
        within=settings.within,
        claim_views=settings.scoring.views,
        models=dict(models or {}),
        timings=dict(timings or {}),
        problems=tuple(problems),
        texts={r.article.id: r.article.text for r in records},
        article_claims={r.article.id: r.claims for r in records},
        stats={"schema_version": SCHEMA_VERSION, **(stats or {}), **({"repeats_folded": repeats} if repeats else {}),
               **({"different_stories_discounted": hidden} if hidden else {})},
    )
