"""Whoosh internals the backend reaches into for speed: the one module that does.

Written against whoosh-reloaded 2.7.5 (the `whoosh` package, codec `whoosh3`). Each piece below reads a
private attribute or subclasses a class that is not part of whoosh's documented API; a new whoosh may
move any of them. tests/test_whoosh_internals.py checks each against whoosh's public answer and fails
when one moves: then fix it here, or drop it (everything here has a slower public equivalent, named).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from whoosh import columns, matching, multiproc, writing
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.filedb.structfile import BufferFile
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.query.spans import SpanNear2, SpanWrappingMatcher
from whoosh.util import make_binary_tree

WHOOSH_VERSION = "2.7.5"  # the version these were written against (whoosh.versionstring())


class Writer(writing.SegmentWriter):
    """Whoosh's writer, but that its postings are written with the segment's field lengths in memory.

    Writing each posting reads its document's field length (for the block's shortest and longest): a
    seek and a read, or, for a field without lengths (an ID, the pairs), a test that the file exists,
    per posting. Read once per field instead, they give the same files 10-20% sooner.
    """

    def per_document_reader(self) -> Any:
        perdoc = super().per_document_reader()
        hold_lengths(perdoc, self.schema.names())
        return perdoc


class SubWriter(SubWriterTask):
    """A sub-writer process that ends when its parent dies.

    Whoosh's sub-writers wait on their job queue forever; were the parent killed (SIGKILL), they would
    live on, holding Whoosh's write lock, and no later run could write the index.
    """

    def run(self) -> None:
        threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
        multiproc.SegmentWriter = Writer  # the writer this process makes (the process is its own)
        super().run()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


class MultiWriter(MpWriter):
    """Whoosh's multi-process writer, with sub-writers of SubWriter (its `_new_task`, copied)."""

    def _new_task(self) -> SubWriterTask:
        task = SubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                         self.multisegment)
        self.tasks.append(task)
        task.start()
        return task


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


def in_memory(column: Any) -> None:
    """Read a column of byte strings whole, so that its values are sliced from memory (others left as is).

    Public equivalent: the column reader as it is, a seek and a read per value.
    """
    if type(column) is columns.VarBytesColumn.Reader:
        column._dbfile = BufferFile(column._dbfile.get(column._basepos, column._length))
        column._basepos = 0


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
