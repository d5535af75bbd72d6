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
import re
import signal
import sqlite3
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

import quotes
from quotes import batch as batch_output
from quotes import index
from quotes.articles import STDIN, ArticleError, iter_files, read_articles, read_file, read_stdin, source_file
from quotes.lifetime import exit_with
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
# CPU seconds one article's extraction may take; past them it is reported and skipped, and the run goes
# on. Extraction is linear in an article's length, and the slowest article of the size cap measured
# (200,000 characters of one-letter quotations, docs/benchmarks.md) takes about 4 s: only a case nobody
# foresaw reaches the budget, and it costs a run 30 s, never a stall. CPU time, not the clock's: a
# machine busy with other work must not make good articles fail.
ARTICLE_SECONDS = 30.0
# The progress bar is told of the quotations written to the search index this often: often enough to move
# smoothly, seldom enough to cost nothing (a redraw is throttled by the bar anyway).
PROGRESS_EVERY = 100

Progress = Callable[[str, int, int | None, int], None]
"""Called as a run goes on with (stage, done, total, articles read). Stage READING counts the bytes of
input read (total None where it is unknown: standard input), WRITING the quotations written to the search
index (total None where the count is not known ahead)."""
READING, WRITING = "reading", "writing"

# A URL given where a path is expected: `quotes` reads no network (a shell's path turns "//" into "/").
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:/")


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
    read: int = 0  # articles read (new, changed or unchanged, and those whose extraction failed)
    skipped: dict[str, int] = field(default_factory=dict)  # files in folders no reader reads, by extension

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
        with _open_catalog(path, rebuild) as catalog, catalog.one_transaction() if rebuild else nullcontext():
            if rebuild:  # in one transaction: searches see the old catalog (and Whoosh) until the new is done
                catalog.clear()
            run.read_and_store(catalog, given)
            if prune:
                run.prune(catalog, given)
            run.write_index(catalog)  # Whoosh commits from the new catalog, a moment before the catalog does
    c = run.counts
    return IndexReport(str(path), c["new"], c["changed"], c["unchanged"], c["removed"], len(run.errors),
                       c["quotes_added"], c["quotes_removed"], round(time.perf_counter() - began, 3),
                       c["repaired"], tuple(run.errors), c["read"], dict(sorted(run.skipped.items())))


def reindex(index_dir: str | os.PathLike[str] | None = None, *, workers: int | None = None,
            wait: float = DEFAULT_WAIT_SECONDS) -> ReindexReport:
    """Rebuild the Whoosh index from the catalog, without reading or extracting any article again."""
    began = time.perf_counter()
    path = resolve_index_dir(index_dir)
    with _writing(path), Catalog(path) as catalog, index_lock(path, wait):  # Catalog first: NoIndexError
        n = index.build(path, catalog.all_quotes(), procs=workers or os.cpu_count() or 1,
                        expected=catalog.quote_count())
    return ReindexReport(str(path), n, round(time.perf_counter() - began, 3))


@dataclass(frozen=True, slots=True)
class Extracted:
    """One article and its quotes (with ids and the article's metadata), as `quotes extract` prints them."""

    article: Article
    records: tuple[ArticleQuote, ...]


