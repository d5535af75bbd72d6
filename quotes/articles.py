"""Reading articles: files, folders and standard input become `Article` records.

    read_articles(["seeds/", "more.jsonl", "feed.xml", "-"]) -> Iterator[Article]

One reader per file extension, in `READERS`: `.txt` pages (quotes.textpage), `.html`/`.htm` pages and
RSS/Atom feeds (quotes.webpages), `.jsonl`/`.json` JSON lines; `-` reads JSON lines from standard input.
To read a new kind of file, add a function `reader(path, on_error) -> Iterator[Article]` there.

A bad file or line is reported through `on_error` and skipped, so one broken file never stops a run over
thousands: undecodable bytes are read as Windows-1252 (else Latin-1) with a warning; binary and empty
files, pages without article text, malformed JSON lines (with their line number) and articles longer than
MAX_ARTICLE_CHARS are skipped, and so are folders that cannot be listed and broken links. A path given that
does not exist raises ArticleError.

Paths are made absolute (symlinks resolved), so `seeds/x.txt`, `./seeds/x.txt` and `/home/me/seeds/x.txt`
are one article whatever the working directory: an article read from a file without an `id` or `url` has
its absolute path as its id.
"""

from __future__ import annotations

import errno
import io
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from quotes import webpages
from quotes.model import Article, QuotesError
from quotes.textpage import parse_text_article

__all__ = ["READERS", "ArticleError", "MAX_ARTICLE_CHARS", "OnError", "STDIN", "iter_files", "normalise_date",
           "article_from_json", "parse_text_article", "read_articles", "read_file", "read_json_bytes", "source_file"]

log = logging.getLogger(__name__)

OnError = Callable[[str, str], None]
"""Called with (where, message): `where` is a path, or `path:N` for the Nth JSON line or feed entry."""

# The longest PolNeAR article has 33,672 characters and long-form features run to 60,000; an "article" of
# more is a book, a dump or a concatenation, and would hold up a run. Longer ones are skipped and reported.
MAX_ARTICLE_CHARS = 200_000
# A single-article file (.txt, .html) larger than this is not read at all (saved pages with inline scripts
# and images run to a few MB). Files of many articles (JSON lines, feeds) are read line by line instead.
MAX_PAGE_BYTES = 20_000_000
# Bytes of a file's head looked at for NUL bytes, the mark of a binary file (image, PDF, archive).
BINARY_SNIFF_BYTES = 8192

# What a FIFO, a socket or a device is told: reading one could wait for ever, or never end.
_SPECIAL = "not a regular file (a FIFO, a socket or a device); skipped without opening it"
# Characters that are not Unicode text: lone surrogates, from a JSON escape ("\ud800") or a file name
# that is not UTF-8 (Python keeps each of its bytes as one). Neither SQLite nor a terminal takes them.
_SURROGATE = re.compile("[\ud800-\udfff]")

STDIN = "-"
"""The path that means standard input (JSON lines)."""
STDIN_NAME = "<stdin>"  # how standard input is named in reports and in `Article.path`


class ArticleError(QuotesError):
    """A path given to read does not exist."""


def _warn(where: str, message: str) -> None:
    log.warning("%s: %s", where, message)


def read_articles(paths: Iterable[str | Path], on_error: OnError | None = None) -> Iterator[Article]:
    """Every article in these files and folders (folders recursively, in sorted order, hidden ones skipped).

    Files whose extension has no reader in `READERS` are ignored; `-` reads JSON lines from standard input.
    A file or line that cannot be read calls `on_error(where, message)` (default: log a warning) and
    reading goes on.

    Raises ArticleError for a path that does not exist.
    """
    report = on_error or _warn
    for file in iter_files(paths, report):
        yield from read_file(file, report)


