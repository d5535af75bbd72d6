"""Each use of whoosh's private parts (quotes/index/whoosh/internals.py) against whoosh's public answer.

A failure here means a new whoosh moved an internal the backend relies on: fix internals.py (written
against the version it names) or fall back to the public equivalent its docstring gives.
"""

from __future__ import annotations

import inspect

import pytest
from whoosh import index, matching, query
from whoosh.multiproc import MpWriter, SubWriterTask

from quotes.index.whoosh import internals
from quotes.index.whoosh.matching import Only
from quotes.index.whoosh.schema import TEXT_ANALYZER, schema
from quotes.model import Quote
from quotes.store import ArticleQuote

# More documents than a block of postings holds (128), so that the posting lists span several blocks.
N_DOCS = 300


def record(i: int) -> ArticleQuote:
    text = " ".join(["taxes will fall"] * (1 + i % 3) + [f"word{i % 7}", "global initiative" if i % 2 else "x"])
    quote = Quote(text, 0, len(text), f"Person {i % 5}", None, None, None, "said",
                  "partial" if i % 4 else "direct", "test", 0.9)
    return ArticleQuote(f"q{i}", quote, f"a{i}", None, "Times", f"2016-10-{1 + i % 28:02d}", None)


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    from quotes.index.whoosh.schema import document
    path = tmp_path_factory.mktemp("internals")
    ix = index.create_in(str(path), schema())
    writer = internals.Writer(ix, compound=False)
    for i in range(N_DOCS):
        writer.add_document(**document(record(i)))
    writer.commit()
    writer = ix.writer()
    writer.delete_by_term("id", "q7")  # a second segment and a deletion: read as whoosh reads them
    writer.add_document(**document(record(N_DOCS)))
    writer.commit()
    return ix


def test_the_version_written_against_is_named():
    import whoosh
    assert internals.WHOOSH_VERSION.count(".") == 2
    assert whoosh.versionstring().split(".")[:2] == internals.WHOOSH_VERSION.split(".")[:2]


@pytest.mark.parametrize(("field", "text"), [("text", "tax"), ("text", "global"), ("speaker", "person"),
                                             ("words", "taxes"), ("text_pairs", "tax fall")])
def test_posting_ids_are_the_public_all_ids(ix, field, text):
    with ix.searcher() as searcher:
        found = 0
        for reader, _ in searcher.reader().leaf_readers():
            if (field, text) in reader:
                public = list(reader.postings(field, text).all_ids())
                assert internals.posting_ids(reader, field, text) == public
                found += len(public)
        assert found > 128  # several blocks


@pytest.mark.parametrize("field", ["text", "speaker", "words", "id", "text_pairs"])
def test_held_lengths_are_the_public_field_lengths(ix, field):
    with ix.searcher() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            expected = [reader.doc_field_length(d, field) for d in range(reader.doc_count_all())]
            internals.hold_lengths(reader._perdoc, [field])
            assert [reader.doc_field_length(d, field) for d in range(reader.doc_count_all())] == expected


@pytest.mark.parametrize("name", ["published", "kind", "text_key"])
def test_a_column_in_memory_gives_the_same_values(ix, name):
    with ix.searcher() as searcher:
        reader = next(iter(searcher.reader().leaf_readers()))[0]
        expected = list(reader.column_reader(name, translate=False))
        column = internals.in_memory(reader.column_reader(name, translate=False))
        assert list(column) == expected and len(set(expected)) > 1
        assert [column[d] for d in range(len(expected))] == expected
        assert type(column) is internals.SlicedColumn  # each is a column of byte strings


@pytest.mark.parametrize("word", ["initiatives", "falling", "taxes", "governments"])
def test_the_cached_stemmer_is_the_stem_filter(word):
    stem_filter = TEXT_ANALYZER.items[-1]
    assert internals.stemmer(stem_filter)(word) == stem_filter.stemfn(word)


