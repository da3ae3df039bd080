"""Saved web pages: the article's text is read, not its markup (a fact-checker's .html got '<!DOCTYPE html>...'
as its first claim, '<p>' around every other, and `compare DIR` skipped .html files without a word)."""

from __future__ import annotations

from pathlib import Path

import pytest

from consistency.compare.articles import load_inputs
from consistency.errors import InputError
from consistency.text.html import html_to_text, looks_like_html
from consistency.text.segment import segment
from consistency.text.textio import read_article

PAGE = """<!DOCTYPE html>
<html><head><title>Prigozhin | Baltic Wire</title><script>var tracking = "Prigozhin is in Minsk";</script>
<style>p { color: red }</style></head>
<body><nav>Home | World | Sport</nav><header><p>Baltic Wire</p></header>
<article><h1>Prigozhin is not in Belarus, Lukashenko says</h1><h2>Key facts</h2>
<p>Yevgeny Prigozhin is not in Belarus,&nbsp;President Alexander Lukashenko told reporters on <b>Thursday</b>.
&ldquo;As for Prigozhin, he is in St Petersburg,&rdquo; Lukashenko said.</p>
<p>Address:<br>Minsk, Belarus</p></article>
<footer>&copy; 2023 Baltic Wire</footer></body></html>"""


def test_a_web_page_becomes_its_text_in_paragraphs() -> None:
    assert looks_like_html(PAGE) and looks_like_html("  <!-- saved --> <html lang=en>") and not looks_like_html(
        "The <b>bold</b> claim.")
    assert html_to_text(PAGE) == (
        "Prigozhin is not in Belarus, Lukashenko says\n\n## Key facts\n\n"
        "Yevgeny Prigozhin is not in Belarus, President Alexander Lukashenko told reporters on Thursday. "
        "\u201cAs for Prigozhin, he is in St Petersburg,\u201d Lukashenko said.\n\n"
        "Address:\nMinsk, Belarus")


def test_an_html_file_is_read_as_text_and_a_folder_includes_it(tmp_path: Path) -> None:
    page = tmp_path / "news" / "baltic.html"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    (tmp_path / "news" / "minsk.txt").write_text("Prigozhin is in Belarus, Lukashenko said.", encoding="utf-8")
    text, encoding = read_article(page)
    assert "<" not in text and "tracking" not in text and "Home | World" not in text and encoding == "utf-8"
    result = segment(text)  # the <h1> headline is a claim (a fact-checker's walk saw it skipped), a section head not
    assert result.claims[0].text == "Prigozhin is not in Belarus, Lukashenko says"
    assert result.claims[1].text.startswith("Yevgeny Prigozhin is not in Belarus")
    assert (result.skipped[0].text, result.skipped[0].reason) == ("## Key facts", "heading")
    assert sorted(a.id for a in load_inputs([tmp_path / "news"]).articles) == ["baltic", "minsk"]
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><script>x()</script></head><body><nav>Home</nav></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="is a web page with no text outside its markup"):
        read_article(empty)


def test_a_hash_tag_or_a_link_inside_a_sentence_is_text() -> None:
    # Markdown headings and link-only lines are skipped (tests/text/test_segment.py, GLUED_PAGES); not these
    assert [c.text for c in segment("#Wagner trended as [Reuters](http://r.com) reported the deal.").claims] == [
        "#Wagner trended as [Reuters](http://r.com) reported the deal."]


def test_markup_pasted_as_text_is_read_as_html_and_stray_remnants_are_cleaned(tmp_path: Path) -> None:
    # A fact-checker's pasted snippet (no <html>) kept its tags, and "Fire &amp; Rescue" ended a sentence at ";".
    snippet = ('<div class="body">\n<h2>Ferry runs aground</h2>\n<p>A ferry carrying 212 passengers ran aground, the '
               'coastguard said.&nbsp;Nobody was injured.</p>\n<p>The vessel&#8217;s hull was damaged.</p>\n</div>')
    assert looks_like_html(snippet)
    (tmp_path / "snippet.txt").write_text(snippet, encoding="utf-8")
    text, _ = read_article(tmp_path / "snippet.txt")
    assert "<" not in text and [c.text for c in segment(text).claims] == [
        "A ferry carrying 212 passengers ran aground, the coastguard said.", "Nobody was injured.",
        "The vessel\u2019s hull was damaged."]
    copy = ("Three workers were injured, Glamorgan Fire &amp; Rescue Service said.\n"
            "<p>Contractor Hedley &amp; Sons said its staff followed all procedures.</p>\n"
            "Motorists were told to avoid the area.\nPolice said the road would reopen.\n")
    assert not looks_like_html(copy)  # one stray <p> in plain text is not a web page
    (tmp_path / "copy.txt").write_text(copy, encoding="utf-8")
    text, _ = read_article(tmp_path / "copy.txt")
    claims = segment(text).claims
    assert [c.text for c in claims[:2]] == ["Three workers were injured, Glamorgan Fire & Rescue Service said.",
                                            "Contractor Hedley & Sons said its staff followed all procedures."]
    assert claims[0].speaker == "Glamorgan Fire & Rescue Service"
    plain = "AT&T said on Monday that R&D spending rose; the figures were published."
    (tmp_path / "plain.txt").write_text(plain, encoding="utf-8")
    assert read_article(tmp_path / "plain.txt")[0] == plain  # no character reference: untouched
