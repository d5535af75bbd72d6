"""Each use of whoosh's private parts (quotes/index/whoosh/internals.py) against whoosh's public answer.

A failure here means a new whoosh moved an internal the backend relies on: fix internals.py (written
against the version it names) or fall back to the public equivalent its docstring gives.
"""

from __future__ import annotations

import inspect

import pytest
from whoosh import columns, index, matching, query
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
        column = reader.column_reader(name, translate=False)
        internals.in_memory(column)
        assert list(column) == expected and len(set(expected)) > 1
        if type(column) is columns.VarBytesColumn.Reader:
            assert type(column._dbfile).__name__ == "BufferFile"


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
