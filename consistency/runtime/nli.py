"""NLI backends: a small abstract base that owns batching, and the transformers implementation.

A backend turns (premise, hypothesis) pairs into :class:`NLIScores`. The base class sorts the work
by length, cuts it into batches (run longest, shortest, second longest, ...), calls the ONE abstract method
:meth:`NLIBackend._predict_batch`, and returns results in the caller's order. Pairs too long for the model's
window are split into overlapping pieces (never truncated) and the pieces' scores merged: a contradiction
found in any piece counts; entailment of a split hypothesis needs every part entailed.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consistency.errors import ModelError, first_line
from consistency.runtime.device import pick_device, quiet_loading, torch_dtype
from consistency.runtime.resolve import (
    ALLOW_DOWNLOAD_ENV,
    default_window,
    local_files_only,
    nli_model_key,
    nli_name,
    resolve_nli_model,
)
from consistency.types import Label, NLIScores

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class Piece:
    """One unit of model input: an owner pair index, which hypothesis part it covers, and the payload."""

    owner: int
    hypothesis_part: int
    payload: Any
    length: int


ProgressCallback = Callable[[int], None]


class NLIBackend(ABC):
    """Base class: batching, length sorting, order restoration and piece merging.

    A backend declares what it is: ``name``, ``key`` (its identity in the store), ``device``, ``dtype`` and
    ``max_length`` (its window in tokens); None where it has none (a fake on no device).
    """

    name: str = "nli"
    batch_size: int = 32
    device: str | None = None
    dtype: Any = None
    max_length: int | None = None

    @property
    def key(self) -> str:
        """The backend's identity in the store (a backend without model files: its name)."""
        return self.name

    def prepare(self, pairs: Sequence[tuple[str, str]]) -> list[Piece]:
        """Turn pairs into model inputs; override to split long pairs. Default: one piece per pair."""
        return [Piece(i, 0, pair, len(pair[0]) + len(pair[1])) for i, pair in enumerate(pairs)]

    @abstractmethod
    def _predict_batch(self, payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        """Return (entailment, neutral, contradiction) probabilities for each payload, in order."""

    def predict(
        self, pairs: Sequence[tuple[str, str]], progress: ProgressCallback | None = None
    ) -> list[NLIScores]:
        """Score every (premise, hypothesis) pair; results come back in the caller's order. ``progress`` is told
        the work done after each batch, in model inputs weighted by their padded length (a batch of long inputs
        counts for more), so a time estimate made on the first batches holds; the counts add up to the inputs."""
        check_pairs(pairs)
        if not pairs:
            return []
        pieces = self.prepare(pairs)
        order = sorted(range(len(pieces)), key=lambda i: pieces[i].length, reverse=True)
        batches = from_both_ends([order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)])
        costs = [len(batch) * max(1, max(pieces[i].length for i in batch)) for batch in batches]
        probabilities: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)] * len(pieces)
        done = reported = 0
        total = sum(costs)
        if progress is not None:
            progress(0)  # the inputs are tokenised: the measured work begins
        for batch, cost in zip(batches, costs, strict=True):
            for index, probs in zip(batch, self._predict_batch([pieces[i].payload for i in batch]), strict=True):
                probabilities[index] = probs
            done += cost
            if progress is not None:
                now = round(len(pieces) * done / total)
                progress(now - reported)
                reported = now
        return merge_pieces(pieces, probabilities, len(pairs))

    def count_pieces(self, pairs: Sequence[tuple[str, str]]) -> int:
        """How many model inputs ``pairs`` will take (for progress bars)."""
        return len(self.prepare(pairs))


def from_both_ends(batches: Sequence[list[int]]) -> list[list[int]]:
    """Batches of length-sorted inputs (longest first) in the order longest, shortest, second longest, ...: the
    longest still runs first (a memory error comes at once), and the time per input measured on the first
    batches is close to the average, so progress estimates are not twice too long."""
    out: list[list[int]] = []
    low, high = 0, len(batches) - 1
    while low <= high:
        out.append(batches[low])
        if high != low:
            out.append(batches[high])
        low, high = low + 1, high - 1
    return out


