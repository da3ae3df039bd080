"""Which code made a report: the package version and, in a git checkout, its commit.

A saved report that says only its model cannot be traced to the code that read the article: the same command on
the same file gave other findings after a change between two runs (a fact-checker's walk), and ``--version``
said 0.1.0 both times. Reports and saved benchmark results carry :func:`code_version` under ``models``.
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

__version__ = "0.1.0"  # as pyproject.toml's version
GIT_TIMEOUT = 5.0  # seconds; a hung git must not hold a check up


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """"0.1.0", or "0.1.0 (git 5fb5ce5a1b2c)" where the package runs from a git checkout, with ", modified" when
    its files differ from that commit."""
    package = Path(__file__).resolve().parent
    root = package.parent
    if not (root / ".git").exists():
        return __version__
    commit = _git(root, "rev-parse", "--short=12", "HEAD")
    if commit is None:
        return __version__
    changed = _git(root, "status", "--porcelain", "--untracked-files=no", "--", package.name)
    return f"{__version__} (git {commit}{', modified' if changed else ''})"
