"""Text from a saved web page: what a reader sees of the article, as paragraphs, without markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is not the article: scripts, styles, menus, page header and footer, forms.
SKIPPED_ELEMENTS = frozenset({"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside",
                              "form", "button", "select", "iframe", "head"})
# Elements that start a new paragraph.
BLOCK_ELEMENTS = frozenset({"p", "div", "section", "article", "main", "blockquote", "li", "ul", "ol", "tr", "table",
                            "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "pre", "dd", "dt", "hr",
                            "body"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
VOID_ELEMENTS = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
                           "track", "wbr"})
_BREAK = "\x00"  # a <br> inside a paragraph: a line break (the page's own newlines are spaces)
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML document (it opens with a doctype or an ``<html>`` tag)."""
    return bool(_HTML_START.match(text[:4096]))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []  # open skipped elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS and tag not in VOID_ELEMENTS:
            self.skipping.append(tag)
        elif tag in BLOCK_ELEMENTS:
            self._end_paragraph()
            if tag in HEADINGS:  # written as a Markdown heading, which the segmenter skips as a heading
                self.current.append("#" * int(tag[1]) + " ")
        elif tag == "br":
            self.current.append(_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in BLOCK_ELEMENTS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._end_paragraph()

    def _end_paragraph(self) -> None:
        lines = [re.sub(r"\s+", " ", line).strip() for line in "".join(self.current).split(_BREAK)]
        text = "\n".join(line for line in lines if line)
        if text.strip("# "):  # not an empty heading
            self.paragraphs.append(text)
        self.current = []


def html_to_text(html: str) -> str:
    """The article text of an HTML page: every block element (paragraph, heading, list item ...) one
    paragraph, separated by blank lines, a heading written as a Markdown one ("# Title"); scripts, styles, menus,
    page header and footer and forms left out; entities decoded, runs of whitespace made one space."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return "\n\n".join(parser.paragraphs)