def iter_files(paths: Iterable[str | Path], on_error: OnError | None = None,
               on_skip: Callable[[Path], None] | None = None) -> Iterator[Path | str]:
    """The files to read under these paths, absolute with symlinks resolved, each once; `STDIN` stays as it is.

    A folder that cannot be listed, and a broken link named as an article, are reported through `on_error`
    (default: log a warning) and passed over. A link to a folder already read (a loop) is not read again.
    A file in a folder that no reader reads (a PDF, an image) is passed to `on_skip`, if given.
    """
    report = _printable(on_error or _warn)
    seen: set[Path] = set()
    folders: set[Path] = set()
    for given in paths:
        if str(given) == STDIN:
            yield STDIN
            continue
        path = Path(given)
        if not path.exists():
            raise ArticleError(f"no such file or folder: {given}; check the path")
        path = path.resolve()
        if not path.is_dir() and not path.is_file():
            report(str(path), _SPECIAL)
            continue
        for file in _files_under(path, report, folders) if path.is_dir() else [path]:
            if file in seen:
                continue
            seen.add(file)
            if path == file or file.suffix.lower() in READERS:
                yield file
            elif on_skip is not None:
                on_skip(file)


def read_file(file: Path | str, on_error: OnError | None = None) -> Iterator[Article]:
    """The articles of one file (by its extension's reader; none for an unknown one), or of `STDIN`."""
    report = _printable(on_error or _warn)
    if str(file) == STDIN:
        articles = _jsonl_lines(sys.stdin.buffer, STDIN_NAME, report)
    else:
        reader = READERS.get(Path(file).suffix.lower())
        if reader is None:
            kinds = ", ".join(sorted(READERS))
            report(str(file), f"no reader for {Path(file).suffix or 'files without an extension'}; "
                   f"articles are {kinds} files")
            return
        articles = reader(Path(file), report)
        if _SURROGATE.search(str(file)):
            log.warning("%s: the file's name is not UTF-8; its articles are filed under this name", _shown(file))
    try:
        yield from _capped(articles, report)
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError) as exc:
        # a reader's library meeting what it cannot take (nesting thousands deep, a broken encoding
        # declaration): this file's remaining articles are lost, never the run
        report(str(file), f"cannot read the file ({type(exc).__name__}: {str(exc)[:200]}); check it")


def _printable(report: OnError) -> OnError:
    """`report`, given each place as text that can be printed (see `_shown`)."""
    return lambda where, message: report(_shown(where), _shown(message))


def _shown(path: Path | str) -> str:
    """A path as text that can be printed and stored: bytes of a name that are not UTF-8 become U+FFFD."""
    return _SURROGATE.sub("\ufffd", str(path))


def _valid_unicode(article: Article) -> Article:
    """The article with each lone surrogate (no character: an escape such as "\ud800" in JSON, or a name's
    byte that is not UTF-8) replaced by U+FFFD, one for one, so offsets stay; a warning names the fields."""
    bad = {k: v for k, v in asdict(article).items() if isinstance(v, str) and _SURROGATE.search(v)}
    if not bad:
        return article
    where = _shown(article.path or article.id)
    if bad.keys() - {"id", "path"}:
        log.warning("%s: invalid Unicode (a lone surrogate) in %s; replaced with U+FFFD", where,
                    ", ".join(sorted(bad.keys() - {"id", "path"})))
    return replace(article, **{k: _SURROGATE.sub("\ufffd", v) for k, v in bad.items()})


def read_json_bytes(raw: bytes, name: str, on_error: OnError | None = None) -> Iterator[Article]:
    """The articles of one JSON lines (or `.json`) file given as bytes, as `read_file` reads it from disk.

    For engines that hand a task a whole file (quotes.batch, under Spark): the same checks, the same ids
    (`name:LINE` for an article with no `id` or `url`) and the same messages as a file read from disk.
    """
    report = on_error or _warn
    if not _json_lines_head(raw[:BINARY_SNIFF_BYTES], name, report):
        return
    if name.lower().endswith(".json") and not _starts_with_an_object_line(io.BytesIO(raw)):
        yield from _capped(_json_document(raw, name, report), report)
        return
    yield from _capped(_jsonl_lines(io.BytesIO(raw), name, report), report)


def article_from_json(item: Any, where: str, on_error: OnError | None = None) -> Article | None:
    """One article from a JSON object (or a row of a table with the same fields), `where` naming its place."""
    source, _, number = where.rpartition(":")
    found = _json_article(item, source, int(number), on_error or _warn)
    return next(_capped([found] if found else [], on_error or _warn), None)