def check_pairs(pairs: Sequence[tuple[str, str]]) -> None:
    """A one-line TypeError unless ``pairs`` is a sequence of (premise, hypothesis) string pairs: one pair
    passed alone, or a string where a pair belongs, would otherwise be read letter by letter."""
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Sequence):
        raise TypeError(f"predict takes a list of (premise, hypothesis) pairs, not a {type(pairs).__name__}; "
                        "pass predict([(premise, hypothesis), ...])")
    for position, pair in enumerate(pairs):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
            shown = type(pair).__name__ if not isinstance(pair, (tuple, list)) else f"{type(pair).__name__} of " \
                f"{len(pair)} ({', '.join(type(t).__name__ for t in pair)})"
            raise TypeError(f"predict: pairs[{position}] is a {shown}, not a (premise, hypothesis) pair of strings; "
                            "pass predict([(premise, hypothesis), ...])")


def merge_pieces(
    pieces: Sequence[Piece], probabilities: Sequence[tuple[float, float, float]], n_pairs: int
) -> list[NLIScores]:
    """Merge piece scores per pair: max over premise windows, then contradiction = max and
    entailment = min over hypothesis parts; neutral takes the remaining mass."""
    per_part: list[dict[int, tuple[float, float]]] = [{} for _ in range(n_pairs)]
    for piece, (ent, _neu, con) in zip(pieces, probabilities, strict=True):
        best = per_part[piece.owner].get(piece.hypothesis_part, (0.0, 0.0))
        per_part[piece.owner][piece.hypothesis_part] = (max(best[0], ent), max(best[1], con))
    merged: list[NLIScores] = []
    for parts in per_part:
        ent = min(value[0] for value in parts.values())
        con = max(value[1] for value in parts.values())
        if ent + con > 1.0:  # both high in different windows: keep the contradiction, shrink entailment
            ent = 1.0 - con
        merged.append(NLIScores(entailment=ent, neutral=max(0.0, 1.0 - ent - con), contradiction=con))
    return merged


def label_indices(id2label: dict[int, str] | dict[str, str], model_name: str) -> dict[Label, int]:
    """Map the model's ``config.id2label`` onto our labels; fail clearly without a contradiction label."""
    found: dict[Label, int] = {}
    for raw_index, raw_label in id2label.items():
        name = str(raw_label).strip().lower()
        if name.startswith("not") or "non" in name.split("_")[0]:
            continue
        if "contradict" in name:
            found[Label.CONTRADICTION] = int(raw_index)
        elif "entail" in name:
            found[Label.ENTAILMENT] = int(raw_index)
        elif "neutral" in name:
            found[Label.NEUTRAL] = int(raw_index)
    labels = ", ".join(f"{k}={v}" for k, v in sorted(id2label.items(), key=lambda kv: int(kv[0])))
    if Label.CONTRADICTION not in found:
        raise ModelError(
            f"NLI model '{model_name}' has no contradiction label (config.id2label: {labels}); "
            "use a 3-way NLI model whose id2label names entailment, neutral and contradiction (rename them in "
            "its config.json where they are LABEL_0 ...)"
        )
    missing = [label.value for label in (Label.ENTAILMENT, Label.NEUTRAL) if label not in found]
    if missing:
        logger.warning("NLI model '%s' has no %s label (config.id2label: %s): it gives them probability 0, so "
                       "its 3-way accuracy says little", model_name, " or ".join(missing), labels)
    return found


