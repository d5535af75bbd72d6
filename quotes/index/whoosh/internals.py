"""Whoosh internals the backend reaches into for speed: the one module that does.

Written against whoosh-reloaded 2.7.5 (the `whoosh` package, codec `whoosh3`). Each piece below reads a
private attribute or subclasses a class that is not part of whoosh's documented API; a new whoosh may
move any of them. tests/test_whoosh_internals.py checks each against whoosh's public answer and fails
when one moves: then fix it here, or drop it (everything here has a slower public equivalent, named).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from whoosh import columns, matching
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.query.spans import SpanNear2, SpanWrappingMatcher
from whoosh.util import make_binary_tree

from quotes.lifetime import exit_with

WHOOSH_VERSION = "2.7.5"  # the version these were written against (whoosh.versionstring())


def __getattr__(name: str) -> Any:
    """Writer, SubWriter and MultiWriter, made when first asked for: they subclass whoosh's writers, whose
    modules import multiprocessing (and socket): 15 ms that a search does without. A module attribute all
    the same, so that a process started by `spawn` or `forkserver` finds SubWriter by its name."""
    if name in ("Writer", "SubWriter", "MultiWriter"):
        return _writers()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _writers() -> dict[str, type]:
    from whoosh import multiproc, writing
    from whoosh.multiproc import MpWriter, SubWriterTask

    from quotes.index.whoosh import safepickle

    safepickle.restrict()  # multiproc reads its job files with pickle: restricted as the rest

    class Writer(writing.SegmentWriter):  # type: ignore[misc]
        """Whoosh's writer, but that its postings are written with the segment's field lengths in memory.

        Writing each posting reads its document's field length (for the block's shortest and longest): a
        seek and a read, or, for a field without lengths (an ID, the pairs), a test that the file exists,
        per posting. Read once per field instead, they give the same files 10-20% sooner.
        """

        def per_document_reader(self) -> Any:
            perdoc = super().per_document_reader()
            hold_lengths(perdoc, self.schema.names())
            return perdoc

    class SubWriter(SubWriterTask):  # type: ignore[misc]
        """A sub-writer process that ends when its parent dies (quotes.lifetime).

        Whoosh's sub-writers wait on their job queue forever; were the parent killed (SIGKILL), they would
        live on, holding Whoosh's write lock, and no later run could write the index. The parent's pid is
        taken before the fork, so that a parent killed at the moment of the fork is seen as gone.
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.parent = os.getpid()

        def run(self) -> None:
            exit_with(self.parent, direct=True)
            multiproc.SegmentWriter = Writer  # the writer this process makes (the process is its own)
            super().run()

    class MultiWriter(MpWriter):  # type: ignore[misc]
        """Whoosh's multi-process writer, with sub-writers of SubWriter (its `_new_task`, copied)."""

        def _new_task(self) -> SubWriterTask:
            task = SubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                             self.multisegment)
            self.tasks.append(task)
            task.start()
            return task

    made: dict[str, type] = {"Writer": Writer, "SubWriter": SubWriter, "MultiWriter": MultiWriter}
    for name, cls in made.items():  # found by name, as module attributes are
        cls.__module__, cls.__qualname__ = __name__, name
    return made


def hold_lengths(perdoc: Any, fields: Iterable[str]) -> None:
    """Hold the lengths of these fields in a segment's per-document reader (a field without lengths as
    None: whoosh would look for its file each time). A reader of another codec is left as it is.

    Public equivalent: `reader.doc_field_length(docnum, field)`, a seek and a read each time.
    """
    if not isinstance(perdoc, W3PerDocReader):
        return
    for field in fields:
        name = _lenfield(field)
        if perdoc._cached_reader(name, LENGTHS_COLUMN) is not None:
            colfile, offset, _ = perdoc._colfiles[name]
            perdoc._readers[name] = colfile.get(offset, perdoc._doccount)
        else:
            perdoc._readers[name] = None


def posting_ids(reader: Any, fieldname: str, text: Any) -> list[int]:
    """The document numbers of a term's postings in one segment (`reader`, which holds the term).

    Whoosh's matcher yields them one at a time, three calls in Python for each (1 µs); its blocks of
    postings (up to 128) hold them as a tuple, taken here whole. A segment with deleted documents, or a
    term whose one posting is kept in the term file, is read as whoosh reads it.
    Public equivalent: `list(reader.postings(fieldname, text).all_ids())`.
    """
    m = reader.postings(fieldname, text)
    if type(m) is not W3LeafMatcher:
        return list(m.all_ids())
    ids: list[int] = []
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        ids.extend(m._ids[m._i:])
        m._next_block()
    return ids