@pytest.mark.parametrize("words", [["tax", "fall", "tax"], ["global", "initi"], ["fall", "tax"], ["fall", "global"]])
def test_phrase_at_matches_as_the_public_phrase(ix, words):
    with ix.searcher() as searcher:
        for sub, _ in searcher.leaf_searchers():
            public = sorted(query.Phrase("text", words).matcher(sub).all_ids()) if all(
                ("text", w) in sub.reader() for w in words) else []
            if not public:
                continue
            every = list(range(sub.doc_count_all()))
            ms = [query.Term("text", w).matcher(sub) for w in words]
            assert sorted(internals.PhraseAt(ms, every, Only).all_ids()) == public
            assert isinstance(internals.PhraseAt(ms, every, Only), matching.Matcher)


def test_the_multiprocess_writer_hooks_are_where_they_were():
    """MultiWriter overrides MpWriter._new_task and makes SubWriterTask with its parameters."""
    assert callable(MpWriter._new_task)
    assert list(inspect.signature(SubWriterTask.__init__).parameters)[1:] == [
        "storage", "indexname", "jobqueue", "resultqueue", "kwargs", "multisegment"]
    from whoosh import multiproc
    assert hasattr(multiproc, "SegmentWriter")


@pytest.mark.parametrize(("field", "text"), [("text", "tax"), ("speaker", "person"), ("words", "taxes")])
def test_leaf_blocks_are_the_public_ids_and_weights(ix, field, text):
    def postings(reader):  # the segment has a deleted document: its postings come wrapped in a filter
        m = reader.postings(field, text)
        return m.child if isinstance(m, matching.FilterMatcher) else m

    with ix.searcher() as searcher:
        reader = next(iter(searcher.reader().leaf_readers()))[0]
        public, m = [], postings(reader)
        while m.is_active():
            public.append((m.id(), m.weight()))
            m.next()
        blocks = internals.leaf_blocks(postings(reader))
        assert blocks is not None and internals.leaf_field(postings(reader)) == field
        assert [(d, w) for ids, weights in blocks for d, w in zip(ids, weights, strict=True)] == public
        assert len(public) > 128


@pytest.mark.parametrize("field", ["text", "speaker", "words"])
def test_held_lengths_are_the_public_length_bytes(ix, field):
    from whoosh.util.numeric import byte_to_length

    with ix.searcher() as searcher:
        reader = next(iter(searcher.reader().leaf_readers()))[0]
        internals.hold_lengths(reader._perdoc, [field])
        held = internals.held_lengths(reader, field)
        assert held is not None and len(held) >= reader.doc_count_all()
        assert [byte_to_length(held[d]) for d in range(reader.doc_count_all())] == [
            reader.doc_field_length(d, field) for d in range(reader.doc_count_all())]


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """The same documents in an index of whoosh's codec (whoosh3) and one of PackedCodec, one segment each;
    some quotations long, so that weights and positions vary."""
    from quotes.index.whoosh.schema import document

    made = []
    for codec in (None, internals.PackedCodec()):
        ix = index.create_in(str(tmp_path_factory.mktemp("twin")), schema())
        writer = internals.Writer(ix, compound=False, codec=codec) if codec else ix.writer()
        for i in range(N_DOCS):
            writer.add_document(**document(record(i)))
        writer.commit()
        made.append(ix)
    return made


def every_posting(ix):
    """(field, term) -> [(document, weight, value)] of every term of an index, read through whoosh's API."""
    found = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for field, text in reader.all_terms():
            if field == "day":
                continue
            m = reader.postings(field, text)
            rows = []
            while m.is_active():
                rows.append((m.id(), m.weight(), m.value()))
                m.next()
            found[field, text] = rows
    return found


