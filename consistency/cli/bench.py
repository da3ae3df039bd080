"""`consistency bench ...`: accuracy and speed suites (thin click layer over consistency.eval).

Nothing heavy is imported at load time: the suites (and torch) are imported inside the commands.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from consistency.checker import Checker
from consistency.cli.options import CONTEXT_SETTINGS, model_options, run_library
from consistency.runtime.resolve import NLI_MODEL_ENV
from consistency.runtime.spec import ModelSpec

logger = logging.getLogger(__name__)

RESULTS_DIR = str(Path("benchmarks") / "results")
ARTICLES_ENV = "CONSISTENCY_BENCH_ARTICLES"
DEFAULT_ARTICLES = Path("..") / "shared" / "data" / "docs" / "frank.jsonl.gz"  # the shared data, beside the checkout
PAIRING_CHOICES = ("candidates", "all", "both")


@click.group(context_settings=CONTEXT_SETTINGS)
def bench() -> None:
    """Measure accuracy on labelled data and speed on this machine.

    Every suite prints a table; --json prints one JSON object instead (machine, device, dtype, batch
    size, models, data file and sha256, timings and the suite's metrics); --save also writes it to
    benchmarks/results/<suite>-<date>-<device>[-<tag>].json (relative to the working directory; --results-dir
    sets another folder; --tag alone saves too). An existing file is never overwritten: the name gets -2, -3.
    """


def output_options(func: Any) -> Any:
    options = [
        click.option("--json", "as_json", is_flag=True, help="print one JSON object instead of the table"),
        click.option("--save", is_flag=True, help="also write the JSON result under --results-dir"),
        click.option("--results-dir", type=click.Path(file_okay=False, path_type=str), default=RESULTS_DIR,
                     show_default=True, help="where --save writes"),
        click.option("--tag", default=None, metavar="TEXT",
                     help="suffix of the saved file's name, and save it (as --save) [default: from the data file "
                          "and the run's options]"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def accuracy_options(func: Any) -> Any:
    options = [
        click.option("-t", "--threshold", type=click.FloatRange(0.0, 1.0), default=None,
                     help="fixed decision threshold [default: the checker's, 0.5]"),
        click.option("--calibrate-on", type=click.Path(exists=True, dir_okay=False, path_type=str), default=None,
                     metavar="DEV_FILE", help="pick the threshold that maximises balanced accuracy on this other "
                                              "file (never the reported one)"),
        click.option("--pairing", type=click.Choice(PAIRING_CHOICES), default="candidates", show_default=True,
                     help="candidates: the checker's pair selection; all: every claim against every claim "
                          "(SummaC-ZS style); both: run the two side by side"),
        click.option("--limit", type=click.IntRange(1), default=None,
                     help="use N items of each file, the calibration file too: labels in turn, in file order, so both "
                          "classes are kept [default: all]"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _pairings(choice: str) -> tuple[str, ...]:
    return ("candidates", "all") if choice == "both" else (choice,)


def _check_threshold_rule(threshold: float | None, calibrate_on: str | None) -> None:
    if threshold is not None and calibrate_on is not None:
        raise click.UsageError("--threshold and --calibrate-on exclude each other: give a fixed threshold or a "
                               "file to pick it on, not both")


def _finish(record: dict[str, Any], as_json: bool, save: bool, results_dir: str, tag: str | None,
            formatter: Callable[[dict[str, Any]], str], user_tag: str | None = None) -> None:
    from consistency.eval.frame import save_record

    if save or user_tag:  # a tag says to save (a walk's --tag alone saved nothing, silently)
        path = run_library(save_record, record, results_dir, _run_name(user_tag or tag))
        click.echo(f"saved {path}", err=True)
    if as_json:
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        click.echo(formatter(record))


def _run_name(tag: str | None) -> str | None:
    """The saved file's tag with what sets this run apart from another run of the same file: a model other than
    the built-in one, a second opinion, a dtype asked for (a walk's runs of one file were -2 and -3)."""
    params = click.get_current_context().params
    nli, second, dtype = (params.get(key) for key in ("nli_model", "second_opinion", "dtype"))
    if nli and nli != "builtin":
        tag = _tag(tag, Path(nli.rstrip("/")).name or nli)
    if second:
        tag = _tag(tag, "second-" + (Path(second.rstrip("/")).name or second))
    return _tag(tag, dtype if dtype and dtype != "auto" else None)


def _tag(*parts: str | None) -> str | None:
    kept = [p for p in parts if p]
    return "-".join(kept) or None


@bench.command("docs", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@accuracy_options
@click.option("--items", is_flag=True, help="keep each document's outcome in the JSON (--json, --save): id, label, "
                                            "score, flagged, evidence hit, its strongest pair")
@output_options
@model_options()
def docs(file: str, threshold: float | None, calibrate_on: str | None, pairing: str, limit: int | None, items: bool,
         as_json: bool, save: bool, results_dir: str, tag: str | None, models: ModelSpec) -> None:
    """Document self-contradiction on a ContraDoc-format FILE (JSONL: text, label contradictory |
    non_contradictory, evidence).

    A document's score is its strongest finding. Reports balanced accuracy at the threshold, ROC-AUC,
    the false-positive rate on clean documents and the evidence hit rate.
    """
    from consistency.eval.docs_suite import format_docs, run_docs
    from consistency.eval.frame import check_calibration_file

    _check_threshold_rule(threshold, calibrate_on)
    if calibrate_on is not None:
        run_library(check_calibration_file, [file], calibrate_on)  # before any model loads
    checker = Checker(spec=models)
    record = run_library(run_docs, checker, file, threshold=threshold, calibrate_on=calibrate_on,
                         pairings=_pairings(pairing), limit=limit, progress=sys.stderr.isatty(), keep_items=items)
    _finish(record, as_json, save, results_dir,
            _tag(Path(file).name.split(".")[0], None if pairing == "candidates" else pairing), format_docs, tag)


@bench.command("summaries", context_settings=CONTEXT_SETTINGS)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--rule", type=click.Choice(["either", "contradiction", "unsupported", "doc-unsupported"]),
              default="either", show_default=True,
              help="headline decision rule (all four are reported): a summary sentence is contradicted, "
                   "unsupported by every single document claim, either, or unsupported by the whole document")
@accuracy_options
@click.option("--items", is_flag=True, help="keep each summary's outcome in the JSON (--json, --save): id, label, "
                                            "sentences, pairs checked and its score under every rule")
@output_options
@model_options()
def summaries(files: tuple[str, ...], rule: str, threshold: float | None, calibrate_on: str | None, pairing: str,
              limit: int | None, items: bool, as_json: bool, save: bool, results_dir: str, tag: str | None,
              models: ModelSpec) -> None:
    """Summary against document on SummEdits-format FILES (JSONL: doc, summary, label "1" consistent / "0"
    inconsistent).

    Each summary sentence is checked against the document's claims; balanced accuracy per file.
    """
    from consistency.eval.frame import check_calibration_file
    from consistency.eval.summaries_suite import format_summaries, run_summaries

    _check_threshold_rule(threshold, calibrate_on)
    if calibrate_on is not None:
        run_library(check_calibration_file, list(files), calibrate_on)
    checker = Checker(spec=models)
    record = run_library(run_summaries, checker, list(files), rule=rule, threshold=threshold,
                         calibrate_on=calibrate_on, pairings=_pairings(pairing), limit=limit,
                         progress=sys.stderr.isatty(), items=items)
    stem = Path(files[0]).name.split(".")[0] if len(files) == 1 else None
    _finish(record, as_json, save, results_dir, _tag(stem, None if pairing == "candidates" else pairing),
            format_summaries, tag)


def _int_list(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    try:
        numbers = tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a comma-separated list of integers (e.g. 1,8,32)") from None
    if not numbers or min(numbers) < 1:
        raise click.BadParameter(f"'{value}' needs positive integers (e.g. 1,8,32)")
    return numbers


def _dtype_list(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    valid = ("float32", "float16", "bfloat16")
    names = tuple(part.strip() for part in value.split(",") if part.strip())
    bad = [name for name in names if name not in valid]
    if bad or not names:
        raise click.BadParameter(f"'{value}' has unknown dtypes {bad}; use a comma-separated list of "
                                 + ", ".join(valid))
    return names


@bench.command("speed", context_settings=CONTEXT_SETTINGS)
@click.option("--articles", type=click.Path(dir_okay=False, path_type=str), envvar=ARTICLES_ENV, default=None,
              metavar="FILE", help=f"JSONL of news articles (key article or text) [env {ARTICLES_ENV}; default "
                                   f"{DEFAULT_ARTICLES}, FRANK's CNN/DM and BBC articles]")
@click.option("--batch-sizes", callback=_int_list, default="1,8,32,64", show_default=True,
              help="batch sizes of the NLI and embedder sweeps")
@click.option("--dtypes", callback=_dtype_list, default=None,
              help="dtypes of the sweeps [default: float32,bfloat16 on cpu; float32,float16,bfloat16 on cuda]")
@click.option("--sizes", callback=_int_list, default="20,50,100,200", show_default=True,
              help="article lengths (sentences) for candidate vs all pairs")
@click.option("--n-articles", type=click.IntRange(1), default=20, show_default=True,
              help="articles for the end-to-end run")
@click.option("--n-pairs", type=click.IntRange(1), default=256, show_default=True, help="pairs per NLI measurement")
@click.option("--n-sentences", type=click.IntRange(1), default=512, show_default=True,
              help="sentences per embedder measurement")
@output_options
@model_options()
def speed(articles: str | None, batch_sizes: tuple[int, ...], dtypes: tuple[str, ...] | None,
          sizes: tuple[int, ...], n_articles: int, n_pairs: int, n_sentences: int, as_json: bool, save: bool,
          results_dir: str, tag: str | None, models: ModelSpec) -> None:
    """Speed: NLI pairs/s and embedder sentences/s by batch size and dtype, articles/s and time per stage,
    peak memory, and candidate vs all pairs on articles of 20-200 sentences."""
    from consistency.eval.speed_suite import format_speed, run_speed

    path = articles or str(DEFAULT_ARTICLES)
    if not Path(path).is_file():
        raise click.BadParameter(f"'{path}' is not a file; pass --articles FILE (JSONL with an article or text "
                                 f"key per line) or set {ARTICLES_ENV}", param_hint="--articles")
    if min(sizes) < 2:
        raise click.BadParameter(f"sizes {list(sizes)} must be at least 2 sentences", param_hint="--sizes")
    if dtypes and "float16" in dtypes and models.device == "cpu":  # refused before the models load, as it is named
        raise click.BadParameter("float16 is not supported on the CPU; use --dtypes float32,bfloat16 there",
                                 param_hint="--dtypes")
    checker = Checker(spec=models)
    record = run_library(run_speed, checker, path, batch_sizes=batch_sizes, dtypes=dtypes, n_pairs=n_pairs,
                         n_sentences=n_sentences, n_articles=n_articles, sizes=sizes,
                         progress=lambda message: logger.info("speed: %s", message))
    _finish(record, as_json, save, results_dir, None, format_speed, tag)


@bench.command("nli", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@model_options(embedding=False, batch_size=64, nli_aliases=("--model",))
@click.option("--limit", type=click.IntRange(1), default=None, help="use the first N pairs [default: all]")
@click.option("--split", default=None, metavar="NAME",
              help="only the pairs whose split field is NAME (the news challenge set: dev or report)")
@click.option("--items", is_flag=True, help="keep each pair's outcome in the JSON (--json, --save): gold label, "
                                            "prediction, the three probabilities")
@output_options
def nli(file: str, limit: int | None, split: str | None, items: bool, as_json: bool, save: bool, results_dir: str,
        tag: str | None, models: ModelSpec) -> None:
    """NLI accuracy on a labelled pair FILE (JSONL: premise, hypothesis, label; optional phenomenon): accuracy,
    macro-F1, per-class scores, confusion, calibration error, and accuracy per phenomenon where the file has one."""
    from consistency.eval.nli_eval import select_pairs
    from consistency.eval.nli_suite import format_nli, run_nli

    run_library(select_pairs, file, limit, split)  # a bad line or a missing split fails before the model loads
    backend = run_library(models.load_nli)
    record = run_library(run_nli, backend, file, limit=limit, split=split, items=items)
    name = Path(file).name.split(".")[0] + (f"-{split}" if split else "")
    _finish(record, as_json, save, results_dir, name, format_nli, tag)


DOCS_ENV = "CONSISTENCY_BENCH_DOCS"
DEFAULT_DOCS = Path("..") / "shared" / "data" / "docs"


@bench.command("corpus", context_settings=CONTEXT_SETTINGS)
@click.option("--docs", type=click.Path(file_okay=False, path_type=str), envvar=DOCS_ENV, default=None,
              metavar="DIR", help=f"the shared news data (frank.jsonl.gz, claimdiff/) [env {DOCS_ENV}; default "
                                  f"{DEFAULT_DOCS}]")
@click.option("--sizes", callback=_int_list, default="100,1000,10000", show_default=True,
              help="corpus sizes in articles (each measured in its own process)")
@click.option("--embedder", type=click.Choice(["real", "hashing"]), default="real", show_default=True,
              help="real: all-MiniLM-L6-v2; hashing: a bag-of-words stand-in for sizes where real embedding "
                   "would take hours on a CPU")
@click.option("--nli-model", envvar=NLI_MODEL_ENV, default=None, metavar="ID_OR_PATH",
              help="also measure this NLI model's throughput on a sample of each corpus's pairs and estimate the "
                   "NLI time of all pairs (the pairs themselves are scored by a rule stand-in)")
@click.option("--incremental", type=click.IntRange(1), default=10, show_default=True,
              help="articles added one at a time to the store after seeding it with the rest")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=str), default=None,
              help="where the benchmark databases go [default: a temporary directory]")
@output_options
def corpus(docs: str | None, sizes: tuple[int, ...], embedder: str, nli_model: str | None, incremental: int,
           workdir: str | None, as_json: bool, save: bool, results_dir: str, tag: str | None) -> None:
    """Scale of cross-article comparison: time, peak memory, candidate pairs and findings of `compare` and
    of incremental `corpus add` on corpora of real news text (FRANK, ClaimDiff; derived wire copies
    beyond their 685 articles)."""
    from consistency.eval.corpus_suite import format_corpus, missing_corpus_files, run_suite
    from consistency.eval.frame import save_record

    path = docs or str(DEFAULT_DOCS)
    missing = missing_corpus_files(path)
    if missing:
        raise click.BadParameter(f"'{path}' has no {', '.join(missing)}; pass --docs DIR (shared/data/docs) or "
                                 f"set {DOCS_ENV}", param_hint="--docs")
    records = run_library(run_suite, sizes, path, embedder=embedder, nli_model=nli_model, incremental=incremental,
                          workdir=workdir)
    if save or tag:
        for record in records:
            saved = run_library(save_record, record, results_dir,
                                _tag(tag, f"{record['articles']}", None if embedder == "real" else embedder))
            click.echo(f"saved {saved}", err=True)
    click.echo(json.dumps(records, indent=2, ensure_ascii=False) if as_json else format_corpus(records))



@bench.command("clean", context_settings=CONTEXT_SETTINGS)
@click.option("--docs", type=click.Path(file_okay=False, path_type=str), envvar=DOCS_ENV, default=None,
              metavar="DIR", help=f"the shared news data (frank.jsonl.gz, contradoc_wiki_story.jsonl) [env {DOCS_ENV}; "
                                  f"default {DEFAULT_DOCS}]")
@click.option("--source", "sources", type=click.Choice(["frank", "contradoc"]), multiple=True,
              help="measure only this source set (repeatable) [default: both]")
@click.option("-t", "--threshold", type=click.FloatRange(0.0, 1.0), default=None,
              help="decision threshold [default: the checker's, 0.5]")
@click.option("--limit", type=click.IntRange(1), default=None,
              help="use the first N of ContraDoc's non-contradictory documents [default: all; FRANK's 45 always]")
@click.option("--judged", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE",
              help="judged findings (JSONL: article, claim_a, claim_b, judgement) [default: "
                   "benchmarks/data/clean_judged.jsonl, when it exists]")
@output_options
@model_options()
def clean(docs: str | None, sources: tuple[str, ...], threshold: float | None, limit: int | None,
          judged: str | None, as_json: bool, save: bool, results_dir: str, tag: str | None,
          models: ModelSpec) -> None:
    """False alarms on clean news: the share of articles with a finding and findings per 100 claims (per
    finding type and source set) on FRANK's measurement-side articles and ContraDoc's non-contradictory
    documents, and how this run's findings compare with the judged ones. It reads --docs DIR/frank.jsonl.gz and
    DIR/contradoc_wiki_story.jsonl; of FRANK's articles only those on the measurement side of the article split
    (consistency.eval.article_split, never training material) are measured, and the run says how many it left
    out."""
    from consistency.eval.clean_suite import DEFAULT_JUDGED, SOURCES, clean_articles, format_clean, run_clean

    path = docs or str(DEFAULT_DOCS)
    if judged is not None and not Path(judged).is_file():
        raise click.BadParameter(f"'{judged}' is not a file; pass a JSONL of judged findings or leave --judged out",
                                 param_hint="--judged")
    chosen = sources or SOURCES
    run_library(clean_articles, path, 1, chosen)  # absent data fails before any model loads
    record = run_library(run_clean, Checker(spec=models), path, threshold=threshold, limit=limit, sources=chosen,
                         judged_file=judged or DEFAULT_JUDGED, progress=sys.stderr.isatty())
    _finish(record, as_json, save, results_dir, _tag(*sources) if sources else None, format_clean, tag)
