"""Calibrate and measure `quotes verify`: precision and recall of each verdict on a test set made from an index.

    python tests/bench/verify_bench.py --index-dir /tmp/train-index [--per-kind 60] [--seed 11]

The index is built first where DIR holds none (from ../shared/polnear/train.jsonl, else seeds/). The test
set is made from the quotations it holds (attributed, 8-60 words, one per printed wording):

| kind | claim | speaker named | expected |
|---|---|---|---|
| whole | a quotation's words | half of them, the right one | exact |
| part | 6-12 contiguous words of a longer one | half, the right one | exact |
| swapped | two neighbouring words swapped (two pairs past 20 words) | half, the right one | close |
| dropped | one word left out (two past 20 words) | half, the right one | close |
| changed | a word replaced by a synonym or another word of the corpus (two past 20 words) | half | close |
| paraphrased | three edits of the above and a contraction undone or made | half | close |
| other | a quotation, whole or with one edit, credited to another speaker of the corpus | yes | other_speaker |
| unrelated | a writer's sentence (no quotation mark) of these articles, or another's quotation | no | not_found |

The candidates of every claim are aligned once (`quotes.claims.score_part`); each CLOSE_SIMILARITY
candidate is tried on the first half of the set (calibration) by `quotes.claims.decide`, the verdict
function that `verify` uses, and the table is printed for the second half (held out) at the module's
constant, then checked against `quotes.search.verify` itself on the held-out half.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from quotes import claims
from quotes.search import verify
from quotes.store import Catalog, speaker_key, text_key

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT.parent / "shared" / "polnear" / "train.jsonl"
DEV = ROOT.parent / "shared" / "polnear" / "dev.jsonl"
THRESHOLDS = (0.6, 0.65, 0.7, 0.72, 0.75, 0.78, 0.8, 0.82, 0.85, 0.9)
SYNONYMS = {"big": "large", "large": "big", "great": "good", "good": "great", "very": "really", "really": "very",
            "said": "stated", "think": "believe", "believe": "think", "people": "folks", "country": "nation",
            "nation": "country", "help": "assist", "want": "wish", "going": "planning", "important": "crucial",
            "many": "lots of", "start": "begin", "begin": "start", "end": "finish", "get": "obtain",
            "make": "create", "job": "work", "jobs": "work", "president": "leader", "america": "the us",
            "new": "fresh", "bad": "terrible", "terrible": "awful", "fight": "battle", "need": "require"}
CONTRACTIONS = {"do not": "don't", "it is": "it's", "we are": "we're", "i am": "i'm", "is not": "isn't",
                "they are": "they're", "cannot": "can't", "will not": "won't", "that is": "that's"}
_SENTENCE = re.compile(r"[^.!?\n]{40,300}[.!?]")
_QUOTE_MARK = re.compile("[\"“”‘’']")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--per-kind", type=int, default=60, help="claims of each kind")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path, help="also write the claims and verdicts here")
    args = parser.parse_args()
    if not (args.index_dir / "catalog.sqlite").exists() and not any(args.index_dir.glob("*.sqlite*")):
        source = TRAIN if TRAIN.exists() else ROOT / "seeds"
        subprocess.run([sys.executable, "-m", "quotes", "index", str(source), "--index-dir", str(args.index_dir)],
                       check=True)
    rng = random.Random(args.seed)
    cases = make_cases(args.index_dir, args.per_kind, rng)
    rng.shuffle(cases)
    half = len(cases) // 2
    held_out = cases[half:]  # the first half calibrates
    began = time.perf_counter()
    scored = [(case, claims.score_part(case["claim"], case["speaker"], args.index_dir)) for case in cases]
    per_claim = (time.perf_counter() - began) / len(cases)
    print(f"{len(cases)} claims ({Counter(c['kind'] for c in cases)}); aligning: {per_claim * 1000:.0f} ms a claim")
    print("\ncalibration half: macro F1 of the four verdicts per CLOSE_SIMILARITY")
    for threshold in THRESHOLDS:
        table = confusion([(c, claims.decide(s, k, threshold)[0]) for c, (_, s, k) in scored[:half]])
        print(f"  {threshold:.2f}  macro F1 {macro_f1(table):.3f}")
    print("\nbest similarity per kind (min / median / max), all claims:")
    for kind in sorted({c["kind"] for c in cases}):
        best = sorted(s[0].similarity if s else 0.0 for c, (_, s, _) in scored if c["kind"] == kind)
        print(f"  {kind:12} {best[0]:.2f} / {best[len(best) // 2]:.2f} / {best[-1]:.2f}")
    print(f"\nheld-out half at CLOSE_SIMILARITY = {claims.CLOSE_SIMILARITY}:")
    decided = [(c, claims.decide(s, k, claims.CLOSE_SIMILARITY)[0]) for c, (_, s, k) in scored[half:]]
    print_table(confusion(decided))
    print_kinds(decided)
    began = time.perf_counter()
    through = [(c, verify(c["claim"], c["speaker"], index_dir=args.index_dir).verdict) for c in held_out]
    elapsed = (time.perf_counter() - began) / len(held_out)
    same = sum(a == b for (_, a), (_, b) in zip(decided, through, strict=True))
    print(f"\nquotes.search.verify agrees on {same}/{len(held_out)} held-out claims; {elapsed * 1000:.0f} ms a claim")
    if args.json:
        args.json.write_text("\n".join(json.dumps({**c, "verdict": v}) for c, v in through) + "\n")


def make_cases(index_dir: Path, per_kind: int, rng: random.Random) -> list[dict]:
    with Catalog(index_dir) as catalog:
        records = list(catalog.all_quotes())
        texts = {aq.article_id: catalog.article_text(aq.article_id) for aq in records}
    seen: set[str] = set()
    pool = []
    for aq in records:
        key = text_key(aq.quote.text)
        if aq.quote.speaker and 8 <= len(key.split()) <= 60 and key not in seen:
            seen.add(key)
            pool.append(aq)
    rng.shuffle(pool)
    speakers = sorted({aq.quote.speaker for aq in pool if aq.quote.speaker})
    vocabulary = sorted({w for aq in pool for w in text_key(aq.quote.text).split() if len(w) > 3})
    cases: list[dict] = []
    it = iter(pool)

    def add(kind: str, claim: str, speaker: str | None, expected: str) -> None:
        cases.append({"kind": kind, "claim": claim, "speaker": speaker, "expected": expected})

    for n in range(per_kind):
        named = n % 2 == 0
        aq = next(it)
        add("whole", aq.quote.text, aq.quote.speaker if named else None, "exact")
        aq = next(a for a in it if len(a.quote.text.split()) >= 16)
        words = aq.quote.text.split()
        size = rng.randint(6, 12)
        at = rng.randrange(1, len(words) - size)
        add("part", " ".join(words[at:at + size]), aq.quote.speaker if named else None, "exact")
        for kind in ("swapped", "dropped", "changed", "paraphrased"):
            aq = next(it)
            add(kind, edit(aq.quote.text, kind, rng, vocabulary), aq.quote.speaker if named else None, "close")
        aq = next(it)
        other = rng.choice([s for s in speakers if speaker_key(s) != speaker_key(aq.quote.speaker)
                            and not set(s.split()) & set(aq.quote.speaker.split())])
        claim = aq.quote.text if named else edit(aq.quote.text, rng.choice(("swapped", "dropped", "changed")), rng,
                                                 vocabulary)
        add("other", claim, other, "other_speaker")
    add_unrelated(cases, texts, records, per_kind, rng)
    return cases


def add_unrelated(cases: list[dict], texts: dict[str, str | None], records: list, per_kind: int,
                  rng: random.Random) -> None:
    """Writers' sentences of the indexed articles (no quotation mark) and quotations of unindexed ones."""
    # A quotation the index prints too (whole or as a part of a longer one: wire copy, a letter quoted over
    # paragraphs whose sentences have no marks of their own) is no negative.
    indexed = " \n ".join(text_key(aq.quote.text) for aq in records)
    sentences = sorted({m.group().strip() for t in texts.values() if t for m in _SENTENCE.finditer(t)
                        if not _QUOTE_MARK.search(m.group()) and f" {text_key(m.group())} " not in f" {indexed} "})
    for s in rng.sample(sentences, per_kind // 2):
        cases.append({"kind": "unrelated", "claim": s, "speaker": None, "expected": "not_found"})
    if DEV.exists():
        from quotes import extract

        outside = []
        for line in DEV.read_text().splitlines():
            outside += [q.text for q in extract(json.loads(line)["text"])
                        if len(q.text.split()) >= 8 and f" {text_key(q.text)} " not in f" {indexed} "]
        for s in rng.sample(sorted(set(outside)), per_kind - per_kind // 2):
            cases.append({"kind": "unrelated", "claim": s, "speaker": None, "expected": "not_found"})


def edit(text: str, kind: str, rng: random.Random, vocabulary: list[str]) -> str:
    """The quotation with words swapped, dropped, changed, or all of these (paraphrased)."""
    words = text.split()
    times = 2 if len(words) > 20 else 1
    if kind == "paraphrased":
        for step in ("swapped", "dropped", "changed"):
            words = edit(" ".join(words), step, rng, vocabulary).split()
        joined = " ".join(words)
        for long, short in CONTRACTIONS.items():
            if long in joined.lower() or short in joined.lower():
                joined = re.sub(re.escape(long), short, joined, count=1, flags=re.I) if long in joined.lower() \
                    else re.sub(re.escape(short), long, joined, count=1, flags=re.I)
                break
        return joined
    for _ in range(times):
        i = rng.randrange(1, len(words) - 1)
        if kind == "swapped":
            words[i], words[i + 1] = words[i + 1], words[i]
        elif kind == "dropped":
            del words[i]
        else:
            bare = text_key(words[i])
            words[i] = SYNONYMS.get(bare) or rng.choice(vocabulary)
    return " ".join(words)


def confusion(decided: list[tuple[dict, str]]) -> Counter:
    return Counter((c["expected"], v) for c, v in decided)


def scores(table: Counter, verdict: str) -> tuple[float, float, int, int]:
    predicted = sum(n for (_, v), n in table.items() if v == verdict)
    expected = sum(n for (e, _), n in table.items() if e == verdict)
    right = table[(verdict, verdict)]
    return (right / predicted if predicted else 0.0), (right / expected if expected else 0.0), predicted, expected


def macro_f1(table: Counter) -> float:
    f1s = []
    for verdict in claims.VERDICTS:
        p, r, _, _ = scores(table, verdict)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / len(f1s)


def print_table(table: Counter) -> None:
    print("| verdict | expected | given | precision | recall |")
    print("|---|---:|---:|---:|---:|")
    for verdict in claims.VERDICTS:
        p, r, predicted, expected = scores(table, verdict)
        print(f"| {verdict} | {expected} | {predicted} | {p:.3f} | {r:.3f} |")
    print(f"macro F1 {macro_f1(table):.3f}; confusions: "
          + ", ".join(f"{e}->{v} {n}" for (e, v), n in sorted(table.items()) if e != v))


def print_kinds(decided: list[tuple[dict, str]]) -> None:
    by_kind = Counter((c["kind"], c["expected"] == v) for c, v in decided)
    kinds = sorted({k for k, _ in by_kind})
    print("right per kind: " + ", ".join(f"{k} {by_kind[(k, True)]}/{by_kind[(k, True)] + by_kind[(k, False)]}"
                                         for k in kinds))


if __name__ == "__main__":
    main()
