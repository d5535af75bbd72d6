"""Indexing: read articles, extract the quotes of new or changed ones, store them, update the search index.

    read_articles -> hash check -> quotes.extract (process pool) -> catalog (quotes.store), per batch
        -> whoosh (quotes.index) -> whoosh checked against the catalog by quote id, and repaired

An article whose text and metadata hash equals the catalog's is skipped before extraction. Extraction runs
in a pool of `workers` processes; the catalog commits every BATCH_ARTICLES extracted articles, so a run
killed at any moment (SIGKILL included) keeps all the batches it committed and loses at most one. The
Whoosh index is written at the end of the run, in one commit, from the catalog; then its quote ids are
compared with the catalog's and any difference (left by a killed run) is repaired. The next run of the
same input therefore ends with exactly the articles and quotes of a clean build, and a search at any
moment sees the last committed state. One run at a time holds the index directory (quotes.lock).
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

import quotes
from quotes import batch as batch_output
from quotes import index
from quotes.articles import STDIN, ArticleError, iter_files, read_articles, read_file, source_file
from quotes.lock import DEFAULT_WAIT_SECONDS, index_lock
from quotes.model import Article, Quote, QuotesError
from quotes.paths import resolve_index_dir
from quotes.store import ArticleQuote, Catalog, article_hash, article_quotes

log = logging.getLogger(__name__)

# The catalog commits every BATCH_ARTICLES extracted articles: a killed run loses at most this much work,
# and a commit costs far less than extracting a batch.
BATCH_ARTICLES = 200
# Articles sent to a worker at once: enough to amortise pickling, few enough to share work evenly.
CHUNK_ARTICLES = 8
# With fewer articles to extract than this, extraction runs in this process: starting a pool of workers
# (a fork server that imports the pipeline) costs about what extracting this many short articles does.
POOL_MIN_ARTICLES = 32
# Modules the fork server imports once, so that each worker it forks starts with the pipeline loaded.
POOL_PRELOAD = ["quotes.pipeline"]

Progress = Callable[[int, int, int], None]
"""Called as reading goes on with (files read, files in all, articles read)."""


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one `index_paths` run did."""

    index_dir: str
    new: int  # articles seen for the first time
    changed: int  # articles whose text or metadata changed: extracted again
    unchanged: int  # articles skipped: same hash as in the catalog, no extraction
    removed: int  # articles pruned (`prune=True`): their files, or their lines, are gone
    failed: int  # files, lines or articles that could not be read or extracted (see `errors`)
    quotes_added: int
    quotes_removed: int
    seconds: float
    repaired: int = 0  # quote ids whose Whoosh documents were added or deleted to match the catalog
    errors: tuple[str, ...] = field(default=())  # one line per failure

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["errors"] = list(self.errors)
        return d


@dataclass(frozen=True, slots=True)
class ReindexReport:
    """What one `reindex` run did: the Whoosh index rebuilt from the catalog."""

    index_dir: str
    quotes: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def index_paths(paths: Iterable[str | os.PathLike[str]], index_dir: str | os.PathLike[str] | None = None, *,
                workers: int | None = None, prune: bool = False, rebuild: bool = False,
                wait: float = DEFAULT_WAIT_SECONDS, progress: Progress | None = None) -> IndexReport:
    """Index the articles in these files and directories (`-`: JSON lines on stdin) into `index_dir`.

    `workers` extraction processes (default: one per core). `prune` removes the articles that were read
    from files under `paths` and are gone from them. `rebuild` forgets the whole catalog first and
    extracts every article again. Waits up to `wait` seconds for another run that holds the index
    (IndexLockedError after that). Raises ArticleError for a path that does not exist.
    """
    began = time.perf_counter()
    given = _existing(paths)
    path = resolve_index_dir(index_dir)
    with _writing(path), index_lock(path, wait):
        run = _Run(path, workers or os.cpu_count() or 1, progress)
        with _open_catalog(path, rebuild) as catalog:
            run.read_and_store(catalog, given)
            if prune:
                run.prune(catalog, given)
            run.write_index(catalog)
    c = run.counts
    return IndexReport(str(path), c["new"], c["changed"], c["unchanged"], c["removed"], len(run.errors),
                       c["quotes_added"], c["quotes_removed"], round(time.perf_counter() - began, 3),
                       c["repaired"], tuple(run.errors))


