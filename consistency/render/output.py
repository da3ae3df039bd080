"""Where reports go: the format an ``-o`` path implies, the files a command may write, and the one writer.

The rules, the same for every command with ``-o``:

* no command writes over one of its inputs, not even with ``--force``;
* any other existing file is overwritten only with ``--force``;
* a file's directory must exist (none is created silently);
* one report per input (``check`` with several articles) needs a directory: an existing one, or a path ending
  in ``/``, which is created (and the command says so on stderr);
* without ``--format`` the extension picks the format (:data:`SUFFIX_FORMATS`); a ``--format`` that disagrees
  with the extension is an error.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from consistency.compare.articles import JSONL_SUFFIXES, TEXT_SUFFIXES
from consistency.errors import OutputError

SUFFIX_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
                  ".txt": "text"}
EXTENSIONS = {"text": "txt", "json": "json", "markdown": "md", "html": "html"}
# The extensions -o understands, as format names for -f and render() (``SUFFIX_FORMATS`` without the dot).
FORMAT_ALIASES = {suffix.lstrip("."): fmt for suffix, fmt in SUFFIX_FORMATS.items()}
OUTPUT_HELP = ("write the report to this file instead of stdout; its extension picks the format (.json, .md, "
               ".html, .txt) unless -f says one; the file's directory must exist; an existing file needs --force, "
               "and an input is never overwritten")
OUTPUT_MANY_HELP = (OUTPUT_HELP + ". With several articles (one report each, NAME.report.EXT) -o must be an "
                    "existing directory or end with / (the directory is then created)")
FORCE_HELP = "overwrite an existing -o file (never one of the inputs)"
FORMAT_HELP = "report format [default: from the -o extension, else text]"


@dataclass(frozen=True)
class OutputPlan:
    """Checked before any work: the format, the files to write (none: stdout), a directory to create first."""

    fmt: str
    targets: tuple[Path, ...] = ()
    create: Path | None = None
    force: bool = False


def is_stdout(output: str | Path | None) -> bool:
    return output is None or str(output) == "-"


def names_directory(output: str) -> bool:
    """Whether ``-o`` names a folder: an existing directory, or a path ending in the separator."""
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def output_format(fmt: str | None, output: str | None) -> str:
    """``fmt`` when given, else the format ``output``'s extension implies, else text (a name without an
    extension); disagreement, or an extension no format has and no ``fmt``, is an error."""
    implied = None
    if not is_stdout(output) and not names_directory(str(output)):
        suffix = Path(str(output)).suffix.lower()
        implied = SUFFIX_FORMATS.get(suffix)
        if implied is None and suffix and fmt is None:
            raise OutputError(f"-o '{output}' has the extension '{suffix}', which names no report format; use .txt, "
                              ".json, .md or .html, or name the format with -f")
    if fmt is None:
        return implied or "text"
    fmt = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())  # "-f md" as "-o r.md" reads it
    if implied is not None and implied != fmt:
        raise OutputError(f"--format {fmt} disagrees with the extension of -o '{output}' ({implied}); "
                          "drop --format or change the extension")
    return fmt


def report_names(inputs: Sequence[str], fmt: str) -> list[str]:
    """One file name per input: its stem, ``.report`` and the format's extension, so that a report never looks
    like (or lands on) its article; a/x.txt and b/x.txt give x.report.txt and x-2.report.txt."""
    used: set[str] = set()
    names = []
    for path in inputs:
        stem = "stdin" if path == "-" else Path(path).stem
        name, copy = f"{stem}.report.{EXTENSIONS[fmt]}", 1
        while name in used:
            copy += 1
            name = f"{stem}-{copy}.report.{EXTENSIONS[fmt]}"
        used.add(name)
        names.append(name)
    return names


def _is_input(target: Path, inputs: Sequence[str]) -> bool:
    """``target`` is one of ``inputs``, or an article file inside an input directory."""
    resolved = target.resolve()
    for name in inputs:
        if name == "-":
            continue
        path = Path(name).resolve()
        if resolved == path:
            return True
        if path.is_dir() and resolved.is_relative_to(path) \
                and resolved.name.lower().endswith(TEXT_SUFFIXES + JSONL_SUFFIXES):
            return True
    return False


def _check_target(target: Path, output: str, inputs: Sequence[str], force: bool) -> None:
    if _is_input(target, inputs):
        raise OutputError(f"-o '{output}' would write over the input '{target}'; inputs are never overwritten, "
                          "not even with --force: choose another -o")
    if target.is_dir():
        raise OutputError(f"-o '{target}' is a directory; name a file for the report")
    if target.exists() and not force:
        raise OutputError(f"'{target}' exists; pass --force to overwrite it, or choose another -o")
    if not target.parent.is_dir():
        raise OutputError(f"the directory of -o '{output}' does not exist ('{target.parent}'); create it first "
                          "or choose another -o")


def plan_outputs(output: str | None, inputs: Sequence[str], fmt: str | None, *, force: bool = False,
                 per_input: bool = False) -> OutputPlan:
    """Check ``-o`` against the rules of this module before any work; ``per_input``: one report per input
    (into a directory when there are several), else one report of all inputs (``-o`` names a file)."""
    fmt = output_format(fmt, output)
    if is_stdout(output):
        return OutputPlan(fmt)
    out = str(output)
    if not per_input or not names_directory(out):
        if per_input and len(inputs) > 1:
            raise OutputError(f"-o '{out}' is not a directory, but {len(inputs)} articles give one report each: "
                              "pass an existing directory or a path ending in / (it is created)")
        if names_directory(out):
            raise OutputError(f"-o '{out}' is a directory; this command writes one report: name a file")
        target = Path(out)
        _check_target(target, out, inputs, force)
        return OutputPlan(fmt, (target,), force=force)
    directory = Path(out)
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"-o '{out}' is a file; with several articles -o must name a directory")
    targets = tuple(directory / name for name in report_names(inputs, fmt))
    if directory.is_dir():
        for target in targets:
            _check_target(target, out, inputs, force)
    return OutputPlan(fmt, targets, None if directory.is_dir() else directory, force)


def write_output(content: str, output: Path | None, *, force: bool = False) -> None:
    """Write ``content`` to ``output``, or to stdout when it is None or ``-``. An existing file is replaced
    only with ``force``; a missing directory or a file that cannot be written is an :class:`OutputError`."""
    if output is None or str(output) == "-":
        click.echo(content, nl=not content.endswith("\n"))
        return
    if output.exists() and not force:
        raise OutputError(f"'{output}' exists; pass --force to overwrite it, or choose another -o")
    try:
        output.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write '{output}': {exc.strerror}; choose another -o path") from None


def write_plan(plan: OutputPlan, contents: Sequence[str]) -> None:
    """Write one content per target of ``plan``, creating its directory first (and saying so on stderr)."""
    if plan.create is not None:
        try:
            plan.create.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the directory '{plan.create}': {exc.strerror}; "
                              "choose another -o path") from None
        click.echo(f"created directory '{plan.create}'", err=True)
    for target, content in zip(plan.targets, contents, strict=True):
        write_output(content, target, force=plan.force)
