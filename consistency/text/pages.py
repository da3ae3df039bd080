"""Text extracted from a PDF: a sentence cut by a page break is joined again.

``pdftotext`` and most PDF readers put a form feed between pages, with the pages' running footer and header
around it, so a sentence that runs onto the next page reaches the checker as two fragments with the furniture
between them ("... the quake, which has killed more than" / footer / header / "5,000 people."): the first a claim
that has lost its figure, the second skipped for want of a verb (a fact-checker's walk). Here the paragraph that
continues such a sentence moves up to join it, before the footer; the footer and header stay where they were,
so they are still skipped and counted as running lines, and nothing of the text is lost. A page that ends a
sentence, or a next page that opens with a capital after a line that may be a heading, is left as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from consistency.text.segment import running_key, running_lines

PAGE_BREAK = "\f"
_BREAK = re.compile(r"(?<=\n)\f")  # pdftotext's: a form feed opening a line (a stray one mid-line is no page break)
_SENTENCE_END = tuple('.!?:;"”’)]')
# a line that ends in one of these runs on, whatever the next page opens with
_RUNS_ON = re.compile(r"(?:[,\-–—(]|\b(?:the|a|an|of|to|in|on|at|by|for|with|from|and|or|but|than|that|as|"
                      r"more|less|said|says|is|was|were|are|has|have|had|will|would|its|his|her|their))$")
_CONTINUES = re.compile(r"[a-z0-9(\"“'‘$£€%]")


# A page number on a line of its own ("2", "- 2 -", "Page 2", "2 of 9"): furniture even where no other page has one
# (a QA walk's two-page text: its one page number kept the sentence it cut apart).
_PAGE_NUMBER = re.compile(r"\s*(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:of|/)\s*\d{1,4}\s*)?", re.IGNORECASE)


@dataclass(frozen=True)
class _Furniture:
    """What marks a page's furniture: the text's running lines (by :func:`running_key`) and its short lines that
    come back as they are (:func:`_repeated_short_lines`), besides page numbers and blank lines."""

    running: frozenset[str]
    repeated: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Furniture:
        return cls(running_lines(text), _repeated_short_lines(text))

    def holds(self, line: str) -> bool:
        return (not line.strip() or running_key(line) in self.running or line.strip() in self.repeated
                or _PAGE_NUMBER.fullmatch(line) is not None)


def _repeated_short_lines(text: str) -> frozenset[str]:
    """Short lines without a sentence end that ``text`` has twice or more, as a page header without a number
    ("Northfield Health Board report" atop each page) is."""
    lines = Counter(line.strip().lstrip(PAGE_BREAK) for line in text.split("\n"))
    return frozenset(line for line, n in lines.items() if n >= 2 and line and len(line.split()) <= 10
                     and not line.endswith(_SENTENCE_END))


def _split_tail(page: str, furniture: _Furniture) -> tuple[str, str]:
    """``page`` as (body, footer): the footer is its last lines that are blank or running lines."""
    lines = page.split("\n")
    cut = len(lines)
    while cut > 0 and furniture.holds(lines[cut - 1]):
        cut -= 1
    return "\n".join(lines[:cut]), "\n".join([""] + lines[cut:]) if cut < len(lines) else ""


def _split_head(page: str, furniture: _Furniture) -> tuple[str, str, str]:
    """``page`` as (header, continued paragraph, rest): the header is its first lines that are blank or running
    lines, the paragraph runs to the first blank line after them."""
    lines = page.split("\n")
    cut = 0
    while cut < len(lines) and furniture.holds(lines[cut]):
        cut += 1
    end = cut
    while end < len(lines) and lines[end].strip():
        end += 1
    header = "\n".join(lines[:cut]) + ("\n" if cut else "")
    return header, "\n".join(lines[cut:end]), "\n".join([""] + lines[end:]) if end < len(lines) else ""


def _runs_on(body: str, paragraph: str) -> bool:
    last = body.rstrip()
    if not last or not paragraph or last.endswith(_SENTENCE_END):
        return False
    return _CONTINUES.match(paragraph) is not None or _RUNS_ON.search(last) is not None


def rejoin_page_breaks(text: str) -> str:
    """``text`` with each sentence that a page break (a form feed opening a line) cuts joined again: the
    paragraph that continues it moves up before the page's footer. A text without such breaks comes back as it
    is."""
    pages = _BREAK.split(text)
    if len(pages) == 1:
        return text
    furniture = _Furniture.of(text)
    for i in range(len(pages) - 1):
        body, footer = _split_tail(pages[i], furniture)
        header, paragraph, rest = _split_head(pages[i + 1], furniture)
        if _runs_on(body, paragraph):  # a blank line after the joined paragraph keeps it a paragraph of its own
            footer = footer.strip("\n")  # its own paragraph too: a page number glued to the next page's header
            pages[i] = body.rstrip() + "\n" + paragraph + "\n\n" + (footer + "\n\n" if footer else "")
            pages[i + 1] = header + rest.lstrip("\n")
    return PAGE_BREAK.join(pages)
