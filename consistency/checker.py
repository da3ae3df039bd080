"""The per-article pipeline: segment -> embed -> pair -> NLI (both directions) -> findings -> report.

Each stage is a plain function over records so that cross-article comparison and the benchmarks
reuse them; :class:`Checker` holds the models (loaded lazily) and the settings.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from consistency.pairing import PairingSettings, candidate_pairs
from consistency.runtime.embedding import Embedder, SentenceTransformerEmbedder
from consistency.runtime.nli import NLIBackend, TransformersNLI, dtype_name
from consistency.scoring import make_finding
from consistency.text.clauses import MAX_VIEWS, resolve_leading_pronoun, split_clauses, strip_attribution
from consistency.text.segment import segment
from consistency.text.textio import check_text_argument, read_article
from consistency.types import CandidatePair, Claim, Finding, NLIScores, Report

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
NEAR_MISS_MARGIN = 0.2
PROGRESS_MIN_PIECES = 256


@dataclass(frozen=True)
class CheckSettings:
    """Decision settings. ``threshold`` applies to the calibrated contradiction score."""

    threshold: float = DEFAULT_THRESHOLD
    near_miss_margin: float = NEAR_MISS_MARGIN
    pairing: PairingSettings = field(default_factory=PairingSettings)
    claim_views: bool = True  # also read claims in shorter views (see nli_views); False: ~3x fewer NLI inputs


def score_pairs(
    claims: Sequence[Claim],
    pairs: Sequence[CandidatePair],
    nli: NLIBackend,
    progress: bool = False,
    claim_views: bool = True,
) -> list[Finding]:
    """Classify each pair in both directions and turn it into a (possibly low-scoring) finding.

    ``pair.a`` / ``pair.b`` are positions in ``claims``. Each claim is read in all its views
    (:func:`nli_views`; only :func:`nli_text` when ``claim_views`` is false); per direction the most
    contradictory combination counts.
    """
    read = nli_views if claim_views else (lambda cs, i, partner=None: (nli_text(cs, i, partner),))
    views: dict[tuple[int, int], tuple[str, ...]] = {}
    for pair in pairs:
        views.setdefault((pair.a, pair.b), read(claims, pair.a, partner=pair.b))
        views.setdefault((pair.b, pair.a), read(claims, pair.b, partner=pair.a))
    view_pairs = [(views[(p.a, p.b)], views[(p.b, p.a)]) for p in pairs]
    inputs = view_inputs(view_pairs)
    with _progress_bar(nli, inputs, enabled=progress) as update:
        directions = best_of_views(view_pairs, nli, progress=update, inputs=inputs)
    return [make_finding(claims[p.a], claims[p.b], p, forward, backward)
            for p, (forward, backward) in zip(pairs, directions, strict=True)]


def view_inputs(view_pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[tuple[str, str]]:
    """The distinct (premise, hypothesis) texts that :func:`best_of_views` classifies, in order."""
    seen: dict[tuple[str, str], None] = {}
    for a_views, b_views in view_pairs:
        for a in a_views:
            for b in b_views:
                seen.setdefault((a, b))
                seen.setdefault((b, a))
    return list(seen)


def best_of_views(
    view_pairs: Sequence[tuple[Sequence[str], Sequence[str]]],
    nli: NLIBackend,
    progress: Callable[[int], None] | None = None,
    inputs: Sequence[tuple[str, str]] | None = None,
) -> list[tuple[NLIScores, NLIScores]]:
    """For each (views of a, views of b): the a->b and b->a scores of the most contradictory combination
    of views. Every distinct text pair is classified once, in one batched call; ``inputs`` is
    ``view_inputs(view_pairs)`` when the caller already has it."""
    inputs = view_inputs(view_pairs) if inputs is None else inputs
    scores = dict(zip(inputs, nli.predict(inputs, progress=progress), strict=True)) if inputs else {}
    out = []
    for a_views, b_views in view_pairs:
        forward = max((scores[(a, b)] for a in a_views for b in b_views), key=lambda s: s.contradiction)
        backward = max((scores[(b, a)] for a in a_views for b in b_views), key=lambda s: s.contradiction)
        out.append((forward, backward))
    return out


def nli_views(claims: Sequence[Claim], position: int, partner: int | None = None) -> tuple[str, ...]:
    """What the NLI model reads for a claim: :func:`nli_text` first, then the claim with its leading
    pronoun resolved and its closing attribution removed ('"He is not on the territory of Belarus," he
    said.' -> "Prigozhin is not on the territory of Belarus.") and its coordinated clauses
    (:mod:`consistency.text.clauses`), at most ``MAX_VIEWS``."""
    first = nli_text(claims, position, partner)
    resolved = resolve_leading_pronoun(claims, position)
    plain = strip_attribution(resolved or claims[position].text)
    views = [first, plain]
    views.extend(split_clauses(plain))
    return tuple(dict.fromkeys(views))[:MAX_VIEWS]


_PRONOUN_START = re.compile(r"^[\W_]*(he|she|it|they|his|her|its|their|this|these|those|we|i)\b", re.IGNORECASE)


def nli_text(claims: Sequence[Claim], position: int, partner: int | None = None) -> str:
    """What the NLI model reads for a claim: the claim, preceded by the previous sentence of the same
    paragraph when it opens with a pronoun ("He is not on the territory of Belarus"), so that the model
    knows who "he" is; not when that previous sentence is the ``partner`` it is compared with. The
    claim's own text and offsets are unchanged."""
    claim = claims[position]
    if position > 0 and position - 1 != partner and _PRONOUN_START.match(claim.text):
        previous = claims[position - 1]
        if previous.article == claim.article and previous.paragraph == claim.paragraph:
            return f"{previous.text} {claim.text}"
    return claim.text


def split_findings(
    findings: Sequence[Finding], threshold: float, margin: float
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Findings at or above the threshold, and near misses within ``margin`` below it; both sorted by score."""
    ranked = sorted(findings, key=lambda f: (-f.score, f.a.start, f.b.start))
    above = tuple(f for f in ranked if f.score >= threshold)
    near = tuple(f for f in ranked if threshold - margin <= f.score < threshold)
    return above, near


@contextmanager
def _progress_bar(
    nli: NLIBackend, inputs: Sequence[tuple[str, str]], enabled: bool
) -> Iterator[Callable[[int], None] | None]:
    if not enabled or len(inputs) < PROGRESS_MIN_PIECES:
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=nli.count_pieces(inputs), desc="NLI", unit="pair", file=sys.stderr, mininterval=1.0)
    try:
        yield bar.update
    finally:
        bar.close()


class Checker:
    """Checks articles for claims that contradict each other.

    >>> report = Checker().check(text)            # doctest: +SKIP
    >>> print(report.to_text())                   # doctest: +SKIP

    Models load on first use. Pass ``nli`` / ``embedder`` backends to bring your own (tests use fakes).
    """

    def __init__(
        self,
        nli_model: str | None = None,
        embedding_model: str | None = None,
        *,
        device: str | None = None,
        dtype: str | None = None,
        batch_size: int = 32,
        nli_max_length: int | None = None,
        settings: CheckSettings | None = None,
        nli: NLIBackend | None = None,
        embedder: Embedder | None = None,
        progress: bool = False,
    ) -> None:
        self.nli_model = nli_model
        self.embedding_model = embedding_model
        self.device = device
        self.dtype = dtype
        self.batch_size = batch_size
        self.nli_max_length = nli_max_length
        self.settings = settings or CheckSettings()
        self.progress = progress
        self._nli = nli
        self._embedder = embedder

    @property
    def nli(self) -> NLIBackend:
        if self._nli is None:
            self._nli = TransformersNLI(self.nli_model, device=self.device, dtype=self.dtype,
                                        batch_size=self.batch_size, max_length=self.nli_max_length)
        return self._nli

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = SentenceTransformerEmbedder(self.embedding_model, device=self.device, dtype=self.dtype)
        return self._embedder

    def load(self) -> None:
        """Load both models now, the NLI model first: a wrong ``--nli-model`` fails before the embedder's
        load time is spent."""
        _ = self.nli, self.embedder

    def model_names(self) -> dict[str, str]:
        """The models a report was made with, and their dtypes where they have one (``nli_dtype``,
        ``embedding_dtype``: bfloat16 and float32 scores differ by up to a point, so a report says which)."""
        names = {"nli": self.nli.name, "embedding": self.embedder.name}
        dtype = getattr(self.nli, "dtype", None)
        if dtype is not None:
            names["nli_dtype"] = dtype_name(dtype)
        max_length = getattr(self.nli, "max_length", None)
        if max_length is not None:
            names["nli_max_length"] = str(max_length)
        embedding_dtype = getattr(self.embedder, "dtype", None)
        if embedding_dtype is not None:
            names["embedding_dtype"] = dtype_name(embedding_dtype)
        return names

    def check(self, text: str, source: str = "<text>", encoding: str = "utf-8") -> Report:
        """Check one article's text; raises :class:`~consistency.errors.InputError` for empty input."""
        check_text_argument(text, source)
        self.load()
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        segmentation = segment(text)
        claims = segmentation.claims
        timings["segment"] = time.perf_counter() - clock

        clock = time.perf_counter()
        vectors = self.embedder.embed([c.text for c in claims]) if claims else np.zeros((0, 0), dtype=np.float32)
        timings["embed"] = time.perf_counter() - clock

        clock = time.perf_counter()
        pairs = candidate_pairs(claims, vectors, self.settings.pairing)
        timings["pair"] = time.perf_counter() - clock

        clock = time.perf_counter()
        scored = score_pairs(claims, pairs, self.nli, progress=self.progress,
                             claim_views=self.settings.claim_views)
        timings["nli"] = time.perf_counter() - clock

        clock = time.perf_counter()
        findings, near = split_findings(scored, self.settings.threshold, self.settings.near_miss_margin)
        n = len(claims)
        report = Report(
            source=source,
            text=text,
            claims=claims,
            findings=findings,
            near_misses=near,
            skipped=segmentation.skipped,
            pairs_checked=len(pairs),
            pairs_possible=n * (n - 1) // 2,
            threshold=self.settings.threshold,
            models=self.model_names(),
            timings=timings,
            encoding=encoding,
            claim_views=self.settings.claim_views,
        )
        timings["report"] = time.perf_counter() - clock
        return report

    def check_file(self, path: str | Path) -> Report:
        """Read ``path`` (``-`` for stdin; non-UTF-8 encodings are detected) and check it."""
        text, encoding = read_article(path)
        source = "<stdin>" if str(path) == "-" else str(path)
        return self.check(text, source=source, encoding=encoding)
