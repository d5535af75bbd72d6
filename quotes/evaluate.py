"""Measure extraction and attribution against articles whose quotations people annotated.

The gold format is PolNeAR's as shipped with this project (one JSON object per line): `text` and
`attributions`, each `{"source": [[s, e]...], "content": [[s, e]...], "direct": bool, "source_text"}`.
Only attributions whose content holds a quotation mark (`direct`) are expected. The definitions follow
the shared scorer so that figures agree:

- a predicted quotation *matches* the gold attribution holding the most of its characters, if that is at
  least half of them; extraction precision = matched / predicted, recall = gold found / gold;
- its *speaker is right* when the mention overlaps the gold source, or when the last word of the
  predicted speaker ("Altman" of "Sam Altman") is a capitalised word of the gold source;
- speaker accuracy = right / matched (over gold attributions that have a source);
- end-to-end precision = right / predicted, recall = gold attributed right / gold with a source.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quotes.model import Quote, QuotesError
from quotes.pipeline import extract

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "his", "her", "their"}
_WORD = re.compile(r"[\w'’.-]+")
# Confidence bands of the report: [low, high) for each.
BANDS = ((0.0, 0.01), (0.01, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 0.95), (0.95, 1.01))


class GoldError(QuotesError):
    """A gold file that cannot be read."""


@dataclass
class Evaluation:
    """The figures of one evaluation run; `rules` and `bands` map a name to (right, matched)."""

    articles: int = 0
    gold_quotes: int = 0
    predicted: int = 0
    matched: int = 0
    gold_found: int = 0
    gold_with_source: int = 0
    matched_with_source: int = 0
    right: int = 0
    gold_right: int = 0
    seconds: float = 0.0
    chars: int = 0
    rules: Counter[tuple[str, bool]] = field(default_factory=Counter)
    bands: Counter[tuple[str, bool]] = field(default_factory=Counter)

    def metrics(self) -> dict[str, Any]:
        def f1(p: float, r: float) -> float:
            return round(2 * p * r / (p + r), 4) if p + r else 0.0

        p, r = ratio(self.matched, self.predicted), ratio(self.gold_found, self.gold_quotes)
        ep, er = ratio(self.right, self.predicted), ratio(self.gold_right, self.gold_with_source)
        return {
            "articles": self.articles, "gold_quotes": self.gold_quotes, "predicted": self.predicted,
            "extraction_precision": p, "extraction_recall": r, "extraction_f1": f1(p, r),
            "speaker_accuracy": ratio(self.right, self.matched_with_source),
            "e2e_precision": ep, "e2e_recall": er, "e2e_f1": f1(ep, er),
            "articles_per_s": round(self.articles / self.seconds, 1) if self.seconds else None,
        }

    def table(self, key: str) -> list[tuple[str, int, float]]:
        """(name, matched quotations with a gold source, share whose speaker is right) per rule or band."""
        counts = self.rules if key == "rules" else self.bands
        names = sorted({name for name, _ in counts}, key=lambda n: -(counts[(n, True)] + counts[(n, False)]))
        if key == "bands":
            names = [_band_name(b) for b in BANDS if _band_name(b) in names]
        rows = []
        for name in names:
            n = counts[(name, True)] + counts[(name, False)]
            rows.append((name, n, round(counts[(name, True)] / n, 3) if n else 0.0))
        return rows


def ratio(a: int, b: int) -> float:
    """a / b to four places; 0.0 when there is nothing to divide by."""
    return round(a / b, 4) if b else 0.0


def _band_name(band: tuple[float, float]) -> str:
    low, high = band
    return f"{low:.2f}-{min(high, 1.0):.2f}"


def _overlap(a: tuple[int, int], b: Iterable[int]) -> int:
    b0, b1 = b
    return max(0, min(a[1], b1) - max(a[0], b0))


def _words(text: str) -> list[str]:
    return [re.sub(r"(['’]s?|\.)$", "", w).lower() for w in _WORD.findall(text)]


def speaker_right(quote: Quote, gold: dict[str, Any]) -> bool:
    """Whether a matched quotation's speaker is the gold source (see the module's definitions)."""
    if quote.speaker_start is not None and quote.speaker_end is not None:
        if any(_overlap((quote.speaker_start, quote.speaker_end), s) > 0 for s in gold["source"]):
            return True
    predicted = _words(quote.speaker or "")
    source = gold.get("source_text") or ""
    capitalised = {w for w, raw in zip(_words(source), _WORD.findall(source), strict=False)
                   if raw[:1].isupper() and w not in _PRONOUNS}
    return bool(predicted) and predicted[-1] in capitalised


def read_gold(path: str | Path) -> Iterable[dict[str, Any]]:
    p = Path(path)
    if not p.is_file():
        raise GoldError(f"no gold file at {p}: give a JSON Lines file of annotated articles")
    with p.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                article = json.loads(line)
            except json.JSONDecodeError as e:
                problem: str | None = f"malformed JSON: {e}"
            else:
                problem = _gold_problem(article)
            if problem:
                raise GoldError(f"{p}:{n}: not a gold article ({problem}): each line needs `text` and "
                                "`attributions` as PolNeAR's gold files have them")
            yield article


def _gold_problem(article: Any) -> str | None:
    """What keeps a decoded line from being a gold article that `evaluate` can read, or None."""
    if not isinstance(article, dict):
        return f"a JSON object a line, not {'an array' if isinstance(article, list) else type(article).__name__}"
    for key, kind, name in (("text", str, "a string"), ("attributions", list, "a list")):
        if key not in article:
            return f'no "{key}"'
        if not isinstance(article[key], kind):
            return f'"{key}" must be {name}'
    for i, gold in enumerate(article["attributions"], 1):
        if not isinstance(gold, dict):
            return f"attribution {i} must be an object"
        for key in ("content", "source"):
            required = key == "content" and gold.get("direct")
            if (required or gold.get(key) is not None) and not _spans(gold.get(key)):
                return f'attribution {i}: "{key}" must be a list of [start, end] spans'
    return None


def _spans(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s) for s in value)


def evaluate(path: str | Path, limit: int | None = None) -> Evaluation:
    """Run `quotes.extract` on every article of a gold file and compare with the annotations."""
    ev = Evaluation()
    for article in read_gold(path):
        if limit is not None and ev.articles >= limit:
            break
        ev.articles += 1
        text = article["text"]
        ev.chars += len(text)
        t0 = time.perf_counter()
        predicted = extract(text)
        ev.seconds += time.perf_counter() - t0
        gold = [g for g in article["attributions"] if g.get("direct")]
        ev.gold_quotes += len(gold)
        ev.gold_with_source += sum(1 for g in gold if g.get("source"))
        ev.predicted += len(predicted)
        found: set[int] = set()
        right: set[int] = set()
        for q in predicted:
            best, best_overlap = None, 0
            for i, g in enumerate(gold):
                o = sum(_overlap((q.start, q.end), c) for c in g["content"])
                if o > best_overlap:
                    best, best_overlap = i, o
            if best is None or best_overlap * 2 < max(1, q.end - q.start):
                continue
            ev.matched += 1
            found.add(best)
            if gold[best].get("source"):
                ev.matched_with_source += 1
                ok = speaker_right(q, gold[best])
                ev.right += ok
                if ok:
                    right.add(best)
                ev.rules[(q.rule, ok)] += 1
                band = next(b for b in BANDS if b[0] <= q.confidence < b[1])
                ev.bands[(_band_name(band), ok)] += 1
        ev.gold_found += len(found)
        ev.gold_right += len(right)
    if not ev.articles:
        raise GoldError(f"no gold article in {path}: it is empty; give a JSON Lines file of annotated articles")
    return ev
