"""Which models a run uses and how: one :class:`ModelSpec` from the command-line options, resolved once.

The spec names the models ("option, else environment variable, else default", see
:mod:`consistency.runtime.resolve`), gives the store their keys without loading them, and loads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from consistency.defaults import DEFAULT_BATCH_SIZE
from consistency.runtime.device import check_names
from consistency.runtime.embedding import Embedder, SentenceTransformerEmbedder
from consistency.runtime.nli import NLIBackend, TransformersNLI
from consistency.runtime.resolve import (
    embedding_name,
    local_files_only,
    model_key,
    nli_model_key,
    nli_name,
    resolve_embedding_model,
    resolve_nli_model,
)

AUTO = "auto"


def _auto(value: str | None) -> str | None:
    return None if value in (None, "", AUTO) else value


@dataclass(frozen=True)
class ModelSpec:
    """The model options of a run: ids or paths (None: environment, then default), device and dtype (None:
    the policy of :mod:`consistency.runtime.device`), NLI batch size and window, and the NLI model asked for a
    second opinion (None: none; :mod:`consistency.runtime.second_opinion`)."""

    nli_model: str | None = None
    embedding_model: str | None = None
    device: str | None = None
    dtype: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    nli_max_length: int | None = None
    second_opinion: str | None = None

    def __post_init__(self) -> None:
        for name, value, optional in (("batch_size", self.batch_size, False),
                                      ("nli_max_length", self.nli_max_length, True)):
            if optional and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
        object.__setattr__(self, "device", _auto(self.device))  # "auto" and None mean the same
        object.__setattr__(self, "dtype", _auto(self.dtype))
        check_names(self.device, self.dtype)

    @property
    def nli_name(self) -> str:
        return nli_name(self.nli_model)

    @property
    def embedding_name(self) -> str:
        return embedding_name(self.embedding_model)

    def nli_key(self) -> str:
        """The NLI model's identity in the store, without loading it (equal to the loaded backend's ``key``)."""
        key = nli_model_key(self.nli_name, resolve_nli_model(self.nli_name), self.nli_max_length)
        if self.second_opinion is None:
            return key
        from consistency.runtime.second_opinion import second_opinion_key

        second = nli_model_key(self.second_opinion, resolve_nli_model(self.second_opinion))
        return second_opinion_key(key, second)

    def embedding_key(self) -> str:
        """The embedding model's identity in the store, without loading it."""
        return model_key(self.embedding_name, resolve_embedding_model(self.embedding_name))

    def check_available(self) -> None:
        """Fail at once, with a one-line :class:`~consistency.errors.ModelError`, when a model name is neither a
        folder nor a cached Hugging Face id (and downloads are not allowed): before anything is read or loaded."""
        local_files_only(resolve_nli_model(self.nli_name), "NLI model")
        local_files_only(resolve_embedding_model(self.embedding_name), "embedding model")
        if self.second_opinion is not None:
            from consistency.errors import ModelError

            try:
                local_files_only(resolve_nli_model(self.second_opinion), "NLI model")
            except ModelError as exc:
                raise ModelError(f"--second-opinion: {exc}") from exc

    def load_nli(self) -> NLIBackend:
        """The NLI backend (with its second opinion); every model name is checked first, so that a wrong
        embedding model name fails before the NLI model takes its seconds to load."""
        self.check_available()
        first = TransformersNLI(self.nli_model, device=self.device, dtype=self.dtype, batch_size=self.batch_size,
                                max_length=self.nli_max_length)
        if self.second_opinion is None:
            return first
        from consistency.errors import ModelError
        from consistency.runtime.second_opinion import SecondOpinionNLI

        try:
            second = TransformersNLI(self.second_opinion, device=self.device, dtype=self.dtype,
                                     batch_size=self.batch_size)
        except ModelError as exc:
            raise ModelError(f"--second-opinion: {exc}") from exc
        return SecondOpinionNLI(first, second)

    def load_embedder(self) -> Embedder:
        return SentenceTransformerEmbedder(self.embedding_model, device=self.device, dtype=self.dtype)
