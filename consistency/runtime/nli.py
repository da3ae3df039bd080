"""NLI backends: a small abstract base that owns batching, and the transformers implementation.

A backend turns (premise, hypothesis) pairs into :class:`NLIScores`. The base class sorts the work
by length, cuts it into batches, calls the ONE abstract method :meth:`NLIBackend._predict_batch`,
and returns results in the caller's order. Pairs too long for the model's window are split into
overlapping pieces (never truncated) and the pieces' scores merged: a contradiction found in any
piece counts; entailment of a split hypothesis needs every part entailed.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consistency.errors import ModelError, first_line
from consistency.types import Label, NLIScores

logger = logging.getLogger(__name__)

NLI_MODEL_ENV = "CONSISTENCY_NLI_MODEL"
BUILTIN_NLI_NAME = "builtin"
_BUILTIN_DIR_NAME = "consistency-nli-minilm-l6"


@dataclass(frozen=True)
class Piece:
    """One unit of model input: an owner pair index, which hypothesis part it covers, and the payload."""

    owner: int
    hypothesis_part: int
    payload: Any
    length: int


ProgressCallback = Callable[[int], None]


class NLIBackend(ABC):
    """Base class: batching, length sorting, order restoration and piece merging."""

    name: str = "nli"
    batch_size: int = 32

    def prepare(self, pairs: Sequence[tuple[str, str]]) -> list[Piece]:
        """Turn pairs into model inputs; override to split long pairs. Default: one piece per pair."""
        return [Piece(i, 0, pair, len(pair[0]) + len(pair[1])) for i, pair in enumerate(pairs)]

    @abstractmethod
    def _predict_batch(self, payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        """Return (entailment, neutral, contradiction) probabilities for each payload, in order."""

    def predict(
        self, pairs: Sequence[tuple[str, str]], progress: ProgressCallback | None = None
    ) -> list[NLIScores]:
        """Score every (premise, hypothesis) pair; results come back in the caller's order."""
        if not pairs:
            return []
        pieces = self.prepare(pairs)
        order = sorted(range(len(pieces)), key=lambda i: pieces[i].length, reverse=True)
        probabilities: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)] * len(pieces)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            for index, probs in zip(batch, self._predict_batch([pieces[i].payload for i in batch]), strict=True):
                probabilities[index] = probs
            if progress is not None:
                progress(len(batch))
        return merge_pieces(pieces, probabilities, len(pairs))

    def count_pieces(self, pairs: Sequence[tuple[str, str]]) -> int:
        """How many model inputs ``pairs`` will take (for progress bars)."""
        return len(self.prepare(pairs))


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
    if Label.CONTRADICTION not in found:
        labels = ", ".join(f"{k}={v}" for k, v in sorted(id2label.items(), key=lambda kv: int(kv[0])))
        raise ModelError(
            f"NLI model '{model_name}' has no contradiction label (config.id2label: {labels}); "
            "use a 3-way NLI model whose id2label names entailment, neutral and contradiction"
        )
    return found


def builtin_model_path() -> Path:
    """Where the shipped NLI model lives: inside the installed package, or in a source checkout."""
    here = Path(__file__).resolve().parent.parent  # the consistency package
    candidates = [here / "bundled_nli_model", here.parent / "models" / _BUILTIN_DIR_NAME]
    for candidate in candidates:
        if (candidate / "config.json").is_file():
            return candidate
    raise ModelError(
        "the built-in NLI model is missing from this installation (looked in "
        + ", ".join(str(c) for c in candidates)
        + "); reinstall with 'pip install .' from a checkout that has models/"
        + _BUILTIN_DIR_NAME
        + ", or pass --nli-model PATH"
    )


def resolve_nli_model(name: str | None) -> str:
    """Turn an option value (None, 'builtin', a local path, a Hugging Face id) into what to load."""
    name = name or os.environ.get(NLI_MODEL_ENV) or BUILTIN_NLI_NAME
    if name == BUILTIN_NLI_NAME:
        return str(builtin_model_path())
    return name


def pick_device(device: str | None) -> str:
    """``None``/'auto' picks cuda, then mps, then cpu, and logs the choice."""
    import torch

    if device in (None, "", "auto"):
        if torch.cuda.is_available():
            chosen = "cuda"
        elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            chosen = "mps"
        else:
            chosen = "cpu"
        logger.info("device: %s (auto)", chosen)
        return chosen
    if device not in ("cpu", "cuda", "mps") and not str(device).startswith("cuda:"):
        raise ModelError(f"unknown device '{device}'; use one of auto, cpu, cuda, cuda:N, mps")
    if str(device).startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"device '{device}' was asked for but torch sees no CUDA GPU; use --device cpu or auto")
    if device == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ModelError("device 'mps' was asked for but it is not available; use --device cpu or auto")
    return str(device)


def dtype_name(dtype: Any) -> str:
    """'float32' for torch.float32 and 'float32'; 'n/a' for None (a backend without a dtype, like a fake)."""
    if dtype is None:
        return "n/a"
    return str(dtype).removeprefix("torch.")


CPU_BF16_ENV = "CONSISTENCY_CPU_BF16"  # "1"/"0": force or forbid bfloat16 as the CPU's auto dtype


