"""A second NLI model's opinion, blended into the first model's scores where the first sees a possible
contradiction (``--second-opinion accurate``).

The first model reads every input. Where it gives an input at least ``gate`` contradiction, the second model
reads that input too and the two probability triples are blended, ``(1 - weight) * first + weight * second``;
every other input keeps the first model's scores. Two models that err differently rarely agree on a false
alarm: with the built-in model first and the accurate model second, far fewer clean articles are flagged, at
the cost of some contradictions and of the sample article's tension (benchmarks/README.md, "A second
opinion"). Only the inputs past the gate cost the second model's time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from consistency.runtime.nli import NLIBackend, ProgressCallback
from consistency.types import NLIScores

# Chosen on the tune half of the evidence-rules pairs: the smallest weight of 0.2, 0.3, ..., 0.7 that flags at
# most 10% of the tune-side clean FRANK articles (benchmarks/README.md, "A second opinion").
SECOND_OPINION_WEIGHT = 0.4
# The first model's contradiction from which the second model reads an input: the second opinion reviews the
# first model's suspicions and never reopens what it dismissed; the pairs files of the evidence rules hold every
# direction from 0.3 up, so the weight was chosen on every direction the second model reads (there as the
# plain claims; the checker also gives it the claims' views).
SECOND_OPINION_GATE = 0.3


def blend(first: NLIScores, second: NLIScores, weight: float) -> NLIScores:
    """``(1 - weight) * first + weight * second``, label by label; ``opinions`` keeps each model's contradiction."""
    return NLIScores(
        entailment=(1 - weight) * first.entailment + weight * second.entailment,
        neutral=(1 - weight) * first.neutral + weight * second.neutral,
        contradiction=(1 - weight) * first.contradiction + weight * second.contradiction,
        opinions=(first.contradiction, second.contradiction),
    )


class SecondOpinionNLI(NLIBackend):
    """The ``first`` backend's scores, blended with the ``second``'s on the inputs the first gives at least
    ``gate`` contradiction (:func:`blend`). Device, dtype and window are the first model's."""

    def __init__(self, first: NLIBackend, second: NLIBackend, weight: float = SECOND_OPINION_WEIGHT,
                 gate: float = SECOND_OPINION_GATE) -> None:
        if not 0.0 < weight <= 1.0:
            raise ValueError(f"second-opinion weight {weight} is outside (0, 1]")
        self.first, self.second, self.weight, self.gate = first, second, weight, gate
        self.name = f"{first.name} + second opinion {second.name}"
        self.batch_size, self.device, self.dtype, self.max_length = (
            first.batch_size, first.device, first.dtype, first.max_length)

    @property
    def key(self) -> str:
        """Both models' keys and the blend: a store's verdicts from the first model alone are not reused."""
        return second_opinion_key(self.first.key, self.second.key, self.weight, self.gate)

    def predict(self, pairs: Sequence[tuple[str, str]], progress: ProgressCallback | None = None
                ) -> list[NLIScores]:
        """The first model's scores for every pair; the blend where the first reaches the gate."""
        scores = self.first.predict(pairs, progress=progress)
        asked = [i for i, s in enumerate(scores) if s.contradiction >= self.gate]
        if asked:
            for i, second in zip(asked, self.second.predict([pairs[i] for i in asked]), strict=True):
                scores[i] = blend(scores[i], second, self.weight)
        return scores

    def count_pieces(self, pairs: Sequence[tuple[str, str]]) -> int:
        """The first model's pieces (progress counts those; the second model's share is not known in advance)."""
        return self.first.count_pieces(pairs)

    def _predict_batch(self, payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        raise NotImplementedError("SecondOpinionNLI scores through predict(), which batches in each model")


def second_opinion_key(first_key: str, second_key: str, weight: float = SECOND_OPINION_WEIGHT,
                       gate: float = SECOND_OPINION_GATE) -> str:
    """The store key of a first model blended with a second (:class:`SecondOpinionNLI`)."""
    return f"{first_key}+second:{second_key}@w{weight:g}g{gate:g}"
