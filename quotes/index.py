"""The Whoosh full-text index of quotes: the only module that imports whoosh.

The index is derived data: every document is a quote of the catalog (quotes.store), keyed by the quote's
id, and the whole index can be rebuilt from the catalog with `build`. Functions here take and return plain
data (ArticleQuote in, IndexHit out); no whoosh object leaves this module.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import highlight, index, query, writing
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.qparser import MultifieldParser

from quotes.model import QuotesError
from quotes.paths import NoIndexError, whoosh_path
from quotes.store import ArticleQuote, speaker_key

# Names are matched word by word, lowercased, never stemmed and without a stop list ("Theresa May",
# "Will Smith": "may" and "will" are English stop words but are names here).
NAME_ANALYZER = RegexTokenizer() | LowercaseFilter()

# A query's words are looked for in the quoted words and in the speaker's name; a name match counts for
# less so that quotations that say the words rank above quotations of a person who bears them.
SEARCH_FIELDS = ("text", "speaker")
FIELD_BOOSTS = {"text": 1.0, "speaker": 0.5}

# Snippets: a quotation up to this length is shown whole with its matches marked; a longer one is cut to
# fragments of about SNIPPET_CHARS around its matches.
SNIPPET_WHOLE_CHARS = 400
SNIPPET_CHARS = 240
SNIPPET_SURROUND = 80
MARK_OPEN, MARK_CLOSE = "«", "»"  # around each matched word of a snippet; « » are rare inside news quotes
ELLIPSIS = " … "


def schema() -> Schema:
    """One document per quote. Stored fields are for display; the catalog holds the full record."""
    return Schema(
        id=ID(unique=True, stored=True),
        text=TEXT(analyzer=StemmingAnalyzer(), stored=True, phrase=True),
        speaker=TEXT(analyzer=NAME_ANALYZER, stored=True, phrase=True),
        speaker_key=ID(),  # speaker lowercased with single spaces: exact name filter
        article_id=ID(stored=True),
        title=TEXT(stored=True),
        publisher=TEXT(analyzer=NAME_ANALYZER, stored=True),
        published=ID(stored=True, sortable=True),  # ISO date: sorts as a string
        url=STORED(),
        kind=ID(stored=True),
        rule=ID(stored=True),
    )


@dataclass(frozen=True, slots=True)
class IndexHit:
    """A search result as the index knows it: the quote's id, its score and a highlighted snippet."""

    id: str
    score: float
    snippet: str  # the quote's words with each matched word inside « »


class IndexBusyError(QuotesError):
    """Another process is writing the index."""


def exists(index_dir: Path) -> bool:
    path = whoosh_path(index_dir)
    return path.is_dir() and index.exists_in(str(path))


def doc_count(index_dir: Path) -> int:
    """How many quotes the index holds (0 where there is no index)."""
    if not exists(index_dir):
        return 0
    with index.open_dir(str(whoosh_path(index_dir))).searcher() as searcher:
        return int(searcher.doc_count())


# Whoosh's multi-process writer pays for its processes and job files. On 2 cores (bench/index_bench.py)
# one writer was faster for 8,000 documents, the multi-process one twice as fast for 78,000.
MP_WRITER_MIN_DOCS = 20_000
WRITER_LOCK_SECONDS = 10.0  # how long to wait for Whoosh's own write lock (held only by an ending writer)


def doc_ids(index_dir: Path) -> list[str]:
    """The id of every live document (a repeated id appears twice): to check the index against the catalog."""
    if not exists(index_dir):
        return []
    with index.open_dir(str(whoosh_path(index_dir))).searcher() as searcher:
        return [fields["id"] for fields in searcher.reader().all_stored_fields()]


def build(index_dir: Path, quotes: Iterable[ArticleQuote], *, procs: int = 1, expected: int = 0) -> int:
    """Make the index afresh from these quotes (all of the catalog's); returns how many were added.

    The old documents are dropped by the same commit that adds the new ones: a search during the build
    sees the old index, never an empty one.
    """
    return write(index_dir, quotes, procs=procs, expected=expected, clear=True)


def update(index_dir: Path, added: Iterable[ArticleQuote], removed_ids: Iterable[str]) -> None:
    """Delete the removed quotes and add (or replace, by id) the added ones, in one writer and one commit."""
    added = list(added)
    write(index_dir, added, delete_ids=[*removed_ids, *(r.id for r in added)])