def cpu_has_fast_bfloat16() -> bool:
    """True on a CPU with AMX bfloat16 tiles (recent Intel Xeons), where the NLI model runs ~2.9x faster in
    bfloat16 at the same accuracy (benchmarks/README.md); elsewhere bfloat16 is slower than float32.
    ``CONSISTENCY_CPU_BF16=0`` or ``1`` overrides the detection."""
    forced = os.environ.get(CPU_BF16_ENV, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    try:
        import torch

        cpu = torch.cpu
        return bool(cpu._is_amx_tile_supported() and cpu._is_avx512_bf16_supported())
    except Exception:  # older torch without these probes, or another architecture
        return False


@functools.cache
def _log_auto_dtype_once(name: str) -> None:
    """Log the CPU's auto dtype once per process, not once per model loaded."""
    logger.info("dtype: %s (auto, CPU)", name)


def torch_dtype(dtype: str | None, device: str) -> Any:
    """Resolve a dtype name. ``auto``: float16 on a GPU; on the CPU bfloat16 where it has AMX
    (``cpu_has_fast_bfloat16``), else float32. fp16 on CPU is refused (slow and lossy)."""
    import torch

    table = {"float32": torch.float32, "fp32": torch.float32, "float16": torch.float16, "fp16": torch.float16,
             "bfloat16": torch.bfloat16, "bf16": torch.bfloat16}
    if dtype in (None, "", "auto"):
        if device != "cpu":
            return torch.float16
        chosen = torch.bfloat16 if cpu_has_fast_bfloat16() else torch.float32
        _log_auto_dtype_once(dtype_name(chosen))
        return chosen
    if dtype not in table:
        raise ModelError(f"unknown dtype '{dtype}'; use one of auto, float32, float16, bfloat16")
    if device == "cpu" and table[dtype] is torch.float16:
        raise ModelError("float16 is not supported on the CPU; use --dtype float32 or bfloat16 there")
    return table[dtype]


@contextmanager
def quiet_loading() -> Iterator[None]:
    """Hide transformers' per-tensor "Loading weights" progress bars and huggingface_hub's connection warnings
    ("... thrown while requesting HEAD https://huggingface.co/...", printed before the one-line error for an
    id that is not cached on an offline machine) while a model loads; the previous settings are restored."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    hub_logger = logging.getLogger("huggingface_hub")
    hub_level = hub_logger.level
    hub_logger.setLevel(max(logging.ERROR, hub_level))
    try:
        yield
    finally:
        hub_logger.setLevel(hub_level)
        if was_enabled:
            hf_logging.enable_progress_bar()


def load_sequence_classifier(model_name: str, device: str, dtype: Any) -> tuple[Any, Any]:
    """Load tokenizer and model for sequence classification, offline-friendly, with a one-line error."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    path = Path(model_name).expanduser()
    looks_like_path = model_name.startswith((".", "/", "~")) or path.exists()
    if looks_like_path and not path.exists():
        raise ModelError(f"NLI model path '{model_name}' does not exist; pass a model directory or a Hugging Face id")
    if path.is_dir() and not (path / "config.json").is_file():
        raise ModelError(f"NLI model directory '{model_name}' has no config.json; pass a Hugging Face model directory")
    try:
        with quiet_loading():
            tokenizer = AutoTokenizer.from_pretrained(model_name)
            model = AutoModelForSequenceClassification.from_pretrained(model_name, dtype=dtype)
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"cannot load NLI model '{model_name}': {first_line(exc)}; pass a local model directory or a Hugging Face "
            "id that is in your cache (this tool never downloads at run time unless your environment allows it)"
        ) from exc
    model.to(device)
    model.eval()
    return tokenizer, model


WINDOW_CAP = 512  # tokens: the longest default window (tokenizers without a limit report a huge number)


def default_window(model_max_length: Any) -> int:
    """The window a model reads pairs in when no ``max_length`` is given: its tokenizer's ``model_max_length``,
    at most ``WINDOW_CAP`` (``WINDOW_CAP`` when the tokenizer names none)."""
    return min(int(model_max_length or WINDOW_CAP), WINDOW_CAP)


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
        self.model_name = resolve_nli_model(model)
        self.device = pick_device(device)
        self.dtype = torch_dtype(dtype, self.device)
        self.batch_size = batch_size
        self.tokenizer, self.model = load_sequence_classifier(self.model_name, self.device, self.dtype)
        self.name = model or os.environ.get(NLI_MODEL_ENV) or BUILTIN_NLI_NAME
        self.indices = label_indices(self.model.config.id2label, self.model_name)
        window = max_length or default_window(getattr(self.tokenizer, "model_max_length", None))
        position_limit = int(getattr(self.model.config, "max_position_embeddings", window) or window)
        if max_length is not None and max_length > position_limit:
            raise ModelError(f"NLI max length {max_length} is longer than the {position_limit} positions of "
                             f"'{self.model_name}'; use at most {position_limit} (longer pairs are read in windows)")
        self.max_length = min(window, position_limit)
        self.temperature = float(
            temperature if temperature is not None else getattr(self.model.config, "consistency_temperature", 1.0)
        )

    def prepare(self, pairs: Sequence[tuple[str, str]]) -> list[Piece]:
        """Tokenise; split pairs longer than the window into overlapping premise windows and hypothesis parts."""
        tokenizer = self.tokenizer
        # verbose=False: long texts are windowed below, so transformers' "longer than the maximum sequence
        # length ... indexing errors" warning would be a false alarm here.
        premises = tokenizer([p for p, _ in pairs], add_special_tokens=False, verbose=False)["input_ids"]
        hypotheses = tokenizer([h for _, h in pairs], add_special_tokens=False, verbose=False)["input_ids"]
        special = tokenizer.num_special_tokens_to_add(pair=True)
        budget = self.max_length - special
        encode_pair = _pair_encoder(tokenizer)
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


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()