def _capped(articles: Iterable[Article], report: OnError) -> Iterator[Article]:
    """The articles no longer than MAX_ARTICLE_CHARS, in valid Unicode; each longer one is reported and skipped."""
    for article in articles:
        if len(article.text) > MAX_ARTICLE_CHARS:
            report(article.path or article.id, f"article of {len(article.text):,} characters is longer than "
                   f"the cap of {MAX_ARTICLE_CHARS:,} (quotes.articles.MAX_ARTICLE_CHARS); split it")
            continue
        yield _valid_unicode(article)


def source_file(where: str) -> str:
    """The file part of an `Article.path` or error location: `a.jsonl:7` -> `a.jsonl`."""
    head, sep, tail = where.rpartition(":")
    return head if sep and tail.isdigit() else where


def _files_under(folder: Path, report: OnError, folders: set[Path]) -> Iterator[Path]:
    """The files under a resolved folder, resolved; `folders` are those already listed (each is listed once)."""
    if folder in folders:
        return
    folders.add(folder)
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        report(str(folder), f"cannot list the folder ({exc.strerror}); check its permissions")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError):  # a broken link, or a loop of links
            if entry.suffix.lower() in READERS:
                report(str(entry), f"broken symbolic link (to {os.readlink(entry)}); remove it or fix its target")
            continue
        if target.is_dir():
            yield from _files_under(target, report, folders)
        elif target.is_file():
            yield target
        else:
            report(str(entry), _SPECIAL)


def _open_regular(path: Path) -> BinaryIO:
    """The file, opened for reading; OSError for a FIFO, socket or device put in its place since it was
    listed (opened without waiting for a writer, and closed unread)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return os.fdopen(fd, "rb")


def _read_bytes(path: Path, report: OnError, fix: str = "one article; is it an article?") -> bytes | None:
    """The file's bytes, or None after reporting why not (unreadable, too large, binary, empty). The size is
    checked before a byte is read: a file larger than MAX_PAGE_BYTES is never read (`fix` says what to do)."""
    try:
        with _open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_PAGE_BYTES:
                report(str(path), f"file of {size:,} bytes is larger than the cap of {MAX_PAGE_BYTES:,} "
                       f"(quotes.articles.MAX_PAGE_BYTES) for {fix}")
                return None
            raw = f.read(MAX_PAGE_BYTES + 1)  # no more, even if the file grows meanwhile
    except OSError as exc:
        report(str(path), f"cannot read the file ({exc.strerror}); check that it exists and is readable")
        return None
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        report(str(path), "binary file (it holds NUL bytes), not text; remove it or save the article as text")
        return None
    if not raw.strip():
        report(str(path), "empty file; remove it or add the article's text")
        return None
    return raw


def decode(raw: bytes, where: str) -> str:
    """Text from bytes: UTF-8, else Windows-1252, else Latin-1 (which reads any byte), with a warning."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        for codec, name in (("cp1252", "Windows-1252 (cp1252)"), ("latin-1", "Latin-1")):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            log.warning("%s: not UTF-8 (bad byte at %d); read as %s", where, exc.start, name)
            break
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_text(path: Path, report: OnError) -> str | None:
    """The text of a one-article file, or None after reporting why not."""
    raw = _read_bytes(path, report)
    if raw is None:
        return None
    return decode(raw, str(path))


# -- .txt, .html, feeds ----------------------------------------------------------------------------------


def read_txt(path: Path, report: OnError) -> Iterator[Article]:
    """One article per `.txt` file."""
    raw = _read_text(path, report)
    if raw is None:
        return
    article = parse_text_article(raw, path)
    if not article.text:
        report(str(path), "no article text found after the headline and byline; check the file")
        return
    yield article


def read_html(path: Path, report: OnError) -> Iterator[Article]:
    """One article per saved web page (`.html`, `.htm`): trafilatura finds its text and metadata."""
    raw = _read_text(path, report)
    if raw is None:
        return
    article = webpages.parse_html(raw, str(path))
    if article is None:
        report(str(path), "no article text found in the page (a front page, a menu, a script?); skipped")
        return
    yield article


def read_feed(path: Path, report: OnError) -> Iterator[Article]:
    """One article per entry of an RSS or Atom feed file (`.xml`, `.rss`, `.atom`)."""
    raw = _read_bytes(path, report, fix="a feed, read whole; split it into feeds of fewer entries")
    if raw is None:
        return
    yield from webpages.parse_feed(raw, str(path), report)


