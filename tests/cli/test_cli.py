"""The command line through click's CliRunner: exit codes and exact error texts, formats, several
articles, stdin, and that --help / --version stay light (no torch)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import REPO_ROOT

from consistency import __version__
from consistency.build_info import code_version
from consistency.cli import main
from consistency.testing import FakeEmbedder, FakeNLI

CONTRADICTING = (
    "The meeting was attended by 35 people. The meeting was attended by 40 people.\n\n"
    "Peskov said the talks were held in Moscow. The talks were not held in Moscow. The weather was mild.\n"
)
CONSISTENT = "The weather was mild on Monday. Farmers planted wheat in the spring.\n"
HELP = " (see 'consistency check --help')\n"  # a usage error is one line that names the help


def invoke(args: list[str], input: bytes | str | None = None) -> Result:
    return CliRunner().invoke(main, args, input=input, prog_name="consistency")


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace the real model classes the Checker builds lazily; record how they were built."""
    built: dict[str, Any] = {"nli": [], "embedder": []}

    def nli(model: str | None = None, **kwargs: Any) -> FakeNLI:
        built["nli"].append((model, kwargs))
        backend = FakeNLI(batch_size=kwargs.get("batch_size", 4))
        built.setdefault("nli_backends", []).append(backend)
        return backend

    def embedder(model: str | None = None, **kwargs: Any) -> FakeEmbedder:
        built["embedder"].append((model, kwargs))
        return FakeEmbedder()

    monkeypatch.setattr("consistency.runtime.spec.TransformersNLI", nli)
    monkeypatch.setattr("consistency.runtime.spec.SentenceTransformerEmbedder", embedder)
    monkeypatch.setattr("consistency.runtime.spec.ModelSpec.check_available", lambda self: None)  # names are fakes
    monkeypatch.delenv("CONSISTENCY_NLI_MODEL", raising=False)
    monkeypatch.delenv("CONSISTENCY_EMBEDDING_MODEL", raising=False)
    return built


@pytest.fixture
def articles(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "contradicting": tmp_path / "contradicting.txt",
        "consistent": tmp_path / "consistent.txt",
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "photo.jpg",
    }
    paths["contradicting"].write_text(CONTRADICTING, encoding="utf-8")
    paths["consistent"].write_text(CONSISTENT, encoding="utf-8")
    paths["empty"].write_bytes(b"  \n")
    paths["binary"].write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    return paths


# --- version and help ----------------------------------------------------------------------------


def test_version() -> None:
    result = invoke(["--version"])
    assert result.exit_code == 0
    assert result.output == f"consistency, version {code_version()}\n" and code_version().startswith(__version__)


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(flag: str) -> None:
    result = invoke([flag])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: consistency [OPTIONS] COMMAND [ARGS]...")
    assert "Find claims in news text that contradict each other." in result.output
    assert "check" in result.output and "--version" in result.output


