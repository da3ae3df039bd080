"""Command line: a thin click layer over the library. Heavy imports happen inside commands."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from consistency.cli.options import (
    CONTEXT_SETTINGS,
    FAIL_ON_FINDINGS_HELP,
    FINDINGS_EXIT_CODE,
    PROGRESS_HELP,
    lang_check_option,
    model_options,
    report_options,
    run_library,
)
from consistency.defaults import DEFAULT_THRESHOLD, NEAR_MISS_MARGIN
from consistency.render import plan_outputs, render, render_many, write_output, write_plan
from consistency.runtime.spec import ModelSpec

INTERRUPTED_EXIT_CODE = 130  # the shell's code for a run stopped by Ctrl-C (SIGINT); 1 is an error


class OneLineUsageError(click.ClickException):
    """A usage error as one line that names the help to read (click's own prints the usage and a hint first)."""

    exit_code = 2

    @classmethod
    def of(cls, error: click.UsageError, command: str) -> OneLineUsageError:
        """``error``'s message and the help of ``command`` to read: "Error: ... (see 'consistency check --help')"."""
        return cls(f"{error.format_message().rstrip('.')} (see '{command} --help')")


_LINE = "consistency.command_line"


class ConsistencyGroup(click.Group):
    """The command group; Ctrl-C ends a command with "interrupted" and exit status 130, not as an error; a bad
    option or argument is one line, "Error: ... (see 'consistency check --help')", exit status 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_LINE] = list(args)  # the group's arguments, for the help a usage error names
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        line = ctx.meta.get(_LINE, [])
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted by Ctrl-C", err=True)
            ctx.exit(INTERRUPTED_EXIT_CODE)
        except click.UsageError as error:
            raise OneLineUsageError.of(error, _help_path(ctx, error, line)) from None

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:  # an unknown option of the group itself ("consistency --frob")
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            raise OneLineUsageError.of(error, info_name or self.name or "consistency") from None


def _help_path(ctx: click.Context, error: click.UsageError, line: list[str]) -> str:
    """The command whose help a usage error points to: the error's own, else the subcommands named in ``line``, the
    group's arguments ("consistency corpus check --since" without a value fails before that command's context
    exists)."""
    if error.ctx is not None and error.ctx is not ctx:
        return error.ctx.command_path
    path, command = [ctx.command_path], ctx.command
    for token in line:
        sub = command.get_command(ctx, token) if isinstance(command, click.Group) else None
        if sub is None:
            break
        path.append(token)
        command = sub
    return " ".join(path)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``consistency, version 0.1.0 (git 5fb5ce5a1b2c)``: the commit too, as every report's ``models`` says."""
    if value and not ctx.resilient_parsing:
        from consistency.build_info import code_version

        click.echo(f"consistency, version {code_version()}")
        ctx.exit()


