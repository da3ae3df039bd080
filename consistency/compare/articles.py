"""Articles with their metadata, and loading them from files, directories and JSONL corpora.

An input is a text file (its stem is the article id), a directory (its ``*.txt``, ``*.md`` and
``*.jsonl`` files, recursively, in sorted order), a JSONL corpus (one article per line: ``id``,
``text``, optional ``title``, ``source``, ``date``, ``url``; ``.jsonl.gz`` too) or ``-`` for one
article on stdin. A bad corpus line is reported with its line number and the rest is loaded. When an
article has no ``date`` field, a ``date YYYY-MM-DD`` line or a dateline at the top of the text
fills it; without a ``source``, the outlet of a byline ("By Anna Petrova, Baltic Wire") does.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date as Date
from pathlib import Path
from typing import Any

from consistency.errors import InputError
from consistency.text.stories import is_story_marker
from consistency.text.textio import HTML_SUFFIXES, STDIN, read_article
from consistency.text.words import MONTH_NUMBERS

TEXT_SUFFIXES = (".txt", ".md", ".text", *HTML_SUFFIXES)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
METADATA_FIELDS = ("title", "source", "date", "url")
DATELINE_WINDOW = 300  # a dateline is looked for in this many opening characters

_MONTH = r"(?P<month>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_DATE_LINE = re.compile(r"^[ \t]*date[ \t]*[:=]?[ \t]*(?P<iso>\d{4}-\d{2}-\d{2})\b", re.IGNORECASE | re.MULTILINE)
_ISO = re.compile(r"(?<![\d-])(?P<iso>(?:19|20)\d\d-\d{2}-\d{2})(?![\d-])")
_MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b",
                             re.IGNORECASE)
_BYLINE_SOURCE = re.compile(
    r"^[ \t]*By[ \t]+[A-Z][^\n,|]*?[ \t]*[,|][ \t]*(?P<source>[A-Z][^\n,|]{1,60}?)[ \t]*$", re.MULTILINE)
BYLINE_WINDOW = 3  # a byline is looked for in this many opening lines
_DAY_MONTH_YEAR = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b",
                             re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One article: an id unique in its corpus, the text, and what is known about where it came from."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    url: str | None = None
    path: str | None = None  # file it was read from (with ":LINE" for a corpus line)
    date_from: str | None = None  # "field", "date line", "dateline" or "file name" when ``date`` is set
    encoding: str = "utf-8"

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: claims, embeddings and verdicts depend on nothing else."""
        return text_hash(self.text)

    def metadata(self) -> dict[str, Any]:
        """Everything but the text."""
        data = asdict(self)
        data.pop("text")
        return data


@dataclass(frozen=True)
class LoadProblem:
    """An input (or one line of it) that could not be used, and why. ``named``: an input given as such (a file
    or folder argument) failed, not a file found inside a folder or a line of a corpus."""

    where: str
    message: str
    line: int | None = None
    named: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        location = f"{self.where} line {self.line}" if self.line is not None else self.where
        if self.line is None and self.message.startswith(f"'{self.where}' "):  # the message names the file itself
            return self.message
        return f"{location}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class LoadResult:
    """The articles that loaded, in input order, and the problems met on the way."""

    articles: tuple[Article, ...]
    problems: tuple[LoadProblem, ...] = field(default=())


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_date(value: str) -> str | None:
    """``YYYY-MM-DD`` (or an ISO timestamp starting with it) as ``YYYY-MM-DD``; None when it is not a date."""
    match = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?\s*$", value)
    if not match:
        return None
    try:
        return Date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        return None


def extract_date(text: str) -> tuple[str | None, str | None]:
    """The article's date from its text: a ``date YYYY-MM-DD`` line anywhere, else a dateline in the
    opening characters (``July 10, 2023``, ``10 July 2023``, ``2023-07-10``). Returns (date, how)."""
    match = _DATE_LINE.search(text)
    if match and (found := normalise_date(match.group("iso"))):
        return found, "date line"
    head = text[:DATELINE_WINDOW]
    candidates: list[tuple[int, str]] = []
    for m in _ISO.finditer(head):
        if iso := normalise_date(m.group("iso")):
            candidates.append((m.start(), iso))
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        for m in pattern.finditer(head):
            try:
                found_date = Date(int(m.group("year")), MONTH_NUMBERS[m.group("month").lower()], int(m.group("day")))
            except ValueError:
                continue
            candidates.append((m.start(), found_date.isoformat()))
    if candidates:
        return min(candidates)[1], "dateline"
    return None, None


