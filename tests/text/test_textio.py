"""Reading articles: encodings (UTF-8, BOMs, UTF-16, cp1252), binary refusal, empty input, stdin."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest

from consistency.errors import InputError
from consistency.text.textio import check_text_argument, decode_text, read_article

ARTICLE = "Kremlin spokesman Dmitry Peskov said the meeting took place on June 29. He said 35 people came.\n"
CURLY = "Putin \u201cgave his assessment\u201d of the events, Peskov said \u2013 in Moscow.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings -------------------------------------------------------------------------------------


def test_utf8_file(tmp_path: Path) -> None:
    text = (
        "Prigozhin\u2019s men left Rostov-on-Don; caf\u00e9 \u00fcber na\u00efve \u2014 "
        "\u041c\u043e\u0441\u043a\u0432\u0430.\n"
    )
    path = write(tmp_path, "a.txt", text.encode("utf-8"))
    assert read_article(path) == (text, "utf-8")


def test_utf8_file_given_as_str_path(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", ARTICLE.encode("utf-8"))
    assert read_article(str(path)) == (ARTICLE, "utf-8")


def test_utf8_with_bom_strips_the_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + CURLY.encode("utf-8"))
    text, encoding = read_article(path)
    assert encoding == "utf-8-sig"
    assert text == CURLY
    assert not text.startswith("\ufeff")


def test_utf8_bom_followed_by_invalid_bytes_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "badbom.txt", b"\xef\xbb\xbfHe said \x93hello\x94.")
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == (
        f"'{path}' has a UTF-8 byte-order mark but does not decode as UTF-8 (bad byte at offset 11); "
        "re-save it as UTF-8"
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    bom = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
    path = write(tmp_path, "u16.txt", bom + CURLY.encode(codec))
    text, encoding = read_article(path)
    assert encoding == "utf-16"
    assert text == CURLY  # the NUL bytes of UTF-16 do not make it "binary", and the BOM is gone


def test_utf16_bom_with_odd_length_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "broken16.txt", b"\xff\xfe" + "Peskov said".encode("utf-16-le") + b"\x00")
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == (
        f"'{path}' has a UTF-16 byte-order mark but does not decode as UTF-16; re-save it as UTF-8"
    )


def test_cp1252_curly_quotes_are_decoded_and_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = b"Putin \x93gave his assessment\x94 of the events, Peskov said \x96 in Moscow.\n"
    path = write(tmp_path, "win.txt", data)
    with caplog.at_level(logging.WARNING, logger="consistency.text.textio"):
        text, encoding = read_article(path)
    assert encoding == "cp1252"
    assert text == CURLY
    assert f"'{path}' is not valid UTF-8; decoded it as cp1252" in caplog.messages


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    # 0x81 and 0x8d have no cp1252 character; Latin-1 decodes every byte.
    text, encoding = decode_text(b"Caf\xe9 \x81 and \x8d here", "x.txt")
    assert encoding == "latin-1"
    assert text == "Caf\u00e9 \x81 and \x8d here"


def test_crlf_line_endings_are_kept_so_offsets_match_the_file(tmp_path: Path) -> None:
    data = b"First sentence.\r\n\r\nSecond sentence.\r\n"
    path = write(tmp_path, "crlf.txt", data)
    assert read_article(path) == (data.decode("ascii"), "utf-8")


# --- refused input ----------------------------------------------------------------------------------


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == f"'{path}' looks binary (NUL byte at offset 8); pass a plain-text article (UTF-8)"


def test_control_characters_without_nul_look_binary(tmp_path: Path) -> None:
    data = bytes(range(1, 9)) * 20 + b"some text"
    path = write(tmp_path, "blob.bin", data)
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == (
        f"'{path}' looks binary (160 control characters in the first 8 KB); pass a plain-text article"
    )


def test_a_few_control_characters_are_tolerated(tmp_path: Path) -> None:
    # A stray BEL or ESC (pasted from a terminal) and form feeds are not a reason to refuse an article.
    text = "Peskov said\x0c the meeting\x07 lasted three hours.\x1b " * 4
    path = write(tmp_path, "form-feed.txt", text.encode("utf-8"))
    assert read_article(path) == (text, "utf-8")


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.txt", b"")
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == f"'{path}' is empty (or only whitespace); pass an article with some text"


@pytest.mark.parametrize("data", [b"   \n\t\r\n  ", "\u00a0\u2003\n".encode(), b"\xef\xbb\xbf\n\n"])
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "blank.txt", data)
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == f"'{path}' is empty (or only whitespace); pass an article with some text"


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "article.txt"
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == f"no such file: '{path}'; check the path"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_article(tmp_path)
    assert str(info.value) == (
        f"'{tmp_path}' is a directory; pass article files (for many articles use 'consistency compare')"
    )


def test_unreadable_file_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.txt", ARTICLE.encode())

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == f"cannot read '{path}': Permission denied; check its permissions"


# --- stdin and direct text --------------------------------------------------------------------------


def fake_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_via_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, ARTICLE.encode("utf-8"))
    assert read_article("-") == (ARTICLE, "utf-8")


def test_stdin_is_read_as_bytes_and_decoded_like_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b"He said \x93no\x94.")
    assert read_article("-") == ("He said \u201cno\u201d.", "cp1252")


def test_empty_stdin_names_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b"")
    with pytest.raises(InputError) as info:
        read_article("-")
    assert str(info.value) == "'<stdin>' is empty (or only whitespace); pass an article with some text"


def test_binary_stdin_names_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b"\x89PNG\x00\x00\x01")
    with pytest.raises(InputError) as info:
        read_article("-")
    assert str(info.value) == "'<stdin>' looks binary (NUL byte at offset 4); pass a plain-text article (UTF-8)"


# --- documents saved as .txt, UTF-16 without a byte-order mark (issue 18.5) --------------------------


def test_a_pdf_saved_as_txt_says_extract_its_text(tmp_path: Path) -> None:
    path = write(tmp_path, "story.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == (f"'{path}' looks like a PDF file, not plain text: extract its text first "
                               f"(e.g. pdftotext {path} story-text.txt)")


@pytest.mark.parametrize("member", [b"word/document.xml", b"mimetypeapplication/vnd.oasis.opendocument.text"])
def test_a_word_or_opendocument_file_saved_as_txt_says_save_as_plain_text(tmp_path: Path, member: bytes) -> None:
    path = write(tmp_path, "story.txt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + member)
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(info.value) == (f"'{path}' looks like a Word or OpenDocument file (a ZIP archive), not plain text: "
                               "save it as plain text first")


def test_a_pdf_on_stdin_names_stdin_and_a_placeholder_file(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b"%PDF-1.4\n")
    with pytest.raises(InputError, match=r"^'<stdin>' looks like a PDF file.*pdftotext FILE.pdf FILE-text.txt\)$"):
        read_article("-")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_as_utf16_not_called_binary(
    tmp_path: Path, codec: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path, "u16.txt", (ARTICLE + CURLY).encode(codec))  # what some Windows tools write
    with caplog.at_level(logging.WARNING, logger="consistency.text.textio"):
        text, encoding = read_article(path)
    assert (text, encoding) == (ARTICLE + CURLY, codec)
    assert f"is UTF-16 without a byte-order mark; decoded it as {codec}" in caplog.text


def test_nul_bytes_on_both_sides_are_still_binary() -> None:
    data = bytes(range(256)) * 4  # even length, NULs at even and odd offsets alike
    with pytest.raises(InputError, match="looks binary"):
        decode_text(data, "blob.txt")
    with pytest.raises(InputError, match="looks binary"):  # one-sided NULs that do not decode as UTF-16
        decode_text(b"a\x00" * 40 + b"\x00\xd8\x00\x00", "blob.txt")


def test_check_text_argument() -> None:
    check_text_argument("Peskov said so.")  # no error
    with pytest.raises(InputError) as info:
        check_text_argument(" \n ")
    assert str(info.value) == "'<text>' is empty (or only whitespace); pass an article with some text"
    with pytest.raises(InputError) as info:
        check_text_argument("\x01\x02" * 20, name="api")
    assert str(info.value) == "'api' looks binary (40 control characters in the first 8 KB); pass a plain-text article"
