"""Renderers of one article's report: JSON (and its schema), terminal text, Markdown and the HTML page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest

from consistency.render.report import (
    escape_md,
    highlight_article_html,
    relation_label,
    render_html,
    render_json,
    render_markdown,
    render_text,
    report_to_dict,
    skipped_summary,
)
from consistency.types import SCHEMA_VERSION, Claim, Finding, FindingType, Relation, Report, SkippedSpan

SCHEMA = Path(__file__).resolve().parents[2] / "consistency" / "schemas" / "report.schema.json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

PARAGRAPHS = [
    "By Staff Reporter",
    "Peskov said the talks took place in Minsk on Monday. Officials called it <script>alert(1)</script> "
    "a | b * c moment.",
    "Lukashenko said the talks did not take place in Minsk. Turnout may have reached 40 people.",
]
TEXT = "\n\n".join(PARAGRAPHS) + "\n"


def claim(index: int, sentence: str, paragraph: int, speaker: str | None = None, hedged: bool = False) -> Claim:
    start = TEXT.index(sentence)
    return Claim(index, sentence, start, start + len(sentence), paragraph, speaker, hedged)


CLAIMS = (  # paragraph 0 is the byline, skipped as metadata
    claim(0, "Peskov said the talks took place in Minsk on Monday.", 1, "Peskov"),
    claim(1, "Officials called it <script>alert(1)</script> a | b * c moment.", 1),
    claim(2, "Lukashenko said the talks did not take place in Minsk.", 2, "Lukashenko"),
    claim(3, "Turnout may have reached 40 people.", 2, hedged=True),
)
FINDING = Finding(
    a=CLAIMS[0], b=CLAIMS[2], score=0.9234, contradiction_ab=0.9234, contradiction_ba=0.88,
    entailment_ab=0.02, entailment_ba=0.03, similarity=0.81, type=FindingType.NEGATION,
    relation=Relation.SOURCE_DISAGREEMENT, reason="one claim negates the other about minsk",
    notes=("source disagreement: Peskov vs Lukashenko",),
)
NEAR_MISS = Finding(
    a=CLAIMS[1], b=CLAIMS[3], score=0.41, contradiction_ab=0.41, contradiction_ba=0.3, entailment_ab=0.1,
    entailment_ba=0.1, similarity=0.4, type=FindingType.OTHER, relation=Relation.SELF_CONTRADICTION,
    reason="different wording", notes=("hedged wording: score discounted x0.8 (raw 0.51)",),
)
SKIPPED = (SkippedSpan("By Staff Reporter", 0, 17, "metadata"),)


def make_report() -> Report:
    return Report(source="sample.txt", text=TEXT, claims=CLAIMS, findings=(FINDING,), near_misses=(NEAR_MISS,),
                  skipped=SKIPPED, pairs_checked=5, pairs_possible=6, threshold=0.5,
                  models={"nli": "fake-nli", "embedding": "fake-embedder"}, timings={"nli": 0.123456})


def test_fixture_offsets_point_at_the_words() -> None:
    for c in CLAIMS:
        assert TEXT[c.start : c.end] == c.text
    assert TEXT[0:17] == SKIPPED[0].text


# --- JSON -----------------------------------------------------------------------------------------

def test_json_layout() -> None:
    report = make_report()
    data = json.loads(render_json(report))
    assert data == report_to_dict(report) == json.loads(render_json(report, indent=None))
    assert data["schema"] == "consistency.report" and data["schema_version"] == SCHEMA_VERSION
    assert data["stats"] == {"claims": 4, "skipped": 1, "pairs_checked": 5, "pairs_possible": 6, "findings": 1,
                             "near_misses": 1}
    assert data["text"] == TEXT and data["timings"] == {"nli": 0.1235}
    assert [c["text"] for c in data["claims"]] == [c.text for c in CLAIMS]
    assert set(data["claims"][0]) >= {"index", "text", "start", "end", "paragraph", "speaker", "hedged"}
    assert data["skipped"] == [{"text": "By Staff Reporter", "start": 0, "end": 17, "reason": "metadata"}]
    finding = data["findings"][0]
    assert finding["score"] == 0.9234 and finding["type"] == "negation"
    assert finding["relation"] == "source-disagreement"
    for side in ("a", "b"):
        c = finding[side]
        assert TEXT[c["start"] : c["end"]] == c["text"] and c["speaker"] and "paragraph" in c
    assert [f["score"] for f in data["near_misses"]] == [0.41]


def test_near_misses_not_looked_for_are_not_counted_as_none() -> None:
    # A fact-checker read "near_misses: 0" in the JSON of a check without --all, where --all showed the planted
    # contradiction at 49%.
    report = replace(make_report(), near_misses=())
    assert report_to_dict(report)["stats"]["near_misses"] is None
    assert "| near misses | not looked for (--all) |" in render_markdown(report)
    looked = replace(report, near_miss_margin=0.2)
    assert report_to_dict(looked)["stats"]["near_misses"] == 0 and "| near misses | 0 |" in render_markdown(looked)


def test_json_matches_schema(jsonschema: ModuleType) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(render_json(make_report())), schema)
    empty = Report(source="-", text="", claims=(), findings=(), near_misses=(), skipped=(), pairs_checked=0,
                   pairs_possible=0, threshold=0.5)
    jsonschema.validate(report_to_dict(empty), schema)
    broken = report_to_dict(make_report())
    del broken["findings"][0]["a"]["start"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


# --- text -----------------------------------------------------------------------------------------

def test_text_report() -> None:
    text = render_text(make_report())
    flat = " ".join(text.split())
    assert text.splitlines()[0] == ("sample.txt: 4 claims, pairs checked 5 of 6, 1 finding at threshold 0.50")
    assert "1 span skipped: 1 metadata" in text
    assert "92%" in text and "negation" in text
    # a near miss says why, as the Markdown and HTML reports do (an editor could not judge one in a terminal)
    assert "why: different wording" in text.split("Near misses")[1]
    assert "source disagreement: Peskov vs Lukashenko" in text
    assert text.count("source disagreement: Peskov vs Lukashenko") == 1  # the note repeating it is not shown twice
    assert f'“{CLAIMS[0].text}”' in flat and f'“{CLAIMS[2].text}”' in flat
    assert f"paragraph 2, chars {CLAIMS[0].start}-{CLAIMS[0].end}" in text
    assert "why: one claim negates the other about minsk" in text
    assert "Near misses" in text and "41%" in text and "hedged wording" not in text.split("Near misses")[0]
    assert "note: hedged wording: score discounted x0.8 (raw 0.51)" in text.split("Near misses")[1]  # why it is low
    assert "metadata, chars 0-17: 'By Staff Reporter'" in text
    assert not ANSI.search(text)
    assert all(len(line) <= 100 for line in text.splitlines())


def test_text_colour_only_when_asked() -> None:
    coloured = render_text(make_report(), color=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == render_text(make_report())


def test_text_wraps_long_claims() -> None:
    long = Claim(0, "word " * 60 + "end.", 0, 305, 0)
    finding = Finding(long, CLAIMS[2], 0.7, 0.7, 0.1, 0.1, 0.1, 0.5, FindingType.OTHER, Relation.SELF_CONTRADICTION,
                      "why")
    report = Report("x", TEXT, (long,), (finding,), (), (), 1, 1, 0.5)
    lines = render_text(report).splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert sum("word" in line for line in lines) >= 3


def test_text_without_findings_says_so() -> None:
    report = Report("x", "One.", (Claim(0, "One.", 0, 4, 0),), (), (), (), 0, 0, 0.5)
    text = render_text(report)
    assert "0 findings at threshold 0.50" in text and "No contradictions found" in text
    assert "no spans skipped" in text


# --- Markdown -------------------------------------------------------------------------------------

def test_escape_md() -> None:
    assert escape_md("a | b * c _d_ `e` [f](g) <h> #i") == r"a \| b \* c \_d\_ \`e\` \[f\](g) \<h\> \#i"
    assert escape_md("two\nlines") == "two lines"
    assert escape_md("back\\slash") == "back\\\\slash"


def test_markdown_report() -> None:
    markdown = render_markdown(make_report())
    assert markdown.startswith("# Consistency report: sample.txt\n")
    assert "| pairs checked | 5 of 6 |" in markdown
    assert "| skipped | 1 span skipped: 1 metadata |" in markdown
    assert "## Findings" in markdown and "## Near misses" in markdown and "## Skipped spans" in markdown
    assert "<script>" not in markdown
    assert r"\<script\>alert(1)\</script\> a \| b \* c moment." in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| 1 |")]
    assert len(rows) == 2  # the finding and the near miss
    for row in rows:  # escaped pipes never open a new cell: every row has the header's 7 cells
        assert len(re.split(r"(?<!\\)\|", row)) - 2 == 7
    assert "92%" in rows[0] and "source disagreement: Peskov vs Lukashenko" in rows[0]
    assert "## Claims" in markdown
    assert f"1. “{CLAIMS[0].text}” (paragraph 2, chars 19-71, Peskov) — **in finding #1**" in markdown
    assert f"4. “{CLAIMS[3].text}” (paragraph 3, chars 192-227), hedged\n" in markdown


# --- HTML -----------------------------------------------------------------------------------------

@dataclass
class ClaimSpan:
    """A ``<span class="claim">`` as parsed: its text, classes, offsets and the links right after it."""

    classes: list[str]
    start: int
    end: int
    text: str = ""
    links: list[str] = field(default_factory=list)


class PageParser(HTMLParser):
    """Collects ids, links, external references, claim spans (text, classes, following links)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.external: list[str] = []
        self.tags: list[str] = []
        self.claims: dict[str, ClaimSpan] = {}
        self.finding_links: dict[str, list[str]] = {}
        self._claim: str | None = None
        self._depth = 0
        self._last_claim: str | None = None
        self._in_refs = False
        self._finding: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        for key in ("src", "href"):
            if key in a and re.match(r"\s*(https?:)?//", a[key]):
                self.external.append(a[key])
        if tag == "a":
            self.hrefs.append(a["href"])
            if self._in_refs and self._last_claim:
                self.claims[self._last_claim].links.append(a["href"])
            if self._finding:
                self.finding_links[self._finding].append(a["href"])
        if tag == "li" and a.get("id", "").startswith("finding-"):
            self._finding = a["id"]
            self.finding_links[a["id"]] = []
        if tag == "sup" and "refs" in a.get("class", "").split():
            self._in_refs = True
        if self._claim is not None and tag == "span":
            self._depth += 1
        elif tag == "span" and "claim" in a.get("class", "").split():
            self._claim, self._depth = a["id"], 0
            self.claims[a["id"]] = ClaimSpan(a["class"].split(), int(a["data-start"]), int(a["data-end"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._claim is not None:
            if self._depth:
                self._depth -= 1
            else:
                self._last_claim, self._claim = self._claim, None
        if tag == "sup":
            self._in_refs, self._last_claim = False, None
        if tag == "li" and self._finding:
            self._finding = None

    def handle_data(self, data: str) -> None:
        if self._claim is not None:
            self.claims[self._claim].text += data


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def test_html_is_one_self_contained_page() -> None:
    page = render_html(make_report())
    parsed = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert parsed.external == [] and "http://" not in page and "https://" not in page
    assert "<script" not in page.lower() and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "link" not in parsed.tags and "img" not in parsed.tags and "<style>" in page
    assert all(href.startswith("#") and href[1:] in parsed.ids for href in parsed.hrefs)  # no dangling link


def test_html_claim_spans_are_the_claims() -> None:
    parsed = parse(render_html(make_report()))
    assert list(parsed.claims) == [f"claim-{c.index}" for c in CLAIMS]
    for c in CLAIMS:
        span = parsed.claims[f"claim-{c.index}"]
        assert span.text == c.text and (span.start, span.end) == (c.start, c.end)
    assert "".join(s.text for s in parsed.claims.values()) == "".join(c.text for c in CLAIMS)


def test_html_links_flagged_claims_and_findings_both_ways() -> None:
    parsed = parse(render_html(make_report()))
    for index in (0, 2):
        span = parsed.claims[f"claim-{index}"]
        assert "flagged" in span.classes
        assert span.links == ["#finding-1"]
    for index in (1, 3):
        span = parsed.claims[f"claim-{index}"]
        assert "flagged" not in span.classes and "near" in span.classes
        assert span.links == ["#near-miss-1"]
    assert "finding-1" in parsed.ids and "near-miss-1" in parsed.ids
    assert parsed.finding_links["finding-1"] == ["#claim-0", "#claim-2"]


def test_html_keeps_paragraphs_and_greys_skipped_spans() -> None:
    page = render_html(make_report())
    article = page.split('<div class="article">', 1)[1].split("</div>", 1)[0]
    paragraphs = re.findall(r"<p>(.*?)</p>", article, flags=re.S)
    assert len(paragraphs) == 3
    assert paragraphs[0] == '<span class="skipped" title="skipped: metadata">By Staff Reporter</span>'
    assert 'id="claim-0"' in paragraphs[1] and 'id="claim-1"' in paragraphs[1] and 'id="claim-3"' in paragraphs[2]
    assert "source disagreement: Peskov vs Lukashenko" in page and "92%" in page


def test_the_html_page_shows_the_paragraphs_that_paragraph_numbers_count() -> None:
    # A QA walk: a finding said "paragraph 12" on a page that split the text by another rule.
    from consistency.text.segment import segment

    for text in ("The council voted on Monday to close the Marsh Lane works made by a firm\nthat built it in 1990 "
                 "for the town.\nIt will close in June.\n",  # no blank line: a wrapped line joins its sentence
                 "Explosion at plant kills four\nFour workers died on Tuesday at the plant.\n\nThe fire burned.\n"):
        claims = segment(text).claims
        page = highlight_article_html(text, claims, {})
        assert page.count("<p>") == len({c.paragraph for c in claims}) == 2 + text.count("\n\n")


def test_highlight_article_html_is_reusable() -> None:
    text = "First line.\nSecond & last."
    claims = (Claim(0, "First line.", 0, 11, 0), Claim(1, "Second & last.", 12, 26, 1))
    out = highlight_article_html(text, claims, {1: ["x-finding-4"]}, id_prefix="x-")
    parsed = parse(out)
    assert out.count("<p>") == 2  # no blank line: every line is a paragraph, as the segmenter has it
    assert parsed.claims["x-claim-1"].links == ["#x-finding-4"]
    assert "flagged" in parsed.claims["x-claim-1"].classes and "flagged" not in parsed.claims["x-claim-0"].classes
    assert parsed.claims["x-claim-1"].text == "Second & last." and "&amp;" in out


def test_wording_helpers() -> None:
    assert relation_label(FINDING) == "source disagreement: Peskov vs Lukashenko"
    assert relation_label(NEAR_MISS) == "self-contradiction (the article)"
    # a pronoun the article did not resolve may be two people (QA walk 6: "self-contradiction (he)")
    he = replace(NEAR_MISS, a=replace(NEAR_MISS.a, speaker="he"), b=replace(NEAR_MISS.b, speaker="he"))
    assert relation_label(he) == "self-contradiction (an unresolved “he”)"
    assert ", an unresolved “he”" in render_text(replace(make_report(), findings=(he,)))
    two = (*SKIPPED, SkippedSpan("***", 40, 43, "no-letters"), SkippedSpan("Photo: AP", 50, 59, "metadata"))
    assert skipped_summary(two) == "3 spans skipped: 2 metadata, 1 no-letters"


def test_text_and_markdown_name_an_input_encoding_that_was_not_utf8() -> None:
    # Issue 18.5: a UTF-16 or cp1252 article is read, and the report says so (JSON always carries "encoding").
    for encoding in ("utf-16-le", "cp1252"):
        report = replace(make_report(), encoding=encoding)
        assert render_text(report).splitlines()[2] == f"input encoding: {encoding} (not UTF-8)"
        assert f"| encoding | input encoding: {encoding} (not UTF-8) |" in render_markdown(report)
        assert json.loads(render_json(report))["encoding"] == encoding
    for encoding in ("utf-8", "utf-8-sig"):
        report = replace(make_report(), encoding=encoding)
        assert "encoding" not in render_text(report)
        assert f"| encoding | {encoding} |" in render_markdown(report)


def test_a_report_object_has_the_stats_its_json_has() -> None:
    # An ML evaluator: the JSON had a stats block, the Report object no stats.
    report = make_report()
    assert report.stats == report_to_dict(report)["stats"]
    assert report.stats["near_misses"] == len(report.near_misses) == 1 and report.stats["claims"] == len(report.claims)
    assert replace(report, near_misses=(), near_miss_margin=0.0).stats["near_misses"] is None  # not looked for
    assert replace(report, near_misses=(), near_miss_margin=0.2).stats["near_misses"] == 0


def test_paragraphs_count_from_1_in_every_format_and_the_schema_says_so(jsonschema: ModuleType) -> None:
    # Issue 18.6: the text said "paragraph 2" where the JSON said 1 for the same claim.
    report = make_report()
    data = report_to_dict(report)
    assert [c["paragraph"] for c in data["claims"]] == [2, 2, 3, 3] == [c.paragraph + 1 for c in CLAIMS]
    assert (data["findings"][0]["a"]["paragraph"], data["findings"][0]["b"]["paragraph"]) == (2, 3)
    assert "A  paragraph 2, chars" in render_text(report) and "B  paragraph 3, chars" in render_text(report)
    assert "(paragraph 2, chars" in render_markdown(report)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert SCHEMA_VERSION == data["schema_version"] == "1.9"  # 1.3 (issue 16.6) added warnings, 1.4 focus, 1.9 story
    assert "from 1" in schema["$defs"]["claim"]["properties"]["paragraph"]["description"]
    zero_based = report_to_dict(report)
    zero_based["claims"][0]["paragraph"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(zero_based, schema)


def test_nli_max_length_is_an_integer_in_json(jsonschema: ModuleType) -> None:
    # Issue 18.6: "nli_max_length": "128" (a string) in the JSON report.
    report = replace(make_report(), models={"nli": "fake-nli", "nli_max_length": "128", "nli_dtype": "float32"})
    data = json.loads(render_json(report))
    assert data["models"] == {"nli": "fake-nli", "nli_max_length": 128, "nli_dtype": "float32"}
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    data["models"]["nli_max_length"] = "128"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    assert r"nli\_max\_length: 128" in render_markdown(report)


def test_a_report_with_a_modest_score_reminds_what_a_score_is() -> None:
    """Findings under 70% were mostly false alarms on real articles (README, "Reading a score"): the text,
    Markdown and HTML reports say so once; a report whose findings all score higher, or that has none, or that
    another model (or a second opinion) scored, does not."""
    modest = replace(make_report(), findings=(replace(FINDING, score=0.55), FINDING),
                     models={"nli": "builtin", "embedding": "fake-embedder"})
    for rendered in (render_text(modest), render_markdown(modest), render_html(modest)):
        flat = " ".join(rendered.split()).replace("\\", "").replace("&quot;", '"').replace("&#x27;", "'")
        assert flat.count("not the chance that a finding is right") == 1
        assert '"Reading a score"' in flat
    other_models = [replace(modest, models={"nli": "org/other-nli"}),  # the figures are the built-in model's
                    replace(modest, models={"nli": "builtin", "nli_second_opinion": "accurate"})]
    for report in (replace(modest, findings=(FINDING,)), replace(modest, findings=()), *other_models):
        assert "not the chance" not in render_text(report) + render_markdown(report) + render_html(report)


def test_the_readme_score_table_is_what_the_committed_pairs_say(capsys: pytest.CaptureFixture[str]) -> None:
    """README.md, "Reading a score", is the output of ``evidence_rules bands`` on the committed pairs files."""
    from benchmarks.evidence_rules import bands

    root = Path(__file__).resolve().parents[2]
    results = root / "benchmarks" / "results"
    bands([results / "evidence-pairs-2026-12-05-cpu-phase6-directions.jsonl.gz",
           results / "evidence-challenge-2026-12-05-cpu-phase6.jsonl.gz"])
    rows = [line.split("|")[1:] for line in capsys.readouterr().out.splitlines()[2:]]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert len(rows) == 5
    for row in rows:
        assert "| " + " | ".join(cell.strip() for cell in row[:-1]) + " |" in readme


def test_render_takes_the_extensions_and_any_case() -> None:
    from consistency.render import render

    report = make_report()
    assert render(report, "md") == render(report, "markdown") == render(report, "Markdown")
    assert render(report, "txt") == render(report, "TEXT") and render(report, "htm") == render(report, "html")
    with pytest.raises(ValueError, match="no 'csv' format for Report; use one of text, json, markdown, html"):
        render(report, "csv")


def test_a_claim_that_has_its_own_quote_marks_is_not_quoted_twice() -> None:
    # A new user's HTML showed "““As for Prigozhin, he's in St Petersburg.”".
    from consistency.render.report import curly_quoted

    assert curly_quoted("“As for Prigozhin, he's in St Petersburg.") == "“As for Prigozhin, he's in St Petersburg.”"
    assert curly_quoted('We had to."') == '“We had to."' and curly_quoted("Plain.") == "“Plain.”"
    # a quote closed inside the claim is the claim's own: both outer marks, balanced (an OSINT analyst's report
    # read '"As for Prigozhin, he is in St Petersburg," Lukashenko said.”')
    assert curly_quoted('"As for Prigozhin, he is in St Petersburg," Lukashenko said.') == \
        '“"As for Prigozhin, he is in St Petersburg," Lukashenko said.”'
    assert curly_quoted("“No,” he said.") == "““No,” he said.”"
    assert curly_quoted('He said "no."') == '“He said "no."”' and curly_quoted("“Whole.”") == "“Whole.”"
    start = TEXT.index("Peskov said")
    quoted = replace(FINDING, a=Claim(0, "“As for Prigozhin, he's in St Petersburg.", start, start + 41, 1))
    html = render_html(replace(make_report(), findings=(quoted,)))
    assert "““" not in html and "“As for Prigozhin, he&#x27;s in St Petersburg.”" in html
    assert "““" not in render_markdown(replace(make_report(), findings=(quoted,)))


def test_a_report_that_looked_for_near_misses_and_found_none_says_so() -> None:
    # An editor ran --all and saw nothing about near misses: "none" and "not asked" read the same.
    asked = replace(make_report(), near_misses=(), near_miss_margin=0.2)
    for rendered in (render_text(asked), render_markdown(asked), render_html(asked)):
        assert "Near misses (below the threshold): none from 30% to 50%." in rendered
    not_asked = replace(make_report(), near_misses=())
    assert "Near misses" not in render_text(not_asked) + render_markdown(not_asked) + render_html(not_asked)


# --- reading a saved report back ------------------------------------------------------------------

def test_a_saved_report_reads_back_and_renders_as_it_was() -> None:
    from consistency.render.report import report_from_dict

    report = replace(make_report(), near_miss_margin=0.2, warnings=("a warning",))
    data = json.loads(render_json(report))
    again = report_from_dict(data)
    assert report_to_dict(again) == data
    assert again.claims == report.claims and again.skipped == report.skipped
    assert again.findings[0].a == FINDING.a and again.findings[0].type is FindingType.NEGATION
    for render_format in (render_text, render_markdown, render_html):
        assert render_format(again) == render_format(report)


@pytest.mark.parametrize(
    ("change", "message"),
    [({"schema": "consistency.compare"}, "compare_report_from_dict"), ({"schema_version": "1.1"}, "cannot be read"),
     ({"schema_version": "2.0"}, "cannot be read"), ({"schema_version": "1.10"}, None),
     ({"claims": [{"text": "no offsets"}]}, "incomplete or damaged"), ({"findings": None}, "incomplete or damaged")],
)
def test_a_report_that_cannot_be_read_back_says_why(change: dict[str, object], message: str | None) -> None:
    from consistency.errors import DataError
    from consistency.render.report import report_from_dict

    data = {**report_to_dict(make_report()), **change}
    if message is None:  # a newer minor version only adds fields: read
        assert report_from_dict(data).source == "sample.txt"
        return
    with pytest.raises(DataError, match=message):
        report_from_dict(data)