def load_sequence_classifier(model_name: str, device: str, dtype: Any) -> tuple[Any, Any, dict[Label, int]]:
    """Load tokenizer and model for sequence classification, offline-friendly, with a one-line error, and the
    model's label indices (:func:`label_indices`), read from its config before the weights load: a model that
    is not an NLI model fails at once, without transformers' report on the weights it lacks."""
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    offline = local_files_only(model_name, "NLI model")  # a missing path or an uncached id fails here, at once
    path = Path(model_name).expanduser()
    if path.is_dir() and not (path / "config.json").is_file():
        raise ModelError(f"NLI model directory '{model_name}' has no config.json; pass a Hugging Face model directory")
    try:
        with quiet_loading():
            tokenizer = AutoTokenizer.from_pretrained(model_name, local_files_only=offline)
            indices = label_indices(AutoConfig.from_pretrained(model_name, local_files_only=offline).id2label,
                                    model_name)
            model = AutoModelForSequenceClassification.from_pretrained(model_name, dtype=dtype,
                                                                       local_files_only=offline)
    except (OSError, ValueError) as exc:
        hint = ("the download was allowed but failed: check the id and the network" if not offline else
                f"this tool downloads nothing unless {ALLOW_DOWNLOAD_ENV}=1")
        raise ModelError(
            f"cannot load NLI model '{model_name}': {first_line(exc)}; pass a local model directory or a Hugging Face "
            f"id that is in your cache ({hint})"
        ) from exc
    check_tokenizer(tokenizer, model.config, model_name)
    model.to(device)
    model.eval()
    return tokenizer, model, indices


TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "vocab.json", "spiece.model", "sentencepiece.bpe.model",
                   "tokenizer.model", "spm.model")


def check_tokenizer(tokenizer: Any, config: Any, model_name: str) -> None:
    """A one-line :class:`ModelError` when the tokenizer cannot be the model's own: a model directory without
    tokenizer files (transformers then builds an empty tokenizer that reads every word as unknown), or a
    tokenizer with fewer than half as many tokens as the model has token embeddings."""
    path = Path(model_name).expanduser()
    if path.is_dir() and not any((path / name).is_file() for name in TOKENIZER_FILES):
        shown = ", ".join(TOKENIZER_FILES[:3])
        raise ModelError(f"NLI model directory '{model_name}' has no tokenizer files ({shown}, ...); save the "
                         "model's tokenizer beside it: tokenizer.save_pretrained(DIR)")
    embeddings = int(getattr(config, "vocab_size", 0) or 0)
    if embeddings and len(tokenizer) < embeddings // 2:
        raise ModelError(f"NLI model '{model_name}': its tokenizer has {len(tokenizer)} tokens but the model has "
                         f"{embeddings} token embeddings, so the tokenizer is not the model's own; save the model's "
                         "tokenizer beside it: tokenizer.save_pretrained(DIR)")