def extract_source(text: str) -> str | None:
    """The outlet of a byline such as ``By Anna Petrova, Baltic Wire`` in the opening lines, if any."""
    head = "\n".join(text.lstrip("\ufeff").splitlines()[:BYLINE_WINDOW])
    match = _BYLINE_SOURCE.search(head)
    return match.group("source").strip() if match else None


TITLE_MAX_WORDS = 20


def extract_title(text: str) -> str | None:
    """The headline of a plain-text article: its first line when more text follows and the line is short (at
    most ``TITLE_MAX_WORDS`` words) and ends without a full stop, question or exclamation mark (a reporter's walk:
    every article's title was empty); bylines, date lines and story markers before it are passed over. The
    headline stays a claim of the article."""
    lines = [line.strip() for line in text.lstrip("\ufeff").strip().splitlines() if line.strip()]
    for position, line in enumerate(lines[:3]):  # a byline or a date line may come first (a QA walk)
        first = line.lstrip("#").strip()
        if _BYLINE_SOURCE.match(first) or first.startswith(("By ", "BY ")) or (
                len(first.split()) <= 8 and extract_date(first)[0] is not None) or is_story_marker(line):
            continue  # a digest's "--- Item 1 ---" is no headline either (a QA walk)
        if position + 1 >= len(lines) or not first or len(first.split()) > TITLE_MAX_WORDS or first[-1] in ".!?":
            return None
        return first
    return None


def make_article(
    id: str, text: str, *, title: str | None = None, source: str | None = None, date: str | None = None,
    url: str | None = None, path: str | None = None, encoding: str = "utf-8",
) -> Article:
    """An :class:`Article`; a missing ``date`` is filled from the text, a missing ``source`` from a byline, a
    missing ``title`` from a headline line (:func:`extract_title`). A
    ``date`` is YYYY-MM-DD (other forms of a date are normalised; anything else is an :class:`InputError`)."""
    if date:
        iso = normalise_date(date)
        if iso is None:
            raise InputError(f"article '{id}': date {date!r} is not a date (YYYY-MM-DD); pass one, or none to date "
                             "the article from its text")
        date = iso
    date_from = "field" if date else None
    if not date:
        date, date_from = extract_date(text)
    if not source:
        source = extract_source(text)
    if not title:
        title = extract_title(text)
    return Article(id=id, text=text, title=title, source=source, date=date, url=url, path=path,
                   date_from=date_from, encoding=encoding)


def _is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES)


def _open_lines(path: Path) -> Iterable[bytes]:
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            yield from handle
    else:
        with path.open("rb") as handle:
            yield from handle


def read_jsonl(path: str | Path) -> LoadResult:
    """Articles of a JSONL corpus; each bad line becomes a :class:`LoadProblem` and is skipped."""
    path = Path(path)
    articles: list[Article] = []
    problems: list[LoadProblem] = []
    seen: dict[str, int] = {}
    name = str(path)
    try:
        lines = list(_open_lines(path))
    except OSError as exc:
        raise InputError(f"cannot read corpus '{name}': {exc.strerror or exc}; check the path") from exc
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(LoadProblem(name, f"not UTF-8 (byte {exc.start}); re-save the corpus as UTF-8", number))
            continue
        article, problem = parse_corpus_line(line, name, number)
        if problem is not None:
            problems.append(problem)
        if article is None:
            continue
        if article.id in seen:
            problems.append(LoadProblem(name, f"duplicate id '{article.id}' (first on line {seen[article.id]}); "
                                              "this line is skipped", number))
            continue
        seen[article.id] = number
        articles.append(article)
    return LoadResult(tuple(articles), tuple(problems))


