"""Reading articles from files and stdin: encodings, binary detection, one-line errors."""

from __future__ import annotations

import logging
import re
import shlex
import sys
from pathlib import Path

from consistency.errors import InputError
from consistency.text.html import clean_markup_remnants, has_markup_remnants, html_to_text, looks_like_html
from consistency.text.pages import PAGE_BREAK, rejoin_page_breaks

logger = logging.getLogger(__name__)

STDIN = "-"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM aware), else UTF-16 with BOM, else cp1252, else Latin-1.

    Returns (text, encoding used). UTF-16 without a byte-order mark is recognised by its NUL bytes
    (:func:`utf16_without_bom`). PDF and Word/OpenDocument files (by their magic bytes) and other binary
    data (NUL bytes outside UTF-16) are refused with a one-line error that says what to do.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(f"'{name}' has a UTF-8 byte-order mark but does not decode as UTF-8 "
                             f"(bad byte at offset {exc.start + 3}); re-save it as UTF-8") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(f"'{name}' has a UTF-16 byte-order mark but does not decode as UTF-16; "
                             "re-save it as UTF-8") from exc
    _refuse_documents(data, name)
    nul = data.find(b"\x00")
    if nul != -1:
        codec = utf16_without_bom(data)
        if codec is None:
            raise InputError(f"'{name}' looks binary (NUL byte at offset {nul}); pass a plain-text article (UTF-8)")
        logger.warning("'%s' is UTF-16 without a byte-order mark; decoded it as %s", name, codec)
        return data.decode(codec), codec
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8":
            logger.warning("'%s' is not valid UTF-8; decoded it as %s", name, encoding)
        return text, encoding
    logger.warning("'%s' is not valid UTF-8 or cp1252; decoded it as latin-1", name)
    return data.decode("latin-1"), "latin-1"


# Magic bytes of documents that people save or rename as .txt: (prefix, what it is, how to get text from it).
DOCUMENT_MAGIC = (
    (b"%PDF", "a PDF file", "extract its text first (e.g. pdftotext {name} {target})"),
    (b"PK\x03\x04", "a Word or OpenDocument file (a ZIP archive)", "save it as plain text first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word 97-2003 (.doc) file", "save it as plain text first"),
    (b"{\\rtf", "an RTF file", "save it as plain text first"),
)
UTF16_PROBE_BYTES = 4096


def _refuse_documents(data: bytes, name: str) -> None:
    """A PDF, Word, OpenDocument or RTF file (often saved as .txt) gets an error that says how to get its text."""
    head = data[:1024].lstrip()
    for magic, what, fix in DOCUMENT_MAGIC:
        if head.startswith(magic):
            source = name if name != "<stdin>" else "FILE.pdf"
            target = f"{Path(source).stem}-text.txt"
            raise InputError(f"'{name}' looks like {what}, not plain text: "
                             + fix.format(name=shlex.quote(source), target=shlex.quote(target)))


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``data`` reads as UTF-16 without a byte-order mark, else None.

    Text in a Latin script stored as UTF-16 has a NUL byte in almost every code unit, always on the same
    side: at odd offsets for little-endian, at even offsets for big-endian. Binary files have NULs on both
    sides. The probe also has to decode strictly."""
    probe = data[:UTF16_PROBE_BYTES]
    if len(data) % 2 or len(probe) < 4:
        return None
    units = len(probe) // 2
    even = probe[0::2].count(0)
    odd = probe[1::2].count(0)
    for codec, nuls, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls >= 0.3 * units and others <= 0.02 * units:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(text: str, name: str) -> None:
    if not text.strip():
        raise InputError(f"'{name}' is empty (or only whitespace); pass an article with some text")
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:  # the tokenizers refuse it with a TypeError that names nothing
        raise InputError(f"'{name}' has an unpaired surrogate (U+{ord(surrogate.group()):04X}) at offset "
                         f"{surrogate.start()}, which is not valid Unicode; decode the text with errors='replace'")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(text[:8192]) // 50):
        raise InputError(f"'{name}' looks binary ({controls} control characters in the first 8 KB); "
                         "pass a plain-text article")


def read_article(path: str | Path) -> tuple[str, str]:
    """Read an article from ``path`` (``-`` for stdin); returns (text, encoding). A web page (``.html``, or text
    that opens with ``<!doctype html>`` / ``<html>``) becomes its text (:func:`~consistency.text.html.html_to_text`)."""
    text, encoding, _ = read_article_as(path)
    return text, encoding


def read_article_as(path: str | Path) -> tuple[str, str, str | None]:
    """:func:`read_article`, and how the text differs from the file's characters, where it does ("a web page's text,
    without markup"; "sentences cut by a page break joined"): claim offsets refer to the text, not the file."""
    name = str(path)
    if name == STDIN:
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        file = Path(path)
        if not file.exists():
            raise InputError(f"no such file: '{name}'; check the path")
        if file.is_dir():
            raise InputError(f"'{name}' is a directory; pass article files "
                             "(for many articles use 'consistency compare')")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read '{name}': {exc.strerror or exc}; check its permissions") from exc
    text, encoding = decode_text(data, name)
    read_as: list[str] = []
    if name.lower().endswith(HTML_SUFFIXES) or looks_like_html(text):
        text = html_to_text(text)  # what a reader sees; claim offsets refer to this text
        if not text.strip():
            raise InputError(f"'{name}' is a web page with no text outside its markup; pass the article's text")
        logger.info("'%s' is a web page: its text (%d characters, without markup, menus and scripts) is checked",
                    name, len(text))
        read_as.append("a web page's text, without markup")
    elif has_markup_remnants(text):
        text = clean_markup_remnants(text)  # "Fire &amp; Rescue": claim offsets refer to the cleaned text
        logger.info("'%s': HTML character references (&amp;, &#8217;) decoded and stray tags removed", name)
        read_as.append("HTML character references decoded, stray tags removed")
    if PAGE_BREAK in text:  # PDF text: a sentence cut by a page break is joined; offsets refer to the result
        joined = rejoin_page_breaks(text)
        if joined != text:
            text = joined
            logger.info("'%s': sentences cut by a page break joined (their ends moved up before the page footer)",
                        name)
            read_as.append("sentences cut by a page break joined")
    _check_text(text, name)
    return text, encoding, "; ".join(read_as) or None


def check_text_argument(text: str, name: str = "<text>") -> None:
    """Validate text given directly to the API (same rules as files); text that is not a ``str`` is a
    ``TypeError`` that says what to pass (bytes: decode them, or use :func:`read_article` on the file)."""
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(f"{name}: the text is bytes; decode it first (text.decode('utf-8')) or pass the file to "
                        "read_article, which detects the encoding")
    if not isinstance(text, str):
        raise TypeError(f"{name}: the text must be a str, not {type(text).__name__}")
    _check_text(text, name)
