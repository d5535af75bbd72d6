"""`quotes search` in a new process against `python -c pass`: median wall and CPU time (#10).

    python tests/bench/cold_start.py --index-dir DIR [--runs 15] [--query election] [CHECKOUT ...]

Each run starts, in turn, `python -c pass` and `python -m quotes search QUERY --index-dir DIR` (output
piped) with `PYTHONPATH` set to each checkout given (this one when none is), so the machine's load falls
on all of them alike. CPU is the child's user + system time (`os.wait4`). Run it with a Python whose
environment has quotes' dependencies but not quotes itself (or an editable install of it, whose import
hook `python -c pass` then pays too), from a directory with no `quotes/` in it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: found nothing
        raise SystemExit(f"{argv} failed with status {status}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="*", type=Path, default=[Path(__file__).resolve().parents[2]])
    parser.add_argument("--index-dir", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--query", default="election")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "PYTHONPATH",
                                                                "PYTHONDONTWRITEBYTECODE")}  # as installed: .pyc
    subjects = [("python -c pass", [sys.executable, "-c", "pass"], base)]
    for checkout in args.checkouts:
        subjects.append((str(checkout), [sys.executable, "-m", "quotes", "search", args.query, "--index-dir",
                                         args.index_dir], {**base, "PYTHONPATH": str(checkout.resolve())}))
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in subjects}
    for _, argv, env in subjects:  # warm the file cache and the .pyc files first
        run_once(argv, env)
    for n in range(args.runs):
        order = subjects[n % len(subjects):] + subjects[:n % len(subjects)]
        for name, argv, env in order:
            times[name].append(run_once(argv, env))
    wall0 = statistics.median(w for w, _ in times[subjects[0][0]])
    cpu0 = statistics.median(c for _, c in times[subjects[0][0]])
    print(f"{'':40} {'wall ms':>8} {'ratio':>6} {'CPU ms':>8} {'ratio':>6}")
    for name, _, _ in subjects:
        wall = statistics.median(w for w, _ in times[name])
        cpu = statistics.median(c for _, c in times[name])
        print(f"{name:40} {wall * 1000:8.0f} {wall / wall0:5.1f}x {cpu * 1000:8.0f} {cpu / cpu0:5.1f}x")


if __name__ == "__main__":
    main()