def reindex(index_dir: str | os.PathLike[str] | None = None, *, workers: int | None = None,
            wait: float = DEFAULT_WAIT_SECONDS) -> ReindexReport:
    """Rebuild the Whoosh index from the catalog, without reading or extracting any article again."""
    began = time.perf_counter()
    path = resolve_index_dir(index_dir)
    with _writing(path), Catalog(path) as catalog, index_lock(path, wait):  # Catalog first: NoIndexError
        n = index.build(path, catalog.all_quotes(), procs=workers or os.cpu_count() or 1,
                        expected=catalog.quote_count())
    return ReindexReport(str(path), n, round(time.perf_counter() - began, 3))


def extract_file(path: str | os.PathLike[str]) -> list[ArticleQuote]:
    """The quotes of every article in one file (or directory), with ids and article metadata; no index."""
    paths = _existing([path])
    records: list[ArticleQuote] = []
    for article in read_articles(paths):
        records.extend(article_quotes(article, quotes.extract(article.text)))
    return records


class _Run:
    """The state of one indexing run: counts, errors, the articles it saw and wrote."""

    def __init__(self, index_dir: Path, workers: int, progress: Progress | None) -> None:
        self.index_dir = index_dir
        self.workers = workers
        self.progress = progress
        self.counts: Counter[str] = Counter()
        self.errors: list[str] = []
        self.failed_files: set[str] = set()
        self.seen: dict[str, str] = {}  # id of every article read -> where it was read
        self.touched: list[str] = []  # ids of articles written or removed: their Whoosh documents change
        self.fresh = False  # the catalog was empty: Whoosh is built from scratch

    def failed(self, where: str, message: str) -> None:
        log.warning("%s: %s", where, message)
        self.errors.append(f"{where}: {message}")
        self.failed_files.add(source_file(where))

    def read_and_store(self, catalog: Catalog, paths: list[Path | str]) -> None:
        hashes = catalog.article_hashes()
        self.fresh = not hashes
        with suppress(index.IndexDamagedError):  # damaged: write_index rebuilds it
            if not index.exists(self.index_dir):  # a search during a first run finds nothing, rather than failing
                index.write(self.index_dir, [])
        batch: list[tuple[Article, list[Quote]]] = []
        loaded = [p for p in paths if isinstance(p, Path) and batch_output.is_output(p)]  # `quotes spark` output
        files = [p for p in paths if p not in loaded]
        done = chain(self._loaded(loaded, hashes), _extracted(self._to_extract(files, hashes), self.workers))
        for article, found in done:
            if isinstance(found, str):
                self.failed(article.path or article.id, found)
                continue
            batch.append((article, found))
            if len(batch) >= BATCH_ARTICLES:
                self._commit(catalog, batch, hashes)
        self._commit(catalog, batch, hashes)

    def _new(self, article: Article, hashes: dict[str, str]) -> bool:
        """Whether an article read is to be stored: not a repeated id (reported), not unchanged (counted)."""
        where = article.path or article.id
        if article.id in self.seen:
            self.failed(where, f"the same id {article.id!r} as {self.seen[article.id]}; skipped "
                        "(give each article its own id or url)")
            return False
        self.seen[article.id] = where
        self.counts["read"] += 1
        if hashes.get(article.id) == article_hash(article):
            self.counts["unchanged"] += 1
            return False
        return True

    def _loaded(self, dirs: list[Path], hashes: dict[str, str]) -> Iterator[tuple[Article, list[Quote]]]:
        """The new and changed articles of batch output directories, with the quotes found there."""
        for folder in dirs:
            for article, found in batch_output.read_output(folder):
                if self._new(article, hashes):
                    yield article, found

    def _to_extract(self, paths: list[Path | str], hashes: dict[str, str]) -> Iterator[Article]:
        """The articles to extract: new or changed; unchanged ones are counted and dropped here."""
        files = list(iter_files(paths, self.failed))
        for done, file in enumerate(files, 1):
            for article in read_file(file, self.failed):
                if self._new(article, hashes):
                    yield article
                if self.progress:
                    self.progress(done - 1, len(files), self.counts["read"])
            if self.progress:
                self.progress(done, len(files), self.counts["read"])

    def _commit(self, catalog: Catalog, batch: list[tuple[Article, list[Quote]]], hashes: dict[str, str]) -> None:
        if not batch:
            return
        added, removed = catalog.upsert_articles(batch)
        for article, _ in batch:
            self.counts["changed" if article.id in hashes else "new"] += 1
            self.touched.append(article.id)
        self.counts["quotes_added"] += len(added)
        self.counts["quotes_removed"] += len(removed)
        batch.clear()

    def prune(self, catalog: Catalog, paths: list[Path | str]) -> None:
        """Remove the articles read from files under `paths` that this run did not see.

        An article of a file that failed to read this run, or under a folder that failed to list, is kept: a
        broken file is not a deleted one.
        """
        roots = [str(p.resolve()) for p in paths if isinstance(p, Path)]
        gone = []
        for article_id, where in catalog.article_paths().items():
            if article_id in self.seen or not where:
                continue
            file = source_file(where)
            if _under(file, self.failed_files) or not _under(file, roots):
                continue
            gone.append(article_id)
        if gone:
            self.counts["quotes_removed"] += len(catalog.remove_articles(gone))
            self.counts["removed"] += len(gone)
            self.touched += gone

    def write_index(self, catalog: Catalog) -> None:
        """Bring Whoosh up to the catalog: this run's articles, then a check of every quote id.

        Whoosh files that cannot be read (damaged) are rebuilt from the catalog.
        """
        try:
            if self.fresh or not index.is_current(self.index_dir):  # or made by an older version of quotes
                index.build(self.index_dir, catalog.all_quotes(), procs=self.workers,
                            expected=catalog.quote_count())
            elif self.touched or not index.exists(self.index_dir):
                index.write(self.index_dir, catalog.quotes_of(self.touched), delete_articles=self.touched,
                            procs=self.workers, expected=self.counts["quotes_added"])
            self.counts["repaired"] = repair(self.index_dir, catalog)
        except index.IndexDamagedError as e:
            log.warning("%s/: the search index cannot be read (%s): rebuilding it from the catalog",
                        self.index_dir, e.__cause__)
            self.counts["repaired"] = index.build(self.index_dir, catalog.all_quotes(), procs=self.workers,
                                                  expected=catalog.quote_count())


