"""`consistency bench ...`: accuracy and speed suites (thin click layer over consistency.benchmarking)."""

from __future__ import annotations

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT_SETTINGS)
def bench() -> None:
    """Measure accuracy on labelled data and speed on this machine."""
