"""Extraction time against an article's length, up to the size cap: is `quotes.extract` linear?

    python tests/bench/extract_curve.py [--lengths 3000 12000 48000 200000] [--rounds 3] [--shapes short tweets]

Run from the project root (`PYTHONPATH=OTHER_CHECKOUT python tests/bench/extract_curve.py` times another
version of the code). Each shape is an article made of one pattern repeated up to each length, the worst
cases a feed can send: many short quotations in one sentence, line or paragraph. Every (shape, length) is
timed once per round, the rounds interleaved so that the machine's load falls on all alike, and the median
is printed with the time per 1,000 characters, then the ratio of the 48,000-character article to its
12,000-character quarter (linear: 4x; the goal is at most 6x). docs/benchmarks.md keeps the figures.
"""

from __future__ import annotations

import argparse
import statistics
import time

import quotes
from quotes.articles import MAX_ARTICLE_CHARS

# One unit of each article, repeated ({i} numbers the units so that no two are the same words).
SHAPES = {
    "short": '"a" ',  # one sentence of 1-letter quotations: every one is a fragment asked about its sentence
    "tweets": '"This is tweet number {i} today." ',  # quoted sentences one after another, one paragraph
    "lines": '"This is tweet number {i} today."\n',  # the same, one a line
    "paragraphs": '"This is tweet number {i} today."\n\n',  # one a paragraph
    "said": 'Trump tweeted "a great day {i}." ',  # each with its cue before
    "credited": '"A great day {i}," Trump said. ',  # each with its cue after
    "run-on": 'Trump tweeted "a" and ',  # one sentence of cues and quotations
}
DEFAULT_LENGTHS = [3_000, 12_000, 48_000, MAX_ARTICLE_CHARS]


def article(shape: str, length: int) -> str:
    unit, parts, total, i = SHAPES[shape], [], 0, 0
    while total < length:
        part = unit.format(i=i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)[:length]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=DEFAULT_LENGTHS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    args = parser.parse_args()
    texts = {(s, n): article(s, n) for s in args.shapes for n in args.lengths}
    quotes.extract(texts[args.shapes[0], args.lengths[0]])  # loads the sentence tables
    times: dict[tuple[str, int], list[float]] = {key: [] for key in texts}
    found: dict[tuple[str, int], int] = {}
    for _ in range(args.rounds):
        for key, text in texts.items():
            began = time.perf_counter()
            found[key] = len(quotes.extract(text))
            times[key].append(time.perf_counter() - began)
    print(f"{'shape':<11} {'chars':>8} {'quotes':>7} {'median s':>9} {'ms/1,000 chars':>15}")
    for (shape, n), ts in times.items():
        s = statistics.median(ts)
        print(f"{shape:<11} {n:>8,} {found[shape, n]:>7,} {s:>9.3f} {1000 * s / n * 1000:>15.2f}")
    if 12_000 in args.lengths and 48_000 in args.lengths:
        print("\n48,000 / 12,000 characters (linear: 4x, goal: at most 6x):")
        for shape in args.shapes:
            ratio = statistics.median(times[shape, 48_000]) / statistics.median(times[shape, 12_000])
            print(f"  {shape:<11} {ratio:.1f}x")


if __name__ == "__main__":
    main()
