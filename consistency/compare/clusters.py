"""Clusters of claims: which articles agree about one thing and which dissent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from consistency.types import Claim, Finding

CLUSTER_MIN_SIMILARITY = 0.6  # a verdict joins two claims in a cluster only when they are this similar


@dataclass(frozen=True)
class ClusterMember:
    """One claim in a cluster and which side it is on (0: the anchor's side, 1: against it)."""

    claim: Claim
    side: int

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.claim.article, "index": self.claim.index, "text": self.claim.text,
                "start": self.claim.start, "end": self.claim.end, "paragraph": self.claim.paragraph + 1,
                "speaker": self.claim.speaker, "story": self.claim.story, "side": self.side}


@dataclass(frozen=True)
class ClaimCluster:
    """Claims of several articles about the same thing, joined by contradiction and entailment verdicts.

    ``agree`` are the articles on the majority side (ties: the anchor claim's side), ``dissent`` those whose
    claims contradict a claim on that side (a finding between them), ``both`` articles with claims of each
    kind. ``consistent`` is False when the verdicts cannot be split into two sides (for example A contradicts
    B, B contradicts C, C contradicts A).
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


Key = tuple[str, int]  # (article id, claim index)
Adjacency = dict[Key, list[tuple[Key, bool]]]  # claim -> (other claim, contradicts)


def claim_key(claim: Claim) -> Key:
    return str(claim.article), claim.index


def _across(f: Finding, threshold: float) -> bool:
    """Whether a finding is a contradiction between two articles (its score at or above ``threshold``)."""
    return f.a.article != f.b.article and f.score >= threshold


def verdict_edges(scored: Sequence[Finding], threshold: float) -> list[tuple[Claim, Claim, bool]]:
    """(a, b, contradicts) for every verdict between similar claims of different articles: a contradiction
    (a finding), or an agreement, which needs entailment both ways (the claims say the same thing). One-way
    entailments chained unrelated disputes into one cluster ("not in Belarus" -> "has not commented on his
    whereabouts" <- "Putin has not met Prigozhin": the meeting landed on the Belarus side)."""
    edges = []
    for f in scored:
        if f.a.article == f.b.article or f.similarity < CLUSTER_MIN_SIMILARITY:
            continue
        if _across(f, threshold):
            edges.append((f.a, f.b, True))
        elif min(f.entailment_ab, f.entailment_ba) >= threshold:
            edges.append((f.a, f.b, False))
    return edges


def connected(edges: Sequence[tuple[Claim, Claim, bool]]) -> tuple[dict[Key, Claim], Adjacency, list[list[Key]]]:
    """The claims, their adjacency and the connected components (union-find), in first-seen order."""
    parent: dict[Key, Key] = {}

    def find(x: Key) -> Key:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    claims: dict[Key, Claim] = {}
    adjacency: Adjacency = defaultdict(list)
    for a, b, contradicts in edges:
        ka, kb = claim_key(a), claim_key(b)
        claims[ka], claims[kb] = a, b
        adjacency[ka].append((kb, contradicts))
        adjacency[kb].append((ka, contradicts))
        parent[find(ka)] = find(kb)
    components: dict[Key, list[Key]] = defaultdict(list)
    for key in claims:
        components[find(key)].append(key)
    return claims, adjacency, list(components.values())


def add_inner_contradictions(scored: Sequence[Finding], threshold: float, adjacency: Adjacency,
                             components: Sequence[Sequence[Key]]) -> None:
    """Add to ``adjacency`` the contradictions between two claims of one component that the similarity bar kept
    from joining it, so that the sides take them into account: three articles that each contradict the other
    two were shown as two that "agree" against the third (the 1 July / 15 commanders and the 29 June / 35 people
    claims on one side)."""
    component_of = {key: n for n, members in enumerate(components) for key in members}
    for f in scored:
        if not _across(f, threshold):
            continue
        ka, kb = claim_key(f.a), claim_key(f.b)
        if ka in component_of and component_of[ka] == component_of.get(kb) and (kb, True) not in adjacency[ka]:
            adjacency[ka].append((kb, True))
            adjacency[kb].append((ka, True))


def two_sides(members: Sequence[Key], anchor: Key, adjacency: Adjacency) -> tuple[dict[Key, int], bool]:
    """Each member's side (the anchor's is 0; a contradiction flips it) and whether the verdicts agree."""
    member_set = set(members)
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
    return side, consistent


def _side_count(members: Sequence[Key], side: Mapping[Key, int], which: int) -> int:
    """How many articles have claims only on side ``which`` (the majority side becomes ``agree``)."""
    sides_of: dict[str, set[int]] = defaultdict(set)
    for key in members:
        sides_of[key[0]].add(side[key])
    return sum(1 for sides in sides_of.values() if sides == {which})


def make_cluster(members: Sequence[Key], claims: Mapping[Key, Claim], adjacency: Adjacency,
                 position: Callable[[Key], tuple[int, int]], order: Mapping[str, int]) -> ClaimCluster | None:
    """One component as a cluster (None without a contradiction): the majority side is ``agree``. A claim on
    the other side is shown (and its article listed as ``dissent``) only when a contradiction joins it to a
    claim on the majority side; one that merely entails a dissenting claim is left out."""
    contradictions = sum(1 for k in members for _, c in adjacency[k] if c) // 2
    if contradictions == 0:
        return None
    agreements = sum(1 for k in members for _, c in adjacency[k] if not c) // 2
    def headline_rank(k: Key) -> tuple[int, int, tuple[int, int]]:  # most contradictions, then most verdicts
        return -sum(c for _, c in adjacency[k]), -len(adjacency[k]), position(k)

    anchor = min(members, key=headline_rank)
    side, consistent = two_sides(members, anchor, adjacency)
    if _side_count(members, side, 1) > _side_count(members, side, 0):
        side = {k: 1 - v for k, v in side.items()}
        # the headline is a claim of the majority side (after a replaced article, the best-connected claim
        # was on the other side: "Prigozhin is not in Belarus" headed a cluster that agrees he is)
        anchor = min((k for k in members if side[k] == 0), key=headline_rank)
    shown = [k for k in members if side[k] == 0 or any(c and side[n] == 0 for n, c in adjacency[k])]
    sides_of: dict[str, set[int]] = defaultdict(set)
    for key in shown:
        sides_of[key[0]].add(side[key])
    articles = sorted(sides_of, key=lambda a: order.get(a, 0))
    zero = [a for a in articles if sides_of[a] == {0}]
    one = [a for a in articles if sides_of[a] == {1}]
    both = [a for a in articles if len(sides_of[a]) == 2]
    ordered = sorted(shown, key=lambda k: (side[k], position(k)))
    return ClaimCluster(
        id=0, about=claims[anchor].text,
        members=tuple(ClusterMember(claims[k], side[k]) for k in ordered),
        agree=tuple(zero), dissent=tuple(one), both=tuple(both),
        contradictions=contradictions, agreements=agreements, consistent=consistent,
    )


def claim_clusters(
    scored: Sequence[Finding], threshold: float, order: Mapping[str, int] | None = None
) -> list[ClaimCluster]:
    """Group claims of different articles that are about the same thing (cosine >= ``CLUSTER_MIN_SIMILARITY``)
    and joined by a verdict: a contradiction (score >= threshold) puts two claims on opposite sides, an
    entailment in either direction (>= threshold) on the same side. The similarity bar keeps a chain of
    loose verdicts from merging unrelated claims into one cluster; a contradiction below it is still a
    finding, it just does not join a cluster, though between two claims of one cluster it counts for the sides.
    Only groups with at least one contradiction are returned (they show who agrees and who dissents),
    largest first."""
    order = order or {}

    def position(key: Key) -> tuple[int, int]:
        return order.get(key[0], 0), key[1]

    claims, adjacency, components = connected(verdict_edges(scored, threshold))
    add_inner_contradictions(scored, threshold, adjacency, components)
    clusters = [c for members in components
                if (c := make_cluster(members, claims, adjacency, position, order)) is not None]
    clusters.sort(key=lambda c: (-(len(c.agree) + len(c.dissent) + len(c.both)), -c.contradictions,
                                 position(claim_key(c.members[0].claim))))
    return [replace(c, id=n) for n, c in enumerate(clusters, start=1)]
