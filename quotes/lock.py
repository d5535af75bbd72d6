"""One writer at a time: a lock file in the index directory, held while `quotes index` or `reindex` runs.

    with index_lock(index_dir, wait=300):   # waits up to 300 s for another run, else IndexLockedError
        ...

The lock is a POSIX record lock (`fcntl.lockf`) on `index_dir/index.lock`: the system releases it when its
process ends, however it ends (SIGKILL included), so a killed run never leaves the index locked. Record
locks are not inherited by child processes (extraction workers, Whoosh's sub-writers), so none of them can
keep it alive after the run. Readers (search) take no lock: SQLite and Whoosh both show them the last
committed state. The file holds the process id of the run that has it, for the message a waiting run gives.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quotes.model import QuotesError

# How long a run waits for another run that holds the index directory before giving up.
DEFAULT_WAIT_SECONDS = 300.0

log = logging.getLogger(__name__)

LOCK_NAME = "index.lock"
POLL_SECONDS = 0.1  # how often a waiting run tries the lock again


class IndexLockedError(QuotesError):
    """Another run holds the index directory's write lock, and waiting for it timed out."""


@contextmanager
def index_lock(index_dir: Path, wait: float) -> Iterator[None]:
    """Hold the write lock of `index_dir` (made as needed), waiting up to `wait` seconds for it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while not _try_lock(fd):
            holder = _holder(fd)
            if time.monotonic() >= deadline:
                raise IndexLockedError(
                    f"another `quotes index` ({holder}) is writing {index_dir}/ and still was after {wait:g}s: "
                    "let it finish, or wait longer with --wait SECONDS")
            if not told:
                log.warning("%s/ is being written by another `quotes index` (%s); waiting up to %gs",
                            index_dir, holder, wait)
                told = True
            time.sleep(POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fd: int) -> bool:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        if e.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


def _holder(fd: int) -> str:
    pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f"process {pid}" if pid.isdigit() else "a process"