@click.group(cls=ConsistencyGroup, context_settings=CONTEXT_SETTINGS)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version (and, in a git checkout, the commit) and exit.")
@click.option("-v", "--verbose", count=True, help="log more (-v info, -vv debug) to stderr")
def main(verbose: int) -> None:
    """Find claims in news text that contradict each other."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@main.command(context_settings=CONTEXT_SETTINGS)
@click.argument("articles", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str))
@report_options(per_input=True)
@click.option("-t", "--threshold", type=click.FloatRange(0.0, 1.0), default=None,
              help=f"report pairs whose contradiction score is at least this [default {DEFAULT_THRESHOLD}]")
@click.option("--all", "show_all", is_flag=True,
              help=f"also show near misses (scores up to {NEAR_MISS_MARGIN} below the threshold)")
@click.option("--top-k", type=click.IntRange(1, 100), default=5, show_default=True,
              help="each claim is paired with its k most similar claims")
@click.option("--views/--no-views", default=True, show_default=True,
              help="also read each claim in shorter views (pronoun resolved, attribution removed, clauses): "
                   "finds more; --no-views needs about half to two thirds of the NLI work")
@click.option("--fail-on-findings", is_flag=True, help=FAIL_ON_FINDINGS_HELP)
@lang_check_option
@click.option("--progress/--no-progress", default=True, help=PROGRESS_HELP)
@model_options()
def check(articles: tuple[str, ...], fmt: str | None, output: str | None, force: bool, threshold: float | None,
          show_all: bool, top_k: int, views: bool, fail_on_findings: bool, lang_check: str, progress: bool | None,
          models: ModelSpec) -> None:
    """Report the claims in each ARTICLE that contradict each other (- reads stdin).

    With several articles, -o names a directory, existing or ending in / (one report per article)."""
    from consistency.checker import Checker, CheckSettings
    from consistency.pairing import PairingSettings
    from consistency.scoring import ScoringSettings

    several = len(articles) > 1
    plan = run_library(plan_outputs, output, articles, fmt, force=force, per_input=True)
    _check_output(several, plan.fmt, output)
    # bad input is found before models load: one article fails at once; of several, the others are still checked
    kept, texts, problems = _readable(articles, lang_check)
    articles = tuple(articles[i] for i in kept)
    if plan.targets:
        plan = replace(plan, targets=tuple(plan.targets[i] for i in kept))
    settings = CheckSettings(
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        near_miss_margin=NEAR_MISS_MARGIN if show_all else 0.0,
        pairing=PairingSettings(top_k=top_k),
        scoring=ScoringSettings(views=views),
        lang_check=lang_check,
    )
    checker = Checker(spec=models, settings=settings, progress=progress is not False)
    reports = []
    for path, (text, encoding, read_as) in zip(articles, texts, strict=True):
        source = "<stdin>" if path == "-" else path
        reports.append(run_library(checker.check, text, source=source, encoding=encoding, read_as=read_as))
    if plan.targets:
        run_library(write_plan, plan, [render(report, plan.fmt) for report in reports])
    else:
        run_library(write_output, render_many(reports, plan.fmt, color=output is None and sys.stdout.isatty()), None)
    if plan.targets or plan.fmt != "text":  # a text report on the terminal shows its warnings itself
        for report in reports:
            for warning in report.warnings:
                click.echo(f"warning: {warning}", err=True)
    if problems:
        sys.exit(1)  # each was said before the models loaded
    if fail_on_findings and any(r.findings for r in reports):
        sys.exit(FINDINGS_EXIT_CODE)


def _readable(articles: tuple[str, ...], lang_check: str
              ) -> tuple[list[int], list[tuple[str, str, str | None]], list[str]]:
    """The positions of the articles that can be read (and pass ``--lang-check error``), their (text, encoding,
    read as), and a line per one that cannot. One article, or none readable: a one-line error at once."""
    from consistency.errors import ConsistencyError
    from consistency.text.language import check_language
    from consistency.text.textio import read_article_as

    kept: list[int] = []
    texts: list[tuple[str, str, str | None]] = []
    problems: list[str] = []
    for position, path in enumerate(articles):
        try:
            text, encoding, read_as = read_article_as(path)
            if lang_check == "error":
                check_language(text, "<stdin>" if path == "-" else path, "error")
        except ConsistencyError as exc:
            if len(articles) == 1:
                raise click.ClickException(str(exc)) from None
            problems.append(str(exc))
            click.echo(f"Error: {exc} (not checked; the other articles are)", err=True)
            continue
        kept.append(position)
        texts.append((text, encoding, read_as))
    if not kept:
        raise click.ClickException(f"none of the {len(articles)} articles can be checked: " + "; ".join(problems))
    return kept, texts, problems


@main.command("render", context_settings=CONTEXT_SETTINGS)
@click.argument("saved", type=click.Path(allow_dash=True, path_type=str))
@report_options()
def render_saved(saved: str, fmt: str | None, output: str | None, force: bool) -> None:
    """Show a report saved with `check --format json`, or a comparison saved with `compare --format json` or
    `corpus check --format json` (SAVED; - reads stdin), in another format without scoring again:
    `consistency render report.json -o report.html`."""
    from consistency.render.output import is_stdout, names_directory, output_format

    reports = _read_saved(saved)
    if len(reports) > 1 and not is_stdout(output) and (
            names_directory(str(output)) or run_library(output_format, fmt, output) == "html"):
        # several check reports, one file each in -o DIR, as `check` writes them (a QA walk found no way to HTML)
        pages = run_library(plan_outputs, output, [str(r.source) for r in reports], fmt, force=force, per_input=True)
        run_library(write_plan, pages, [render(report, pages.fmt) for report in reports])
        return
    plan = run_library(plan_outputs, output, [saved], fmt, force=force)
    _check_output(len(reports) > 1, plan.fmt, None if plan.targets else output)
    content = render_many(reports, plan.fmt, color=output is None and sys.stdout.isatty())
    run_library(write_output, content, plan.targets[0] if plan.targets else None, force=force)


def _read_saved(saved: str) -> list[Any]:
    """The reports of a saved JSON file (or stdin), for ``render``: read as saved (an article's reader would clean
    markup out of it), and an empty one named as a missing report, not a missing article (a QA walk)."""
    from consistency.render import read_saved_reports
    from consistency.text.textio import decode_text

    name = "<stdin>" if saved == "-" else saved
    try:
        data = sys.stdin.buffer.read() if saved == "-" else Path(saved).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read '{name}': {exc.strerror or exc}; check the path") from None
    text, _ = run_library(decode_text, data, name)
    if not text.strip():
        raise click.ClickException(f"'{name}' is empty: pass a report saved with `consistency check --format json` "
                                   "or a comparison saved with `consistency compare --format json`")
    return run_library(read_saved_reports, text, name)


def _check_output(several: bool, fmt: str, output: str | None) -> None:
    """Refuse HTML of several articles on stdout, before any work."""
    if several and fmt == "html" and output is None:
        raise click.BadParameter("HTML reports of several articles need -o DIR (one page per article)",
                                 param_hint="-o/--output")


def _register_subcommands() -> None:
    """Attach the command groups that live in their own modules (they import nothing heavy at load)."""
    from consistency.cli.bench import bench
    from consistency.cli.compare import compare, corpus

    main.add_command(bench)
    main.add_command(compare)
    main.add_command(corpus)


_register_subcommands()