def extract_articles(path: str | os.PathLike[str]) -> list[Extracted]:
    """The quotes of every article of a file or folder, or of standard input (`-`: plain text, or JSON
    lines when it looks like them); no index is read or written."""
    articles = read_stdin() if str(path) == STDIN else read_articles(_existing([path]))
    return [Extracted(a, tuple(article_quotes(a, quotes.extract(a.text)))) for a in articles]


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
        self.skipped: Counter[str] = Counter()  # files in folders that no reader reads, by extension
        self.read_at: dict[str, int] = {}  # id of each article given to extract -> bytes of input read up to it
        self.done = 0  # bytes of input read and extracted
        self.total: int | None = None  # bytes of input in all (None: not known, as for standard input)

    def skip(self, file: Path) -> None:
        self.skipped[file.suffix.lower() or "no extension"] += 1

    def read_up_to(self, at: int) -> None:
        """Tell the progress bar the input is read (and extracted) up to byte `at`, if that is further."""
        if at > self.done:
            self.done = at
            self.tell(READING, at, self.total)

    def tell(self, stage: str, done: int, total: int | None) -> None:
        if self.progress:
            self.progress(stage, done, total, self.counts["read"])

    def counted(self, records: Iterable[ArticleQuote], total: int | None) -> Iterator[ArticleQuote]:
        """The records, telling the progress bar how many have been written."""
        for n, record in enumerate(records, 1):
            if n % PROGRESS_EVERY == 0:
                self.tell(WRITING, n, total)
            yield record

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
                self.read_up_to(self.read_at.pop(article.id, 0))
                continue
            batch.append((article, found))
            self.read_up_to(self.read_at.pop(article.id, 0))
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
        """The articles to extract: new or changed; unchanged ones are counted and dropped here.

        Progress is told in bytes of input, as each article is extracted (or skipped): the bytes up to
        it, counting the characters of each article of a file of many (JSON lines, a feed) up to the
        file's size, and a file's last article as the whole file.
        """
        files = list(iter_files(paths, self.failed, self.skip))
        sizes = [_size(file) for file in files]
        self.total = None if None in sizes else sum(s or 0 for s in sizes)
        before = 0
        for file, size in zip(files, sizes, strict=True):
            here, last = 0, ""
            for article in read_file(file, self.failed):
                here += len(article.text)
                at = before + (here if size is None else min(here, size))
                if not self._new(article, hashes):
                    self.read_up_to(at)
                    continue
                self.read_at[article.id] = at
                last = article.id
                yield article
            before += here if size is None else size
            if last in self.read_at:  # not extracted yet: its file is read once it is
                self.read_at[last] = before
            else:
                self.read_up_to(before)

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
                n = catalog.quote_count()
                index.build(self.index_dir, self.counted(catalog.all_quotes(), n), procs=self.workers, expected=n)
            elif self.touched or not index.exists(self.index_dir):
                n = self.counts["quotes_added"]
                index.write(self.index_dir, self.counted(catalog.quotes_of(self.touched), n),
                            delete_articles=self.touched, procs=self.workers, expected=n)
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
    """The catalog to write; for a rebuild, checked page by page first, and made anew where it is damaged
    or cannot be read (its contents are about to be replaced anyway)."""
    if not rebuild:
        return Catalog(path, create=True)
    try:
        catalog = Catalog(path, create=True)
        try:
            catalog.check()
        except BaseException:
            catalog.close()
            raise
    except QuotesError as e:
        log.warning("%s/: the catalog cannot be read (%s); making a new one", path, e.__cause__ or e)
        for name in os.listdir(path):
            if name.startswith("catalog.sqlite3"):
                os.remove(path / name)
        catalog = Catalog(path, create=True)
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
        # each worker ends with this process, even one killed as the worker starts (quotes.lifetime)
        with ProcessPoolExecutor(workers, mp_context=context, initializer=exit_with, initargs=(os.getpid(),)) as pool:
            for chunk in _chunks(chain(head, articles), CHUNK_ARTICLES):
                with _sigint_held():  # a submit may start a worker: Ctrl-C then would orphan it half started
                    pending.append((chunk, pool.submit(_extract_texts, [a.text for a in chunk], ARTICLE_SECONDS)))
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


def _extract_texts(texts: list[str], seconds: float) -> list[list[Quote] | str]:
    """In a worker: the quotes of each text, or why extraction failed."""
    return [_extract_one(text, seconds) for text in texts]


class _OverBudget(Exception):
    """Raised in an extraction that has used up its CPU seconds."""


def _extract_one(text: str, seconds: float | None = None) -> list[Quote] | str:
    budget = ARTICLE_SECONDS if seconds is None else seconds
    try:
        with _cpu_budget(budget):
            return quotes.extract(text)  # through the package, so tests can count the calls
    except _OverBudget:
        return (f"extraction took more than {budget:g} CPU seconds (quotes.indexer.ARTICLE_SECONDS); skipped: "
                "please report the article")
    except Exception as e:  # one bad article must not stop a run over thousands
        log.debug("extraction failed", exc_info=True)
        return f"extraction failed: {e!r}"


@contextmanager
def _cpu_budget(seconds: float) -> Iterator[None]:
    """Raise _OverBudget in this block once it has used `seconds` of CPU time (a virtual timer's signal).
    Signal handlers belong to the main thread: elsewhere (a library caller's thread) there is no budget."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def over(signum: int, frame: object) -> None:
        raise _OverBudget

    previous = signal.signal(signal.SIGVTALRM, over)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def _size(file: Path | str) -> int | None:
    """A file's size in bytes; None for standard input (or a file that cannot be read: reading says why)."""
    if str(file) == STDIN:
        return None
    try:
        return Path(file).stat().st_size
    except OSError:
        return 0


def _existing(paths: Iterable[str | os.PathLike[str]]) -> list[Path | str]:
    """The paths (`-` for stdin), checked before any work so that a typo does not leave a run half done."""
    result: list[Path | str] = []
    for p in paths:
        if str(p) == STDIN:
            result.append(STDIN)
            continue
        if _URL.match(str(p)) and not Path(p).exists():
            raise ArticleError(f"{p} is a URL, and quotes reads no network: save the page first (your browser's "
                               f"Save Page As, or `curl -o page.html '{p}'`) and give the file")
        if not Path(p).exists():
            raise ArticleError(f"no such file or folder: {p}; check the path")  # as read_articles says it
        result.append(Path(p))
    return result
