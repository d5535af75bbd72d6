"""Whoosh internals the backend reaches into for speed: the one module that does.

Written against whoosh-reloaded 2.7.5 (the `whoosh` package, codec `whoosh3`). Each piece below reads a
private attribute or subclasses a class that is not part of whoosh's documented API; a new whoosh may
move any of them. tests/test_whoosh_internals.py checks each against whoosh's public answer and fails
when one moves: then fix it here, or drop it (everything here has a slower public equivalent, named).
"""

from __future__ import annotations

import functools
import itertools
import os
import struct
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from whoosh import columns, matching
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3LeafMatcher, W3PerDocReader, W3PostingsWriter, _lenfield
from whoosh.query.spans import SpanNear2, SpanWrappingMatcher
from whoosh.util import make_binary_tree
from whoosh.util.numeric import byte_to_length, length_to_byte

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
        """Whoosh's writer, but that it writes segments of PackedCodec (unless told another codec) and its
        postings with the segment's field lengths in memory.

        Writing each posting reads its document's field length (for the block's shortest and longest): a
        seek and a read, or, for a field without lengths (an ID, the pairs), a test that the file exists,
        per posting. Read once per field instead, they give the same files 10-20% sooner.
        """

        def __init__(self, ix: Any, *args: Any, codec: Any = None, **kwargs: Any) -> None:
            super().__init__(ix, *args, codec=codec or PackedCodec(), **kwargs)

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
    if type(m) not in _LEAVES:
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
    if type(matcher) not in _LEAVES:
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
    term = getattr(matcher, "_term", None) if type(matcher) in _LEAVES else None
    return term[0] if term else None


def posting_size(matcher: Any) -> int | None:
    """The size in bytes of a term's postings (None for a matcher of another kind): how long it is to read."""
    if type(matcher) not in _LEAVES:
        return None
    length = matcher._length
    return int(length[0] if isinstance(length, tuple) else length)  # a tuple in whoosh-reloaded 2.7.5


def segment_ids(ix: Any) -> list[str]:
    """The ids of an index's segments ("MAIN_<random>"), each the stem of its files' names.
    Public equivalent: none (the files of `ix.storage` not named by a table of contents)."""
    return [segment.segment_id() for segment in ix._segments()]


# Postings read without unpickling. Whoosh's codec (whoosh3) keeps each block of up to 128 postings as
# one zlib-compressed pickle of their document numbers (as deltas), weights and values, decoded in Python
# (the deltas summed by a generator): 1-2.5 µs a posting, most of a search's time. PackedCodec writes
# the same blocks as packed arrays, read by `array.frombytes` in C, a block's values (a word's positions)
# sliced only when asked for (a phrase, at the documents holding all its words). Its blocks are bigger on
# disk (4 bytes a document number and a weight, uncompressed: about 1.5x whoosh's postings file).
#
# A block: one header (BLOCK_HEADER: the block's length, negative for a term's last block, as whoosh's;
# its count of postings, last document number, highest weight, how its weights and values are kept, the
# length bytes of its shortest and longest field) then the document numbers (uint32, little-endian),
# the weights (none: all 1.0; one float32: all equal; else a float32 each) and, where the field's format
# has values, the end offset of each value (uint32) followed by the values' bytes.

PACKED_MAGIC = b"QPk1"  # the first 4 bytes of a term's postings (whoosh3 writes b"W3Bl")
BLOCK_HEADER = struct.Struct("<iIIfBBBB")
WEIGHTS_ONES, WEIGHTS_ONE, WEIGHTS_EACH = 0, 1, 2
VALUES_NONE, VALUES_EACH = 0, 1
_SWAP = sys.byteorder != "little"  # arrays are written and read little-endian


def _packed(a: array) -> bytes:  # type: ignore[type-arg]
    if _SWAP:
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _unpacked(typecode: str, data: Any) -> array:  # type: ignore[type-arg]
    a = array(typecode)
    a.frombytes(data)
    if _SWAP:
        a.byteswap()
    return a


class PackedCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's codec (whoosh3: the same term, column and segment files), but that a term's postings are
    packed arrays (see BLOCK_HEADER). Each segment names its codec in the table of contents, so that an
    index holds segments of either and each is read by its own (`uses_packed_postings`).

    Public equivalent: whoosh's default codec (`whoosh.codec.default_codec()`), its blocks unpickled.
    """

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # a term vector's postings (no field of quotes has one), read by whoosh3's own matcher
            return super().postings_writer(dbfile, byteids=True)
        return PackedPostingsWriter(dbfile, blocklimit=self._blocklimit, compression=0,
                                    inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None,
                        scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class PackedPostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    """Whoosh3's postings writer (its blocks, their statistics in the term info) writing packed blocks."""

    def _write_block(self, last: bool = False) -> None:
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(PACKED_MAGIC)
        self._terminfo.add_block(self)
        ids, weights, values = self._ids, self._weights, self._values
        n = len(ids)
        parts = [_packed(ids)]
        first = weights[0]
        if weights.count(first) != n:
            kind = WEIGHTS_EACH
            parts.append(_packed(weights))
        elif first == 1.0:
            kind = WEIGHTS_ONES
        else:
            kind = WEIGHTS_ONE
            parts.append(struct.pack("<f", first))
        vkind = VALUES_NONE
        if values and self._format.fixed_value_size() != 0:
            if len(values) != n:
                raise ValueError(f"{len(values)} values for {n} postings")  # whoosh3 would misread them too
            vkind = VALUES_EACH
            ends = array("I", itertools.accumulate(map(len, values)))
            parts.append(_packed(ends))
            parts.append(b"".join(values))
        data = b"".join(parts)
        length = BLOCK_HEADER.size - 4 + len(data)
        postfile.write(BLOCK_HEADER.pack(-length if last else length, n, ids[-1], self._maxweight, kind,
                                         length_to_byte(self._minlength), length_to_byte(self._maxlength),
                                         vkind))
        postfile.write(data)
        self._blockcount += 1
        self._new_block()


class PackedLeafMatcher(W3LeafMatcher):  # type: ignore[misc]
    """Whoosh3's matcher of a term's postings (its moves between blocks and within one, its skipping by
    block statistics), reading packed blocks: document numbers and weights as arrays, values sliced."""

    _data: Any  # a block's bytes (a memoryview), read when its ids, weights or values are first asked for
    _ids: Any
    _weights: Any
    _values: Any

    def _read_header(self) -> None:
        magic = self._postfile.get(self._startoffset, 4)
        if magic != PACKED_MAGIC:
            raise ValueError(f"postings at {self._startoffset} are not packed postings ({magic!r})")
        self._baseoffset = self._startoffset + 4

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        (length, self._blocklength, self._maxid, self._maxweight, self._weightkind, mnlen, mxlen,
         self._valuekind) = BLOCK_HEADER.unpack(self._postfile.get(position, BLOCK_HEADER.size))
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + 4 + length
        self._dataoffset = position + BLOCK_HEADER.size
        self._compression = 0
        self._minlength = byte_to_length(mnlen)
        self._maxlength = byte_to_length(mxlen)

    def skip_to(self, targetid: int) -> None:
        """Whoosh3's skip_to (blocks whose last document is before the target skipped unread), but the
        target found in the block by bisection in C, not by a step in Python for each posting before it."""
        if not self.is_active():
            raise matching.ReadTooFar
        while targetid > self._maxid:
            self._next_block()
            if self._atend:
                return
        if self._ids is None:
            self._read_ids()
        if targetid > self._ids[self._i]:
            self._i = bisect_left(self._ids, targetid, self._i)

    def _read_data(self) -> None:
        self._data = memoryview(self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset))

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = _unpacked("I", self._data[:4 * self._blocklength])

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        n, kind = self._blocklength, self._weightkind
        if kind == WEIGHTS_EACH:
            self._weights = _unpacked("f", self._data[4 * n:8 * n])
        elif kind == WEIGHTS_ONE:
            self._weights = _unpacked("f", self._data[4 * n:4 * n + 4]) * n
        else:
            self._weights = array("f", (1.0,)) * n

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        n = self._blocklength
        if self._valuekind == VALUES_NONE:
            self._values = (None,) * n
            return
        start = 4 * n + {WEIGHTS_ONES: 0, WEIGHTS_ONE: 4, WEIGHTS_EACH: 4 * n}[self._weightkind]
        ends = _unpacked("I", self._data[start:start + 4 * n])
        self._values = PackedValues(bytes(self._data[start + 4 * n:]), ends)


class PackedValues:
    """The values of a block's postings (a word's encoded positions), each sliced when asked for."""

    __slots__ = ("_data", "_ends")

    def __init__(self, data: bytes, ends: Sequence[int]) -> None:
        self._data, self._ends = data, ends

    def __getitem__(self, i: int) -> bytes:
        return self._data[self._ends[i - 1] if i else 0:self._ends[i]]

    def __len__(self) -> int:
        return len(self._ends)


def uses_packed_postings(ix: Any) -> bool:
    """Whether every segment of an index is of PackedCodec (False: made before it, to be rebuilt).
    Public equivalent: none (a segment's codec is whoosh's own business)."""
    return all(type(segment.codec()) is PackedCodec for segment in ix._segments())


_LEAVES = (PackedLeafMatcher, W3LeafMatcher)  # the matchers of a term's postings read block by block
