"""Issue 18.1: where -o writes. Nothing a user owns is overwritten: never an input, another existing file only
with --force; no directory is made silently; several reports need a directory; the extension picks the format.
Every command with -o (check, compare, corpus check), on the fake models of consistency.testing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from consistency.cli import main

ARTICLE_A = "The meeting was attended by 35 people. The meeting was attended by 40 people.\n"
ARTICLE_B = "The weather was mild on Monday. Farmers planted wheat in the spring.\n"


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, prog_name="consistency")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_models: None) -> Path:
    """Two articles in the current directory, as a user runs the tool in the articles' folder."""
    (tmp_path / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def untouched(folder: Path) -> bool:
    return ((folder / "a.txt").read_text(encoding="utf-8"), (folder / "b.txt").read_text(encoding="utf-8")) \
        == (ARTICLE_A, ARTICLE_B)


def test_reports_in_the_articles_folder_are_named_apart_from_them(folder: Path) -> None:
    # A new user's `-o DIR/` reports were named like the articles ("a.txt"), in any folder.
    for fmt, name in (("text", "a.report.txt"), ("json", "a.report.json")):
        result = invoke(["check", "a.txt", "b.txt", "-o", ".", "-f", fmt])
        assert result.exit_code == 0, result.output
        assert (folder / name).read_text(encoding="utf-8") and (folder / name.replace("a.", "b.", 1)).exists()
        assert untouched(folder)
    assert json.loads((folder / "a.report.json").read_text(encoding="utf-8"))["source"] == "a.txt"
    assert invoke(["check", "a.txt", "b.txt", "-o", "."]).exit_code == 1  # the reports exist now: --force


@pytest.mark.parametrize("args", [["check", "a.txt"], ["compare", "a.txt", "b.txt"]])
def test_output_onto_an_input(folder: Path, args: list[str]) -> None:
    result = invoke([*args, "-o", "a.txt", "--force"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: -o 'a.txt' would write over the input 'a.txt'; inputs are never overwritten, "
                             "not even with --force: choose another -o\n")
    assert untouched(folder)


def test_output_onto_a_file_inside_an_input_directory(folder: Path) -> None:
    result = invoke(["compare", ".", "-o", "b.txt", "--force"])
    assert result.exit_code == 1
    assert "would write over the input 'b.txt'" in result.stderr
    assert untouched(folder)


def test_output_onto_the_corpus_database(folder: Path) -> None:
    assert invoke(["corpus", "add", "a.txt", "b.txt", "--db", "corpus.sqlite"]).exit_code == 0
    before = (folder / "corpus.sqlite").read_bytes()
    result = invoke(["corpus", "check", "--db", "corpus.sqlite", "-o", "corpus.sqlite", "-f", "text", "--force"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: -o 'corpus.sqlite' would write over the input 'corpus.sqlite'; inputs are "
                             "never overwritten, not even with --force: choose another -o\n")
    assert (folder / "corpus.sqlite").read_bytes() == before


@pytest.mark.parametrize("args", [["check", "a.txt"], ["compare", "a.txt", "b.txt"]])
def test_existing_file_needs_force(folder: Path, args: list[str]) -> None:
    (folder / "old.txt").write_text("keep me", encoding="utf-8")
    result = invoke([*args, "-o", "old.txt"])
    assert result.exit_code == 1
    assert result.stderr == "Error: 'old.txt' exists; pass --force to overwrite it, or choose another -o\n"
    assert (folder / "old.txt").read_text(encoding="utf-8") == "keep me"
    result = invoke([*args, "-o", "old.txt", "--force"])
    assert result.exit_code == 0, result.output
    assert (folder / "old.txt").read_text(encoding="utf-8") != "keep me"


def test_existing_report_in_a_directory_needs_force(folder: Path) -> None:
    (folder / "out").mkdir()
    (folder / "out" / "a.report.json").write_text("keep me", encoding="utf-8")
    result = invoke(["check", "a.txt", "b.txt", "-o", "out", "-f", "json"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: '{Path('out') / 'a.report.json'}' exists; pass --force to overwrite it, or " \
        "choose another -o\n"
    assert not (folder / "out" / "b.report.json").exists()


REFUSED_OUTPUTS = [
    (["-o", "/no/such/dir/r.html"], "/no/such", "the directory of -o '/no/such/dir/r.html' does not exist "
     "('/no/such/dir'); create it first or choose another -o"),
    (["-o", "r.html", "-f", "json"], "r.html", "--format json disagrees with the extension of -o 'r.html' (html); "
     "drop --format or change the extension"),
    # a new user's `-o r.csv` got a text report in r.csv, silently
    (["-o", "r.csv"], "r.csv", "-o 'r.csv' has the extension '.csv', which names no report format; use .txt, "
     ".json, .md or .html, or name the format with -f"),
]


@pytest.mark.parametrize("args", [["check", "a.txt"], ["compare", "a.txt", "b.txt"]])
@pytest.mark.parametrize(("output", "not_created", "message"), REFUSED_OUTPUTS)
def test_a_refused_output_is_one_line_and_writes_nothing(folder: Path, args: list[str], output: list[str],
                                                          not_created: str, message: str) -> None:
    result = invoke([*args, *output])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert not (folder / not_created).exists()


def test_several_inputs_to_a_file_name(folder: Path) -> None:
    result = invoke(["check", "a.txt", "b.txt", "-o", "report.txt"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: -o 'report.txt' is not a directory, but 2 articles give one report each: pass "
                             "an existing directory or a path ending in / (it is created)\n")
    assert not (folder / "report.txt").exists()


def test_several_inputs_to_a_new_directory_ending_in_a_slash(folder: Path) -> None:
    result = invoke(["check", "a.txt", "b.txt", "-o", "reports/"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "created directory 'reports'\n"
    assert sorted(p.name for p in (folder / "reports").iterdir()) == ["a.report.txt", "b.report.txt"]


@pytest.mark.parametrize(("name", "check"), [
    ("r.html", lambda text: text.startswith("<!DOCTYPE html>")),
    ("r.htm", lambda text: text.startswith("<!DOCTYPE html>")),
    ("r.json", lambda text: json.loads(text)["source"] == "a.txt"),
    ("r.md", lambda text: text.startswith("# ")),
    ("r.markdown", lambda text: text.startswith("# ")),
    ("r.txt", lambda text: not text.startswith(("<", "{", "#"))),
])
def test_extension_picks_the_format(folder: Path, name: str, check: object) -> None:
    result = invoke(["check", "a.txt", "-o", name])
    assert result.exit_code == 0, result.output
    assert callable(check) and check((folder / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("args", [["check", "a.txt"], ["compare", "a.txt", "b.txt"]])
def test_an_extension_that_names_no_format_is_written_when_f_names_one(folder: Path, args: list[str]) -> None:
    assert invoke([*args, "-o", "r.csv", "-f", "json"]).exit_code == 0
    assert (folder / "r.csv").read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize("args", [["check"], ["compare"], ["corpus", "check"]])
def test_help_states_the_output_rules(args: list[str]) -> None:
    text = " ".join(invoke([*args, "--help"]).output.split())
    assert "--force" in text and "an input is never overwritten" in text
    assert "the file's directory must exist" in text and "extension picks the format" in text
    if args == ["check"]:
        assert "-o must be an existing directory or end with / (the directory is then created)" in text


def test_render_shows_a_saved_report_in_another_format_without_checking_again(folder: Path) -> None:
    assert invoke(["check", "a.txt", "-f", "json", "-o", "a.json"]).exit_code == 0
    saved = (folder / "a.json").read_text(encoding="utf-8")
    text = invoke(["check", "a.txt"]).output
    result = invoke(["render", "a.json"])
    assert result.exit_code == 0 and result.output == text
    assert invoke(["render", "a.json", "-o", "a.html"]).exit_code == 0
    assert (folder / "a.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert invoke(["render", "a.json", "-o", "a.html"]).exit_code == 1  # exists: --force
    refused = invoke(["render", "a.json", "-o", "a.json", "-f", "markdown", "--force"])  # its own input
    assert refused.exit_code == 1 and (folder / "a.json").read_text(encoding="utf-8") == saved
    both = invoke(["check", "a.txt", "b.txt", "-f", "json"]).output
    several = CliRunner().invoke(main, ["render", "-", "-f", "markdown"], input=both, prog_name="consistency")
    assert several.exit_code == 0 and "a.txt" in several.output and "b.txt" in several.output
    # JSON Lines, one report per line, as an ML evaluator's log keeps them, reads as the list does
    lines = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in json.loads(both))
    from_lines = CliRunner().invoke(main, ["render", "-", "-f", "markdown"], input=lines, prog_name="consistency")
    assert from_lines.exit_code == 0 and from_lines.output == several.output
    from consistency.render import read_saved_reports
    assert len(read_saved_reports("\ufeff" + lines)) == 2  # a byte-order mark, as the command line reads it
    appended = "".join(json.dumps(item, indent=2) + "\n" for item in json.loads(both))  # check -f json >> log
    assert [r.source for r in read_saved_reports(appended)] == [r.source for r in read_saved_reports(lines)]
    # several reports as HTML: one page each in a folder, as check writes them (a QA walk found no way)
    (folder / "both.json").write_text(both, encoding="utf-8")
    assert invoke(["render", "both.json", "-o", "pages/", "-f", "html"]).exit_code == 0
    assert sorted(p.name for p in (folder / "pages").iterdir()) == ["a.report.html", "b.report.html"]
    one_file = invoke(["render", "both.json", "-o", "both.html"])
    assert one_file.exit_code == 1 and "is not a directory" in one_file.output


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "a.json is not JSON"), ("[]", "holds no report"),
    ('{"schema": "consistency.report"}\nnot json', "holds 1 JSON value(s), then line 2 is not JSON"),
    # a comparison is read as one (render shows saved comparisons too), and one without its version says so
    ('{"schema": "consistency.compare"}', "comparison schema (none) cannot be read by this version"),
    ('{"schema": "consistency.other"}', "not a check report (schema 'consistency.other'"),
    # a QA walk: null read "schema 'NoneType'", a list mixing a comparison in was told to use a Python function
    ("null", "holds null where a saved report should be"), ("[1]", "holds a JSON int where a saved report"),
    ("  \n", "'a.json' is empty: pass a report saved with"),
    ('[{"schema": "consistency.report"}, {"schema": "consistency.compare"}]', "a list that holds a comparison")])
def test_render_refuses_what_is_not_a_saved_report_in_one_line(folder: Path, content: str,
                                                                     message: str) -> None:
    (folder / "a.json").write_text(content, encoding="utf-8")
    result = invoke(["render", "a.json"])
    assert result.exit_code == 1 and message in result.output and len(result.output.strip().splitlines()) == 1


def test_format_takes_the_extension_names_too(folder: Path) -> None:
    # A fact-checker's "-f md" was refused while "-o r.md" worked.
    markdown = invoke(["check", "a.txt", "-f", "md"])
    assert markdown.exit_code == 0 and markdown.output.startswith("# Consistency report")
    assert invoke(["check", "a.txt", "-f", "MD", "-o", "r.md"]).exit_code == 0
    assert invoke(["compare", ".", "-f", "txt"]).exit_code == 0
    clash = invoke(["check", "a.txt", "-f", "md", "-o", "r.html"])
    assert clash.exit_code == 1 and "--format markdown disagrees" in clash.output


def test_one_unreadable_article_of_several_does_not_stop_the_others(folder: Path) -> None:
    # A fact-checker's batch with one empty file wrote no report at all.
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    result = invoke(["check", "empty.txt", "a.txt", "-o", "out/"])
    assert result.exit_code == 1
    assert ("'empty.txt' is empty (or only whitespace); pass an article with some text (not checked; the other "
            "articles are)") in result.output
    assert sorted(p.name for p in (folder / "out").iterdir()) == ["a.report.txt"]
    alone = invoke(["check", "empty.txt"])
    assert alone.exit_code == 1 and alone.output.count("Error:") == 1
    none = invoke(["check", "empty.txt", "missing.txt"])
    assert none.exit_code == 1 and "none of the 2 articles can be checked" in none.output
