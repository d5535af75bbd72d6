"""How often a person (or a topic) was quoted, period by period.

`timeline(query, speaker=..., by="month")` counts the quotations that answer a query (or all of one
speaker's), each once, in the period of its first printing: a quotation that several articles print
(wire copy, follow-ups) counts once, at the earliest date any of them gives. Every period from the first
to the last is a bucket, the empty ones too, so a chart of the buckets shows the gaps; quotations no
article dates are counted apart (`undated`, and a last row "undated" where they are printed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from quotes import search
from quotes.model import QuotesError
from quotes.paths import resolve_index_dir
from quotes.store import Catalog

PERIODS = ("day", "week", "month", "year")
UNDATED = "undated"  # the period of the quotations that no article printing them gives a date
# More buckets than this (ten years by day) is a mistake in --by: name a coarser period instead.
MAX_BUCKETS = 5_000


@dataclass(frozen=True, slots=True)
class Bucket:
    """One period: its label ("2016-10-20", "2016-W42", "2016-10", "2016"), its first day, its count."""

    period: str
    start: str | None  # None for the quotations no article dates (period "undated")
    count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Quotations per period; `undated` counts those no printing of which gives a date (in no bucket)."""

    query: str | None
    speaker: str | None
    by: str
    buckets: tuple[Bucket, ...]
    total: int
    undated: int
    first: str | None  # the earliest first printing (ISO date)
    last: str | None  # the latest first printing

    def rows(self) -> tuple[Bucket, ...]:
        """The buckets, then one of period "undated" for the quotations no article dates (if any): every
        quotation counted once, as the CLI prints them."""
        return self.buckets + ((Bucket(UNDATED, None, self.undated),) if self.undated else ())

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "speaker": self.speaker, "by": self.by, "total": self.total,
                "undated": self.undated, "first": self.first, "last": self.last,
                "buckets": [b.to_dict() for b in self.rows()]}


def timeline(query: str | None = None, *, speaker: str | None = None, by: str = "month",
             index_dir: search.PathArg = None, **filters: Any) -> Timeline:
    """Quotations answering `query` (any: None) of `speaker` (anyone: None), counted per `by` period at
    their first printing. `filters` are those of `quotes.search.find` (publisher, since, until, kind,
    article); with neither a query nor a filter, every quotation of the speaker (or of the index)."""
    if by not in PERIODS:
        raise QuotesError(f"unknown period {by!r}: use one of {', '.join(PERIODS)}")
    path = resolve_index_dir(index_dir)
    firsts = None
    if query is None and not any(v is not None for v in filters.values()):
        with Catalog(path) as catalog:
            keys = catalog.speaker_keys(speaker) if speaker else None
            if keys is None or keys:  # a name or a form of it: read from the catalog alone
                firsts = catalog.first_printings(keys)
    if firsts is None:  # a query, filters, or a speaker named by words of the name ("Whitfield"), as search does
        firsts = search.first_printings(query or "*", index_dir=path, speaker=speaker, **filters)
    return tally(firsts, by, query=query, speaker=speaker)


def tally(firsts: dict[str, str | None], by: str, *, query: str | None = None,
          speaker: str | None = None) -> Timeline:
    """The timeline of quotations given by their first printing's date (text key -> ISO date or None)."""
    days = Counter(d[:10] for d in firsts.values() if d)  # a few hundred days for thousands of quotations
    counts: Counter[str] = Counter()
    for day, n in days.items():
        counts[_period(date.fromisoformat(day), by)[0]] += n
    first, last = (min(days), max(days)) if days else (None, None)
    buckets = tuple(Bucket(label, start.isoformat(), counts.get(label, 0))
                    for label, start in _periods(first, last, by)) if first and last else ()
    dated = sum(days.values())
    return Timeline(query, speaker, by, buckets, len(firsts), len(firsts) - dated, first, last)


def _period(day: date, by: str) -> tuple[str, date]:
    """The label of the period `day` falls in, and its first day."""
    if by == "day":
        return day.isoformat(), day
    if by == "week":  # ISO weeks: Monday first; a week's year is the ISO year ("2016-W52" may hold Jan 1st)
        year, week, weekday = day.isocalendar()
        return f"{year}-W{week:02d}", day - timedelta(days=weekday - 1)
    if by == "month":
        return f"{day.year}-{day.month:02d}", day.replace(day=1)
    return str(day.year), day.replace(month=1, day=1)


def _periods(first: str, last: str, by: str) -> list[tuple[str, date]]:
    """Every period from the one holding `first` to the one holding `last`, in order."""
    label, start = _period(date.fromisoformat(first), by)
    end_label, _ = _period(date.fromisoformat(last), by)
    out = [(label, start)]
    while label != end_label:
        if len(out) >= MAX_BUCKETS:
            raise QuotesError(f"{first} to {last} is more than {MAX_BUCKETS} {by}s: try a longer period, "
                              f"e.g. --by {PERIODS[min(PERIODS.index(by) + 1, len(PERIODS) - 1)]}")
        start = _next(start, by)
        label, start = _period(start, by)
        out.append((label, start))
    return out


def _next(start: date, by: str) -> date:
    if by == "day":
        return start + timedelta(days=1)
    if by == "week":
        return start + timedelta(days=7)
    if by == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)
