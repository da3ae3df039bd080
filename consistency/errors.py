"""Library errors. Each message names the problem, the offending value and the fix, on one line."""

from __future__ import annotations


class ConsistencyError(Exception):
    """Base class for every error this package raises on bad input or configuration."""


class InputError(ConsistencyError):
    """The input text or file cannot be used (empty, binary, undecodable, missing, a directory)."""


class ModelError(ConsistencyError):
    """A model cannot be found, loaded, or used (unknown id or path, no contradiction label)."""


class DataError(ConsistencyError):
    """A data file (pairs, corpus, benchmark set) has the wrong format."""
