"""Writing a Whoosh index: one writer and one commit per change, in one process or several."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh import index, writing

from quotes.index.records import IndexBusyError, IndexDamagedError
from quotes.index.whoosh import schema as fields
from quotes.index.whoosh.internals import MultiWriter, Writer
from quotes.index.whoosh.reading import exists, is_current, readable
from quotes.paths import whoosh_path
from quotes.store import ArticleQuote

# Whoosh's multi-process writer pays for its processes and job files. Since the word-pair fields made each
# document dearer to write, two processes beat one from about 2,000 documents on 2 cores (build from the
# catalog: 1,960 documents 2.3-2.5 s with one process, 1.5-1.6 s with two; 6,635: 6.7-8.1 s, 3.5-4.3 s).
MP_WRITER_MIN_DOCS = 2_000
WRITER_LOCK_SECONDS = 10.0  # how long to wait for Whoosh's own write lock (held only by an ending writer)
# Segments are written as separate files (compound=False): opening a compound segment copies its terms and
# postings into memory, ~35 ms on 100,000 quotations, paid by every `quotes search` in a new process.


def write(index_dir: Path, added: Iterable[ArticleQuote], *, delete_articles: Iterable[str] = (),
          delete_ids: Iterable[str] = (), procs: int = 1, expected: int = 0, clear: bool = False) -> int:
    """In one writer and one commit: delete every quote of `delete_articles` and the quotes `delete_ids`,
    then add `added`. Returns how many were added. `clear` drops every other document in that commit.

    With `procs` > 1 and `expected` (the number of quotes to add, as far as known) at least
    MP_WRITER_MIN_DOCS, Whoosh's multi-process writer indexes them in `procs` processes, each writing a
    segment of its own (multisegment: no final merge; later commits merge small segments as usual).
    A clearing write makes a damaged index afresh; any other raises IndexDamagedError on one.
    """
    try:
        fresh = not exists(index_dir) or (clear and not is_current(index_dir))  # none yet, or an older schema's
    except IndexDamagedError:
        if not clear:
            raise
        fresh = True
    if fresh:
        whoosh_path(index_dir).mkdir(parents=True, exist_ok=True)
        index.create_in(str(whoosh_path(index_dir)), fields.schema())
    with readable(index_dir):
        ix = index.open_dir(str(whoosh_path(index_dir)))
    try:
        if procs > 1 and expected >= MP_WRITER_MIN_DOCS:
            writer = MultiWriter(ix, procs=procs, multisegment=True, timeout=WRITER_LOCK_SECONDS,
                                 compound=False, subargs={"compound": False})
        else:
            writer = Writer(ix, timeout=WRITER_LOCK_SECONDS, compound=False)  # what ix.writer() makes
    except index.LockError as e:
        raise IndexBusyError(f"the index at {index_dir}/ is being written by another process: "
                             "wait for it to finish and try again") from e
    n = 0
    try:
        with readable(index_dir):  # deleting reads the segments' terms
            for article_id in delete_articles:
                writer.delete_by_term("article_id", article_id)
            for quote_id in delete_ids:
                writer.delete_by_term("id", quote_id)
        for record in added:
            writer.add_document(**fields.document(record))
            n += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=writing.CLEAR if clear else None)
    return n