def _under(file: str, places: Iterable[str]) -> bool:
    """Whether a file is one of these files or folders, or lies under one of them."""
    return any(file == p or file.startswith(p.rstrip(os.sep) + os.sep) for p in places)


def repair(index_dir: Path, catalog: Catalog) -> int:
    """Make the Whoosh index hold exactly the catalog's quotes, once each; returns how many ids it fixed.

    A run killed after a catalog commit leaves quotes that Whoosh lacks, or documents the catalog no
    longer has; a document may even be there twice. They are found by id, not by count.
    """
    want = catalog.quote_ids()
    have = Counter(index.doc_ids(index_dir))
    extra = [i for i, n in have.items() if i not in want or n > 1]
    missing = [i for i in want if have[i] != 1]  # absent, or repeated (deleted above, added again)
    if not extra and not missing:
        return 0
    log.warning("%s: the search index differs from the catalog (%d to add, %d to delete): repairing it",
                index_dir, len(missing), len(extra))
    index.write(index_dir, catalog.get_quotes(missing).values(), delete_ids=extra)
    return len(set(missing) | set(extra))


class IndexWriteError(QuotesError):
    """The index directory cannot be written: it is a file, it is not writable, or the disk is full."""


@contextmanager
def _writing(index_dir: Path) -> Iterator[None]:
    """Turn a failure to write the index directory into one IndexWriteError naming it and the fix.

    Articles that cannot be read are reported and skipped where they are read; an OSError (or SQLite's
    error for a full disk or a read-only file) that reaches here is the index directory's.
    """
    try:
        yield
    except (OSError, sqlite3.OperationalError) as e:
        if index_dir.exists() and not index_dir.is_dir():
            why = "it is a file, not a directory"
        elif isinstance(e, OSError):
            why = (e.strerror or str(e)) + (f" ({e.filename})" if e.filename else "")
        else:
            why = str(e)
        full = (isinstance(e, OSError) and e.errno == errno.ENOSPC) or "full" in str(e)
        fix = "free some space and run it again" if full else "give a directory you can write with --index-dir DIR"
        raise IndexWriteError(f"cannot write the index at {index_dir}/: {why}; {fix}") from e


