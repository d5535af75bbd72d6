"""Writing a Whoosh index: one writer and one commit per change, in one process or several."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index, writing

from quotes.index.records import IndexBusyError, IndexDamagedError
from quotes.index.whoosh import internals
from quotes.index.whoosh import schema as fields
from quotes.index.whoosh.integrity import write_manifest
from quotes.index.whoosh.internals import segment_ids
from quotes.index.whoosh.reading import exists, is_current, readable
from quotes.lifetime import alive
from quotes.paths import whoosh_path
from quotes.store import ArticleQuote

# Whoosh's multi-process writer pays for its processes and job files. Since the word-pair fields made each
# document dearer to write, two processes beat one from about 2,000 documents on 2 cores (build from the
# catalog: 1,960 documents 2.3-2.5 s with one process, 1.5-1.6 s with two; 6,635: 6.7-8.1 s, 3.5-4.3 s).
MP_WRITER_MIN_DOCS = 2_000
WRITER_LOCK_SECONDS = 10.0  # how long to wait for Whoosh's own write lock (held only by an ending writer)
WRITELOCK = "MAIN_WRITELOCK"  # the file of Whoosh's write lock (index name "MAIN", lock "WRITELOCK")

log = logging.getLogger(__name__)
# Segments are written as separate files (compound=False): opening a compound segment copies its terms and
# postings into memory, ~35 ms on 100,000 quotations, paid by every `quotes search` in a new process.


def _writer(ix: Any, procs: int, expected: int) -> Any:
    if procs > 1 and expected >= MP_WRITER_MIN_DOCS:
        return internals.MultiWriter(ix, procs=procs, multisegment=True, timeout=WRITER_LOCK_SECONDS,
                                     compound=False, subargs={"compound": False}, codec=internals.PackedCodec())
    return internals.Writer(ix, timeout=WRITER_LOCK_SECONDS, compound=False)  # ix.writer(), packed postings


def break_stale_lock(index_dir: Path) -> bool:
    """Remove Whoosh's write lock if no live process took it; True if it is free now (try again).

    Whoosh's lock is a `flock` on MAIN_WRITELOCK, which a forked sub-writer shares: a sub-writer left
    behind by a run killed as it forked (older versions of quotes; see quotes.lifetime) keeps it locked
    after the process that took it is gone. The caller holds the index directory's own lock
    (quotes.lock), so no other run of quotes is writing: a lock whose taker is gone is stale. Where the
    system does not list its locks (/proc/locks), nothing is broken.
    """
    path = whoosh_path(index_dir) / WRITELOCK
    try:
        st = path.stat()
        with open("/proc/locks") as f:
            table = f.read()
    except OSError:
        return False
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    takers = [int(cols[4]) for cols in map(str.split, table.splitlines())
              if len(cols) > 5 and cols[1] == "FLOCK" and cols[5] == device and cols[4].isdigit()]
    live = [pid for pid in takers if alive(pid)]
    if live:
        return False
    if takers:
        log.warning("%s: Whoosh's write lock was taken by process %s, which has ended; a process it left "
                    "holds it still: breaking the lock", index_dir, ", ".join(map(str, takers)))
        path.unlink(missing_ok=True)  # the next writer locks a new file
    return True


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
        try:
            writer = _writer(ix, procs, expected)
        except index.LockError:
            if not break_stale_lock(index_dir):
                raise
            writer = _writer(ix, procs, expected)
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
    with readable(index_dir):
        write_manifest(index_dir, segment_ids(index.open_dir(str(whoosh_path(index_dir)))))
    return n
