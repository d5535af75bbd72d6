"""No process outlives its run (#13): killed at any moment, even as it forks, a run leaves no worker or
sub-writer behind, and the next run can write the index."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import suppress
from pathlib import Path

import pytest

from quotes.lifetime import alive
from quotes.lock import index_lock
from quotes.search import find

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = '"We will build {n} new bridges," Mayor Jane Roe said. "Taxes will not rise," she added.'


def write_corpus(path: Path, n: int) -> Path:
    path.write_text("\n".join(json.dumps({"id": f"a{i}", "text": ARTICLE.format(n=i)}) for i in range(n)) + "\n")
    return path


def quotes_cmd(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quotes", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, their children...), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    parents[int(entry)] = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def gone_within(pids: set[int], seconds: float) -> set[int]:
    """The processes of `pids` still running after `seconds` (at most)."""
    deadline = time.monotonic() + seconds
    while (left := {p for p in pids if alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


# A run of `quotes reindex` whose process kills itself (SIGKILL) right after it forks a sub-writer of
# Whoosh's multi-process writer, `delay` seconds after the fork: the child is written to `pids`.
KILLED_AT_FORK = textwrap.dedent("""
    import os, signal, sys, time
    from quotes.index.whoosh import writing
    from quotes.indexer import reindex

    writing.MP_WRITER_MIN_DOCS = 2  # the multi-process writer for a small index
    index_dir, pids, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            with open(pids, "a") as f:
                f.write(f"{pid}\\n")
            time.sleep(delay)
            os.kill(os.getpid(), signal.SIGKILL)
        return pid

    os.fork = fork
    reindex(index_dir, workers=2, wait=5)
""")


def test_killed_as_whoosh_forks_its_sub_writers_leaves_none_behind_and_reindex_works(tmp_path):
    ix = tmp_path / "ix"
    done = quotes_cmd("index", str(write_corpus(tmp_path / "a.jsonl", 40)), "--index-dir", str(ix), "--workers", "1")
    assert done.returncode == 0, done.stderr
    pids = tmp_path / "pids"
    for delay in (0.0, 0.0, 0.001, 0.01, 0.05, 0.3, 0.0):  # at the fork itself, and as the child starts
        run = subprocess.run([sys.executable, "-c", KILLED_AT_FORK, str(ix), str(pids), str(delay)],
                             capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert run.returncode == -signal.SIGKILL, run.stderr
    children = {int(p) for p in pids.read_text().split()}
    assert len(children) >= 7
    assert gone_within(children, 15) == set(), "sub-writers outlived their killed run"
    began = time.monotonic()
    done = quotes_cmd("reindex", "--index-dir", str(ix), timeout=120)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - began < 60  # it did not wait out anyone's lock
    assert find("bridges", index_dir=ix, limit=1).total == 40


@pytest.mark.parametrize("after", [0.5, 1.5, 3.0])
def test_a_run_killed_during_extraction_leaves_no_worker_behind(tmp_path, after):
    corpus = write_corpus(tmp_path / "a.jsonl", 3_000)
    run = subprocess.Popen([sys.executable, "-m", "quotes", "index", str(corpus), "--index-dir",
                            str(tmp_path / "ix"), "--workers", "2"], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    below = descendants(run.pid)
    run.send_signal(signal.SIGKILL)
    run.wait()
    below |= descendants(run.pid)
    assert gone_within(below, 15) == set(), "extraction workers outlived their killed run"


def test_a_stale_whoosh_lock_of_a_dead_process_is_broken_a_live_one_is_not(tmp_path):
    from quotes.index.whoosh.writing import WRITELOCK, break_stale_lock
    from quotes.paths import whoosh_path

    ix = tmp_path / "ix"
    assert quotes_cmd("index", str(write_corpus(tmp_path / "a.jsonl", 3)), "--index-dir", str(ix),
                      "--workers", "1").returncode == 0
    lock = whoosh_path(ix) / WRITELOCK
    # a process takes whoosh's lock, forks a child that shares it (as a sub-writer does) and dies
    hold = textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(lock)!r}, os.O_CREAT | os.O_WRONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        child = os.fork()
        if child == 0:
            os.close(1), os.close(2)  # the caller reads to the end of the output
            time.sleep(60)
            os._exit(0)
        print(os.getpid(), child, flush=True)
        time.sleep(float(sys.argv[1]))
    """)
    live = subprocess.Popen([sys.executable, "-c", hold, "60"], stdout=subprocess.PIPE, text=True)
    _, live_child = map(int, live.stdout.readline().split())
    try:
        with index_lock(ix, 0):
            assert not break_stale_lock(ix)  # its taker runs: someone is writing
            assert lock.exists()
    finally:
        live.kill()
        live.wait()
        os.kill(live_child, signal.SIGKILL)
        gone_within({live_child}, 10)
    dead = subprocess.run([sys.executable, "-c", hold, "0"], capture_output=True, text=True, timeout=30)
    taker, orphan = map(int, dead.stdout.split())  # the child sleeps, holding the lock
    try:
        started = time.monotonic()
        done = quotes_cmd("reindex", "--index-dir", str(ix), timeout=120)
        assert done.returncode == 0, done.stderr
        assert "has ended" in done.stderr and str(taker) in done.stderr
        assert time.monotonic() - started < 60
    finally:
        with suppress(ProcessLookupError):
            os.kill(orphan, signal.SIGKILL)
