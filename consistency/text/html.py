"""Text from a saved web page: what a reader sees of the article, as paragraphs, without markup."""

from __future__ import annotations

import html
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


# Tags of markup pasted as text ("<p>A ferry ran aground ...</p>"). Markup is HTML when its opening paragraph-level
# tags are at least MARKUP_TAGS and MARKUP_SHARE of its lines; a stray tag in plain text is only removed.
_MARKUP_TAG = re.compile(r"</?(?:p|div|span|br|li|ul|ol|h[1-6]|blockquote|figure|figcaption|article|section|table|"
                         r"tr|td|strong|em|i|b|a)(?:\s[^<>]{0,300})?/?>", re.IGNORECASE)
_BLOCK_OPENING = re.compile(r"<(?:p|div|br|li|h[1-6]|blockquote|figure|figcaption|article|section|tr)\b[^<>]{0,300}>",
                            re.IGNORECASE)
MARKUP_TAGS = 2
MARKUP_SHARE = 0.3
# Character references left in pasted web copy: "Fire &amp; Rescue", "the vessel&#8217;s hull", "&nbsp;".
_ENTITY = re.compile(r"&(?:#\d{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z][a-zA-Z0-9]{1,9});")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is HTML: a document (it opens with a doctype or an ``<html>`` tag) or markup pasted as
    text, with at least :data:`MARKUP_TAGS` paragraph-level tags ("<p>...</p>")."""
    if _HTML_START.match(text[:4096]):
        return True
    sample = text[:65536]
    opening = len(_BLOCK_OPENING.findall(sample))
    lines = sum(1 for line in sample.splitlines() if line.strip())
    return opening >= max(MARKUP_TAGS, MARKUP_SHARE * lines)


def has_markup_remnants(text: str) -> bool:
    """Whether plain text holds HTML character references ("&amp;", "&#8217;") or stray tags ("<p>") to clean
    before it is read: a ";" inside "&amp;" would end a sentence, and the model would read the tags."""
    return _ENTITY.search(text) is not None or _MARKUP_TAG.search(text) is not None


def clean_markup_remnants(text: str) -> str:
    """Plain text without stray tags and with its character references decoded ("Fire &amp; Rescue" -> "Fire &
    Rescue")."""
    return html.unescape(_MARKUP_TAG.sub("", text))


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
            if tag in HEADINGS and tag != "h1":  # a Markdown heading, which the segmenter skips as a heading;
                self.current.append("#" * int(tag[1]) + " ")  # <h1> is the headline: a claim, as in plain text
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
    paragraph, separated by blank lines, a section heading written as a Markdown one ("## Key facts"), the
    ``<h1>`` headline as plain text (a claim, as a plain-text headline is); scripts, styles, menus, page header and
    footer and forms left out; entities decoded, runs of whitespace made one space."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return "\n\n".join(parser.paragraphs)