def test_packed_postings_read_back_as_whoosh3s(twins):
    """Every term's document numbers, weights and values (a word's positions) as whoosh's codec reads its own."""
    plain, packed = twins
    assert not internals.uses_packed_postings(plain) and internals.uses_packed_postings(packed)
    expected, found = every_posting(plain), every_posting(packed)
    assert found == expected
    assert any(len(rows) > 128 for rows in found.values())  # several blocks
    assert len({w for rows in found.values() for _, w, _ in rows}) > 2  # weights that vary
    with packed.searcher() as searcher:
        m = searcher.reader().postings("text", "tax")
        assert type(m) is internals.PackedLeafMatcher


def test_packed_blocks_keep_whoosh3s_statistics(twins):
    """The statistics skipping reads (a block's last document, highest weight, shortest and longest field)."""
    def stats(ix):
        with ix.searcher() as searcher:
            m, found = searcher.reader().postings("text", "tax"), []
            while m.is_active():
                found.append((m.block_min_id(), m.block_max_id(), m.block_max_weight(), m.block_min_length(),
                              m.block_max_length()))
                m._next_block()
            return found
    plain, packed = twins
    assert stats(packed) == stats(plain) and len(stats(plain)) > 1


@pytest.mark.parametrize("q", [
    query.Phrase("text", ["tax", "fall"]), query.Phrase("text", ["fall", "tax", "fall"]),
    query.Phrase("text", ["global", "initi"]), query.And([query.Term("text", "tax"), query.Term("text", "global")]),
    query.And([query.Term("text", "word3"), query.Term("speaker", "person")]),
    query.Or([query.Term("text", "word1"), query.Term("text", "global")]),
])
def test_packed_postings_match_and_score_as_whoosh3s(twins, q):
    def hits(ix):
        with ix.searcher() as searcher:
            return [(h.docnum, h.score) for h in searcher.search(q, limit=None)]
    plain, packed = twins
    assert hits(packed) == hits(plain) and hits(plain)


def test_the_postings_writer_and_matcher_hooks_are_where_they_were():
    """PackedCodec overrides whoosh3's block writer and reader methods and reads the attributes they keep."""
    from whoosh.codec.whoosh3 import W3LeafMatcher, W3PostingsWriter
    for name in ("_read_header", "_goto", "_read_data", "_read_ids", "_read_weights", "_read_values",
                 "_next_block"):
        assert callable(getattr(W3LeafMatcher, name))
    for name in ("_write_block", "_new_block", "add_posting", "finish_postings"):
        assert callable(getattr(W3PostingsWriter, name))
    source = inspect.getsource(W3PostingsWriter)
    for attribute in ("self._ids", "self._weights", "self._values", "self._maxweight", "self._minlength",
                      "self._maxlength", "self._blockcount", "self._terminfo", "self._format"):
        assert attribute in source
    source = inspect.getsource(W3LeafMatcher)
    for attribute in ("self._blocklength", "self._maxid", "self._nextoffset", "self._lastblock", "self._i",
                      "self._dataoffset", "self._baseoffset"):
        assert attribute in source


def test_a_block_not_packed_is_refused(twins):
    plain, _ = twins
    with plain.searcher() as searcher:
        reader = searcher.reader()
        info = reader.term_info("text", "tax")
        offset, length = info.extent()
        with pytest.raises(ValueError, match="not packed"):
            internals.PackedLeafMatcher(reader._terms._postfile, offset, length, reader.schema["text"].format)


def test_packed_skip_to_stops_where_whoosh3s_does(twins):
    """From every posting, a skip to each later target: the same document (or the end) as whoosh3's."""
    def stops(ix, targets):
        with ix.searcher() as searcher:
            found = []
            for target in targets:
                m = searcher.reader().postings("text", "global")
                m.skip_to(target)
                if m.is_active():
                    m.skip_to(target - 1)  # behind where it stands: stays
                found.append(m.id() if m.is_active() else None)
            return found
    plain, packed = twins
    targets = list(range(1, N_DOCS + 5, 3))
    assert stops(packed, targets) == stops(plain, targets)
    assert None in stops(plain, targets)
