"""Opening a Whoosh index: errors of damaged files, the searcher kept open per process, its columns."""

from __future__ import annotations

import functools
import os
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from whoosh import columns, index
from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton
from whoosh.reading import TermNotFound

from quotes.index.records import SEARCH_FIELDS, IndexDamagedError
from quotes.index.whoosh import schema as fields
from quotes.index.whoosh.integrity import check_files
from quotes.index.whoosh.internals import hold_lengths, in_memory, posting_ids, uses_packed_postings
from quotes.model import QuotesError
from quotes.paths import NoIndexError, whoosh_path

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def readable(index_dir: Path) -> Iterator[None]:
    """Turn whoosh's failure to read its files into IndexDamagedError.

    A damaged file makes whoosh raise whatever its parser meets (FileFormatError, IndexError, struct.error,
    EOFError...). The index is derived data, so the fix is always the same: rebuild it from the catalog.
    An OSError (permissions, a full disk) is no damage and goes through as it is.
    """
    try:
        yield
    except FileNotFoundError as e:  # a file the table of contents names is gone: damage, not permissions
        if e.filename and Path(e.filename).parent != whoosh_path(index_dir):
            raise
        raise IndexDamagedError(f"the search index at {index_dir}/ is damaged (its file {Path(e.filename).name} "
                                "is missing): run `quotes reindex` to rebuild it from the catalog") from e
    except (QuotesError, OSError):
        raise
    except Exception as e:
        raise IndexDamagedError(f"the search index at {index_dir}/ is damaged ({type(e).__name__}: {e}): run "
                                "`quotes reindex` to rebuild it from the catalog") from e


