"""Indexing speed: articles/s end to end, our Whoosh writing against a bare Whoosh writer, re-runs, memory.

    python tests/bench/index_bench.py [--sizes 1000 10000] [--workers 1 2] [--corpus FILE.jsonl] [--keep DIR]

Run from the project root. The corpus is ../shared/polnear/train.jsonl (840 real news articles) repeated
with new ids up to each size, else the seed article repeated. Every figure is one run, timed by the wall
clock, so expect a few per cent of noise. It prints a Markdown table (README.md, "Indexing speed"):

- end to end: `quotes index CORPUS --workers W --json` in a fresh index directory, as a subprocess (Python
  start-up, reading, hashing, extraction in W processes, the catalog, Whoosh, the id check), and the peak
  memory of all its processes together (resident set, sampled every 50 ms from /proc);
- Whoosh: our Whoosh part, `quotes.index.build` from the catalog (what the end of a first run does: read
  the quotes from SQLite, make documents, write them, commit) into an empty directory, against a bare
  Whoosh writer adding the same documents, already in memory, with the same schema, in one commit;
- re-run: `quotes index` again on the unchanged corpus, as a fraction of the full build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from whoosh import index as whoosh_index

from quotes import index
from quotes.index.whoosh.schema import document as _document
from quotes.index.whoosh.schema import schema
from quotes.paths import whoosh_path
from quotes.store import Catalog

ROOT = Path(__file__).resolve().parents[2]
POLNEAR = ROOT.parent / "shared" / "polnear" / "train.jsonl"
SEED = ROOT / "seeds" / "000_79b1a7c8b752f4f6.txt"


def make_corpus(size: int, source: Path | None, out: Path) -> Path:
    """`size` articles as JSON lines: the source's articles in turn, each copy with an id of its own."""
    if source and source.exists():
        base = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
        base = [{k: a.get(k) for k in ("id", "text", "title", "author", "publisher", "date")} for a in base]
    else:
        base = [{"id": "seed", "text": SEED.read_text(encoding="utf-8")}]
    with out.open("w", encoding="utf-8") as f:
        for i in range(size):
            article = dict(base[i % len(base)])
            article["id"] = f"{article['id']}#{i}"
            f.write(json.dumps(article) + "\n")
    return out


def run_index(corpus: Path, ix: Path, workers: int) -> tuple[float, dict, int]:
    """Wall seconds, the JSON report and the peak resident memory (bytes) of one `quotes index` run."""
    args = [sys.executable, "-m", "quotes", "index", str(corpus), "--index-dir", str(ix),
            "--workers", str(workers), "--json"]
    began = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    sampler = threading.Thread(target=_sample_memory, args=(proc, peak), daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - began
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"quotes index failed:\n{err}")
    return seconds, json.loads(out), peak[0]


def _sample_memory(proc: subprocess.Popen[str], peak: list[int]) -> None:
    page = os.sysconf("SC_PAGE_SIZE")
    while proc.poll() is None:
        peak[0] = max(peak[0], sum(_rss_pages(pid) for pid in _tree(proc.pid)) * page)
        time.sleep(0.05)


def _tree(root: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _rss_pages(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def whoosh_ratio(ix: Path, scratch: Path, procs: int) -> tuple[float, float, int]:
    """Seconds of our Whoosh build from the catalog, of a bare writer with the same documents, and docs."""
    shutil.rmtree(whoosh_path(ix))
    began = time.perf_counter()
    with Catalog(ix) as catalog:
        n = index.build(ix, catalog.all_quotes(), procs=procs, expected=catalog.quote_count())
    ours = time.perf_counter() - began

    with Catalog(ix) as catalog:
        docs = [_document(record) for record in catalog.all_quotes()]  # untimed: the bare writer's input
    bare_dir = scratch / "bare"
    shutil.rmtree(bare_dir, ignore_errors=True)
    bare_dir.mkdir()
    began = time.perf_counter()
    bare = whoosh_index.create_in(str(bare_dir), schema())
    writer = bare.writer(procs=procs, multisegment=True) if procs > 1 else bare.writer()
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return ours, time.perf_counter() - began, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--corpus", type=Path, default=POLNEAR, help="JSON lines to repeat (default: PolNeAR)")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="quotes-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    source = args.corpus if args.corpus.exists() else None
    print(f"corpus: {source or SEED} repeated with new ids; {os.cpu_count()} cores; Python "
          f"{sys.version.split()[0]}\n", flush=True)
    print("| articles | workers | quotes | end to end s | articles/s | peak memory MB | Whoosh: ours s | "
          "bare s | ratio | re-run s | re-run / build |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    try:
        for size in args.sizes:
            corpus = make_corpus(size, source, scratch / f"corpus-{size}.jsonl")
            for workers in args.workers:
                ix = scratch / f"ix-{size}-{workers}"
                shutil.rmtree(ix, ignore_errors=True)
                seconds, report, peak = run_index(corpus, ix, workers)
                rerun, again, _ = run_index(corpus, ix, workers)
                assert again["unchanged"] == size and again["new"] == 0, again
                ours, bare, docs = whoosh_ratio(ix, scratch, workers)
                assert docs == report["quotes_added"]
                print(f"| {size:,} | {workers} | {docs:,} | {seconds:.1f} | {size / seconds:.0f} | "
                      f"{peak / 2**20:.0f} | {ours:.1f} | {bare:.1f} | {ours / bare:.2f}x | {rerun:.2f} | "
                      f"{rerun / seconds:.1%} |", flush=True)
                shutil.rmtree(ix)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