def parse_corpus_line(line: str, name: str, number: int) -> tuple[Article | None, LoadProblem | None]:
    """One corpus line as an article, or the problem that stops it (an unusable date is a problem but
    keeps the article, dated from its text instead)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, LoadProblem(name, f"not valid JSON ({exc.msg} at column {exc.colno})", number)
    if not isinstance(record, dict):
        return None, LoadProblem(name, f"expected a JSON object, found {type(record).__name__}", number)
    missing = [key for key in ("id", "text") if key not in record]
    if missing:
        return None, LoadProblem(
            name, f"the line has keys [{', '.join(sorted(record))}]; expected id, text and optionally "
                  f"{', '.join(METADATA_FIELDS)} (missing: {', '.join(missing)})", number)
    raw_id, text = record["id"], record["text"]
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool) or not str(raw_id).strip():
        return None, LoadProblem(name, f"'id' must be a non-empty string or integer, found {raw_id!r}", number)
    if not isinstance(text, str) or not text.strip():
        return None, LoadProblem(name, f"'text' must be a non-empty string (article '{raw_id}')", number)
    metadata: dict[str, str | None] = {}
    for key in METADATA_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return None, LoadProblem(name, f"'{key}' must be a string, found {value!r}", number)
        metadata[key] = value or None
    problem = None
    if metadata["date"] is not None:
        iso = normalise_date(metadata["date"])
        if iso is None:
            problem = LoadProblem(name, f"'date' {metadata['date']!r} is not YYYY-MM-DD; dating article "
                                        f"'{raw_id}' from its text instead", number)
        metadata["date"] = iso
    article = make_article(str(raw_id).strip(), text, path=f"{name}:{number}", title=metadata["title"],
                           source=metadata["source"], date=metadata["date"], url=metadata["url"])
    return article, problem


_FILE_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def read_text_article(path: str | Path, article_id: str | None = None) -> Article:
    """One article from a text file (``-`` for stdin); its id is the file's stem unless given. An article whose
    text gives no date takes one from its file name ("baltic-wire_2023-07-06.txt"; ``date_from`` "file name")."""
    text, encoding = read_article(path)
    name = str(path)
    if name == STDIN:
        return make_article(article_id or "stdin", text, path="<stdin>", encoding=encoding)
    article = make_article(article_id or Path(name).stem, text, path=name, encoding=encoding)
    named = _FILE_NAME_DATE.search(Path(name).name)
    if article.date is None and named is not None and (date := normalise_date(named.group(1))) is not None:
        article = replace(article, date=date, date_from="file name")
    return article


def _is_article_file(path: Path) -> bool:
    return path.name.lower().endswith(TEXT_SUFFIXES) or _is_jsonl(path)


def _visible_files(directory: Path) -> list[Path]:
    """The files in ``directory`` and its subfolders, hidden files and folders left out, sorted."""
    return sorted(p for p in directory.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(directory).parts))


def _directory_files(directory: Path) -> list[Path]:
    """The article files in ``directory`` and its subfolders, hidden files and folders left out."""
    return [p for p in _visible_files(directory) if _is_article_file(p)]


SHOWN_UNREAD = 5  # files of a folder named in the line that says they were not read


def unread_files_problem(directory: Path) -> LoadProblem | None:
    """The one line that names the files of ``directory`` (and its subfolders) that are not read as articles, or
    None: an analyst's PDF dropped into the case folder was left out without a word (an OSINT walk)."""
    unread = [p for p in _visible_files(directory) if not _is_article_file(p)]
    if not unread:
        return None
    shown = [p.relative_to(directory).as_posix() + (" (a PDF: extract its text first, e.g. pdftotext)"
                                                     if p.suffix.lower() == ".pdf" else "") for p in unread]
    more = f" and {len(unread) - SHOWN_UNREAD} more" if len(unread) > SHOWN_UNREAD else ""
    return LoadProblem(str(directory), f"{len(unread)} file{'s' if len(unread) != 1 else ''} not read, not being "
                                       f"articles (only {', '.join(TEXT_SUFFIXES + JSONL_SUFFIXES)} are): "
                                       f"{', '.join(shown[:SHOWN_UNREAD])}{more}")


