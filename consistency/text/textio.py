"""Reading articles from files and stdin: encodings, binary detection, one-line errors."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from consistency.errors import InputError

logger = logging.getLogger(__name__)

FALLBACK_ENCODINGS = ("utf-8", "utf-16", "cp1252", "latin-1")
STDIN = "-"


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM aware), else UTF-16 with BOM, else cp1252, else Latin-1.

    Returns (text, encoding used). Binary data (NUL bytes outside UTF-16) is refused.
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
    nul = data.find(b"\x00")
    if nul != -1:
        raise InputError(f"'{name}' looks binary (NUL byte at offset {nul}); pass a plain-text article (UTF-8)")
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


def _check_text(text: str, name: str) -> None:
    if not text.strip():
        raise InputError(f"'{name}' is empty (or only whitespace); pass an article with some text")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(text[:8192]) // 50):
        raise InputError(f"'{name}' looks binary ({controls} control characters in the first 8 KB); "
                         "pass a plain-text article")


def read_article(path: str | Path) -> tuple[str, str]:
    """Read an article from ``path`` (``-`` for stdin); returns (text, encoding)."""
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
    _check_text(text, name)
    return text, encoding


def check_text_argument(text: str, name: str = "<text>") -> None:
    """Validate text given directly to the API (same rules as files)."""
    _check_text(text, name)
