"""Search speed on an index of at least 100,000 quotations (a benchmark, never a timed test).

    python tests/bench/search_bench.py [--quotes 100000] [--index-dir DIR] [--queries 60] [--source GOLD.jsonl]

Builds an index (unless DIR already holds one of the size asked) from real quotations repeated as new
articles, then prints the p50/p95 latency of word, phrase, fuzzy and filtered queries through the Python
API (`quotes.search.find`, goal: p95 <= 10 ms) and the wall time of `quotes search` in a new process
(goal: <= 0.3 s).

The quotations come from ../shared/polnear/train.jsonl (the annotated attributions of 840 news articles of
2015-2016: quoted words, the name or pronoun they are attributed to) where it exists, else from the
quotes that `quotes.extract` finds in seeds/. Copy 0 of each article keeps its quotations as they are;
later copies are new articles (new id, a later date) whose quotations have their words shuffled, so the
index holds 100,000 different quotations with real words, except that every tenth quotation is printed
again unchanged, as wire copy is. Building goes through the catalog and `quotes.index.build`, as
`quotes index` does after extraction.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quotes import index  # noqa: E402
from quotes.model import Article, Quote  # noqa: E402
from quotes.search import find  # noqa: E402
from quotes.store import Catalog  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "polnear" / "train.jsonl"
SEEDS = ROOT / "seeds"
WIRE_EVERY = 10  # every tenth quotation of a copy is printed unchanged: the dedupe has work to do
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "who", "his", "her", "which", "that"}
TITLES = {"mr.", "mrs.", "ms.", "dr.", "sen.", "gov.", "rep.", "president"}

Source = tuple[str, str | None, str | None, str, list[tuple[str, str | None, str | None, str]]]
# (article id, publisher, date, title, [(quoted text, speaker, mention, kind)])


def polnear_articles(path: Path) -> list[Source]:
    """The annotated attributions of each article: a name is the speaker, a pronoun the last name before."""
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    full: dict[str, Counter[str]] = {}  # surname -> full names seen
    for r in rows:
        for a in r["attributions"]:
            words = [w for w in a["source_text"].split() if w.lower() not in TITLES]
            if len(words) >= 2 and all(w[:1].isupper() for w in words):
                full.setdefault(words[-1], Counter())[" ".join(words)] += 1
    articles = []
    for r in rows:
        last = None
        found = []
        for a in r["attributions"]:
            mention = a["source_text"] or None
            words = [w for w in (mention or "").split() if w.lower() not in TITLES]
            if words and all(w[:1].isupper() for w in words) and words[0].lower() not in PRONOUNS:
                speaker = " ".join(words)
                if len(words) == 1 and words[0] in full:
                    speaker = full[words[0]].most_common(1)[0][0]
                last = speaker
            elif mention and mention.lower() in PRONOUNS:
                speaker = last
            else:
                speaker = None
            text = " ".join(a["content_text"].split())
            if text:
                found.append((text, speaker, mention, "direct" if a["direct"] else "partial"))
        articles.append((r["id"], r.get("publisher"), r.get("date"), r.get("title") or r["id"], found))
    return articles


def seed_articles() -> list[Source]:
    import quotes

    articles = []
    for p in sorted(SEEDS.glob("*.txt")):
        found = [(q.text, q.speaker, q.speaker_mention, q.kind) for q in quotes.extract(p.read_text("utf-8"))]
        articles.append((p.stem, "Seed Times", "2025-02-04", p.stem, found))
    return articles


def generate(sources: list[Source], wanted: int) -> Iterator[tuple[Article, list[Quote]]]:
    """Copies of the source articles, with consistent text and offsets, until `wanted` quotations."""
    rng = random.Random(4)
    made = 0
    copy = 0
    while made < wanted:
        for article_id, publisher, published, title, found in sources:
            parts, quotes_ = [], []
            offset = 0
            for i, (text, speaker, mention, kind) in enumerate(found):
                if copy and i % WIRE_EVERY:
                    words = text.split()
                    rng.shuffle(words)
                    text = " ".join(words)
                paragraph = f'"{text}," {mention or "someone"} said.'
                start = offset + 1
                quotes_.append(Quote(text, start, start + len(text), speaker, mention, None, None, "said", kind,
                                     "bench", 0.9))
                parts.append(paragraph)
                offset += len(paragraph) + 2
            day = date.fromisoformat(published) if published else date(2016, 1, 1)
            day += timedelta(days=7 * copy)
            yield (Article(f"{article_id}#{copy}", "\n\n".join(parts), title=title, publisher=publisher,
                           published=day.isoformat()), quotes_)
            made += len(quotes_)
            if made >= wanted:
                return
        copy += 1


def build(path: Path, wanted: int, source: Path) -> tuple[int, float]:
    sources = polnear_articles(source) if source.exists() else seed_articles()
    began = time.perf_counter()
    with Catalog(path, create=True) as catalog:
        for article, found in generate(sources, wanted):
            catalog.upsert_article(article, found)
        # One writer, one segment: a multi-process build (`quotes index --workers`) leaves a segment per
        # process until later commits merge them, and two segments made fuzzy words 2x slower here.
        n = index.build(path, catalog.all_quotes())
    return n, time.perf_counter() - began


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def workload(path: Path, n: int) -> dict[str, list[Callable[[], object]]]:
    """n queries of each kind, made from words, speakers and dates of the index itself.

    Words are drawn from the vocabulary (six letters or more), so most are rarer than "election"; a
    filtered query is a word of one quotation of a much-quoted speaker, with that speaker's surname, the
    month it was published, its kind and newest first, so that it finds something.
    """
    rng = random.Random(7)
    with Catalog(path) as catalog:
        records = [r for r, _ in zip(catalog.all_quotes(), range(20000), strict=False)]
        top = {s.speaker for s in catalog.speakers(top=30)}
    texts = [r.quote.text for r in records]
    words = sorted({w.strip(".,;:!?\"'()").lower() for t in texts for w in t.split()
                    if len(w.strip(".,;:!?\"'()")) >= 6 and w.strip(".,;:!?\"'()").isalpha()})
    phrases = []
    for t in rng.sample(texts, 4 * n):
        ws = [w.strip(".,;:!?\"'()") for w in t.split()]
        ws = [w for w in ws if len(w) >= 4 and w.isalpha()]
        if len(ws) >= 2:
            phrases.append(f'"{ws[0]} {ws[1]}"')
    picked = rng.sample(words, 2 * n)
    filtered = []
    for r in rng.sample([r for r in records if r.quote.speaker in top and r.published], 4 * n):
        ws = [w for w in (w.strip(".,;:!?\"'()") for w in r.quote.text.split()) if len(w) >= 6 and w.isalpha()]
        if ws and len(filtered) < n:
            month = (r.published or "")[:7]
            filtered.append((rng.choice(ws), {"speaker": (r.quote.speaker or "").split()[-1], "since": month,
                                              "until": month, "kind": r.quote.kind, "sort": "date"}))

    def run(q: str, **kw: object) -> Callable[[], object]:
        return lambda: find(q, index_dir=path, **kw)

    return {
        "word": [run(w) for w in picked[:n]],
        "phrase": [run(p) for p in phrases[:n]],
        "fuzzy": [run(w[:-2] + w[-1] + "~") for w in picked[n:2 * n]],  # one letter dropped
        "filtered": [run(w, **kw) for w, kw in filtered],
    }


def cli_wall(path: Path, runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "quotes", "search", "election", "--index-dir", str(path)],
                       check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000, help="quotations to index (default 100000)")
    parser.add_argument("--index-dir", type=Path, help="keep the index here (reused if it is big enough)")
    parser.add_argument("--queries", type=int, default=60, help="queries of each kind (default 60)")
    parser.add_argument("--source", type=Path, default=POLNEAR, help="gold articles (else seeds/)")
    args = parser.parse_args()
    path = args.index_dir or Path(tempfile.mkdtemp(prefix="quotes-bench-")) / "index"
    source = args.source.name if args.source.exists() else "seeds/"
    if index.is_current(path) and index.doc_count(path) >= args.quotes:
        print(f"index: {path} ({index.doc_count(path)} quotations, reused)")
    else:
        n, seconds = build(path, args.quotes, args.source)
        print(f"index: {path}: {n} quotations from {source} built in {seconds:.0f}s")
    queries = workload(path, args.queries)
    print(f"{'query':<10}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'hits (median)':>15}")
    for kind, calls in queries.items():
        calls[0]()  # open the index once: the first search of a process pays for it
        times, totals = [], []
        for call in calls:
            began = time.perf_counter()
            results = call()
            times.append((time.perf_counter() - began) * 1000)
            totals.append(results.total)  # type: ignore[attr-defined]
        print(f"{kind:<10}{len(times):>5}{percentile(times, 50):>9.1f}{percentile(times, 95):>9.1f}"
              f"{max(times):>9.1f}{statistics.median(totals):>15.0f}")
    walls = cli_wall(path)
    print(f"CLI `quotes search election` in a new process: median {statistics.median(walls):.2f}s, "
          f"min {min(walls):.2f}s over {len(walls)} runs")


if __name__ == "__main__":
    main()