def load_inputs(paths: Sequence[str | Path], stdin_id: str | None = None, keep_going: bool = False) -> LoadResult:
    """Load every article named by ``paths`` (files, directories, JSONL corpora, ``-``: one article from stdin,
    with the id ``stdin_id`` or "stdin").

    Ids must be unique across inputs: a text file whose stem is taken gets its path (relative to the directory
    given, else as given) without the extension as id; a file named twice is read once.
    A missing path, an unreadable file named as such or an empty directory raises :class:`InputError` (with
    ``keep_going``: a problem with ``named`` set, and the other inputs are read, as ``check`` does with its
    articles); an unreadable file inside a directory and a bad corpus line are problems, reported and skipped.
    """
    loader = _Loader(keep_going)
    for raw in paths:
        if str(raw) != STDIN and Path(raw).is_dir() and (unread := unread_files_problem(Path(raw))) is not None:
            loader.problems.append(unread)
    for raw in paths:
        try:
            for file, root in _input_files([raw]):
                if file is None:
                    loader.keep(read_text_article(STDIN, stdin_id), "<stdin>")
                else:
                    loader.load_file(file, root)
        except InputError as exc:
            if not keep_going:
                raise
            loader.problems.append(LoadProblem(str(raw), str(exc), named=True))
    return LoadResult(tuple(loader.articles), tuple(loader.problems))


class _Loader:
    """The articles and problems of one :func:`load_inputs` call, and the ids and files it has seen."""

    def __init__(self, keep_going: bool) -> None:
        self.keep_going = keep_going
        self.articles: list[Article] = []
        self.problems: list[LoadProblem] = []
        self.taken: set[str] = set()
        self.loaded: set[Path] = set()

    def keep(self, article: Article, where: str) -> None:
        if article.id in self.taken:
            self.problems.append(LoadProblem(where, f"article id '{article.id}' is already used by an earlier "
                                                    "input; this one is skipped"))
            return
        self.taken.add(article.id)
        self.articles.append(article)

    def failed(self, file: Path, root: Path | None, exc: InputError) -> None:
        """An unreadable file: an error when named on its own (unless ``keep_going``), else a problem."""
        if root is None and not self.keep_going:
            raise exc
        self.problems.append(LoadProblem(str(file), str(exc), named=root is None))

    def load_file(self, file: Path, root: Path | None) -> None:
        """One file, found in the directory ``root`` or (None) named as such."""
        real = file.resolve()
        if real in self.loaded:
            self.problems.append(LoadProblem(str(file), "this file was already read (named twice); skipped"))
            return
        self.loaded.add(real)
        if _is_jsonl(file):
            try:  # a corrupt corpus inside a folder is one problem; the folder goes on
                result = read_jsonl(file)
            except InputError as exc:
                self.failed(file, root, exc)
                return
            self.problems.extend(result.problems)
            for article in result.articles:
                self.keep(article, f"{file}:{article.path.rsplit(':', 1)[-1] if article.path else '?'}")
            return
        try:
            article = read_text_article(file)
        except InputError as exc:
            self.failed(file, root, exc)
            return
        if article.id in self.taken:  # "outletA/x.txt" and "outletB/x.txt": the second keeps its folder in its id
            relative = (file.relative_to(root) if root is not None else file).with_suffix("").as_posix()
            article = Article(**{**asdict(article), "id": relative})
        self.keep(article, str(file))


def _input_files(paths: Sequence[str | Path]) -> Iterator[tuple[Path | None, Path | None]]:
    """(file, the directory it was found in) for every input, in order; (None, None) for stdin. A missing path
    or a directory without article files raises :class:`InputError`."""
    for raw in paths:
        name = str(raw)
        if name == STDIN:
            yield None, None
            continue
        path = Path(name)
        if not path.exists():
            raise InputError(f"no such file or directory: '{name}'; check the path")
        if not path.is_dir():
            yield path, None
            continue
        files = _directory_files(path)
        if not files:
            raise InputError(f"directory '{name}' has no article files (*.txt, *.md, *.html, *.jsonl); "
                             "pass article files or a JSONL corpus")
        yield from ((file, path) for file in files)