def reads_index(fn: Callable[Concatenate[Path, P], R]) -> Callable[Concatenate[Path, P], R]:
    """Decorates a function of an index directory that reads whoosh's files: see `readable`."""

    @functools.wraps(fn)
    def reading(index_dir: Path, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with readable(index_dir):
            return fn(index_dir, *args, **kwargs)

    return reading


@reads_index
def exists(index_dir: Path) -> bool:
    """Whether the directory holds a Whoosh index (IndexDamagedError where it cannot be read)."""
    path = whoosh_path(index_dir)
    if not (path.is_dir() and index.exists_in(str(path))):
        return False
    check_files(index_dir)
    return True


@reads_index
def doc_count(index_dir: Path) -> int:
    """How many quotes the index holds (0 where there is no index)."""
    if not exists(index_dir):
        return 0
    with index.open_dir(str(whoosh_path(index_dir))).searcher() as searcher:
        return int(searcher.doc_count())


@reads_index
def doc_ids(index_dir: Path) -> list[str]:
    """The id of every live document (a repeated id appears twice): to check the index against the catalog."""
    if not exists(index_dir):
        return []
    with index.open_dir(str(whoosh_path(index_dir))).searcher() as searcher:
        return [stored["id"] for stored in searcher.reader().all_stored_fields()]


@reads_index
def is_current(index_dir: Path) -> bool:
    """Whether the index of a directory has every field this version writes and reads (False: rebuild it)."""
    return exists(index_dir) and _current(index.open_dir(str(whoosh_path(index_dir))))


def _current(ix: Any) -> bool:
    """Whether an open index has every field this version reads, its postings packed (PackedCodec)."""
    return fields.has_every_field(ix.schema) and uses_packed_postings(ix)


class Opened:
    """A searcher kept open for the life of the process, with the columns that grouping reads.

    Opening a searcher and a column reads offsets for every document: milliseconds on a large index, more
    than a query takes. `stamp` tells when the index has changed (a commit or a rebuild) and must be
    opened again.
    """

    def __init__(self, searcher: Any, stamp: tuple[Any, ...]) -> None:
        self.searcher = searcher
        self.stamp = stamp
        self._columns: dict[str, Any] = {}
        self._whole: set[str] = set()  # the columns read whole into memory
        self._words: dict[tuple[str, str], list[str]] = {}  # (field, prefix) -> its words, sorted

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """The indexed words of a field within `maxdist` edits of `text` that begin with its first `prefix`
        letters: whoosh's own automaton, walked over a word list in memory.

        Whoosh walks the term file on disk, a seek and a read for each of the automaton's ~50 jumps (30 ms
        for a fuzzy word on 100,000 quotations); the words that share the prefix are read once, in order.
        """
        key = (fieldname, text[:prefix])
        if key not in self._words:
            self._words[key] = [w.decode("utf-8") for w in self.searcher.reader().expand_prefix(*key)]
        words = self._words[key]

        def first_from(word: str) -> str | None:  # the first indexed word >= word
            i = bisect_left(words, word)
            return words[i] if i < len(words) else None

        return list(find_all_matches(levenshtein_automaton(text, maxdist, prefix).to_dfa(), first_from))

    def column(self, name: str, *, whole: bool = False) -> Any:
        """A field's values by document number, as bytes (b"" where a document has none); `whole`: read
        into memory at once (as MEMORY_COLUMNS always are), for a reader of many of its values.

        Bytes, not the field's strings: decoding each value cost as much as reading it.

        Each segment's column is read on its own: whoosh's reader of several segments leaves out those
        that have no value in the field (an update of undated articles), so later documents would be
        read from the wrong segment or past its end.
        """
        whole = whole or name in MEMORY_COLUMNS
        if name not in self._columns or (whole and name not in self._whole):
            reader = self.searcher.reader()  # an index of no document has no columns, nor anything to read
            leaves = list(reader.leaf_readers()) if reader.doc_count_all() else []
            readers = [r.column_reader(name, translate=False) for r, _ in leaves]
            if whole:
                readers = [in_memory(column) for column in readers]
                self._whole.add(name)
            self._columns[name] = (readers[0] if len(readers) == 1 else {} if not readers else
                                   columns.MultiColumnReader(readers, [offset for _, offset in leaves]))
        return self._columns[name]

    def key_docs(self, key: bytes) -> list[int]:
        """The documents whose text_key is `key` (one quotation's printings), by their postings (the term
        looked up once: a segment without it raises TermNotFound)."""
        text = key.decode("utf-8")
        found: list[int] = []
        for reader, offset in self.searcher.reader().leaf_readers():
            try:
                ids = posting_ids(reader, "text_key", text)
            except TermNotFound:
                continue
            found.extend(d + offset for d in ids) if offset else found.extend(ids)
        return found


# Columns read whole into memory when first used: a filter tests them for each match of the query, and
# whoosh reads a value with a seek and a read (2 µs: 8 ms for the 4,000 matches of "people"). Each holds
# a few bytes a document (1.5 MB for 100,000 dates, read in under a millisecond); the quotations'
# text_key, ten times as big, is read whole only by a search of many matches (to count its quotations).
MEMORY_COLUMNS = ("published", "kind", "speaker_key")

_opened: dict[Path, Opened] = {}


def open_index(index_dir: Path) -> Opened:
    """The open searcher of a directory's index, made current; NoIndexError where there is none."""
    stamp = _stamp(index_dir)
    opened = _opened.pop(index_dir, None)
    if opened is not None and opened.stamp == stamp:
        _opened[index_dir] = opened
        return opened
    if opened is not None:
        opened.searcher.close()
    if not exists(index_dir):
        raise NoIndexError(index_dir)
    ix = index.open_dir(str(whoosh_path(index_dir)))
    if not _current(ix):
        raise QuotesError(f"the index at {index_dir}/ was made by an older version of quotes: run "
                          "`quotes reindex` to rebuild it from the catalog")
    opened = _opened[index_dir] = Opened(ix.searcher(), stamp)
    _lengths_in_memory(opened.searcher)
    return opened


# The fields whose lengths BM25 reads for every document it scores (the search fields, and `words` for
# fuzzy and prefix words).
SCORED_FIELDS = (*SEARCH_FIELDS, "words")


def _lengths_in_memory(searcher: Any) -> None:
    """Hold the lengths of SCORED_FIELDS in memory, a byte a document, in each segment's reader.

    Whoosh reads a document's field length from the column file with a seek and a read each time it
    scores the document: a quarter of the time of walking a word's matches. Reading the column whole
    (100 kB for 100,000 documents) gives the same bytes. A reader of another codec is left as it is.
    """
    for reader, _ in searcher.reader().leaf_readers():
        hold_lengths(getattr(reader, "_perdoc", None), SCORED_FIELDS)


def _stamp(index_dir: Path) -> tuple[Any, ...]:
    """The name, inode and time of each table of contents: every commit and every rebuild changes it."""
    try:
        with os.scandir(whoosh_path(index_dir)) as entries:
            return tuple(sorted((e.name, e.inode(), e.stat().st_mtime_ns) for e in entries
                                if e.name.endswith(".toc")))
    except OSError:
        return ()
