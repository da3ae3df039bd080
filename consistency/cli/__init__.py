"""The command line (entry point ``consistency.cli:main``): a thin click layer over the library."""

from consistency.cli.app import main

__all__ = ["main"]
