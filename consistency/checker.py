"""The per-article pipeline: segment -> embed -> pair -> NLI (both directions) -> findings -> report.

Each stage is a plain function over records so that cross-article comparison and the benchmarks
reuse them; :class:`Checker` holds the models (loaded lazily) and the settings.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from consistency.build_info import code_version
from consistency.defaults import DEFAULT_BATCH_SIZE, DEFAULT_THRESHOLD, NEAR_MISS_MARGIN, check_fraction
from consistency.pairing import PairingSettings, candidate_pairs
from consistency.progress import Progress
from consistency.runtime.device import dtype_name
from consistency.runtime.embedding import Embedder
from consistency.runtime.nli import NLIBackend
from consistency.runtime.second_opinion import SecondOpinionNLI
from consistency.runtime.spec import ModelSpec
from consistency.scoring import ScoringSettings, score_pairs
from consistency.text.language import DEFAULT_LANG_CHECK, check_language, foreign_sentences_message
from consistency.text.segment import segment
from consistency.text.stories import pairs_within_stories, same_named_story, stories_message, stories_of
from consistency.text.textio import check_text_argument, read_article_as
from consistency.types import CandidatePair, Claim, Finding, Report, Segmentation

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class CheckSettings:
    """Decision settings. ``threshold`` applies to the calibrated contradiction score."""

    threshold: float = DEFAULT_THRESHOLD
    near_miss_margin: float = NEAR_MISS_MARGIN
    pairing: PairingSettings = field(default_factory=PairingSettings)
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    lang_check: str = DEFAULT_LANG_CHECK  # a non-English article: "warn" (no pairs), "error" or "off"

    def __post_init__(self) -> None:
        object.__setattr__(self, "threshold", check_fraction("threshold", self.threshold))
        object.__setattr__(self, "near_miss_margin", check_fraction("near_miss_margin", self.near_miss_margin))

    @property
    def claim_views(self) -> bool:
        """Claims are also read in shorter views (``scoring.views``)."""
        return self.scoring.views


def split_findings(
    findings: Sequence[Finding], threshold: float, margin: float
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Findings at or above the threshold, and near misses within ``margin`` below it; both sorted by score."""
    ranked = sorted(findings, key=lambda f: (-f.score, f.a.start, f.b.start))
    above = tuple(f for f in ranked if f.score >= threshold)
    near = tuple(f for f in ranked if threshold - margin <= f.score < threshold)
    return above, near


def nli_names(nli: NLIBackend) -> dict[str, str]:
    """The NLI model as a report names it: ``nli``, ``nli_key`` (the name with a fingerprint of its files), and
    ``nli_dtype`` / ``nli_max_length`` (its window) where the backend has them."""
    names = {"nli": nli.name}
    if nli.key != nli.name:  # a fingerprint of the weights: which model files scored (a retrained model differs)
        names["nli_key"] = nli.key
    if nli.dtype is not None:
        names["nli_dtype"] = dtype_name(nli.dtype)
    if nli.max_length is not None:
        names["nli_max_length"] = str(nli.max_length)
    return names


