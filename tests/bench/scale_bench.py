"""Past one machine, measured on one: Spark extraction, loading a SphinxQL server, queries on both backends.

    python tests/bench/scale_bench.py [--articles 10000] [--quotes 100000] [--queries 40] [--work DIR]

1. Extraction: the same articles (PolNeAR's train split repeated with new ids, in 8 JSON lines shards)
   through `quotes spark --master local[2]` and through `quotes index --workers 2` (which also writes the
   catalog and Whoosh), then `quotes index` of the Spark output (loading, no extraction). Wall seconds of
   each command in a new process, JVM start included.
2. Loading: a catalog of `--quotes` quotations (tests/bench/search_bench.py's generator: real words,
   every tenth quotation reprinted) built into Whoosh (one writer) and into a searchd with 2 shards.
3. Queries: search_bench.py's word, phrase, fuzzy and filtered queries through `quotes.search.find`, each
   asked of Whoosh and of the server in turn: p50/p95 in ms by kind.

Needs the extras (`pip install -e '.[spark,server]'`), Java and searchd. Prints the figures; it asserts
nothing (docs/benchmarks.md and docs/scaling.md quote them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from index_bench import POLNEAR, make_corpus  # noqa: E402
from search_bench import generate, percentile, polnear_articles, seed_articles, workload  # noqa: E402

from quotes.index import BACKEND_ENV, open_backend  # noqa: E402
from quotes.index.sphinx.local import searchd  # noqa: E402
from quotes.store import Catalog  # noqa: E402

SHARD_FILES = 8  # Spark runs a task per input file: more files than cores keeps both busy


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "quotes", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})})
    if done.returncode:
        raise SystemExit(f"quotes {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - began, done.stdout


def extraction(work: Path, articles: int) -> None:
    corpus = make_corpus(articles, POLNEAR, work / "corpus.jsonl")
    shards = work / "shards"
    shards.mkdir()
    lines = corpus.read_text(encoding="utf-8").splitlines()
    for i in range(SHARD_FILES):
        (shards / f"part-{i}.jsonl").write_text("\n".join(lines[i::SHARD_FILES]) + "\n", encoding="utf-8")
    spark_s, out = timed(["spark", str(shards), "--out", str(work / "spark"), "--master", "local[2]", "--json"])
    report = json.loads(out.splitlines()[-1])
    pool_s, out = timed(["index", str(shards), "--index-dir", str(work / "pool"), "--workers", "2", "--json"])
    pool = json.loads(out)
    load_s, _ = timed(["index", str(work / "spark"), "--index-dir", str(work / "loaded"), "--json"])
    print(f"extraction of {articles:,} articles ({report['quotes']:,} quotations):")
    print(f"  quotes spark --master local[2]      {spark_s:7.1f} s  {articles / spark_s:6.0f} articles/s")
    print(f"  quotes index --workers 2            {pool_s:7.1f} s  {articles / pool_s:6.0f} articles/s "
          f"(catalog and Whoosh included; {pool['quotes_added']:,} quotations)")
    print(f"  quotes index SPARK_OUT (load only)  {load_s:7.1f} s  {articles / load_s:6.0f} articles/s")


def loading(work: Path, quotes: int, url: str) -> Path:
    path = work / "big"
    sources = polnear_articles(POLNEAR) if POLNEAR.exists() else seed_articles()
    with Catalog(path, create=True) as catalog:
        for article, found in generate(sources, quotes):
            catalog.upsert_article(article, found)
        n = catalog.quote_count()
        times = {}
        backends = {"whoosh (one writer)": open_backend(path), "searchd, 2 shards": open_backend(path, url)}
        for name, backend in backends.items():
            began = time.process_time(), time.perf_counter()
            backend.build(catalog.all_quotes())
            times[name] = (time.process_time() - began[0], time.perf_counter() - began[1])
    print(f"loading {n:,} quotations from the catalog:")
    for name, (cpu, wall) in times.items():
        print(f"  {name:20s} {wall:7.1f} s wall ({cpu:6.1f} s CPU in this process)  {n / wall:8.0f} quotations/s")
    return path


def queries(path: Path, url: str, n: int) -> None:
    kinds = workload(path, n)
    print(f"queries ({n} of each kind, asked of each backend in turn), ms:")
    print(f"  {'kind':9s} {'whoosh p50':>10s} {'p95':>7s} {'searchd p50':>12s} {'p95':>7s}")
    for kind, runs in kinds.items():
        took: dict[str, list[float]] = {"whoosh": [], "sphinx": []}
        for run in runs:
            for name in took:
                if name == "sphinx":
                    os.environ[BACKEND_ENV] = url
                began = time.perf_counter()
                run()
                took[name].append((time.perf_counter() - began) * 1000)
                os.environ.pop(BACKEND_ENV, None)
        w, s = took["whoosh"], took["sphinx"]
        print(f"  {kind:9s} {statistics.median(w):10.1f} {percentile(w, 95):7.1f} {statistics.median(s):12.1f} "
              f"{percentile(s, 95):7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--work", type=Path, help="an empty directory for the corpora and indexes")
    parser.add_argument("--skip-extraction", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="quotes-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"work directory: {work}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if not args.skip_extraction:
        extraction(work, args.articles)
    with searchd(work / "searchd", 2) as url:
        path = loading(work, args.quotes, url)
        queries(path, url, args.queries)


if __name__ == "__main__":
    main()
