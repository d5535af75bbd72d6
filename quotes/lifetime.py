"""No process outlives its run: a child process ends when the run's process ends, however it ends.

    exit_with(parent)   # in a child, first thing: ends it with `parent` (a pid recorded before the fork)

Extraction workers (children of a fork server) and Whoosh's sub-writers (children of the run) wait on a
queue for work; were the run killed (SIGKILL), they would wait for ever, a sub-writer holding Whoosh's
write lock so that no later run could write the index. The parent is checked twice: before the watch
starts (already gone: the fork raced a kill, and the child ends at once) and then for as long as the child
lives, by a Linux pidfd that becomes readable when the process ends (no pid reuse can fool it), else by
polling.
"""

from __future__ import annotations

import os
import select
import threading
import time

POLL_SECONDS = 0.5  # how often a child without pidfds (not Linux 5.3+) looks for its parent


def exit_with(parent: int, *, direct: bool = False) -> None:
    """End this process (exit status 1, no clean-up: its parent is gone) as soon as `parent` has ended.

    `direct`: `parent` forked this process, so a different `os.getppid()` means it has ended already.
    """
    if direct and os.getppid() != parent:
        os._exit(1)
    try:
        fd: int | None = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        fd = None
    if not alive(parent) or (direct and os.getppid() != parent):  # ended while the watch was set up
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, fd), name="exit-with-parent", daemon=True).start()


def _watch(parent: int, fd: int | None) -> None:
    if fd is not None:
        select.select([fd], [], [])  # readable once the process has ended
    else:
        while alive(parent):
            time.sleep(POLL_SECONDS)
    os._exit(1)


def alive(pid: int) -> bool:
    """Whether a process of this id is running (a zombie, ended but not yet reaped, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True  # no /proc: the signal said it is there