class Checker:
    """Checks articles for claims that contradict each other.

    >>> report = Checker().check(text)            # doctest: +SKIP
    >>> print(render(report, "text"))             # doctest: +SKIP

    Models load on first use. Pass ``nli`` / ``embedder`` backends to bring your own (tests use fakes).
    """

    def __init__(
        self,
        nli_model: str | None = None,
        embedding_model: str | None = None,
        *,
        device: str | None = None,
        dtype: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        nli_max_length: int | None = None,
        settings: CheckSettings | None = None,
        nli: NLIBackend | None = None,
        embedder: Embedder | None = None,
        progress: bool = False,
        spec: ModelSpec | None = None,
        second_opinion: str | None = None,
        threshold: float | None = None,
    ) -> None:
        """``spec`` (or the model options it is made of) says which models to load on first use;
        ``second_opinion``: an NLI model blended in where the first sees a possible contradiction
        (:mod:`consistency.runtime.second_opinion`); ``threshold``: the report threshold, as
        ``CheckSettings(threshold=...)`` sets it (a user's ``Checker(threshold=0.6)`` was refused)."""
        self.spec = spec or ModelSpec(nli_model, embedding_model, device, dtype, batch_size, nli_max_length,
                                      second_opinion)
        self.settings = settings or CheckSettings()
        if threshold is not None:
            self.settings = replace(self.settings, threshold=threshold)  # checked as CheckSettings checks it
        self.progress = progress
        self._nli = nli
        self._embedder = embedder
        self._loading = threading.Lock()  # threads that share a checker load each model once

    @property
    def nli(self) -> NLIBackend:
        if self._nli is None:
            with self._loading:
                if self._nli is None:
                    self._nli = self.spec.load_nli()
        return self._nli

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            with self._loading:
                if self._embedder is None:
                    self._embedder = self.spec.load_embedder()
        return self._embedder

    def nli_key(self) -> str:
        """The NLI model's identity in the store: the loaded backend's key, else the spec's (without loading)."""
        return self._nli.key if self._nli is not None else self.spec.nli_key()

    def nli_name(self) -> str:
        """The NLI model's name as reports give it: the loaded backend's, else the spec's (without loading)."""
        return self._nli.name if self._nli is not None else self.spec.nli_name

    def embedding_name(self) -> str:
        """The embedding model's name as reports give it: the loaded backend's, else the spec's."""
        return self._embedder.name if self._embedder is not None else self.spec.embedding_name

    def embedding_key(self) -> str:
        """The embedding model's identity in the store: the loaded backend's key, else the spec's."""
        return self._embedder.key if self._embedder is not None else self.spec.embedding_key()

    def load(self) -> None:
        """Load both models now, the NLI model first: a wrong ``--nli-model`` fails before the embedder's
        load time is spent."""
        _ = self.nli, self.embedder

    def second_opinion_name(self) -> str | None:
        """The NLI model blended in as a second opinion: the loaded backend's, else the spec's (None: none)."""
        if self._nli is not None:
            return self._nli.second.name if isinstance(self._nli, SecondOpinionNLI) else None
        return self.spec.second_opinion

    def model_names(self) -> dict[str, str]:
        """The models a report was made with, and their dtypes where they have one (``nli_dtype``,
        ``embedding_dtype``: bfloat16 and float32 scores differ by up to a point, so a report says which), and
        ``nli_second_opinion`` where a second NLI model was blended in."""
        names = {**nli_names(self.nli), "embedding": self.embedder.name}
        names["consistency"] = code_version()  # the code, too: a saved report names what made it
        second = self.second_opinion_name()
        if second is not None:
            names["nli_second_opinion"] = second
        if self.embedder.dtype is not None:
            names["embedding_dtype"] = dtype_name(self.embedder.dtype)
        return names

    def check(self, text: str, source: str = "<text>", encoding: str = "utf-8", read_as: str | None = None) -> Report:
        """Check one article's text: segment it into claims (what is not a claim goes to ``Report.skipped`` with
        its reason), pair them (every pair below ``PairingSettings.all_pairs_below`` claims, else neighbours and
        claims sharing a name or number slot), score each pair in both directions (:class:`Finding` says how)
        and keep those at or above the threshold as ``findings``, those within the near-miss margin below it as
        ``near_misses``. A non-English text gets a warning and no pairs (``CheckSettings.lang_check``); ``read_as``
        (:func:`~consistency.text.textio.read_article_as`) says how ``text`` differs from its file. Raises
        :class:`~consistency.errors.InputError` for empty input, ``TypeError`` for a text that is not a str."""
        check_text_argument(text, source)
        warning = check_language(text, source, self.settings.lang_check)  # "error" raises InputError
        if warning is not None:
            logger.info("%s", warning)  # the report carries it (Report.warnings); the CLI shows it once
        self.load()
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        with Progress("segmenting", len(text), "characters", enabled=self.progress) as shown:
            # one step: its end line says how long a huge input took; a sentence in another language is skipped
            # unless the whole article is one (the warning says so) or the check is off
            segmentation = segment(text, english_only=self.settings.lang_check != "off" and warning is None)
            shown.update(len(text))
        claims = segmentation.claims
        timings["segment"] = time.perf_counter() - clock

        clock = time.perf_counter()
        vectors = (self.embedder.embed([c.text for c in claims], progress=self.progress) if claims and warning is None
                   else np.zeros((0, 0), dtype=np.float32))
        timings["embed"] = time.perf_counter() - clock

        clock = time.perf_counter()
        starts, stories, claims = stories_of(claims, text)  # a digest's: claims of two stories are not paired
        pairs = self._pairs(claims, vectors, by_story=bool(starts)) if warning is None else []
        timings["pair"] = time.perf_counter() - clock

        clock = time.perf_counter()
        scored = score_pairs(claims, pairs, self.nli, self.settings.scoring, progress=self.progress)
        timings["nli"] = time.perf_counter() - clock

        clock = time.perf_counter()
        findings, near = split_findings(scored, self.settings.threshold, self.settings.near_miss_margin)
        report = Report(
            source=source,
            text=text,
            claims=claims,
            findings=findings,
            near_misses=near,
            skipped=segmentation.skipped,
            pairs_checked=len(pairs),
            pairs_possible=pairs_within_stories(stories),
            threshold=self.settings.threshold,
            models=self.model_names(),
            timings=timings,
            encoding=encoding,
            claim_views=self.settings.claim_views,
            warnings=self._warnings(warning, segmentation, source)
            + ((stories_message(starts, text, source),) if starts and claims else ()),
            near_miss_margin=self.settings.near_miss_margin,
            read_as=read_as,
        )
        timings["report"] = time.perf_counter() - clock
        return report

    def _pairs(self, claims: Sequence[Claim], vectors: np.ndarray, by_story: bool) -> list[CandidatePair]:
        """The candidate pairs; ``by_story`` (a digest, its claims named by story): only pairs within one story."""
        allowed = (lambda i, j: same_named_story(claims[i], claims[j])) if by_story else None
        return candidate_pairs(claims, vectors, self.settings.pairing, allowed=allowed)

    @staticmethod
    def _warnings(language: str | None, segmentation: Segmentation, source: str) -> tuple[str, ...]:
        """The report's warnings: the article's language, else its sentences in another language (if any)."""
        if language is not None:
            return (language,)
        message = foreign_sentences_message(segmentation.skipped, source)
        return () if message is None else (message,)

    def check_file(self, path: str | Path) -> Report:
        """Read ``path`` (``-`` for stdin; non-UTF-8 encodings are detected) and check it."""
        text, encoding, read_as = read_article_as(path)
        source = "<stdin>" if str(path) == "-" else str(path)
        return self.check(text, source=source, encoding=encoding, read_as=read_as)
