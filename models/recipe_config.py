"""Training configs: one base config and per-phase overrides.

A config may name the config it builds on with a top-level ``extends = "other.toml"`` (a path relative to
its own folder); its tables are merged over that config's, key by key (a nested table merges too, any other
value replaces). A checkpoint is fingerprinted by the texts of the whole chain, so editing a base config
invalidates the checkpoints of every phase built on it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: nested tables merged, every other value replaced."""
    out = dict(base)
    for key, value in override.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_config(path: Path) -> tuple[dict[str, Any], str]:
    """The config at ``path`` with its ``extends`` chain resolved, and the chain's texts (base first)."""
    text = path.read_text()
    cfg = tomllib.loads(text)
    parent = cfg.pop("extends", None)
    if parent is None:
        return cfg, text
    base, base_text = load_config(path.parent / parent)
    return merge(base, cfg), f"{base_text}\0{text}"