class TransformersNLI(NLIBackend):
    """Any transformers sequence-classification NLI model, by Hugging Face id or local path."""

    def __init__(
        self,
        model: str | None = None,
        device: str | None = None,
        dtype: str | None = None,
        batch_size: int = 32,
        max_length: int | None = None,
        temperature: float | None = None,
    ) -> None:
        self.name = nli_name(model)
        self.model_name = resolve_nli_model(self.name)
        self.requested_max_length = max_length
        self.device = pick_device(device)
        self.dtype = torch_dtype(dtype, self.device)
        self.batch_size = batch_size
        self.tokenizer, self.model, self.indices = load_sequence_classifier(self.model_name, self.device, self.dtype)
        self._tokenizing = threading.Lock()
        window = max_length or default_window(getattr(self.tokenizer, "model_max_length", None))
        position_limit = int(getattr(self.model.config, "max_position_embeddings", window) or window)
        if max_length is not None and max_length > position_limit:
            raise ModelError(f"NLI max length {max_length} is longer than the {position_limit} positions of "
                             f"'{self.model_name}'; use at most {position_limit} (longer pairs are read in windows)")
        self.max_length = min(window, position_limit)
        self.temperature = float(
            temperature if temperature is not None else getattr(self.model.config, "consistency_temperature", 1.0)
        )

    @property
    def key(self) -> str:
        """Name, fingerprint of the model's files, and the window when one was asked for (the same key as
        :meth:`consistency.runtime.spec.ModelSpec.nli_key` gives before loading)."""
        return nli_model_key(self.name, self.model_name, self.requested_max_length)

    def prepare(self, pairs: Sequence[tuple[str, str]]) -> list[Piece]:
        """Tokenise; split pairs longer than the window into overlapping premise windows and hypothesis parts."""
        tokenizer = self.tokenizer
        # verbose=False: long texts are windowed below, so transformers' "longer than the maximum sequence
        # length ... indexing errors" warning would be a false alarm here.
        with self._tokenizing:  # the fast tokenizer keeps padding / truncation as shared state between calls
            premises = tokenizer([p for p, _ in pairs], add_special_tokens=False, verbose=False)["input_ids"]
            hypotheses = tokenizer([h for _, h in pairs], add_special_tokens=False, verbose=False)["input_ids"]
            encode_pair = _pair_encoder(tokenizer)
        special = tokenizer.num_special_tokens_to_add(pair=True)
        budget = self.max_length - special
        pieces: list[Piece] = []
        for owner, (premise, hypothesis) in enumerate(zip(premises, hypotheses, strict=True)):
            if len(premise) + len(hypothesis) <= budget:
                hyp_parts, prem_windows = [hypothesis], [premise]
            else:
                hyp_size = min(len(hypothesis), budget // 2)
                hyp_parts = _windows(hypothesis, hyp_size, overlap=0)
                prem_windows = _windows(premise, budget - hyp_size, overlap=(budget - hyp_size) // 4)
            for part_index, hyp in enumerate(hyp_parts):
                for window in prem_windows:
                    payload = encode_pair(window, hyp)
                    pieces.append(Piece(owner, part_index, payload, len(payload["input_ids"])))
        return pieces

    def _predict_batch(self, payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        import torch

        features = [dict(p) for p in payloads]
        if "token_type_ids" not in self.tokenizer.model_input_names:
            for feature in features:
                feature.pop("token_type_ids", None)
        with self._tokenizing:
            batch = self.tokenizer.pad(features, return_tensors="pt").to(self.device)
        with torch.inference_mode():
            logits = self.model(**batch).logits.float()
        probs = torch.softmax(logits / self.temperature, dim=-1).cpu()
        ent = self.indices.get(Label.ENTAILMENT)
        con = self.indices[Label.CONTRADICTION]
        rows: list[tuple[float, float, float]] = []
        for row in probs.tolist():
            e = row[ent] if ent is not None else 0.0
            c = row[con]
            rows.append((e, max(0.0, 1.0 - e - c), c))
        return rows


def _pair_encoder(tokenizer: Any) -> Callable[[list[int], list[int]], dict[str, list[int]]]:
    """Wrap two token-id lists in the tokenizer's special tokens, with token type ids.

    transformers 4 tokenizers have ``build_inputs_with_special_tokens``; transformers 5 fast tokenizers
    do not, so there the pair template is read off one encoded sample pair (``sequence_ids`` marks the texts).
    """
    if hasattr(tokenizer, "build_inputs_with_special_tokens"):

        def legacy(a: list[int], b: list[int]) -> dict[str, list[int]]:
            return {"input_ids": tokenizer.build_inputs_with_special_tokens(a, b),
                    "token_type_ids": tokenizer.create_token_type_ids_from_sequences(a, b)}

        return legacy
    sample = tokenizer("premise", "hypothesis")
    sample_types = sample.get("token_type_ids") or [0] * len(sample["input_ids"])
    template: list[tuple[int | None, int, int]] = []  # (sequence 0/1 or None, special token id, type id)
    previous: int | None = None
    for position, sequence in enumerate(sample.sequence_ids()):
        if sequence is None:
            template.append((None, sample["input_ids"][position], sample_types[position]))
        elif sequence != previous:
            template.append((sequence, -1, sample_types[position]))
        previous = sequence

    def from_template(a: list[int], b: list[int]) -> dict[str, list[int]]:
        ids: list[int] = []
        types: list[int] = []
        for sequence, token, type_id in template:
            part = [token] if sequence is None else (a if sequence == 0 else b)
            ids.extend(part)
            types.extend([type_id] * len(part))
        return {"input_ids": ids, "token_type_ids": types}

    return from_template


def _windows(ids: list[int], size: int, overlap: int) -> list[list[int]]:
    size = max(1, size)
    if len(ids) <= size:
        return [ids]
    step = max(1, size - overlap)
    out = [ids[start : start + size] for start in range(0, max(1, len(ids) - overlap), step)]
    return [w for w in out if w]

