"""Library errors. Each message names the problem, the offending value and the fix, on one line."""

from __future__ import annotations


class ConsistencyError(Exception):
    """Base class for every error this package raises on bad input or configuration."""


class InputError(ConsistencyError):
    """The input text or file cannot be used (empty, binary, undecodable, missing, a directory)."""


class ModelError(ConsistencyError):
    """A model cannot be found, loaded, or used (unknown id or path, no contradiction label)."""


class OutputError(ConsistencyError):
    """A report cannot be written where ``-o`` says (an input, an existing file without --force, no directory)."""


class DataError(ConsistencyError):
    """A data file (pairs, corpus, benchmark set) has the wrong format."""


def first_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's first message line, cut to ``limit`` characters, without a trailing full stop (it is
    quoted inside a one-line error that goes on), or the exception's type name when it has no message."""
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:limit].rstrip(".")
