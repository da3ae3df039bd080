"""Typed values that flow through the pipeline: claims, pairs, NLI scores, findings, reports."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from consistency.text.claimhood import statement_key

SCHEMA_VERSION = "1.9"  # 1.1: claim_views; 1.2: paragraphs counted from 1 (as in every format), nli_max_length a number
# 1.3: warnings (a non-English article); 1.4: a compare summary's focus (corpus check --article); 1.5: a check
# report's near_miss_margin (so that a saved report renders again as it was); 1.6: a claim's list_item; 1.7: an
# article dated from its file name (date_from "file name"), the code's version under models ("consistency"); 1.8:
# a compare summary's near_miss_margin; 1.9: a claim's story (a digest's item it belongs to), a report's read_as


class Label(StrEnum):
    """The three NLI labels."""

    ENTAILMENT = "entailment"
    NEUTRAL = "neutral"
    CONTRADICTION = "contradiction"


class FindingType(StrEnum):
    """What kind of contradiction a finding looks like (best effort, from the two claims' surface)."""

    NUMERIC = "numeric"
    DATE = "date"
    LOCATION = "location"
    NEGATION = "negation"
    ANTONYM = "antonym"
    OTHER = "other"


class Relation(StrEnum):
    """Who disagrees with whom."""

    SELF_CONTRADICTION = "self-contradiction"  # the article's own voice, or one speaker, against itself
    SOURCE_DISAGREEMENT = "source-disagreement"  # two different attributed speakers (or a speaker vs the article)


UNRESOLVED_PRONOUNS = frozenset("he she they it".split())


def speaker_name(speaker: str | None) -> str:
    """A claim's speaker as reports name it: as attributed, else the article's own voice; a pronoun the article did
    not resolve says so ("an unresolved “he”": two of them may be two people, a QA walk read "self-contradiction
    (he)")."""
    if speaker and speaker.lower() in UNRESOLVED_PRONOUNS:
        return f"an unresolved “{speaker}”"
    return speaker or "the article"


@dataclass(frozen=True)
class Claim:
    """One sentence of an article; ``text == article_text[start:end]`` always holds."""

    index: int
    text: str
    start: int
    end: int
    paragraph: int
    speaker: str | None = None
    hedged: bool = False
    article: str | None = None  # article id, set by cross-article comparison
    list_item: int | None = None  # the number of the numbered-list item the claim belongs to ("6. Manny starts ...")
    story: str | None = None  # a digest's story the claim belongs to, named by its marker ("Item 3"); "introduction"

    def to_dict(self) -> dict[str, Any]:
        """The claim as plain data for reports: ``paragraph`` counts from 1 there, as every report format does
        (the attribute is a 0-based index, like ``index``)."""
        return {**asdict(self), "paragraph": self.paragraph + 1}


@dataclass(frozen=True)
class SkippedSpan:
    """A piece of the input that is not a claim (metadata line, too long to classify, ...), with why."""

    text: str
    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Segmentation:
    """The claims of one text plus every span that was not turned into a claim."""

    claims: tuple[Claim, ...]
    skipped: tuple[SkippedSpan, ...] = ()


@dataclass(frozen=True)
class CandidatePair:
    """Two claim indices worth classifying, and why they were paired."""

    a: int
    b: int
    similarity: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class NLIScores:
    """Probabilities of the three labels for one (premise, hypothesis) direction.

    ``opinions``: where a second model's opinion was blended in (``--second-opinion``), the first and the
    second model's own contradiction probabilities, so that a finding can say who thought what.
    """

    entailment: float
    neutral: float
    contradiction: float
    opinions: tuple[float, float] | None = field(default=None, compare=False)

    @property
    def label(self) -> Label:
        best = max(
            (self.contradiction, Label.CONTRADICTION),
            (self.entailment, Label.ENTAILMENT),
            (self.neutral, Label.NEUTRAL),
            key=lambda item: item[0],
        )
        return best[1]

    def to_dict(self) -> dict[str, float]:
        """The three probabilities by label."""
        return {"entailment": self.entailment, "neutral": self.neutral, "contradiction": self.contradiction}


@dataclass(frozen=True)
class Finding:
    """A scored pair of claims that may contradict each other.

    ``score`` (0-1) is the mean of the two directions' calibrated contradiction probabilities, a->b and b->a
    (the larger one for two amounts of the same thing; one person's two ages in one article at least 0.9),
    then discounted where the evidence is weak: a hedged claim x0.75, two claims that share no content word or
    name and give no typed conflict x0.8, "nobody was hurt" against a count of casualties and a change over time
    (different days with opposite states) x0.5; each discount is named in ``notes`` with the raw score. It ranks
    pairs; it is not the chance that the finding is right (README, "Reading a score", has the per-band
    precision). ``reason`` says what conflicts ("numbers differ: 3 vs 7") and both directions' scores. See
    :mod:`consistency.scoring`.
    """

    a: Claim
    b: Claim
    score: float
    contradiction_ab: float
    contradiction_ba: float
    entailment_ab: float
    entailment_ba: float
    similarity: float
    type: FindingType
    relation: Relation
    reason: str
    notes: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """A stable id for the pair: 16 hex digits of a hash of its two claims' words (case and punctuation
        aside) and articles, in either order; the same pair has it in every run, report and order of inputs,
        and after an edit elsewhere in the article (an OSINT analyst diffing yesterday's findings had none)."""
        sides = sorted(f"{claim.article or ''}\x1f{statement_key(claim.text)}" for claim in (self.a, self.b))
        return hashlib.sha1("\x1e".join(sides).encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "score": round(self.score, 4),
            "contradiction_ab": round(self.contradiction_ab, 4),
            "contradiction_ba": round(self.contradiction_ba, 4),
            "entailment_ab": round(self.entailment_ab, 4),
            "entailment_ba": round(self.entailment_ba, 4),
            "similarity": round(self.similarity, 4),
            "type": self.type.value,
            "relation": self.relation.value,
            "reason": self.reason,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Report:
    """Everything ``consistency check`` knows about one article."""

    source: str
    text: str
    claims: tuple[Claim, ...]
    findings: tuple[Finding, ...]
    near_misses: tuple[Finding, ...]
    skipped: tuple[SkippedSpan, ...]
    pairs_checked: int
    pairs_possible: int
    threshold: float
    models: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    encoding: str = "utf-8"
    claim_views: bool = True  # claims were also read in views (False: whole claims only, --no-views)
    warnings: tuple[str, ...] = ()  # why the report may be incomplete (a non-English article: no pairs checked)
    near_miss_margin: float = 0.0  # how far below the threshold near misses were looked for (0: they were not)
    read_as: str | None = None  # how ``text`` differs from the file ("a web page's text, without markup"), if it does

    @property
    def near_misses_looked_for(self) -> bool:
        """Whether the check looked for near misses (``--all``): without it "0 near misses" would say none was
        close."""
        return bool(self.near_misses) or self.near_miss_margin > 0

    @property
    def stats(self) -> dict[str, int | None]:
        """The counts of the JSON report's ``stats``: claims, skipped spans, pairs checked and possible, findings,
        near misses (None: not looked for)."""
        return {"claims": len(self.claims), "skipped": len(self.skipped), "pairs_checked": self.pairs_checked,
                "pairs_possible": self.pairs_possible, "findings": len(self.findings),
                "near_misses": len(self.near_misses) if self.near_misses_looked_for else None}
