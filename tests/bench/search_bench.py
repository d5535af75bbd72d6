"""Search speed on an index of at least 100,000 quotations (a benchmark, never a timed test).

    python tests/bench/search_bench.py [--quotes 100000] [--index-dir DIR] [--queries 60] [--source GOLD.jsonl]

Builds an index (unless DIR already holds one of the size asked) from real quotations repeated as new
articles, and the same quotations in an SQLite FTS5 table (stdlib sqlite3, porter stemmer, bm25), then
times the same queries on both, interleaved: rare words, common words (thousands of matches), phrases,
two words ANDed, fuzzy words and filtered searches, through the Python API (`quotes.search.find`: the
page of hits with their quotations, highlights and total) against FTS5's ten best with a highlight and
an exact count. It prints p50/p95 per kind with the ratio, and the wall time of `quotes search` in a new
process against `python -c pass`.

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
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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


# A query of the workload: its kind, the query string and `find`'s keyword arguments.
Query = tuple[str, str, dict[str, Any]]


def workload(path: Path, n: int) -> list[Query]:
    """n queries of each kind, made from words, speakers and dates of the index itself.

    Words are drawn from the vocabulary (six letters or more), so most are rarer than "election"; common
    words are among the 100 most frequent of four letters or more (thousands of matches each); `and` is
    two words of one quotation, the commonest of its words and another; a filtered query is a word of one
    quotation of a much-quoted speaker, with that speaker's surname, the month it was published, its kind
    and newest first, so that it finds something.
    """
    rng = random.Random(7)
    with Catalog(path) as catalog:
        records = [r for r, _ in zip(catalog.all_quotes(), range(20000), strict=False)]
        top = {s.speaker for s in catalog.speakers(top=30)}
    texts = [r.quote.text for r in records]
    counts = Counter(w.strip(PUNCT).lower() for t in texts for w in t.split() if w.strip(PUNCT).isalpha())
    common = [w for w, _ in counts.most_common(300) if len(w) >= 4 and w not in STOP_WORDS][:100]
    words = sorted(w for w in counts if len(w) >= 6)
    phrases = []
    for t in rng.sample(texts, 4 * n):
        ws = [w.strip(PUNCT) for w in t.split()]
        ws = [w for w in ws if len(w) >= 4 and w.isalpha()]
        if len(ws) >= 2:
            phrases.append(f'"{ws[0]} {ws[1]}"')
    picked = rng.sample(words, 3 * n)
    pairs = []  # two words of one quotation: its most common word (of four letters or more) and another
    for t in rng.sample(texts, 4 * n):
        ws = sorted({w.strip(PUNCT).lower() for w in t.split() if len(w.strip(PUNCT)) >= 4
                     and w.strip(PUNCT).isalpha() and w.strip(PUNCT).lower() not in STOP_WORDS},
                    key=lambda w: (-counts[w], w))
        if len(ws) >= 2 and len(pairs) < n:
            pairs.append(f"{ws[0]} {rng.choice(ws[1:])}")
    filtered = []
    for r in rng.sample([r for r in records if r.quote.speaker in top and r.published], 4 * n):
        ws = [w for w in (w.strip(PUNCT) for w in r.quote.text.split()) if len(w) >= 6 and w.isalpha()]
        if ws and len(filtered) < n:
            month = (r.published or "")[:7]
            filtered.append(("filtered", rng.choice(ws), {
                "speaker": (r.quote.speaker or "").split()[-1], "since": month, "until": month,
                "kind": r.quote.kind, "sort": "date"}))
    return [
        *[("word", w, {}) for w in picked[:n]],
        *[("common", rng.choice(common), {}) for _ in range(n)],
        *[("phrase", p, {}) for p in phrases[:n]],
        *[("and", pair, {}) for pair in pairs],
        *[("fuzzy", w[:-2] + w[-1] + "~", {}) for w in picked[2 * n:3 * n]],  # one letter dropped
        *filtered,
    ]


PUNCT = ".,;:!?\"'()"
# Left out of the common words: the stop words whoosh's analyzer drops (and FTS5 would match).
STOP_WORDS = {"that", "this", "with", "from", "have", "they", "will", "your", "when", "what", "been",
              "were", "them", "then", "than", "into", "their", "there", "these", "those", "would", "about",
              "which", "could", "should", "because", "while", "some", "only", "also", "more", "just", "other"}


class Fts5:
    """The same quotations in an SQLite FTS5 table (porter stemmer), answering the same queries: the ten
    best by bm25 (speaker's name weighted 0.5, as FIELD_BOOSTS) with the quotation highlighted, and an
    exact count of the matches."""

    def __init__(self, path: Path, index_dir: Path) -> None:
        self.db = sqlite3.connect(path)
        if not self.db.execute("SELECT name FROM sqlite_master WHERE name = 'fts'").fetchone():
            began = time.perf_counter()
            self.db.execute("CREATE VIRTUAL TABLE fts USING fts5(text, speaker, published UNINDEXED, "
                            "kind UNINDEXED, tokenize = 'porter unicode61')")
            with Catalog(index_dir) as catalog:
                self.db.executemany("INSERT INTO fts VALUES (?, ?, ?, ?)", (
                    (r.quote.text, r.quote.speaker or "", r.published or "", r.quote.kind)
                    for r in catalog.all_quotes()))
            self.db.commit()
            print(f"FTS5: {path} built in {time.perf_counter() - began:.0f}s")

    def search(self, match: str, where: str = "", args: tuple[Any, ...] = (), order: str = "score") -> int:
        rows = self.db.execute(
            "SELECT rowid, highlight(fts, 0, '«', '»'), bm25(fts, 1.0, 0.5) AS score FROM fts "
            f"WHERE fts MATCH ? {where} ORDER BY {order} LIMIT 10", (match, *args)).fetchall()
        (total,) = self.db.execute(f"SELECT count(*) FROM fts WHERE fts MATCH ? {where}", (match, *args)).fetchone()
        assert len(rows) <= 10
        return int(total)


def fts_call(fts: Fts5, index_dir: Path, query: Query) -> Callable[[], int] | None:
    """The FTS5 form of a query of the workload (None where it has none: a fuzzy word matching nothing).

    FTS5 has no fuzzy words: it is given the words our index expands one to, found before the timing.
    """
    kind, text, kw = query
    quoted = lambda w: '"' + w.replace('"', "") + '"'  # noqa: E731
    if kind == "phrase":
        return lambda: fts.search(text)
    if kind == "fuzzy":
        try:
            from quotes.index.whoosh.parsing import expand_fuzzy, parse
            from quotes.index.whoosh.reading import open_index
        except ImportError:  # the code before #10 (quotes/index.py), to measure it
            expand_fuzzy, parse, open_index = index._expand_fuzzy, index.parse, index._open  # type: ignore[attr-defined]
        terms = {t.text for t in expand_fuzzy(parse(text), open_index(index_dir)).leaves()
                 if hasattr(t, "text")}
        return (lambda: fts.search(" OR ".join(quoted(t) for t in sorted(terms)))) if terms else None
    match = " AND ".join(quoted(w) for w in text.split())
    if kind == "filtered":
        match = f"{match} AND speaker : {quoted(kw['speaker'])}"
        return lambda: fts.search(match, "AND published BETWEEN ? AND ? AND kind = ?",
                                  (kw["since"], kw["until"] + "~", kw["kind"]), order="published DESC, score")
    return lambda: fts.search(match)


def cli_walls(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall times of `python -m quotes search` (the code of this worktree) in a new process and of
    `python -c pass`, interleaved."""
    search = [sys.executable, "-m", "quotes"]
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(runs):
        for argv, times in ((search + ["search", "election", "--index-dir", str(path)], ours),
                            ([sys.executable, "-c", "pass"], bare)):
            began = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - began)
    return ours, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000, help="quotations to index (default 100000)")
    parser.add_argument("--index-dir", type=Path, help="keep the index here (reused if it is big enough)")
    parser.add_argument("--queries", type=int, default=60, help="queries of each kind (default 60)")
    parser.add_argument("--source", type=Path, default=POLNEAR, help="gold articles (else seeds/)")
    parser.add_argument("--cli-runs", type=int, default=10, help="runs of the command line (default 10)")
    args = parser.parse_args()
    path = args.index_dir or Path(tempfile.mkdtemp(prefix="quotes-bench-")) / "index"
    source = args.source.name if args.source.exists() else "seeds/"
    if index.is_current(path) and index.doc_count(path) >= args.quotes:
        print(f"index: {path} ({index.doc_count(path)} quotations, reused)")
    else:
        n, seconds = build(path, args.quotes, args.source)
        print(f"index: {path}: {n} quotations from {source} built in {seconds:.0f}s")
    fts = Fts5(path.parent / f"{path.name}-fts5.sqlite3", path)
    queries = workload(path, args.queries)
    ours: dict[str, list[float]] = defaultdict(list)
    theirs: dict[str, list[float]] = defaultdict(list)
    totals: dict[str, list[tuple[int, int]]] = defaultdict(list)
    find("election", index_dir=path)  # open the index once: the first search of a process pays for it
    for i, query in enumerate(queries):
        kind, text, kw = query
        other = fts_call(fts, path, query)
        if other is None:
            continue
        runs = [(lambda text=text, kw=kw: find(text, index_dir=path, **kw).total, ours[kind]), (other, theirs[kind])]
        got = []
        for call, times in runs if i % 2 else runs[::-1]:  # interleaved, each side first in turn
            began = time.perf_counter()
            got.append(call())
            times.append((time.perf_counter() - began) * 1000)
        totals[kind].append((got[0], got[1]) if i % 2 else (got[1], got[0]))
    print(f"{'query':<10}{'n':>4}{'ours p50':>10}{'p95':>8}{'FTS5 p50':>10}{'p95':>8}{'p95 ratio':>11}"
          f"{'hits ours':>11}{'FTS5':>8}")
    for kind in ours:
        mine, other = ours[kind], theirs[kind]
        print(f"{kind:<10}{len(mine):>4}{percentile(mine, 50):>10.1f}{percentile(mine, 95):>8.1f}"
              f"{percentile(other, 50):>10.1f}{percentile(other, 95):>8.1f}"
              f"{percentile(mine, 95) / percentile(other, 95):>10.2f}x"
              f"{statistics.median(t[0] for t in totals[kind]):>11.0f}"
              f"{statistics.median(t[1] for t in totals[kind]):>8.0f}")
    walls, bare = cli_walls(path, args.cli_runs)
    print(f"CLI `quotes search election` in a new process: median {statistics.median(walls) * 1000:.0f} ms, "
          f"`python -c pass` {statistics.median(bare) * 1000:.0f} ms: "
          f"{statistics.median(walls) / statistics.median(bare):.1f}x over {len(walls)} runs each")


if __name__ == "__main__":
    main()