def test_check_help_lists_the_options() -> None:
    result = invoke(["check", "-h"])
    assert result.exit_code == 0
    for option in ("--format", "--output", "--threshold", "--fail-on-findings", "--nli-model", "--embedding-model",
                   "--device", "--batch-size", "[text|json|markdown|html|md|txt|htm]"):
        assert option in result.output


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["check", "--help"]])
def test_help_and_version_do_not_import_torch(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from consistency.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr


# --- bad input: exit 1, one line, no traceback ---------------------------------------------------


def test_missing_file(fakes: dict[str, Any], tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = invoke(["check", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: no such file: '{missing}'; check the path\n"
    assert result.stdout == ""
    assert fakes["nli"] == [] and fakes["embedder"] == []  # failed before any model was built


def test_empty_file(fakes: dict[str, Any], articles: dict[str, Path]) -> None:
    result = invoke(["check", str(articles["empty"])])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: '{articles['empty']}' is empty (or only whitespace); pass an article with some text\n"
    )


def test_binary_file(fakes: dict[str, Any], articles: dict[str, Path]) -> None:
    result = invoke(["check", str(articles["binary"])])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: '{articles['binary']}' looks binary (NUL byte at offset 4); pass a plain-text article (UTF-8)\n"
    )


def test_directory(fakes: dict[str, Any], tmp_path: Path) -> None:
    result = invoke(["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: '{tmp_path}' is a directory; pass article files (for many articles use 'consistency compare')\n"
    )


def test_bad_second_file_is_said_before_models_load_and_the_first_is_still_checked(
        fakes: dict[str, Any], articles: dict[str, Path], tmp_path: Path) -> None:
    # Said at once (a typo is seen before a model loads); a fact-checker's batch with one empty file used to
    # write no report at all.
    out = tmp_path / "out"
    result = invoke(["check", str(articles["contradicting"]), str(articles["empty"]), "-o", f"{out}/"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: '{articles['empty']}' is empty")
    assert result.stderr.splitlines()[0].endswith("(not checked; the other articles are)")
    assert [p.name for p in out.iterdir()] == ["contradicting.report.txt"] and fakes["nli"]


def test_unknown_format() -> None:
    result = invoke(["check", "-f", "pdf", "article.txt"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Invalid value for '-f' / '--format': 'pdf' is not one of 'text', 'json', 'markdown', "
        "'html', 'md', 'txt', 'htm'" + HELP
    )


def test_threshold_out_of_range() -> None:
    result = invoke(["check", "-t", "1.5", "article.txt"])
    assert result.exit_code == 2
    assert result.stderr == "Error: Invalid value for '-t' / '--threshold': 1.5 is not in the range 0.0<=x<=1.0" + HELP


@pytest.mark.parametrize(("args", "help_of"), [
    (["check", "article.txt", "--threshold"], "consistency check"),  # a missing value: before its context
    (["corpus", "check", "--db", "c.db", "--since"], "consistency corpus check"),
    (["--frob"], "consistency"),  # the group's own option: click printed its usage block
    (["corpus", "frob"], "consistency corpus"),
])
def test_every_usage_error_is_one_line_naming_the_help_to_read(args: list[str], help_of: str) -> None:
    # QA walk 5: a missing option value pointed at the top-level help, an unknown top-level option gave 4 lines
    result = invoke(args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.endswith(f" (see '{help_of} --help')\n")


def test_no_articles() -> None:
    result = invoke(["check"])
    assert result.exit_code == 2
    assert result.stderr == "Error: Missing argument 'ARTICLES...'" + HELP


def test_several_html_reports_need_a_directory(articles: dict[str, Path]) -> None:
    result = invoke(["check", "-f", "html", str(articles["contradicting"]), str(articles["consistent"])])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Invalid value for -o/--output: HTML reports of several articles need -o DIR "
        "(one page per article)" + HELP
    )


def test_several_articles_with_output_file(articles: dict[str, Path]) -> None:
    target = articles["consistent"]
    result = invoke(["check", str(articles["contradicting"]), str(target), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: -o '{target}' is not a directory, but 2 articles give one report each: pass an existing directory "
        "or a path ending in / (it is created)\n"
    )
    assert target.read_text(encoding="utf-8") == CONSISTENT  # untouched


def test_nli_model_path_that_does_not_exist(monkeypatch: pytest.MonkeyPatch, articles: dict[str, Path]) -> None:
    """The real TransformersNLI loading path (only the embedder is faked): a one-line error, exit 1."""
    monkeypatch.setattr("consistency.runtime.spec.SentenceTransformerEmbedder", lambda *a, **k: FakeEmbedder())
    result = invoke(["check", "--device", "cpu", "--nli-model", "/does/not/exist", str(articles["contradicting"])])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: NLI model path '/does/not/exist' does not exist; pass a model directory or a Hugging Face id\n"
    )
    assert "Traceback" not in result.output


def test_nli_model_from_the_environment(monkeypatch: pytest.MonkeyPatch, articles: dict[str, Path]) -> None:
    monkeypatch.setattr("consistency.runtime.spec.SentenceTransformerEmbedder", lambda *a, **k: FakeEmbedder())
    monkeypatch.setenv("CONSISTENCY_NLI_MODEL", "./no/such/model")
    result = invoke(["check", "--device", "cpu", str(articles["contradicting"])])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: NLI model path './no/such/model' does not exist; pass a model directory or a Hugging Face id\n"
    )


# --- running checks ------------------------------------------------------------------------------


def test_json_report_and_model_options(fakes: dict[str, Any], articles: dict[str, Path]) -> None:
    result = invoke(["check", "-f", "json", "--batch-size", "3", "--device", "cpu", "--dtype", "bfloat16",
                     "--nli-model", "some/nli", "--nli-max-length", "256", str(articles["contradicting"])])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == str(articles["contradicting"])
    assert [f["score"] for f in data["findings"]] == [0.92, 0.85]
    assert fakes["nli"] == [("some/nli", {"device": "cpu", "dtype": "bfloat16", "batch_size": 3, "max_length": 256})]
    assert fakes["embedder"] == [(None, {"device": "cpu", "dtype": "bfloat16"})]


def test_auto_device_and_dtype_become_none(fakes: dict[str, Any], articles: dict[str, Path]) -> None:
    result = invoke(["check", "-f", "json", str(articles["consistent"])])
    assert result.exit_code == 0, result.output
    assert fakes["nli"] == [(None, {"device": None, "dtype": None, "batch_size": 32, "max_length": None})]


def test_nli_max_length_below_sixteen_tokens_is_a_usage_error(fakes: dict[str, Any], articles: dict[str, Path]
                                                              ) -> None:
    result = invoke(["check", "--nli-max-length", "8", str(articles["consistent"])])
    assert result.exit_code == 2 and "--nli-max-length" in result.output
    assert fakes["nli"] == []


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_every_format_renders(fakes: dict[str, Any], articles: dict[str, Path], fmt: str) -> None:
    result = invoke(["check", "-f", fmt, str(articles["contradicting"])])
    assert result.exit_code == 0, result.output
    assert "35 people" in result.stdout and "40 people" in result.stdout
    assert result.stderr == ""


def test_threshold_option(fakes: dict[str, Any], articles: dict[str, Path]) -> None:
    result = invoke(["check", "-f", "json", "-t", "0.9", str(articles["contradicting"])])
    data = json.loads(result.stdout)
    assert [f["score"] for f in data["findings"]] == [0.92]
    assert data["near_misses"] == []  # near misses only with --all
    result = invoke(["check", "-f", "json", "-t", "0.9", "--all", str(articles["contradicting"])])
    assert [f["score"] for f in json.loads(result.stdout)["near_misses"]] == [0.85]


def test_fail_on_findings(fakes: dict[str, Any], articles: dict[str, Path]) -> None:
    assert invoke(["check", str(articles["contradicting"])]).exit_code == 0
    # 3, not 1: a CI job tells "contradictions found" from "the check failed" (a new user's CI could not)
    assert invoke(["check", "--fail-on-findings", str(articles["contradicting"])]).exit_code == 3
    assert invoke(["check", "--fail-on-findings", str(articles["consistent"])]).exit_code == 0
    assert invoke(["check", "--fail-on-findings", str(articles["consistent"]) + ".missing"]).exit_code == 1
    both = invoke(["check", "--fail-on-findings", "-f", "json", str(articles["consistent"]),
                   str(articles["contradicting"])])
    assert both.exit_code == 3
    assert len(json.loads(both.stdout)) == 2  # the report is still written


def test_several_articles_make_a_json_array(fakes: dict[str, Any], articles: dict[str, Path]) -> None:
    result = invoke(["check", "-f", "json", str(articles["contradicting"]), str(articles["consistent"])])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    assert [r["source"] for r in data] == [str(articles["contradicting"]), str(articles["consistent"])]
    assert [len(r["findings"]) for r in data] == [2, 0]
    assert len(fakes["nli"]) == 1  # models are loaded once for all articles


def test_several_articles_into_a_directory(fakes: dict[str, Any], articles: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "reports" / "new"
    result = invoke(["check", "-f", "json", "-o", f"{out}/", str(articles["contradicting"]),
                     str(articles["consistent"])])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"created directory '{out}'\n"
    assert sorted(p.name for p in out.iterdir()) == ["consistent.report.json", "contradicting.report.json"]
    data = json.loads((out / "contradicting.report.json").read_text(encoding="utf-8"))
    assert data["source"] == str(articles["contradicting"])
    assert len(data["findings"]) == 2


def test_several_articles_with_the_same_name_do_not_overwrite(fakes: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text(CONTRADICTING, encoding="utf-8")
    (tmp_path / "b" / "story.txt").write_text(CONSISTENT, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(["check", "-f", "markdown", "-o", f"{out}/", str(tmp_path / "a" / "story.txt"),
                     str(tmp_path / "b" / "story.txt")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["story-2.report.md", "story.report.md"]
    assert "35 people" in (out / "story.report.md").read_text(encoding="utf-8")
    assert "Farmers" in (out / "story-2.report.md").read_text(encoding="utf-8")


def test_html_pages_into_a_directory(fakes: dict[str, Any], articles: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "html"
    out.mkdir()
    result = invoke(["check", "-f", "html", "-o", str(out), str(articles["contradicting"]),
                     str(articles["consistent"])])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["consistent.report.html", "contradicting.report.html"]


def test_output_directory_that_cannot_be_made(fakes: dict[str, Any], articles: dict[str, Path],
                                              tmp_path: Path) -> None:
    out = articles["consistent"] / "reports"  # under a file
    result = invoke(["check", "-o", f"{out}/", str(articles["contradicting"]), str(articles["consistent"])])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot create the directory '{out}': Not a directory; choose another -o path\n"


def test_single_article_to_output_file(fakes: dict[str, Any], articles: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = invoke(["check", "-f", "json", "-o", str(target), str(articles["contradicting"])])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))["findings"]) == 2


def test_stdin(fakes: dict[str, Any]) -> None:
    result = invoke(["check", "-f", "json", "-"], input=CONTRADICTING.encode("utf-8"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == "<stdin>"
    assert len(data["findings"]) == 2


def test_empty_stdin(fakes: dict[str, Any]) -> None:
    result = invoke(["check", "-"], input="")
    assert result.exit_code == 1
    assert result.stderr == "Error: '<stdin>' is empty (or only whitespace); pass an article with some text\n"


def test_cp1252_file_is_decoded(fakes: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes(CONTRADICTING.replace("Peskov said", "Peskov said \u201cfine\u201d:").encode("cp1252"))
    result = invoke(["check", "-f", "json", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "\u201cfine\u201d" in data["text"]


def test_no_views_reads_only_whole_claims(fakes: dict[str, Any], tmp_path: Path) -> None:
    article = tmp_path / "quote.txt"
    article.write_text('Lukashenko spoke on Thursday. "Prigozhin is not in Belarus," he said. '
                       "Prigozhin lives in Belarus.\n", encoding="utf-8")
    results = [invoke(["check", str(article), "--format", "json", *flag]) for flag in ([], ["--no-views"])]
    assert [r.exit_code for r in results] == [0, 0]
    assert [json.loads(r.output)["claim_views"] for r in results] == [True, False]  # the report says how it read
    assert "whole claims only" in invoke(["check", str(article), "--no-views"]).output
    with_views, without = (set(backend.seen) for backend in fakes["nli_backends"][:2])
    assert without < with_views  # the view without the closing attribution is read only with views
    assert ("Prigozhin is not in Belarus.", "Prigozhin lives in Belarus.") in with_views - without


def test_ctrl_c_exits_130_not_as_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A cron script could not tell an interrupted run (exit 1, "Aborted!") from a failed one.
    import consistency.cli.app as app

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "run_library", interrupted)
    article = tmp_path / "a.txt"
    article.write_text("The bridge opened in 1990. It did not open in 1990.", encoding="utf-8")
    result = invoke(["check", str(article)])
    assert result.exit_code == 130 and result.output == "interrupted by Ctrl-C\n"


def test_a_load_problem_does_not_name_its_file_twice() -> None:
    from consistency.compare.articles import LoadProblem

    problem = LoadProblem("event/empty.txt", "'event/empty.txt' is empty (or only whitespace); pass an article")
    assert str(problem) == "'event/empty.txt' is empty (or only whitespace); pass an article"
    assert str(LoadProblem("c.jsonl", "'id' is missing", 3)) == "c.jsonl line 3: 'id' is missing"


# --- corpus add: what was skipped and what was kept ------------------------------------------------


def test_corpus_add_counts_skipped_inputs_and_caps_a_jsonl_files_warnings(fakes: dict[str, Any], tmp_path: Path,
                                                                           articles: dict[str, Path]) -> None:
    # An OSINT analyst: a JSONL file of another shape printed 2,246 warnings, and the summary did not count the
    # inputs it skipped.
    other_shape = tmp_path / "other.jsonl"
    other_shape.write_text("".join(json.dumps({"article": f"Text {n}."}) + "\n" for n in range(12)), encoding="utf-8")
    result = invoke(["corpus", "add", str(articles["contradicting"]), str(articles["consistent"]), str(other_shape),
                     "--db", str(tmp_path / "c.db"), "--no-progress"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 6 and warnings[-1].endswith("7 more lines skipped for the same kind of reasons (12 in all)")
    assert "2 added" in result.stdout and "12 inputs skipped (see the warnings)" in result.stdout
    assert re.search(r"\b\d+ claims \(\d+ new texts? embedded\), \d+ pairs? \(", result.stdout), result.stdout


def test_an_interrupted_corpus_add_says_what_it_kept(fakes: dict[str, Any], tmp_path: Path,
                                                     articles: dict[str, Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from consistency.store import CorpusStore

    real_add = CorpusStore._add

    def add_then_stop(self: CorpusStore, items: Any, checker: Any, progress: Any, replace_any: bool = False) -> Any:
        real_add(self, items[:1], checker, progress, replace_any)
        raise KeyboardInterrupt

    monkeypatch.setattr(CorpusStore, "_add", add_then_stop)
    result = invoke(["corpus", "add", str(articles["contradicting"]), str(articles["consistent"]),
                     "--db", str(tmp_path / "c.db"), "--no-progress"])
    assert result.exit_code == 130
    assert "interrupted: 1 of 2 articles stored (or found unchanged); run the same command again to add the rest" \
        in result.stderr


def test_an_article_from_stdin_gets_the_id_given(fakes: dict[str, Any], tmp_path: Path) -> None:
    # An OSINT analyst piped wire copy in: every piped article was "stdin", and the refusal said "rename the file".
    db = str(tmp_path / "c.db")
    first = invoke(["corpus", "add", "-", "--db", db, "--no-progress"], input=CONTRADICTING)
    assert first.exit_code == 0, first.output
    other = invoke(["corpus", "add", "-", "--db", db, "--no-progress"], input=CONSISTENT)
    assert other.exit_code == 1 and "give it another id with --stdin-id ID to store both" in other.stderr
    named = invoke(["corpus", "add", "-", "--db", db, "--no-progress", "--stdin-id", "wire-2"], input=CONSISTENT)
    assert named.exit_code == 0 and "1 added" in named.stdout and "2 articles in the corpus" in named.stdout
    alone = invoke(["corpus", "add", str(tmp_path / "c.db"), "--db", db, "--stdin-id", "x"])
    assert alone.exit_code == 2 and "--stdin-id names the article read from stdin" in alone.output


def test_corpus_add_lists_an_edit_and_names_a_copy(fakes: dict[str, Any], tmp_path: Path,
                                                   articles: dict[str, Path]) -> None:
    db = str(tmp_path / "c.db")
    assert invoke(["corpus", "add", str(articles["contradicting"]), "--db", db, "--no-progress"]).exit_code == 0
    articles["contradicting"].write_text(CONTRADICTING.replace("by 40 people", "by 45 people"), encoding="utf-8")
    copy = tmp_path / "syndicated.txt"
    copy.write_text(CONTRADICTING, encoding="utf-8")
    result = invoke(["corpus", "add", str(articles["contradicting"]), str(copy), "--db", db, "--no-progress"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "edited: contradicting (1 sentence removed, 1 added; the stored version is replaced)" in lines
    assert "  - The meeting was attended by 40 people." in lines
    assert "  + The meeting was attended by 45 people." in lines
    assert any(line.startswith("copy: syndicated repeats ") and line.endswith(" word for word from contradicting")
               for line in lines), lines


def test_corpus_list_shows_what_is_stored(fakes: dict[str, Any], tmp_path: Path, articles: dict[str, Path]) -> None:
    # An OSINT analyst: the only inventory of a corpus was the "Articles:" block of a full corpus check.
    db = str(tmp_path / "c.db")
    invoke(["corpus", "add", str(articles["contradicting"]), str(articles["consistent"]), "--db", db,
            "--no-progress"])
    fakes["nli"].clear()
    listed = invoke(["corpus", "list", "--db", db])
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].startswith(f"{db}: 2 articles, ") and lines[1].split()[:2] == ["id", "claims"]
    assert [line.split()[0] for line in lines[3:]] == ["contradicting", "consistent"]  # under a rule
    rows = json.loads(invoke(["corpus", "list", "--db", db, "--json"]).stdout)
    assert [r["id"] for r in rows] == ["contradicting", "consistent"] and rows[0]["claims"] >= 2
    assert rows[0]["added"].endswith("+00:00") and rows[0]["paired_under"]
    # the table shows the second, as --since reads it (a QA walk copied a minute and got a batch back as new)
    assert rows[0]["added"][:19].replace("T", " ") in lines[3]
    assert fakes["nli"] == []  # nothing loaded a model
    removed = invoke(["corpus", "remove", "contradicting", "--db", db])
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.startswith("removed 1 article (") and removed.stdout.rstrip().endswith(
        f"{db} now holds 1 article, {rows[1]['claims']} claims")
    assert [r["id"] for r in json.loads(invoke(["corpus", "list", "--db", db, "--json"]).stdout)] == ["consistent"]
    unknown = invoke(["corpus", "remove", "consistent", "contradicting", "--db", db])
    assert unknown.exit_code == 1 and "holds no article 'contradicting'" in unknown.output
    assert fakes["nli"] == []  # nothing loaded a model
    missing = invoke(["corpus", "list", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no corpus database at" in missing.output