def _open_catalog(path: Path, rebuild: bool) -> Catalog:
    """The catalog to write; for a rebuild, emptied first (in one transaction) or, if unreadable, made anew."""
    if not rebuild:
        return Catalog(path, create=True)
    try:
        catalog = Catalog(path, create=True)
    except QuotesError:
        for name in os.listdir(path):
            if name.startswith("catalog.sqlite3"):
                os.remove(path / name)
        catalog = Catalog(path, create=True)
    catalog.clear()
    return catalog


# -- extraction ------------------------------------------------------------------------------------------


def _extracted(articles: Iterator[Article], workers: int) -> Iterator[tuple[Article, list[Quote] | str]]:
    """Each article with its quotes, or with why extraction failed, in the order given.

    With more than one worker and at least POOL_MIN_ARTICLES articles, extraction runs in a process pool
    while this process reads ahead and writes the catalog.
    """
    head = list(islice(articles, POOL_MIN_ARTICLES))
    if workers <= 1 or len(head) < POOL_MIN_ARTICLES:
        for article in chain(head, articles):
            yield article, _extract_one(article.text)
        return
    context = multiprocessing.get_context("forkserver")  # workers inherit no open file, lock or thread
    context.set_forkserver_preload(POOL_PRELOAD)
    with _sigint_held(ignore=True):  # inherited by the fork server and its workers: Ctrl-C is this process's
        forkserver.ensure_running()
    pending: deque[tuple[list[Article], Future[list[list[Quote] | str]]]] = deque()
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for chunk in _chunks(chain(head, articles), CHUNK_ARTICLES):
                with _sigint_held():  # a submit may start a worker: Ctrl-C then would orphan it half started
                    pending.append((chunk, pool.submit(_extract_texts, [a.text for a in chunk])))
                while len(pending) > 4 * workers or (pending and pending[0][1].done()):
                    chunk_done, future = pending.popleft()
                    yield from zip(chunk_done, future.result(), strict=True)
            while pending:
                chunk_done, future = pending.popleft()
                yield from zip(chunk_done, future.result(), strict=True)
    except BrokenProcessPool as e:
        raise QuotesError("an extraction worker died (out of memory?); the articles done so far are kept: "
                          "run again, or with --workers 1") from e


@contextmanager
def _sigint_held(ignore: bool = False) -> Iterator[None]:
    """Ctrl-C held off for the while: ignored (processes started meanwhile keep ignoring it), else raised at
    the end as KeyboardInterrupt.

    Ctrl-C reaches every process of the terminal's group. A fork server interrupted while it imports the
    pipeline, or a worker, printed a traceback of its own, and a worker whose start was interrupted was
    left behind to print one; the run's process alone should answer (see the CLI), and shutting its pool
    down ends the workers.
    """
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN if ignore else lambda signum, _: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _extract_texts(texts: list[str]) -> list[list[Quote] | str]:
    """In a worker: the quotes of each text, or why extraction failed."""
    return [_extract_one(text) for text in texts]


def _extract_one(text: str) -> list[Quote] | str:
    try:
        return quotes.extract(text)  # through the package, so tests can count the calls
    except Exception as e:  # one bad article must not stop a run over thousands
        log.debug("extraction failed", exc_info=True)
        return f"extraction failed: {e!r}"


def _existing(paths: Iterable[str | os.PathLike[str]]) -> list[Path | str]:
    """The paths (`-` for stdin), checked before any work so that a typo does not leave a run half done."""
    result: list[Path | str] = []
    for p in paths:
        if str(p) == STDIN:
            result.append(STDIN)
            continue
        if not Path(p).exists():
            raise ArticleError(f"no such file or folder: {p}; check the path")  # as read_articles says it
        result.append(Path(p))
    return result