# -- JSON lines ------------------------------------------------------------------------------------------

# Python's JSON reader recurses once per level of nesting; an article is an object of strings.
_TOO_DEEP = "JSON nested too deeply (arrays or objects inside each other, more levels than Python reads)"

# Keys of a JSON article, each with the aliases publishers' exports use.
_KEYS = {
    "title": ("title", "headline"),
    "author": ("author", "authors", "byline"),
    "publisher": ("publisher", "source"),
    "published": ("published", "date", "publication_date"),
    "url": ("url", "link"),
}


def read_jsonl(path: Path, report: OnError) -> Iterator[Article]:
    """One article per JSON line (`.jsonl`; `.json` holding JSON lines, one array of objects or one object).

    JSON lines are read line by line, so a file of any size is read in little memory. A `.json` file whose
    first line is not a whole object (an array, or an object written over several lines) is one document.
    """
    try:
        with _open_regular(path) as f:
            if not _json_lines_head(f.read(BINARY_SNIFF_BYTES), str(path), report):
                return
            f.seek(0)
            if path.suffix.lower() == ".json" and not _starts_with_an_object_line(f):
                size = os.fstat(f.fileno()).st_size
                if size > MAX_PAGE_BYTES:  # one document is read whole: checked before a byte is
                    report(str(path), f"JSON document of {size:,} bytes is larger than the cap of {MAX_PAGE_BYTES:,} "
                           "(quotes.articles.MAX_PAGE_BYTES); write it as JSON lines (.jsonl), one article a line")
                    return
                f.seek(0)
                yield from _json_document(f.read(MAX_PAGE_BYTES + 1), path, report)
                return
            f.seek(0)
            yield from _jsonl_lines(f, str(path), report)
    except OSError as exc:
        report(str(path), f"cannot read the file ({exc.strerror}); check that it exists and is readable")


def _json_lines_head(head: bytes, name: str, report: OnError) -> bool:
    """Whether a file that starts with these bytes may hold JSON lines; if not, it is reported."""
    if b"\x00" in head:
        report(name, "binary file (it holds NUL bytes), not JSON lines; remove it")
        return False
    if not head.strip():
        report(name, "empty file; remove it or add one article object a line")
        return False
    return True


def _starts_with_an_object_line(lines: IO[bytes]) -> bool:
    """Whether the first line that is not blank is a whole JSON object: the file is JSON lines."""
    for _, line in _lines(lines):
        if line is None:
            return False
        if line.strip():
            try:
                return isinstance(json.loads(line), dict)
            except (ValueError, RecursionError):  # malformed, not UTF-8, nested too deep
                return False
    return False


