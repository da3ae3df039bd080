"""PDF text: a sentence cut by a page break is joined again, its footer and header kept, other breaks untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from consistency.text.pages import rejoin_page_breaks
from consistency.text.segment import segment
from consistency.text.textio import read_article

FOOTER = "Reproduced with permission. Not for redistribution.   {n}"
HEADER = "THE DAILY PAPER — WORLD EDITION        Page {n}"


def pdf(*pages: str) -> str:
    """Pages as pdftotext writes them: a header on top, a footer below, a form feed between pages."""
    return "\f".join(f"{HEADER.format(n=n)}\n\n{body}\n\n{FOOTER.format(n=n)}\n" for n, body in enumerate(pages, 1))


def test_a_sentence_cut_by_a_page_break_is_one_claim_again_with_its_figure() -> None:
    text = pdf("Rescuers worked all night. The quake has killed more than",
               "5,000 people. A baby was rescued on Tuesday.",
               "Officials said the toll would rise.")
    joined = rejoin_page_breaks(text)
    claims = [c.text for c in segment(joined).claims]
    assert "The quake has killed more than\n5,000 people." in claims
    assert "A baby was rescued on Tuesday." in claims
    # nothing lost: the same characters, the furniture still there (and skipped as running lines)
    assert sorted(joined.replace("\n", "")) == sorted(text.replace("\n", ""))
    for n in (1, 2, 3):
        assert FOOTER.format(n=n) in joined and HEADER.format(n=n) in joined
    skipped = {s.text for s in segment(joined).skipped}
    assert any(s.startswith("Reproduced with permission") for s in skipped)


@pytest.mark.parametrize("end, start", [
    ("which has killed more than", "5,000 people."),  # a figure
    ("which damaged the", "Building where they lived."),  # a line that ends in "the" runs on
    ("the council voted,", "Against the advice of its officers."),  # a comma
    ("the collapsed", "building. It took 18 hours."),  # a lower-case word
])
def test_what_runs_on_over_a_break(end: str, start: str) -> None:
    joined = rejoin_page_breaks(pdf(f"It began at dawn, {end}", start))
    assert f"{end}\n{start}" in joined


@pytest.mark.parametrize("end, start", [
    ("The dam held.", "the next day it burst."),  # the page ended a sentence
    ("Background to the Floods", "The river rose in March."),  # perhaps a heading: a capital opens the page
])
def test_breaks_between_sentences_are_left_as_they_are(end: str, start: str) -> None:
    text = pdf(f"It began at dawn. {end}", start)
    assert rejoin_page_breaks(text) == text


def test_text_without_form_feeds_is_unchanged() -> None:
    text = "The quake has killed more than\n\n5,000 people."
    assert rejoin_page_breaks(text) is text


def test_a_pdf_text_file_is_read_with_its_cut_sentences_joined(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(pdf("The quake has killed more than", "5,000 people."), encoding="utf-8")
    text, _ = read_article(path)
    assert "more than\n5,000 people." in text


def test_a_report_of_a_pdf_text_file_says_its_offsets_refer_to_the_joined_text(tmp_path: Path) -> None:
    # A QA walk: the text report's "chars 431-497" were off by one from the file, and nothing said why.
    from consistency import Checker
    from consistency.render.report import render_markdown, render_text, report_to_dict
    from consistency.testing import FakeEmbedder, FakeNLI
    from consistency.text.textio import read_article_as

    path = tmp_path / "report.txt"
    path.write_text(pdf("The quake has killed more than", "5,000 people."), encoding="utf-8")
    assert read_article_as(path)[2] == "sentences cut by a page break joined"
    report = Checker(nli=FakeNLI(), embedder=FakeEmbedder()).check_file(path)
    assert report.read_as == "sentences cut by a page break joined"
    assert report_to_dict(report)["read_as"] == report.read_as
    line = "read as: sentences cut by a page break joined: offsets refer to that text (the JSON report holds it)"
    assert line in render_text(report).splitlines()
    assert "| read as | sentences cut by a page break joined: offsets refer to that text" in render_markdown(report)
    from consistency.render.report import render_html

    assert f'<p class="meta">{line}</p>' in render_html(report)
    plain = tmp_path / "plain.txt"
    plain.write_text("The quake has killed more than 5,000 people.", encoding="utf-8")
    assert read_article_as(plain)[2] is None
    assert "read as" not in render_text(Checker(nli=FakeNLI(), embedder=FakeEmbedder()).check_file(plain))


def test_the_paragraph_after_a_joined_one_stays_a_paragraph_of_its_own() -> None:
    # QA walk 5: the blank line after "six towns." was lost, so "Staff said ..." joined its paragraph and every
    # later paragraph number was one too low.
    text = ("The programme reached 1,200 people, the board said. Clinics opened in\n\fsix towns.\n\n"
            "Staff said the clinics were busy.\n\nThe board said 2,100 people were vaccinated.\n")
    claims = segment(rejoin_page_breaks(text)).claims
    assert [(c.paragraph, c.text) for c in claims] == [
        (0, "The programme reached 1,200 people, the board said."), (0, "Clinics opened in\nsix towns."),
        (1, "Staff said the clinics were busy."), (2, "The board said 2,100 people were vaccinated.")]


def test_a_lone_page_number_and_a_header_without_a_number_are_furniture() -> None:
    # QA walk 5: pdftotext's page number ("   2") and a header repeated only once kept the cut sentence apart,
    # and "2\fNorthfield Health Board report" became a claim.
    text = ("Northfield Health Board report\n\nThe programme reached 1,200 people, the board said. Clinics opened in"
            "\n\n" + " " * 35 + "2\n\fNorthfield Health Board report\n\nsix towns across the county. "
            "The board said 2,100 people were vaccinated.\n")
    result = segment(rejoin_page_breaks(text))
    assert "Clinics opened in\nsix towns across the county." in [c.text for c in result.claims]
    assert not any("2\n" in c.text or "\f" in c.text for c in result.claims)


def test_a_form_feed_inside_a_line_is_no_page_break() -> None:
    text = "Peskov said\f the meeting lasted three hours."
    assert rejoin_page_breaks(text) is text