def write(index_dir: Path, added: Iterable[ArticleQuote], *, delete_articles: Iterable[str] = (),
          delete_ids: Iterable[str] = (), procs: int = 1, expected: int = 0, clear: bool = False) -> int:
    """In one writer and one commit: delete every quote of `delete_articles` and the quotes `delete_ids`,
    then add `added`. Returns how many were added. `clear` drops every other document in that commit.

    With `procs` > 1 and `expected` (the number of quotes to add, as far as known) at least
    MP_WRITER_MIN_DOCS, Whoosh's multi-process writer indexes them in `procs` processes, each writing a
    segment of its own (multisegment: no final merge; later commits merge small segments as usual).
    """
    if not exists(index_dir):
        whoosh_path(index_dir).mkdir(parents=True, exist_ok=True)
        index.create_in(str(whoosh_path(index_dir)), schema())
    ix = index.open_dir(str(whoosh_path(index_dir)))
    try:
        if procs > 1 and expected >= MP_WRITER_MIN_DOCS:
            writer = _MpWriter(ix, procs=procs, multisegment=True, timeout=WRITER_LOCK_SECONDS)
        else:
            writer = ix.writer(timeout=WRITER_LOCK_SECONDS)
    except index.LockError as e:
        raise IndexBusyError(f"the index at {index_dir}/ is being written by another process: "
                             "wait for it to finish and try again") from e
    n = 0
    try:
        for article_id in delete_articles:
            writer.delete_by_term("article_id", article_id)
        for quote_id in delete_ids:
            writer.delete_by_term("id", quote_id)
        for record in added:
            writer.add_document(**_document(record))
            n += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=writing.CLEAR if clear else None)
    return n


class _SubWriter(SubWriterTask):
    """A sub-writer process that ends when its parent dies.

    Whoosh's sub-writers wait on their job queue forever; were the parent killed (SIGKILL), they would
    live on, holding Whoosh's write lock, and no later run could write the index.
    """

    def run(self) -> None:
        threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
        super().run()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


class _MpWriter(MpWriter):
    def _new_task(self) -> SubWriterTask:
        task = _SubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                          self.multisegment)
        self.tasks.append(task)
        task.start()
        return task


def search(index_dir: Path, text: str, *, speaker: str | None = None, limit: int = 10) -> list[IndexHit]:
    """The best `limit` quotes for a query in Whoosh syntax (words, "phrases", AND/OR/NOT, field:value).

    `speaker` keeps only quotes whose canonical speaker is that name (any case) or, for a single word,
    contains it as a word: "Altman" and "sam altman" both keep "Sam Altman".
    """
    if not exists(index_dir):
        raise NoIndexError(index_dir)
    ix = index.open_dir(str(whoosh_path(index_dir)))
    parser = MultifieldParser(list(SEARCH_FIELDS), ix.schema, fieldboosts=FIELD_BOOSTS)
    q = parser.parse(text)
    with ix.searcher() as searcher:
        results = searcher.search(q, limit=limit, filter=_speaker_filter(speaker), terms=True)
        results.formatter = _MarkFormatter()
        hits = []
        for hit in results:
            hits.append(IndexHit(hit["id"], float(hit.score), _snippet(results, hit)))
        return hits


def _speaker_filter(speaker: str | None) -> query.Query | None:
    if not speaker or not speaker.strip():
        return None
    words = [t.text for t in NAME_ANALYZER(speaker)]
    exact = query.Term("speaker_key", speaker_key(speaker))
    if not words:
        return exact
    return query.Or([exact, query.And([query.Term("speaker", w) for w in words])])


def _snippet(results: Any, hit: Any) -> str:
    """The quote with its matches marked: whole when short, else its best fragments."""
    text: str = hit["text"]
    if len(text) <= SNIPPET_WHOLE_CHARS:
        results.fragmenter = highlight.WholeFragmenter()
        return str(hit.highlights("text", top=1, minscore=0) or text)
    results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SNIPPET_SURROUND)
    fragments = hit.highlights("text", top=2)
    return str(fragments) if fragments else text[:SNIPPET_CHARS].rstrip() + ELLIPSIS.rstrip()


class _MarkFormatter(highlight.Formatter):
    between = ELLIPSIS

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return MARK_OPEN + highlight.get_text(text, token, replace) + MARK_CLOSE


def _document(record: ArticleQuote) -> dict[str, str]:
    q = record.quote
    doc = {"id": record.id, "text": q.text, "article_id": record.article_id, "kind": q.kind, "rule": q.rule}
    optional = {"speaker": q.speaker, "speaker_key": speaker_key(q.speaker), "title": record.title,
                "publisher": record.publisher, "published": record.published, "url": record.url}
    doc.update({k: v for k, v in optional.items() if v})
    return doc
