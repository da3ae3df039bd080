"""Command line: a thin click layer over the library. Heavy imports happen inside commands."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from consistency import __version__
from consistency.cli.options import CONTEXT_SETTINGS, model_options, run_library

FORMATS = ("text", "json", "markdown", "html")
EXTENSIONS = {"text": "txt", "json": "json", "markdown": "md", "html": "html"}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="consistency")
@click.option("-v", "--verbose", count=True, help="log more (-v info, -vv debug) to stderr")
def main(verbose: int) -> None:
    """Find claims in news text that contradict each other."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@main.command(context_settings=CONTEXT_SETTINGS)
@click.argument("articles", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True), default=None,
              help="write here instead of stdout (a directory when several articles are given)")
@click.option("-t", "--threshold", type=click.FloatRange(0.0, 1.0), default=None,
              help="report pairs whose contradiction score is at least this [default 0.5]")
@click.option("--all", "show_all", is_flag=True, help="also show near misses (scores up to 0.2 below the threshold)")
@click.option("--top-k", type=click.IntRange(1, 100), default=5, show_default=True,
              help="each claim is paired with its k most similar claims")
@click.option("--views/--no-views", default=True, show_default=True,
              help="also read each claim in shorter views (pronoun resolved, attribution removed, clauses): "
                   "finds more; --no-views needs about a third of the NLI work")
@click.option("--fail-on-findings", is_flag=True, help="exit with status 1 when any finding is reported")
@click.option("--progress/--no-progress", default=None, help="progress bar on stderr [default: when stderr is a TTY]")
@model_options
def check(articles: tuple[str, ...], fmt: str, output: Path | None, threshold: float | None, show_all: bool,
          top_k: int, views: bool, fail_on_findings: bool, progress: bool | None, nli_model: str | None,
          embedding_model: str | None, device: str, dtype: str, batch_size: int, nli_max_length: int | None) -> None:
    """Report the claims in each ARTICLE that contradict each other (- reads stdin)."""
    from consistency.checker import DEFAULT_THRESHOLD, NEAR_MISS_MARGIN, Checker, CheckSettings
    from consistency.pairing import PairingSettings
    from consistency.text.textio import read_article

    several = len(articles) > 1
    if several and output is not None and str(output) != "-" and output.exists() and not output.is_dir():
        raise click.BadParameter(f"'{output}' is a file; with several articles -o must name a directory",
                                 param_hint="-o/--output")
    if several and fmt == "html" and output is None:
        raise click.BadParameter("HTML reports of several articles need -o DIR (one page per article)",
                                 param_hint="-o/--output")
    texts = [run_library(read_article, path) for path in articles]  # fail fast on bad input, before models load
    settings = CheckSettings(
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        near_miss_margin=NEAR_MISS_MARGIN if show_all else 0.0,
        pairing=PairingSettings(top_k=top_k),
        claim_views=views,
    )
    checker = Checker(nli_model, embedding_model, device=None if device == "auto" else device,
                      dtype=None if dtype == "auto" else dtype, batch_size=batch_size, nli_max_length=nli_max_length,
                      settings=settings,
                      progress=sys.stderr.isatty() if progress is None else progress)
    reports = []
    for path, (text, encoding) in zip(articles, texts, strict=True):
        source = "<stdin>" if path == "-" else path
        reports.append(run_library(checker.check, text, source=source, encoding=encoding))

    color = output is None and sys.stdout.isatty()
    if several and output is not None and str(output) != "-":
        used: set[str] = set()
        try:
            output.mkdir(parents=True, exist_ok=True)
            for path, report in zip(articles, reports, strict=True):
                stem = "stdin" if path == "-" else Path(path).stem
                name, copy = f"{stem}.{EXTENSIONS[fmt]}", 1
                while name in used:  # a/x.txt and b/x.txt: x.json and x-2.json, never one over the other
                    copy += 1
                    name = f"{stem}-{copy}.{EXTENSIONS[fmt]}"
                used.add(name)
                (output / name).write_text(render(report, fmt, color=False), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write to '{output}': {exc.strerror}; choose another -o path") from None
    elif several and fmt == "json":
        emit(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False) + "\n", output)
    else:
        emit("\n".join(render(r, fmt, color) for r in reports), output)
    if fail_on_findings and any(r.findings for r in reports):
        sys.exit(1)


def render(report: Any, fmt: str, color: bool) -> str:
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "markdown":
        return str(report.to_markdown())
    if fmt == "html":
        return str(report.to_html())
    return str(report.to_text(color=color))


def emit(content: str, output: Path | None) -> None:
    """Write to ``output`` or stdout."""
    if output is None or str(output) == "-":
        click.echo(content, nl=not content.endswith("\n"))
    else:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(content, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write '{output}': {exc.strerror}; choose another -o path") from None


def _register_subcommands() -> None:
    """Attach the command groups that live in their own modules (they import nothing heavy at load)."""
    from consistency.cli.bench import bench
    from consistency.cli.compare import compare, corpus

    main.add_command(bench)
    main.add_command(compare)
    main.add_command(corpus)


_register_subcommands()
