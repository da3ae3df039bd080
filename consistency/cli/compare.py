"""`consistency compare` and `consistency corpus add|check`: thin click commands over the library.

Nothing heavy is imported at module load: `consistency --help` must not import torch or faiss.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from consistency.cli.options import CONTEXT_SETTINGS, model_options, run_library

DB_ENV = "CONSISTENCY_DB"
FORMATS = ("text", "json", "markdown", "html")


def emit(content: str, output: Path | None) -> None:
    """Write to ``output`` or stdout."""
    if output is None or str(output) == "-":
        click.echo(content, nl=not content.endswith("\n"))
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write '{output}': {exc.strerror}; choose another -o path") from None


_views_option = click.option(
    "--views/--no-views", default=True, show_default=True,
    help="also read each claim in its coordinated clauses; --no-views reads whole claims only (less NLI work, "
         "finds less); the store keeps the two scorings apart")


def compare_options(func: Any) -> Any:
    """Report options shared by `compare` and `corpus check`."""
    options = [
        click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True),
        click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True, dir_okay=False),
                     default=None, help="write the report here instead of stdout"),
        click.option("-t", "--threshold", type=click.FloatRange(0.0, 1.0), default=None,
                     help="report pairs whose contradiction score is at least this [default 0.5]"),
        click.option("--all", "show_all", is_flag=True,
                     help="also show near misses (scores up to 0.2 below the threshold)"),
        click.option("--within", is_flag=True, help="also report contradictions inside each article (as `check`)"),
        _views_option,
        click.option("--fail-on-findings", is_flag=True, help="exit with status 1 when any finding is reported"),
        click.option("--progress/--no-progress", default=None,
                     help="progress on stderr [default: when stderr is a TTY]"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _settings(threshold: float | None, show_all: bool, within: bool, top_k: int = 5, views: bool = True) -> Any:
    from consistency.checker import DEFAULT_THRESHOLD, NEAR_MISS_MARGIN
    from consistency.compare.stages import CompareSettings
    from consistency.pairing import PairingSettings

    return CompareSettings(
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        near_miss_margin=NEAR_MISS_MARGIN if show_all else 0.0,
        within=within,
        pairing=PairingSettings(top_k=top_k),
        claim_views=views,
    )


def _checker(nli_model: str | None, embedding_model: str | None, device: str, dtype: str, batch_size: int,
             progress: bool, nli_max_length: int | None = None) -> Any:
    from consistency.checker import Checker

    return Checker(nli_model, embedding_model, device=None if device == "auto" else device,
                   dtype=None if dtype == "auto" else dtype, batch_size=batch_size, progress=progress,
                   nli_max_length=nli_max_length)


def _load(paths: tuple[str, ...]) -> Any:
    from consistency.compare.articles import load_inputs

    result = run_library(load_inputs, paths)
    for problem in result.problems:
        click.echo(f"warning: {problem}", err=True)
    return result


def _emit_report(report: Any, fmt: str, output: Path | None, fail_on_findings: bool) -> None:
    if fmt == "json":
        content = report.to_json() + "\n"
    elif fmt == "markdown":
        content = report.to_markdown()
    elif fmt == "html":
        content = report.to_html()
    else:
        content = report.to_text(color=output is None and sys.stdout.isatty())
    emit(content, output)
    if fail_on_findings and (report.findings or report.within_findings):
        sys.exit(1)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@compare_options
@click.option("--top-k", type=click.IntRange(1, 100), default=5, show_default=True,
              help="each claim is paired with its k most similar claims of other articles")
@model_options
def compare(inputs: tuple[str, ...], fmt: str, output: Path | None, threshold: float | None, show_all: bool,
            within: bool, views: bool, fail_on_findings: bool, progress: bool | None, top_k: int,
            nli_model: str | None, embedding_model: str | None, device: str, dtype: str, batch_size: int,
            nli_max_length: int | None) -> None:
    """Find claims that contradict each other across articles.

    INPUTS are article files, directories of them, or JSONL corpora (one article per line: id, text,
    optional title, source, date, url); - reads one article from stdin.
    """
    from consistency.compare.stages import compare_articles

    result = _load(inputs)
    if len(result.articles) < 2:
        found = ", ".join(a.id for a in result.articles) or "none"
        raise click.ClickException(f"compare needs at least two articles; found {len(result.articles)} ({found}); "
                                   "for one article use 'consistency check'")
    show = sys.stderr.isatty() if progress is None else progress
    checker = _checker(nli_model, embedding_model, device, dtype, batch_size, show, nli_max_length)
    settings = _settings(threshold, show_all, within, top_k, views)
    report = run_library(compare_articles, result.articles, checker, settings, problems=result.problems, progress=show)
    _emit_report(report, fmt, output, fail_on_findings)


@click.group(context_settings=CONTEXT_SETTINGS)
def corpus() -> None:
    """Keep a corpus in a database and check it incrementally."""


_db_option = click.option("--db", "db", required=True, envvar=DB_ENV, metavar="FILE",
                          type=click.Path(path_type=Path, dir_okay=False),
                          help=f"the corpus database (SQLite) [env {DB_ENV}]")


@corpus.command("add", context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@_db_option
@click.option("--within", is_flag=True, help="also pair claims inside each article (for `corpus check --within`)")
@_views_option
@click.option("--progress/--no-progress", default=None, help="one line per article on stderr [default: on a TTY]")
@model_options
def corpus_add(inputs: tuple[str, ...], db: Path, within: bool, views: bool, progress: bool | None,
               nli_model: str | None, embedding_model: str | None, device: str, dtype: str, batch_size: int,
               nli_max_length: int | None) -> None:
    """Add articles (files, directories, JSONL corpora) to the corpus in --db.

    Each article is one transaction: its claims, embeddings, candidate pairs with the stored claims and
    their NLI verdicts. Unchanged articles cost nothing; a changed one replaces the old version.
    """
    from consistency.store.corpus_store import CorpusStore

    result = _load(inputs)
    show = sys.stderr.isatty() if progress is None else progress
    checker = _checker(nli_model, embedding_model, device, dtype, batch_size, False, nli_max_length)

    def tell(article: Any, what: str) -> None:
        if show:
            click.echo(f"{what}: {article.id}", err=True)

    with run_library(CorpusStore, db, _settings(None, False, within, views=views)) as store:
        stats = run_library(store.add, result.articles, checker, progress=tell)
        total = len(store.article_ids())
    from consistency.render.report import plural

    click.echo(f"{db}: {stats.summary()}; {plural(total, 'article')} in the corpus")


@corpus.command("check", context_settings=CONTEXT_SETTINGS)
@_db_option
@compare_options
@model_options
def corpus_check(db: Path, fmt: str, output: Path | None, threshold: float | None, show_all: bool, within: bool,
                 views: bool, fail_on_findings: bool, progress: bool | None, nli_model: str | None,
                 embedding_model: str | None, device: str, dtype: str, batch_size: int,
                 nli_max_length: int | None) -> None:
    """Report the contradictions across the corpus in --db.

    Pairs not yet scored with the chosen models (a new model, an interrupted add) are classified first;
    everything already in the store is reused.
    """
    from consistency.store.corpus_store import CorpusStore

    if not db.exists():
        raise click.ClickException(f"no corpus database at '{db}'; "
                                   f"create it with 'consistency corpus add PATH --db {db}'")
    show = sys.stderr.isatty() if progress is None else progress
    checker = _checker(nli_model, embedding_model, device, dtype, batch_size, False, nli_max_length)

    def tell(what: str, count: int) -> None:
        if show:
            click.echo(f"{what}: {count}", err=True)

    with run_library(CorpusStore, db, _settings(threshold, show_all, within, views=views)) as store:
        stats = run_library(store.update, checker, progress=tell)
        if stats.articles_paired or stats.pairs_scored:
            click.echo(f"{db}: caught up: {stats.summary()}", err=True)
        report = run_library(store.report, checker, timings=stats.timings)
    _emit_report(report, fmt, output, fail_on_findings)
