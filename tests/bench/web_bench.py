"""How fast `quotes serve` answers each kind of page (a benchmark, never a timed test).

    python tests/bench/web_bench.py --index-dir DIR [--rounds 20]

DIR is an index (tests/bench/search_bench.py --index-dir DIR builds one of 100,000 quotations). The
script starts `quotes serve` on a free loopback port, asks for each kind of page `--rounds` times over HTTP
(a different query, quotation or speaker each time, taken from the index), and prints per kind the
p50/p95/max wall time a request took (urllib, keep-alive off: connect, answer and read) and the server's
own time for the page (its Server-Timing header). The goal is well under 100 ms a page.
"""

from __future__ import annotations

import argparse
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from quotes.search import find, speakers, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    urls = pages(args.index_dir, args.rounds, rng)
    with serving(args.index_dir) as base:
        for paths in urls.values():
            get(base, paths[0])  # the first of a kind loads its modules and templates: not counted
        print(f"index: {args.index_dir} ({stats(args.index_dir).quotes} quotations); {args.rounds} pages of each kind")
        print(f"{'page':22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'server p50':>11} {'server p95':>11}")
        for kind, paths in urls.items():
            walls, servers = [], []
            for path in paths:
                wall, server = get(base, path)
                walls.append(wall)
                servers.append(server)
            print(f"{kind:22} {pct(walls, 50):8.1f} {pct(walls, 95):8.1f} {max(walls):8.1f} "
                  f"{pct(servers, 50):11.1f} {pct(servers, 95):11.1f}")


def pages(index_dir: Path, rounds: int, rng: random.Random) -> dict[str, list[str]]:
    """Paths of each kind of page, made from what the index holds."""
    sample = find("*", index_dir=index_dir, limit=500).hits
    words = [w for h in sample for w in re.findall(r"[a-z]{6,}", h.quote.text.lower())]
    top = speakers(index_dir=index_dir, top=200)
    quotes = [h for h in sample if len(h.quote.text.split()) >= 8]
    q = urllib.parse.quote

    def n(items: list) -> list:
        return [rng.choice(items) for _ in range(rounds)]

    return {
        "search (a word)": [f"/?q={q(w)}" for w in n(words)],
        "search (2 words, page 2)": [f"/?q={q(a + ' ' + b)}&page=2" for a, b in zip(n(words), n(words), strict=True)],
        "search (speaker, date)": [f"/?speaker={q(s.speaker)}&sort=date" for s in n(top[:50])],
        "quotation": [f"/quote/{h.id}" for h in n(quotes)],
        "speaker (top 10)": [f"/speaker/{q(s.speaker)}" for s in n(top[:10])],
        "speaker (top 200)": [f"/speaker/{q(s.speaker)}" for s in n(top)],
        "verify": [f"/verify?claim={q(' '.join(h.quote.text.split()[:14]))}" for h in n(quotes)],
    }


class serving:
    """`quotes serve` in its own process on a free loopback port, for the time of a `with`."""

    def __init__(self, index_dir: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process = subprocess.Popen([sys.executable, "-m", "quotes", "serve", "--port", str(self.port),
                                         "--index-dir", str(index_dir)], stderr=subprocess.DEVNULL)

    def __enter__(self) -> str:
        base = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/", timeout=5).close()
                return base
            except OSError:
                time.sleep(0.1)
        raise SystemExit("quotes serve did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def get(base: str, path: str) -> tuple[float, float]:
    """Wall ms of one request and the server's own ms (Server-Timing)."""
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=60) as response:
            response.read()
            header = response.headers.get("Server-Timing", "")
    except urllib.error.HTTPError as e:  # a page that says why (a word no quotation has) is a page too
        e.read()
        header = e.headers.get("Server-Timing", "")
    wall = (time.perf_counter() - began) * 1000
    found = re.search(r"dur=([\d.]+)", header)
    return wall, float(found.group(1)) if found else float("nan")


def pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if p != 50 else statistics.median(values)


if __name__ == "__main__":
    main()