def in_memory(column: Any) -> Any:
    """A column of byte strings read whole, its values sliced from memory (another column as it is).

    Public equivalent: the column reader as it is, a seek and a read per value (1.5 µs).
    """
    if type(column) is not columns.VarBytesColumn.Reader:
        return column
    data = column._dbfile.get(column._basepos, column._length)
    return SlicedColumn(data, column._offsets, column._lengths)


class SlicedColumn:
    """The values of a column of byte strings, sliced from its bytes in memory (0.2 µs a value)."""

    __slots__ = ("_data", "_offsets", "_lengths")

    def __init__(self, data: bytes, offsets: Sequence[int], lengths: Sequence[int]) -> None:
        self._data, self._offsets, self._lengths = data, offsets, lengths

    def __getitem__(self, docnum: int) -> bytes:
        length = self._lengths[docnum]
        if not length:
            return b""
        start = self._offsets[docnum]
        return self._data[start:start + length]

    def __len__(self) -> int:
        return len(self._lengths)

    def __iter__(self) -> Iterator[bytes]:
        return (self[d] for d in range(len(self._lengths)))


def stemmer(stem_filter: Any) -> Callable[[str], str]:
    """The cached stemming function of a whoosh StemFilter (public: `stem_filter.stemfn`, uncached)."""
    return stem_filter._stem  # type: ignore[no-any-return]


class PhraseAt(SpanNear2.SpanNear2Matcher):
    """Whoosh's phrase matcher (SpanNear2, slop 1, ordered) over the intersection of its words' matchers,
    but only at the documents `docs`; `only(matcher, docs)` narrows a matcher to them.

    Public equivalent: `query.Phrase(...).matcher(...)`, which walks every document holding all the words.
    """

    def __init__(self, ms: list[Any], docs: list[int], only: Callable[[Any, list[int]], Any]) -> None:
        self.ms, self.slop, self.ordered, self.mindist = ms, 1, True, 1
        self.docs, self.only = docs, only
        isect = make_binary_tree(matching.IntersectionMatcher, ms)
        SpanWrappingMatcher.__init__(self, only(isect, docs))

    def copy(self) -> PhraseAt:
        return PhraseAt([m.copy() for m in self.ms], self.docs, self.only)


def leaf_blocks(matcher: Any) -> Iterator[tuple[Sequence[int], Sequence[float]]] | None:
    """The (document numbers, weights) of each block of a term's postings, from its matcher at its start,
    each block's data read once (None for a matcher of another kind: a segment with deletions wraps it).

    Public equivalent: `matcher.id()`, `matcher.weight()` and `matcher.next()` for each posting.
    """
    if type(matcher) is not W3LeafMatcher:
        return None

    def blocks() -> Iterator[tuple[Sequence[int], Sequence[float]]]:
        m = matcher
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            yield m._ids[m._i:], m._weights[m._i:]
            m._next_block()

    return blocks()


def held_lengths(reader: Any, field: str) -> bytes | None:
    """The length bytes of a field in a segment's reader as hold_lengths keeps them (None: not held, or the
    field has none). Public equivalent: `reader.doc_field_length(docnum, field)` for each document."""
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, W3PerDocReader):
        return None
    held = perdoc._readers.get(_lenfield(field))
    return held if isinstance(held, bytes) else None


def leaf_field(matcher: Any) -> str | None:
    """The field of a term's postings matcher (None for a matcher of another kind)."""
    term = getattr(matcher, "_term", None) if type(matcher) is W3LeafMatcher else None
    return term[0] if term else None


def posting_size(matcher: Any) -> int | None:
    """The size in bytes of a term's postings (None for a matcher of another kind): how long it is to read."""
    if type(matcher) is not W3LeafMatcher:
        return None
    length = matcher._length
    return int(length[0] if isinstance(length, tuple) else length)  # a tuple in whoosh-reloaded 2.7.5


def segment_ids(ix: Any) -> list[str]:
    """The ids of an index's segments ("MAIN_<random>"), each the stem of its files' names.
    Public equivalent: none (the files of `ix.storage` not named by a table of contents)."""
    return [segment.segment_id() for segment in ix._segments()]
