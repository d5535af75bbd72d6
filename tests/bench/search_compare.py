"""Answers of many searches, saved and compared: a change for speed must not change what a search finds.

    python tests/bench/search_compare.py --index-dir DIR --save before.json
    python tests/bench/search_compare.py --index-dir DIR --against before.json

Run it on a benchmark index (tests/bench/search_bench.py --index-dir DIR) with the code before a change
(`--save`), then with the code after it (`--against`): it prints every query whose answer differs (hits,
scores to the last bit, order, totals, highlights, occurrences, suggestions) and exits 1 if any does; a
total above 10,000 saved before matches "more than 10000" after (totals are exact up to 10,000, #10).
The queries are drawn from the index itself: words rare and common, phrases of two to five words (stop
words inside), names as phrases, fuzzy words, prefixes, operators, filters, sorting by date, second pages
and counts of speakers.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quotes.search import find, speakers  # noqa: E402
from quotes.store import Catalog  # noqa: E402

PUNCT = ".,;:!?\"'()"
CAP = 10_000  # quotes.index.EXACT_TOTAL_UP_TO: totals beyond it may be "more than" it


def queries(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(query, keyword arguments of `find`) pairs; a "speakers" keyword asks `speakers` instead."""
    rng = random.Random(11)
    with Catalog(path) as catalog:
        records = [r for r, _ in zip(catalog.all_quotes(), range(30000), strict=False)]
        top = [s.speaker for s in catalog.speakers(top=30)]
    texts = [r.quote.text for r in records]
    counts = Counter(w.strip(PUNCT).lower() for t in texts for w in t.split() if w.strip(PUNCT).isalpha())
    common = [w for w, _ in counts.most_common(200) if len(w) >= 4][:40]
    words = sorted(w for w in counts if len(w) >= 5)
    out: list[tuple[str, dict[str, Any]]] = []
    out += [(w, {}) for w in common[:20] + rng.sample(words, 40)]
    for size, n in ((2, 60), (3, 30), (4, 15), (5, 10)):  # phrases as printed, stop words kept
        for t in rng.sample(texts, n):
            ws = [w.strip(PUNCT) for w in t.split()]
            ws = [w for w in ws if w and w.replace("'", "").isalpha()]
            if len(ws) >= size:
                i = rng.randrange(len(ws) - size + 1)
                out.append(('"' + " ".join(ws[i:i + size]) + '"', {}))
    for a, b in zip(common[::2], common[1::2], strict=False):  # two common words
        out += [(f'"{a} {b}"', {}), (f'"{b} {a}"', {})]
    out += [(f'"{p}"', {}) for p in ("would Trump", "Hillary Clinton", "United States", "White House",
                                      "the American people", "going to be", "I think", "we have to",
                                      "Donald Trump said", "do not", "Clinton Clinton")]
    names = [s for s in top if s and " " in s]
    out += [(f'speaker:"{s}"', {}) for s in names[:10]] + [(f'"{s}"', {}) for s in names[:10]]
    out += [(w[:-2] + w[-1] + "~", {}) for w in rng.sample(words, 30)]
    out += [(w[:4] + "*", {}) for w in rng.sample(words, 15)]
    for _ in range(15):
        a, b = rng.sample(words, 2)
        c, d = rng.sample(common, 2)
        out += [(f"{c} {a}", {}), (f"{a} OR {c}", {}), (f"{c} NOT {d}", {})]
    for _ in range(15):
        t = rng.choice(texts).split()
        i = rng.randrange(max(1, len(t) - 1))
        phrase = " ".join(w.strip(PUNCT) for w in t[i:i + 2])
        out += [(f'"{phrase}" {rng.choice(common)}', {}), (f'"{phrase}" OR "{rng.choice(common)} '
                                                           f'{rng.choice(common)}"', {})]
    for r in rng.sample([r for r in records if r.quote.speaker in top and r.published], 40):
        ws = [w.strip(PUNCT) for w in r.quote.text.split() if len(w.strip(PUNCT)) >= 5 and w.strip(PUNCT).isalpha()]
        if not ws:
            continue
        surname, month = (r.quote.speaker or "").split()[-1], (r.published or "")[:7]
        word = rng.choice(ws)
        out += [(word, {"speaker": surname}), (word, {"since": month, "until": month, "kind": r.quote.kind}),
                (word, {"speaker": surname, "since": month, "until": month, "kind": r.quote.kind, "sort": "date"}),
                (f'"{ws[0]} {ws[-1]}"', {"speaker": surname})]
    out += [(w, {"sort": "date"}) for w in common[:10]] + [(w, {"page": 2}) for w in common[10:20]]
    out += [(f'"{a} {b}"', {"page": 2}) for a, b in zip(common[:10], common[10:20], strict=False)]
    out += [(w, {"speakers": True}) for w in common[:5]] + [(f'"{a} {b}"', {"speakers": True})
                                                            for a, b in zip(common[:5], common[5:10], strict=False)]
    out += [(w[:3] + w[4:], {}) for w in rng.sample(words, 10)]  # misspelt: suggestions
    return out


def answer(path: Path, q: str, kw: dict[str, Any]) -> Any:
    kw = dict(kw)
    if kw.pop("speakers", False):
        return [(s.speaker, s.count) for s in speakers(q, index_dir=path)]
    r = find(q, index_dir=path, **kw)
    total: int | str = r.total if getattr(r, "total_exact", True) else f"more than {r.total}"
    return {"total": total, "suggestion": r.suggestion, "corrected": r.corrected,
            "hits": [[h.id, repr(h.score), h.highlights, [o.quote_id for o in h.occurrences]] for h in r.hits]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the answers here")
    group.add_argument("--against", type=Path, help="compare the answers with those saved here")
    args = parser.parse_args()
    asked = queries(args.index_dir)
    key: Callable[[str, dict[str, Any]], str] = lambda q, kw: json.dumps([q, kw], sort_keys=True)  # noqa: E731
    answers = {key(q, kw): answer(args.index_dir, q, kw) for q, kw in asked}
    if args.save:
        args.save.write_text(json.dumps(answers, indent=0), encoding="utf-8")
        print(f"{len(answers)} answers saved to {args.save}")
        return
    saved = json.loads(args.against.read_text(encoding="utf-8"))
    for k, before in saved.items():  # totals beyond EXACT_TOTAL_UP_TO are "more than" it, when not counted
        after = answers.get(k)
        if isinstance(before, dict) and isinstance(after, dict) and after["total"] == f"more than {CAP}" and (
                isinstance(before["total"], int) and before["total"] > CAP):
            before["total"] = after["total"]
    differ = [k for k in answers if json.loads(json.dumps(answers[k])) != saved.get(k)]
    for k in differ:
        print(f"differs: {k}\n  before: {json.dumps(saved.get(k))[:600]}\n  after:  {json.dumps(answers[k])[:600]}")
    print(f"{len(answers) - len(differ)} of {len(answers)} answers as before")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
