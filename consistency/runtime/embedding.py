"""Sentence embedders: an abstract base and the sentence-transformers implementation (offline default)."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consistency.errors import ModelError, first_line
from consistency.runtime.resolve import embedding_name, local_files_only, model_key, resolve_embedding_model

logger = logging.getLogger(__name__)



class Embedder(ABC):
    """Turns texts into L2-normalised vectors (rows), in the caller's order."""

    name: str = "embedder"
    batch_size: int = 64
    device: str | None = None
    dtype: Any = None
    max_length: int | None = None  # tokens read at once (longer texts: window by window)

    @property
    def key(self) -> str:
        """The embedder's identity in the store (an embedder without model files: its name)."""
        return self.name

    @abstractmethod
    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Embed one batch; rows in order. Need not be normalised."""

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Embed ``texts`` in length-sorted batches; returns float32 rows, L2-normalised, in input order.
        ``progress``: report on stderr when it takes a while (:mod:`consistency.progress`)."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        from consistency.progress import Progress

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        rows: list[np.ndarray | None] = [None] * len(texts)
        with Progress("embedding", len(texts), "claims", enabled=progress) as shown:
            for start in range(0, len(order), self.batch_size):
                batch = order[start : start + self.batch_size]
                vectors = np.asarray(self._embed_batch([texts[i] for i in batch]), dtype=np.float32)
                for index, vector in zip(batch, vectors, strict=True):
                    rows[index] = vector
                shown.update(len(batch))
        matrix = np.stack([r for r in rows if r is not None])
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.maximum(norms, 1e-12)


WINDOW_MARGIN = 8  # tokens kept free in each window of a long text


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model by local path or Hugging Face id (default all-MiniLM-L6-v2, offline)."""

    def __init__(
        self, model: str | None = None, device: str | None = None, batch_size: int = 64, dtype: str | None = None
    ) -> None:
        """``dtype`` as for the NLI model (``auto``: bfloat16 on an AMX CPU, float16 on a GPU, else float32);
        vectors come back as float32 either way."""
        from consistency.runtime.device import pick_device, quiet_loading, torch_dtype

        self.name = embedding_name(model)
        self._tokenizing = threading.Lock()
        self.model_path = resolve_embedding_model(self.name)
        self.device = pick_device(device)
        self.dtype = torch_dtype(dtype, self.device)
        self.batch_size = batch_size
        path = Path(self.model_path).expanduser()
        if self.model_path.startswith((".", "/", "~")) and not path.exists():
            raise ModelError(f"embedding model path '{self.model_path}' does not exist; pass a model directory")
        offline = local_files_only(self.model_path, "embedding model")
        try:
            from sentence_transformers import SentenceTransformer

            with quiet_loading():
                self.model = SentenceTransformer(self.model_path, device=self.device, local_files_only=offline)
            self.model.to(self.dtype)
            self.max_length = int(getattr(self.model, "max_seq_length", 0) or 0) or None
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"cannot load embedding model '{self.name}': {first_line(exc)}; pass a local sentence-transformers "
                "directory or an id in your Hugging Face cache"
            ) from exc

    @property
    def key(self) -> str:
        """Name and a fingerprint of the model's files (the key :class:`~consistency.runtime.spec.ModelSpec`
        gives before loading)."""
        return model_key(self.name, self.model_path)

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Texts longer than the model's ``max_seq_length`` are embedded in consecutive token windows whose
        unit vectors are averaged, so the end of a long claim counts too (sentence-transformers would cut it)."""
        with self._tokenizing:  # the fast tokenizer keeps padding / truncation as shared state between calls
            pieces, owners = self._windows(texts)
            vectors = self.model.encode(pieces, batch_size=self.batch_size, convert_to_tensor=True,
                                        show_progress_bar=False)
        rows = np.asarray(vectors.float().cpu().numpy())
        if len(pieces) == len(texts):
            return rows
        rows = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
        out = np.zeros((len(texts), rows.shape[1]), dtype=np.float32)
        np.add.at(out, np.asarray(owners), rows)
        return out

    def _windows(self, texts: Sequence[str]) -> tuple[list[str], list[int]]:
        """Each text, or its consecutive spans of at most ``max_seq_length`` tokens, and the text each came from."""
        # [CLS] and [SEP], and a margin: a span cut inside a word re-tokenises into a few more pieces
        limit = int(getattr(self.model, "max_seq_length", 0) or 0) - 2 - WINDOW_MARGIN
        tokenizer = getattr(self.model, "tokenizer", None)
        if limit <= 0 or tokenizer is None or not getattr(tokenizer, "is_fast", False):
            return list(texts), list(range(len(texts)))
        encoded = tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        pieces: list[str] = []
        owners: list[int] = []
        for index, (text, offsets) in enumerate(zip(texts, encoded["offset_mapping"], strict=True)):
            if len(offsets) <= limit:
                pieces.append(text)
                owners.append(index)
                continue
            for start in range(0, len(offsets), limit):
                window = offsets[start : start + limit]
                pieces.append(text[window[0][0] : window[-1][1]])
                owners.append(index)
        return pieces, owners
