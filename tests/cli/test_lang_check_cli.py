"""--lang-check on `check`, `compare` and `corpus add`: a non-English article gets a warning and no findings
(warn, the default), a one-line error (error), or is checked anyway (off). Fake models; the detector is real."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import REPO_ROOT

from consistency.checker import Checker, CheckSettings
from consistency.cli import main
from consistency.render.report import report_to_dict
from consistency.testing import FakeEmbedder, FakeNLI

GERMAN = ("Der Kreml teilte am Montag mit, Präsident Wladimir Putin habe Jewgeni Prigoschin am 29. Juni getroffen. "
          "An dem Treffen hätten 35 Personen teilgenommen, sagte Sprecher Dmitri Peskow. Das Treffen habe nicht "
          "am 29. Juni stattgefunden, sagte später ein Beamter in Minsk.")
RUSSIAN = ("Президент России Владимир Путин встретился с Евгением Пригожиным 29 июня, сообщили в Кремле. "
           "По словам Дмитрия Пескова, на встречу были приглашены 35 человек.")
ENGLISH = "The meeting took place on June 29. The meeting did not take place on June 29."


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("de", GERMAN), ("ru", RUSSIAN), ("en", ENGLISH), ("en2", "Prices rose 3%, the bank said.")):
        out[name] = tmp_path / f"{name}.txt"
        out[name].write_text(text, encoding="utf-8")
    return out


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_warns_and_checks_no_pairs(files: dict[str, Path], fake_models: None) -> None:
    result = run("check", str(files["de"]), "-f", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["pairs_checked"] == 0 and report["findings"] == [] and report["stats"]["claims"] == 3
    assert report["warnings"] == [f"{files['de']} reads as German (de, confidence 1.00; English 0.00), but the "
                                  "built-in models read English only: no pairs were checked; pass --lang-check off "
                                  "(in Python: CheckSettings(lang_check=\"off\")) to check it anyway"]
    assert result.stderr.count("reads as German") == 1  # JSON on stdout: the warning on the terminal, once
    text = run("check", str(files["de"]))
    assert f"warning: {files['de']} reads as German" in text.stdout
    assert "reads as German" not in text.stderr  # the text report shows it; a new user saw it twice


def test_check_error_is_one_line_before_models_load(files: dict[str, Path], fake_models: None) -> None:
    alone = run("check", str(files["ru"]), "--lang-check", "error")
    assert alone.exit_code == 1
    assert alone.output == (f"Error: {files['ru']} reads as Russian (ru, confidence 1.00; English 0.00), but the "
                            "built-in models read English only: no pairs were checked; pass --lang-check off (in "
                            "Python: CheckSettings(lang_check=\"off\")) to check it anyway\n")
    both = run("check", str(files["en"]), str(files["ru"]), "--lang-check", "error")  # the English one is checked
    assert both.exit_code == 1 and both.stderr.startswith(alone.output.rstrip("\n") + " (not checked; the other")
    assert both.stdout.startswith(f"{files['en']}: ")


def test_check_off_and_english_untouched(files: dict[str, Path], fake_models: None) -> None:
    off = json.loads(run("check", str(files["de"]), "-f", "json", "--lang-check", "off").stdout)
    assert off["warnings"] == [] and off["pairs_checked"] == 3
    english = json.loads(run("check", str(files["en"]), "-f", "json", "--lang-check", "error").stdout)
    assert english["warnings"] == [] and len(english["findings"]) == 1
    short = run("check", str(files["en2"]), "--lang-check", "error")
    assert short.exit_code == 0 and "warning" not in short.output


def test_compare_skips_a_non_english_article(files: dict[str, Path], fake_models: None, tmp_path: Path) -> None:
    other = tmp_path / "en3.txt"
    other.write_text("The meeting took place on June 30.", encoding="utf-8")
    result = run("compare", str(files["en"]), str(other), str(files["de"]), "-f", "json")
    assert result.exit_code == 0, result.output
    assert "warning: de: reads as German (de, confidence 1.00" in result.stderr
    report = json.loads(result.stdout)
    assert "de" not in json.dumps(report.get("articles"))
    failed = run("compare", str(files["en"]), str(files["de"]), "--lang-check", "error")
    assert failed.exit_code == 1 and failed.output.startswith("Error: de reads as German (de, confidence")


def test_corpus_add_skips_or_refuses(files: dict[str, Path], fake_models: None, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    result = run("corpus", "add", str(files["en"]), str(files["ru"]), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "warning: ru: reads as Russian" in result.stderr and "1 article in the corpus" in result.stdout
    refused = run("corpus", "add", str(files["ru"]), "--db", str(db), "--lang-check", "error")
    assert refused.exit_code == 1 and refused.output.startswith("Error: ru reads as Russian")


def test_library_report_and_schema(jsonschema: ModuleType) -> None:
    checker = Checker(nli=FakeNLI(), embedder=FakeEmbedder())
    report = checker.check(GERMAN, source="de")
    assert report.findings == () and report.pairs_checked == 0 and report.warnings[0].startswith("de reads as German")
    schema = json.loads((REPO_ROOT / "consistency" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report_to_dict(report), schema)
    anyway = Checker(nli=FakeNLI(), embedder=FakeEmbedder(), settings=CheckSettings(lang_check="off")).check(GERMAN)
    assert anyway.warnings == () and anyway.pairs_checked == 3


def test_an_unchecked_article_is_not_reported_as_free_of_contradictions() -> None:
    # A cron script read "No contradictions found" for a German article of which no pair was checked.
    from consistency.render import render

    checker = Checker(nli=FakeNLI(), embedder=FakeEmbedder())
    unchecked = checker.check(GERMAN, source="de")
    for fmt in ("text", "markdown", "html"):
        rendered = " ".join(render(unchecked, fmt).split())
        assert "Not checked: no pair of claims was read" in rendered and "No contradictions found" not in rendered
    clean = Checker(nli=FakeNLI(), embedder=FakeEmbedder()).check("The museum opened in May. Entry is free.")
    assert "No contradictions found at threshold 0.50." in render(clean, "text")


MIXED = ("The bridge will stay closed until the end of the year, the council said on Monday. Engineers found "
         "cracks in two of its piers.\n\nDer Bürgermeister sagte am Montag, die Brücke werde nächste Woche wieder "
         "geöffnet.\n\nThe bridge carries about 40,000 vehicles a day.")
GERMAN_SENTENCE = "Der Bürgermeister sagte am Montag, die Brücke werde nächste Woche wieder geöffnet."


def test_a_sentence_in_another_language_is_skipped_counted_and_warned(tmp_path: Path, fake_models: None) -> None:
    # An English article with a German paragraph: the English model read it as noise and paired it with anything
    path = tmp_path / "mixed.txt"
    path.write_text(MIXED, encoding="utf-8")
    report = json.loads(run("check", str(path), "-f", "json").stdout)
    assert [c["text"] for c in report["claims"]] == [
        "The bridge will stay closed until the end of the year, the council said on Monday.",
        "Engineers found cracks in two of its piers.", "The bridge carries about 40,000 vehicles a day."]
    assert [(s["reason"], s["text"]) for s in report["skipped"]] == [("not-english", GERMAN_SENTENCE)]
    assert report["pairs_checked"] == 3 and report["warnings"] == [
        f"{path}: 1 sentence read as another language (German) and was not checked (skipped as not-english); "
        "pass --lang-check off (in Python: CheckSettings(lang_check=\"off\")) to check them anyway"]
    text = run("check", str(path)).stdout
    assert "1 span skipped: 1 not-english" in text and "warning: " in text
    anyway = json.loads(run("check", str(path), "-f", "json", "--lang-check", "off").stdout)
    assert len(anyway["claims"]) == 4 and anyway["skipped"] == [] and anyway["warnings"] == []


def test_compare_and_the_corpus_skip_a_foreign_sentence_unless_told(tmp_path: Path, fake_models: None) -> None:
    from consistency.compare import Article, CompareSettings, compare_articles
    from consistency.compare.stages import settings_of
    from consistency.store import CorpusStore

    articles = [Article("mixed", MIXED), Article("other", "The bridge reopened on Tuesday, the council said.")]
    checker = Checker(nli=FakeNLI(), embedder=FakeEmbedder())
    report = compare_articles(articles, checker)
    texts = [claim.text for claim in report.article_claims["mixed"]]
    assert GERMAN_SENTENCE not in texts and len(texts) == 3 and report.claims == 4
    off = Checker(nli=FakeNLI(), embedder=FakeEmbedder(), settings=CheckSettings(lang_check="off"))
    assert settings_of(off).english_only is False and settings_of(checker).english_only is True
    assert GERMAN_SENTENCE in {claim.text for claim in compare_articles(articles, off).article_claims["mixed"]}
    for english_only, claims in ((True, 4), (False, 5)):
        with CorpusStore(tmp_path / f"{english_only}.sqlite", CompareSettings(english_only=english_only)) as store:
            store.add(articles, checker)
            assert store.counts()["claims"] == claims


def test_compare_corpus_and_summaries_say_so_too(tmp_path: Path, fake_models: None) -> None:
    # A QA walk: only check warned; compare and corpus add skipped the sentence without a word, and check_summary
    # dropped a French summary sentence from its results
    from consistency.summary_check import check_summary

    mixed, other = tmp_path / "mixed.txt", tmp_path / "other.txt"
    mixed.write_text(MIXED, encoding="utf-8")
    other.write_text("The bridge reopened on Tuesday, the council said.", encoding="utf-8")
    line = "warning: mixed: 1 sentence read as another language (German) and was not checked"
    compared = run("compare", str(mixed), str(other), "-f", "json")
    assert compared.exit_code == 0 and line in compared.stderr
    added = run("corpus", "add", str(mixed), str(other), "--db", str(tmp_path / "c.sqlite"))
    assert added.exit_code == 0 and line in added.stderr and "skipped" not in added.stdout
    result = check_summary(Checker(nli=FakeNLI(), embedder=FakeEmbedder()), MIXED.split("\n\n")[0],
                           "The bridge will stay closed until the end of the year, the council said on Monday, "
                           "because engineers found cracks in two of its piers and the repairs will take months. "
                           + GERMAN_SENTENCE)
    assert len(result.sentences) == 1 and result.warnings == (
        "the summary: 1 sentence read as another language (German) and was not checked (skipped as not-english); "
        "pass --lang-check off (in Python: CheckSettings(lang_check=\"off\")) to check them anyway",)


def test_corpus_add_with_nothing_readable_makes_no_store(tmp_path: Path, fake_models: None) -> None:
    db = tmp_path / "c.sqlite"
    result = run("corpus", "add", str(tmp_path / "nope.txt"), "--db", str(db))
    assert result.exit_code == 1 and not db.exists()
    assert result.stderr.splitlines()[-1] == "Error: none of the 1 inputs can be read (see above)"
