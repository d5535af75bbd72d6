"""Filters (speaker, publisher, article, dates, kind) as query clauses and as a test of column values."""

from __future__ import annotations

from collections.abc import Callable

from whoosh import query

from quotes.index.records import Filters, date_bound
from quotes.index.whoosh.parsing import is_everything
from quotes.index.whoosh.reading import Opened
from quotes.index.whoosh.schema import NAME_ANALYZER
from quotes.store import speaker_key


def filtered(q: query.Query, filters: Filters | None) -> query.Query:
    """The query with the filters but dates and kind as clauses (see `kept` for the speaker's).

    ConstantScoreQuery was meant to add nothing to the score, but a search with `terms=True` (or one
    that needs the current match, as `visit`) scores it as its clause: a speaker filter adds the score of
    the speaker's name. Kept so, as the ranking has always been.
    """
    if filters is None:
        return q
    parts: list[query.Query] = []
    if named(filters):
        words = [t.text for t in NAME_ANALYZER(filters.speaker or "")]
        keys = {*filters.speaker_keys, speaker_key(filters.speaker)} - {None}
        names = [query.Term("speaker_key", k) for k in sorted(str(k) for k in keys)]
        if words:
            names.append(query.And([query.Term("speaker", w) for w in words]))
        parts.append(query.Or(names))
    if filters.publisher and filters.publisher.strip():
        parts.append(query.And([query.Term("publisher", t.text) for t in NAME_ANALYZER(filters.publisher)]))
    if filters.article_id:
        parts.append(query.Term("article_id", filters.article_id))
    if not parts:
        return q
    clauses = [query.ConstantScoreQuery(part, 0.0) for part in parts]
    return query.And(clauses if is_everything(q) else [q, *clauses])


def kept(opened: Opened, filters: Filters | None) -> Callable[[int], bool] | None:
    """A test of a document number against the filters' speaker, dates and kind (None: none is asked for).

    Each is read from a column for each document tested: as query clauses, a range of dates would be a
    union of one term per day and a kind a list of half the index, both slow to walk, and a speaker a
    union of postings stepped through in Python. The speaker test lets through every document of the
    speaker clause of `filtered` (a name's words are in its speaker_key), and perhaps a few more: a
    search scores what it keeps with that clause, which drops them. An undated document fails a date
    filter.
    """
    if filters is None or not (filters.since or filters.until or filters.kind or named(filters)):
        return None
    low = date_bound(filters.since).encode() if filters.since else b""
    high = date_bound(filters.until, end=True).encode() if filters.until else b"~"
    kind = filters.kind.encode() if filters.kind else None
    dated = bool(filters.since or filters.until)
    dates, kinds, speakers = opened.column("published"), opened.column("kind"), opened.column("speaker_key")
    names, words = set(filters.speaker_keys), [t.text for t in NAME_ANALYZER(filters.speaker or "")]
    may_be: dict[bytes, bool] = {}  # speaker_key -> whether the filter's name may be that speaker
    by_speaker = named(filters)

    def speaks(value: bytes) -> bool:
        if value not in may_be:
            key = value.decode("utf-8")
            may_be[value] = bool(key) and (key in names or key == speaker_key(filters.speaker)
                                           or (bool(words) and all(w in key for w in words)))
        return may_be[value]

    def keep(docnum: int) -> bool:  # the narrowest test first: each reads a column
        if dated:
            published = dates[docnum]
            if not (published and low <= published <= high):
                return False
        if by_speaker and not speaks(speakers[docnum]):
            return False
        return not kind or kinds[docnum] == kind

    return keep


def named(filters: Filters) -> bool:
    """Whether the filters name a speaker."""
    return bool(filters.speaker and filters.speaker.strip())