def _lines(f: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) of each line, None for a line longer than MAX_PAGE_BYTES: it is read past, not kept."""
    number = 0
    while line := f.readline(MAX_PAGE_BYTES + 1):
        number += 1
        if len(line) <= MAX_PAGE_BYTES or line.endswith(b"\n"):
            yield number, line
            continue
        while (rest := f.readline(MAX_PAGE_BYTES)) and not rest.endswith(b"\n"):
            pass
        yield number, None


def _json_document(raw: bytes, path: Path | str, report: OnError) -> Iterator[Article]:
    """The articles of a file that is one JSON document: an array of objects, or one object."""
    try:
        items = json.loads(decode(raw, str(path)))
    except json.JSONDecodeError as exc:
        report(f"{path}:{exc.lineno}", f"malformed JSON ({exc.msg}, column {exc.colno}); fix the file")
        return
    except RecursionError:
        report(str(path), _TOO_DEEP + "; fix the file")
        return
    for number, item in enumerate(items if isinstance(items, list) else [items], 1):
        article = _json_article(item, str(path), number, report)
        if article is not None:
            yield article


def _jsonl_lines(lines: IO[bytes], name: str, report: OnError) -> Iterator[Article]:
    for number, line in _lines(lines):
        if line is None:
            report(f"{name}:{number}", f"line longer than the cap of {MAX_PAGE_BYTES:,} bytes "
                   "(quotes.articles.MAX_PAGE_BYTES); skipped unread: is it one article?")
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(decode(line, f"{name}:{number}"))
        except json.JSONDecodeError as exc:
            report(f"{name}:{number}", f"malformed JSON ({exc.msg}, column {exc.colno}); fix or remove the line")
            continue
        except RecursionError:
            report(f"{name}:{number}", _TOO_DEEP + "; fix or remove the line")
            continue
        article = _json_article(item, name, number, report)
        if article is not None:
            yield article


def _json_article(item: Any, source: str, number: int, report: OnError) -> Article | None:
    where = f"{source}:{number}"
    if not isinstance(item, dict):
        report(where, f"expected a JSON object, got {type(item).__name__}; write one article object a line")
        return None
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        report(where, _unusable_text(item))
        return None
    fields = {name: _first(item, keys) for name, keys in _KEYS.items()}
    given = fields["published"]
    fields["published"] = normalise_date(given)
    if given and not fields["published"]:
        log.warning("%s: published date %r not understood; indexed without a date (write it as 2016-09-12)",
                    where, given)
    article_id = _scalar(item.get("id")) or fields["url"] or where
    return Article(id=article_id, text=text.replace("\r\n", "\n"), path=where, **fields)


def _unusable_text(item: dict[str, Any]) -> str:
    """Why an object gives no article text, and what to write instead."""
    if "text" in item:
        text = item["text"]
        if isinstance(text, str):
            return '"text" is empty; put the article\'s body under "text"'
        shown = f" ({json.dumps(text)})" if isinstance(text, int | float) else ""
        return (f'"text" must be a string, not {_json_type(text)}{shown}; put the article\'s body under "text" '
                'as a string')
    wrapper = next((key for key, value in item.items()
                    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value)), None)
    if wrapper is not None:  # an export's envelope: {"articles": [{...}, ...]}
        return (f'an object holding articles under "{wrapper}", not an article: write each article as its own '
                'object with its body under "text" (one a line, or a .json array of them)')
    return 'no "text"; give each article its body under the key "text"'


def _json_type(value: Any) -> str:
    """The JSON name of a decoded value's type: "a number", "an array", "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return {int: "a number", float: "a number", list: "an array", dict: "an object"}.get(type(value), "a string")


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = item.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v).strip() for v in value if str(v).strip())
        value = _scalar(value)
        if value:
            return value
    return None


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return str(value).strip() or None


_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%m/%d/%Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y",
    "%d %B %Y", "%d %b %Y", "%A, %B %d, %Y",
)  # fmt: skip


# A year or a month alone ("2016", "2016-09") is kept as it is: it sorts and filters as a date does.
_ISO_YEAR_OR_MONTH = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")


def normalise_date(value: str | None) -> str | None:
    """An ISO date ("2016-09-12") from the usual ways of writing one, a year or month as it is, else None.

    A value that is no date is dropped rather than kept: `published` is compared as an ISO string by
    `--since`, `--until` and `--sort date`, where "next Tuesday" would come after every date.
    """
    if not value:
        return None
    text = value.strip()
    if _ISO_YEAR_OR_MONTH.fullmatch(text):
        return text
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    candidate = text.replace("Sept.", "Sep.").replace("Sept ", "Sep ")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date().isoformat()  # RSS style: "Mon, 12 Sep 2016 10:00:00 GMT"
    except (TypeError, ValueError, IndexError):
        return None


READERS: dict[str, Callable[[Path, OnError], Iterator[Article]]] = {
    ".txt": read_txt,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".json": read_jsonl,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
}
"""The reader of each file extension (lower case, with the dot); add one here to read a new kind of file."""


def read_stdin(on_error: OnError | None = None) -> Iterator[Article]:
    """Standard input as articles (`quotes extract -`): JSON lines when its first line that is not blank is
    a JSON object, else one article of plain text, taken as it is."""
    report = on_error or _warn
    raw = sys.stdin.buffer.read()
    if _starts_with_an_object_line(io.BytesIO(raw)):
        yield from _jsonl_lines(io.BytesIO(raw), STDIN_NAME, report)
    elif raw.strip():
        yield Article(id=STDIN_NAME, text=decode(raw, STDIN_NAME).strip(), path=STDIN_NAME)
    else:
        report(STDIN_NAME, "no text on standard input; pipe an article in, e.g. `cat article.txt | quotes extract -`")
