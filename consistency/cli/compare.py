"""`consistency compare` and `consistency corpus add|check`: thin click commands over the library.

Nothing heavy is imported at module load: `consistency --help` must not import torch or faiss.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from consistency.checker import Checker
from consistency.cli.options import (
    CONTEXT_SETTINGS,
    FAIL_ON_FINDINGS_HELP,
    FINDINGS_EXIT_CODE,
    FORMAT_CHOICES,
    PROGRESS_HELP,
    lang_check_option,
    model_options,
    run_library,
)
from consistency.defaults import DEFAULT_THRESHOLD, NEAR_MISS_MARGIN
from consistency.render import OutputPlan, plan_outputs, render, write_output, write_plan
from consistency.render.output import FORCE_HELP, FORMAT_HELP, OUTPUT_HELP
from consistency.runtime.spec import ModelSpec

DB_ENV = "CONSISTENCY_DB"


_views_option = click.option(
    "--views/--no-views", default=True, show_default=True,
    help="also read each claim in its coordinated clauses; --no-views reads whole claims only (less NLI work, "
         "finds less); the store keeps the two scorings apart")


def compare_options(func: Any) -> Any:
    """Report options shared by `compare` and `corpus check`."""
    options = [
        click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES, case_sensitive=False), default=None,
                     help=FORMAT_HELP),
        click.option("-o", "--output", type=click.Path(allow_dash=True, path_type=str), default=None,
                     help=OUTPUT_HELP + " (for corpus check, the --db file). The comparison is one report, in one "
                          "file"),
        click.option("--force", is_flag=True, help=FORCE_HELP),
        click.option("-t", "--threshold", type=click.FloatRange(0.0, 1.0), default=None,
                     help=f"report pairs whose contradiction score is at least this [default {DEFAULT_THRESHOLD}]"),
        click.option("--all", "show_all", is_flag=True,
                     help=f"also show near misses (scores up to {NEAR_MISS_MARGIN} below the threshold)"),
        click.option("--within", is_flag=True, help="also report contradictions inside each article (as `check`)"),
        click.option("--any-story", is_flag=True,
                     help="score findings between articles that share no name (likely different stories) in full; "
                          "by default they are discounted x0.5, with a note"),
        _views_option,
        click.option("--fail-on-findings", is_flag=True, help=FAIL_ON_FINDINGS_HELP),
        click.option("--progress/--no-progress", default=True, help=PROGRESS_HELP),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _settings(threshold: float | None, show_all: bool, within: bool, top_k: int = 5, views: bool = True,
              all_pairs_up_to: int | None = None, lang_check: str = "warn", any_story: bool = False) -> Any:
    from consistency.compare import ALL_PAIRS_UP_TO, CompareSettings
    from consistency.compare.relatedness import DIFFERENT_STORIES_DISCOUNT
    from consistency.pairing import PairingSettings
    from consistency.scoring import ScoringSettings

    return CompareSettings(
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        near_miss_margin=NEAR_MISS_MARGIN if show_all else 0.0,
        within=within,
        pairing=PairingSettings(top_k=top_k),
        scoring=ScoringSettings(views=views),
        all_pairs_up_to=ALL_PAIRS_UP_TO if all_pairs_up_to is None else all_pairs_up_to,
        english_only=lang_check != "off",
        different_stories_discount=1.0 if any_story else DIFFERENT_STORIES_DISCOUNT,
    )


STDIN_ID_HELP = "the id of the article read from stdin (-) [default: stdin]"


def _load(paths: tuple[str, ...], lang_check: str = "warn", stdin_id: str | None = None) -> Any:
    """The articles of ``paths``; a non-English one becomes a problem (warn) or stops the run (error)."""
    from consistency.compare import load_inputs
    from consistency.compare.articles import LoadProblem, LoadResult
    from consistency.text.language import check_language

    if stdin_id is not None and "-" not in paths:
        raise click.UsageError("--stdin-id names the article read from stdin; pass - among the inputs, or leave it out")
    result = run_library(load_inputs, paths, stdin_id, keep_going=True)
    kept, problems = [], list(result.problems)
    for article in result.articles:
        warning = run_library(check_language, article.text, article.id, lang_check)
        if warning is None:
            kept.append(article)
            if lang_check != "off" and (foreign := _foreign_sentences(article)) is not None:
                problems.append(LoadProblem(article.id, foreign))
        else:
            problems.append(LoadProblem(article.id, warning.removeprefix(f"{article.id} ")))
    if not kept and any(problem.named for problem in problems):  # nothing to do: no store or report is made
        _warn_problems(problems)
        raise click.ClickException(f"none of the {len(paths)} inputs can be read (see above)")
    result = LoadResult(tuple(kept), tuple(problems))
    _warn_problems(result.problems)
    return result


# Problems that are notes about inputs that were read, not inputs skipped: a folder's other files, an article's
# sentences in another language.
_NOTE = re.compile(r"\d+ (?:sentences? read as another language|files? not read, not being articles)")


def _foreign_sentences(article: Any) -> str | None:
    """The line that says how many of an English article's sentences read as another language and are left out
    (as ``check`` says; a QA walk: compare and corpus add skipped them without a word), or None."""
    from consistency.text.language import foreign_sentences_message
    from consistency.text.segment import segment

    message = foreign_sentences_message(segment(article.text).skipped, article.id)
    return None if message is None else message.removeprefix(f"{article.id}: ")


PROBLEM_LINES_PER_FILE = 5  # a JSONL file of another shape would print one warning per line


def _warn_problems(problems: Sequence[Any]) -> None:
    """One warning per problem, but at most :data:`PROBLEM_LINES_PER_FILE` for the lines of one file, then how
    many more there were."""
    from collections import Counter

    lines_of = Counter(p.where for p in problems if p.line is not None)
    shown: Counter[str] = Counter()
    for problem in problems:
        if problem.line is not None:
            shown[problem.where] += 1
            if shown[problem.where] > PROBLEM_LINES_PER_FILE:
                if shown[problem.where] == PROBLEM_LINES_PER_FILE + 1:
                    more = lines_of[problem.where] - PROBLEM_LINES_PER_FILE
                    click.echo(f"warning: {problem.where}: {more} more lines skipped for the same kind of reasons "
                               f"({lines_of[problem.where]} in all)", err=True)
                continue
        if problem.named:  # an input named as such: an error, as check's, and the others are read
            click.echo(f"Error: {problem} (not read)", err=True)
        else:
            click.echo(f"warning: {problem}", err=True)


def _emit_report(report: Any, plan: OutputPlan, fail_on_findings: bool) -> None:
    content = render(report, plan.fmt, color=not plan.targets and sys.stdout.isatty())
    if plan.targets:
        run_library(write_plan, plan, [content])
    else:
        run_library(write_output, content, None)
    if any(problem.named for problem in report.problems):
        sys.exit(1)  # an input named as such could not be read: each was said at once, the rest compared
    if fail_on_findings and (report.findings or report.within_findings):
        sys.exit(FINDINGS_EXIT_CODE)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@compare_options
@click.option("--top-k", type=click.IntRange(1, 100), default=5, show_default=True,
              help="each claim is paired with its k most similar claims of other articles")
@click.option("--all-pairs-up-to", type=click.IntRange(0, 10_000_000), default=None, metavar="N",
              help="check every cross-article pair while there are at most N in all, else each claim's nearest "
                   "claims of other articles and those sharing a name or a number slot [default: 500]; raise it to "
                   "check a small story whole (the header says 'M of M pairs checked'; about 7 s per 100 pairs on "
                   "a 2-core CPU)")
@click.option("--stdin-id", metavar="ID", help=STDIN_ID_HELP)
@lang_check_option
@model_options()
def compare(inputs: tuple[str, ...], fmt: str | None, output: str | None, force: bool, threshold: float | None,
            show_all: bool, within: bool, any_story: bool, views: bool, fail_on_findings: bool, progress: bool | None,
            top_k: int, all_pairs_up_to: int | None, stdin_id: str | None, lang_check: str, models: ModelSpec) -> None:
    """Find claims that contradict each other across articles.

    INPUTS are article files, directories of them, or JSONL corpora (one article per line: id, text,
    optional title, source, date, url); - reads one article from stdin.
    """
    from consistency.compare import compare_articles

    plan = run_library(plan_outputs, output, inputs, fmt, force=force)
    result = _load(inputs, lang_check, stdin_id)
    if len(result.articles) < 2:
        found = ", ".join(a.id for a in result.articles) or "none"
        raise click.ClickException(f"compare needs at least two articles; found {len(result.articles)} ({found}); "
                                   "for one article use 'consistency check'")
    show = progress is not False
    checker = Checker(spec=models, progress=show)
    settings = _settings(threshold, show_all, within, top_k, views, all_pairs_up_to, lang_check, any_story)
    report = run_library(compare_articles, result.articles, checker, settings, problems=result.problems, progress=show)
    _emit_report(report, plan, fail_on_findings)


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
@click.option("--replace", "replace_any", is_flag=True,
              help="let a new text replace the stored article of its id even when it is not an edit of it")
@click.option("--stdin-id", metavar="ID", help=STDIN_ID_HELP)
@_views_option
@click.option("--progress/--no-progress", default=True, help=PROGRESS_HELP)
@lang_check_option
@model_options()
def corpus_add(inputs: tuple[str, ...], db: Path, within: bool, replace_any: bool, stdin_id: str | None, views: bool,
               progress: bool | None, lang_check: str, models: ModelSpec) -> None:
    """Add articles (files, directories, JSONL corpora) to the corpus in --db.

    Each article is one transaction: its claims, embeddings, candidate pairs with the stored claims and
    their NLI verdicts. Unchanged articles cost nothing; an edited one replaces the old version. A different
    article under a stored id (an article's id is its file name) is refused unless --replace: rename the file.
    """
    from consistency.store import CorpusStore

    result = _load(inputs, lang_check, stdin_id)
    show = progress is not False
    checker = Checker(spec=models, progress=show)
    from consistency.progress import Progress
    from consistency.render.report import plural

    done = [0]

    def one_done(_article: Any, _what: str) -> None:
        done[0] += 1
        shown.update(1)

    with run_library(CorpusStore, db, _settings(None, False, within, views=views, lang_check=lang_check)) as store, \
            Progress("corpus add", len(result.articles), "articles", enabled=show) as shown:
        try:
            stats = run_library(store.add, result.articles, checker, progress=one_done, replace_any=replace_any)
        except KeyboardInterrupt:  # each article is its own transaction: say what is kept
            click.echo(f"interrupted: {done[0]} of {plural(len(result.articles), 'article')} stored (or found "
                       "unchanged); run the same command again to add the rest", err=True)
            raise
        total = len(store.article_ids())

    for article_id in stats.without_claims:
        click.echo(f"warning: {article_id}: no sentence is a claim (all skipped as headings, lists, fragments ...): "
                   "stored, but it takes part in no pair", err=True)
    unread = [p for p in result.problems if not _NOTE.match(p.message)]
    skipped = f"; {plural(len(unread), 'input')} skipped (see the warnings)" if unread else ""
    click.echo(f"{db}: {stats.summary()}; {plural(total, 'article')} in the corpus{skipped}")
    for line in _edits_and_copies(stats):
        click.echo(line)
    for article_id, stored_path, new_path in stats.refused:
        rename = "give it another id with --stdin-id ID" if new_path == "<stdin>" else "rename the file"
        click.echo(f"error: {new_path or article_id}: not stored: the id '{article_id}' holds another article "
                   f"(from {stored_path or 'an earlier add'}), and this text is not an edit of it; {rename} "
                   "to store both, or pass --replace to replace it", err=True)
    if stats.refused or any(problem.named for problem in result.problems):
        sys.exit(1)


EDIT_LINES = 5  # changed sentences listed per side of an edit


def _edits_and_copies(stats: Any) -> list[str]:
    """What each replaced article changed (its old version is not kept) and which added article repeats a stored
    one word for word: for a corpus of outlets, a quiet edit or a syndicated copy is news in itself."""
    from consistency.render.report import plural

    lines = []
    for edit in stats.edits:
        lines.append(f"edited: {edit.article} ({plural(len(edit.removed), 'sentence')} removed, "
                     f"{len(edit.added)} added; the stored version is replaced)")
        for mark, texts in (("-", edit.removed), ("+", edit.added)):
            lines += [f"  {mark} {' '.join(text.split())}" for text in texts[:EDIT_LINES]]
            if len(texts) > EDIT_LINES:
                lines.append(f"  {mark} ... and {len(texts) - EDIT_LINES} more")
    lines += [f"copy: {copy.article} repeats {copy.shared} of its {plural(copy.claims, 'claim')} word for word from "
              f"{copy.of}" for copy in stats.copies]
    return lines


def _require_db(db: Path) -> None:
    if not db.exists():
        raise click.ClickException(f"no corpus database at '{db}'; "
                                   f"create it with 'consistency corpus add PATH --db {db}'")


@corpus.command("list", context_settings=CONTEXT_SETTINGS)
@_db_option
@click.option("--json", "as_json", is_flag=True, help="print one JSON array instead of the table")
def corpus_list(db: Path, as_json: bool) -> None:
    """List the articles stored in --db: id, claims, source, date, when added, path (no model is loaded)."""
    import json

    from consistency.eval.frame import render_table
    from consistency.render.report import plural
    from consistency.store import CorpusStore

    _require_db(db)
    with run_library(CorpusStore, db) as store:
        rows = store.inventory()
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"{db}: {plural(len(rows), 'article')}, {plural(sum(r['claims'] for r in rows), 'claim')}")
    if rows:
        click.echo("\n".join(render_table(
            ["id", "claims", "source", "date", "added (UTC)", "path"],  # to the second, as --since reads it
            [[r["id"], str(r["claims"]), r["source"] or "-", r["date"] or "-", r["added"][:19].replace("T", " "),
              r["path"] or "-"] for r in rows])))


@corpus.command("remove", context_settings=CONTEXT_SETTINGS)
@click.argument("article_ids", nargs=-1, required=True, metavar="ID...")
@_db_option
def corpus_remove(article_ids: tuple[str, ...], db: Path) -> None:
    """Remove articles (by the id `corpus list` shows) from the corpus in --db, with their claims and pairs;
    an unknown id removes nothing (no model is loaded)."""
    from consistency.render.report import plural
    from consistency.store import CorpusStore

    _require_db(db)
    with run_library(CorpusStore, db) as store:
        removed = run_library(store.remove, article_ids)
        left = store.counts()
    click.echo(f"removed {plural(len(removed), 'article')} ({plural(sum(removed.values()), 'claim')}): "
               f"{', '.join(removed)}; {db} now holds {plural(left['articles'], 'article')}, "
               f"{plural(left['claims'], 'claim')}")


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, float] | None:
    """--since: the text as given and the moment it names (seconds since the epoch; UTC unless it names an
    offset)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date or time; give one in ISO 8601, such as 2026-12-05 or "
                                 "2026-12-05T08:00 (UTC unless it names an offset: 2026-12-05T08:00+01:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return value.strip(), moment.timestamp()


@corpus.command("check", context_settings=CONTEXT_SETTINGS)
@_db_option
@click.option("--article", "article_ids", multiple=True, metavar="ID",
              help="only the findings, near misses and clusters that involve this article (its file name without "
                   "the extension; repeatable): what a newly added article conflicts with")
@click.option("--since", metavar="WHEN", callback=_moment,
              help="only what involves the articles stored at or after WHEN (added, or replaced by an edit): a date "
                   "or time in ISO 8601, UTC unless it names an offset (2026-12-05, 2026-12-05T08:00); what is new "
                   "since the last run. With --article: what involves either")
@compare_options
@model_options()
def corpus_check(db: Path, article_ids: tuple[str, ...], since: tuple[str, float] | None, fmt: str | None,
                 output: str | None, force: bool, threshold: float | None, show_all: bool, within: bool,
                 any_story: bool, views: bool, fail_on_findings: bool, progress: bool | None, models: ModelSpec
                 ) -> None:
    """Report the contradictions across the corpus in --db.

    Pairs not yet scored with the chosen models (a new model, an interrupted add) are classified first;
    everything already in the store is reused.
    """
    from consistency.store import CorpusStore

    _require_db(db)
    plan = run_library(plan_outputs, output, (str(db),), fmt, force=force)
    show = progress is not False
    checker = Checker(spec=models, progress=show)

    def tell(what: str, count: int) -> None:
        if show:
            click.echo(f"{what}: {count}", err=True)

    settings = _settings(threshold, show_all, within, views=views, any_story=any_story)
    with run_library(CorpusStore, db, settings) as store:
        unknown = sorted(set(article_ids) - set(store.article_ids()))
        if unknown:
            raise click.BadParameter(f"no article {', '.join(map(repr, unknown))} in '{db}'; an article's id is its "
                                     "file name without the extension", param_hint="--article")
        stats = run_library(store.update, checker, progress=tell)
        if stats.articles_paired or stats.pairs_scored:
            click.echo(f"{db}: caught up: {stats.summary()}", err=True)
        report = run_library(store.report, checker, timings=stats.timings)
        new = store.added_since(since[1]) if since is not None else []
    if since is not None and not new:
        click.echo(f"{db}: no article stored since {since[0]} (UTC unless it named an offset); nothing new to "
                   "report (without --since: the whole corpus)", err=True)
        if not article_ids:
            return
    focus = list(dict.fromkeys([*article_ids, *new]))
    _emit_report(report.about(focus) if focus else report, plan, fail_on_findings)
