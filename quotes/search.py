"""Search an index from Python: who said what, where and when.

    >>> from quotes.search import find
    >>> results = find("global initiative", speaker="Altman", index_dir="index")   # doctest: +SKIP
    >>> results.total, results.hits[0].quote.speaker, results.hits[0].highlights
    (1, 'Sam Altman', 'Stargate is meant to be a truly «global» «initiative»,')

`find` answers a query with a `Results` page (hits, the total, a spelling suggestion); `search` is the same
as a plain list of hits. One quotation printed by several articles is one `Hit` whose `occurrences` name
every article. Each answer is a frozen dataclass; nothing from whoosh leaves quotes.index. The catalog
(quotes.store) is the source of truth: a hit's Quote and article metadata come from it, its score and
highlights from the index.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from quotes import index
from quotes.index import QuerySyntaxError
from quotes.model import Quote, QuotesError
from quotes.paths import resolve_index_dir
from quotes.store import ArticleQuote, Catalog, Occurrence, SpeakerCount, Stats, text_key

__all__ = ["Hit", "Results", "Occurrence", "Shown", "SpeakerCount", "Stats", "ArticleQuote",
           "QuerySyntaxError", "find", "search", "speakers", "show", "get_quote", "stats", "KINDS", "SORTS"]

PathArg = str | os.PathLike[str] | None
KINDS = ("direct", "partial")
SORTS = index.SORTS

# Did you mean: a query with fewer hits than this is checked for misspelt words.
FEW_HITS = 3
# An unknown --speaker: names (or a word of one) at least this similar (difflib's ratio: 2 * matching
# characters / all characters) are suggested, the most similar first, at most CLOSE_SPEAKERS of them.
# "Altmann" and "Altman" are 0.92 alike, "Sandra" and "Sanders" 0.77; "he" and "Son" 0.4.
SPEAKER_LIKENESS = 0.75
CLOSE_SPEAKERS = 3


@dataclass(frozen=True, slots=True)
class Hit:
    """One quotation that answers a search.

    The quote, id and article fields are those of the best-matching article that prints the quotation;
    `occurrences` lists every article that prints it (this one included), earliest published first.
    `highlights` is plain text: the quotation (or, for a long one, the parts around its matches joined by
    " … ") with every matched word between « and », e.g. "Stargate is meant to be a truly «global»
    «initiative»,". Matches are found on word stems, so «initiatives» marks a search for "initiative".
    """

    quote: Quote
    id: str  # the quote's stable id: `quotes show ID`
    article_id: str
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None
    score: float  # BM25F relevance: comparable between hits of one search only
    highlights: str
    occurrences: tuple[Occurrence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: `id`, the Quote's fields, the article's metadata, `score`, `highlights`, `occurrences`."""
        return {"id": self.id, **self.quote.to_dict(), "article_id": self.article_id, "title": self.title,
                "publisher": self.publisher, "published": self.published, "url": self.url,
                "score": round(self.score, 4), "highlights": self.highlights,
                "occurrences": [o.to_dict() for o in self.occurrences]}


@dataclass(frozen=True, slots=True)
class Results:
    """One page of answers to a query.

    `total` counts every matching quotation (not only this page), exactly up to 10,000
    (quotes.index.EXACT_TOTAL_UP_TO); beyond, unless `find` was asked for an exact total, `total` is 10,000
    and `total_exact` False: "more than 10,000". `suggestion` is the query with misspelt
    words corrected where the query found few or no quotations and indexed words are close; when it found
    none, the hits are those of the suggestion and `corrected` is True. `partial`: no quotation holds every
    word of the query (and no spelling helped), so the hits hold most of them, those holding most first.

    `unknown_speaker`: the `speaker` filter is no form of any speaker's name, and `speaker_suggestions` the
    names closest to it. `unsearchable` counts the catalog's quotations that the search index does not hold
    yet: an index run under way, or one interrupted before it wrote the search index.
    """

    query: str
    hits: tuple[Hit, ...]
    total: int
    page: int
    limit: int
    suggestion: str | None = None
    corrected: bool = False
    partial: bool = False
    unknown_speaker: bool = False
    speaker_suggestions: tuple[str, ...] = ()
    unsearchable: int = 0
    total_exact: bool = True

    @property
    def pages(self) -> int:
        """How many pages the total makes (at least: more where `total_exact` is False)."""
        return max(1, -(-self.total // self.limit))

    @property
    def searched(self) -> str:
        """The query the hits answer: the suggestion where it was searched instead."""
        return self.suggestion if self.corrected and self.suggestion else self.query


@dataclass(frozen=True, slots=True)
class Shown:
    """One quote in full, as `quotes show` prints it."""

    record: ArticleQuote
    paragraph: str | None  # the paragraph(s) of the article holding the quote; None if the article is gone
    quote_start: int  # where the quote's text starts in `paragraph`
    path: str | None  # the file the article was read from
    occurrences: tuple[Occurrence, ...]  # every article printing the quotation, this one included

    def to_dict(self) -> dict[str, Any]:
        return {**self.record.to_dict(), "path": self.path, "paragraph": self.paragraph,
                "occurrences": [o.to_dict() for o in self.occurrences]}


def find(query: str, *, index_dir: PathArg = None, speaker: str | None = None, publisher: str | None = None,
         since: str | None = None, until: str | None = None, kind: str | None = None,
         article: str | None = None, sort: str = "relevance", limit: int = 10, page: int = 1,
         correct: bool = True, exact_total: bool = False) -> Results:
    """Page `page` (from 1) of the quotations that answer `query`, `limit` per page, best (or newest) first.

    `query`: words (all must occur, in the quotation or its speaker's name, stemmed: "initiatives" finds
    "initiative"), "exact phrases", AND/OR/NOT, `word~` (fuzzy), `prefix*`, and `field:value` for speaker,
    publisher, kind, title, article and published (`published:2016-10`,
    `published:[2016-09-01 to 2016-10-15]`). An unreadable query raises QuerySyntaxError.

    Filters: `speaker` is the canonical name or any name the articles use for that person ("Son" keeps
    Masayoshi Son's quotes), any case; `publisher` all of its words; `since`/`until` an ISO date, month or
    year (inclusive); `kind` "direct" or "partial"; `article` an article id. `sort` is "relevance" or
    "date" (newest first). With `correct`, a query that finds nothing is searched again spelt as the
    closest indexed words (see Results). With `exact_total`, quotations are counted beyond 10,000.
    Raises NoIndexError where `index_dir` holds no index.
    """
    if limit < 1 or page < 1:
        raise QuotesError(f"limit and page must be at least 1, not {limit} and {page}")
    if kind is not None and kind not in KINDS:
        raise QuotesError(f"unknown kind {kind!r}: use {' or '.join(KINDS)}")
    path = resolve_index_dir(index_dir)
    with Catalog(path) as catalog:
        filters = _filters(catalog, speaker, publisher, since, until, kind, article)
        found = index.search(path, query, filters=filters, sort=sort, limit=limit, offset=(page - 1) * limit,
                             exact_total=exact_total)
        suggestion = index.suggest(path, query) if found.total < FEW_HITS or found.partial else None
        corrected = False
        if suggestion and (found.total == 0 or found.partial) and correct:
            respelt = index.search(path, suggestion, filters=filters, sort=sort, limit=limit,
                                   offset=(page - 1) * limit, exact_total=exact_total)
            if respelt.total and not respelt.partial or not found.total:  # better than what was found
                found, corrected = respelt, True
            elif found.partial:  # respelt, the words are still not all in one quotation: no help
                suggestion = None
        records = catalog.get_quotes(h.id for h in found.hits)
        keys = catalog.text_keys(records)
        occurrences = catalog.occurrences(keys.values())
        unknown = bool(speaker) and not found.total and not filters.speaker_keys and not _speaks(catalog, speaker)
        close = _close_speakers(catalog, speaker) if unknown and speaker else ()
        unsearchable = max(0, catalog.quote_count() - index.doc_count(path))
    # A document the catalog no longer holds is stale (an interrupted run): leave it out.
    hits = tuple(_hit(records[h.id], h, tuple(occurrences[keys[h.id]])) for h in found.hits if h.id in records)
    return Results(query, hits, found.total, page, limit, suggestion, corrected, found.partial, unknown, close,
                   unsearchable, found.total_exact)


def search(query: str, *, index_dir: PathArg = None, speaker: str | None = None, limit: int = 10,
           **filters: Any) -> list[Hit]:
    """The first `limit` quotations that answer `query`, as a list; `find` takes the same filters.

    Unlike `find`, a query that finds nothing is not searched again with a spelling correction.
    """
    return list(find(query, index_dir=index_dir, speaker=speaker, limit=limit, correct=False, **filters).hits)


def speakers(query: str | None = None, *, index_dir: PathArg = None, top: int | None = None,
             speaker: str | None = None, publisher: str | None = None, since: str | None = None,
             until: str | None = None, kind: str | None = None, article: str | None = None,
             ) -> list[SpeakerCount]:
    """Canonical speakers by number of quotations, most quoted first, each with the other forms of its name.

    With a `query` (and filters, as for `find`), only the quotations that answer it are counted: the
    hits of a search per speaker. A quotation printed by several articles counts once.
    """
    if top is not None and top < 1:
        raise QuotesError(f"top must be at least 1, not {top}")
    path = resolve_index_dir(index_dir)
    with Catalog(path) as catalog:
        filtered = any(x is not None for x in (speaker, publisher, since, until, kind, article))
        if query is None and not filtered:
            return catalog.speakers(top)
        filters = _filters(catalog, speaker, publisher, since, until, kind, article)
        counts = index.count_speakers(path, query or "*", filters=filters)
        return catalog.speaker_counts(dict(list(counts.items())[:top]))


def show(quote_id: str, *, index_dir: PathArg = None) -> Shown:
    """The quote with this id (or unique id prefix), its paragraph and every article printing it."""
    with Catalog(resolve_index_dir(index_dir)) as catalog:
        record = catalog.get_quote(quote_id)
        text = catalog.article_text(record.article_id)
        occurrences = tuple(catalog.occurrences([text_key(record.quote.text)])[text_key(record.quote.text)])
    path = next((o.path for o in occurrences if o.quote_id == record.id), None)
    if text is None:
        return Shown(record, None, 0, path, occurrences)
    start = text.rfind("\n\n", 0, record.quote.start)
    start = 0 if start < 0 else start + 2
    end = text.find("\n\n", record.quote.end)
    end = len(text) if end < 0 else end
    return Shown(record, text[start:end], record.quote.start - start, path, occurrences)


def get_quote(quote_id: str, *, index_dir: PathArg = None) -> ArticleQuote:
    """The quote with this id or unique id prefix; QuoteNotFoundError / AmbiguousQuoteIdError otherwise."""
    with Catalog(resolve_index_dir(index_dir)) as catalog:
        return catalog.get_quote(quote_id)


def stats(index_dir: PathArg = None) -> Stats:
    """Counts of what the index holds: articles, quotes, attributed quotes, speakers, publishers, dates."""
    with Catalog(resolve_index_dir(index_dir)) as catalog:
        return catalog.stats()


def _filters(catalog: Catalog, speaker: str | None, publisher: str | None, since: str | None,
             until: str | None, kind: str | None, article: str | None) -> index.Filters:
    # quotes.index raises NoIndexError where the catalog has no Whoosh index beside it
    return index.Filters(tuple(catalog.speaker_keys(speaker)) if speaker else (), speaker, publisher,
                         index.date_bound(since) if since else None, index.date_bound(until) if until else None,
                         kind, article)


def _speaks(catalog: Catalog, name: str) -> bool:
    """Whether some speaker's name holds every word of `name` (as the speaker filter matches it)."""
    words = name.lower().split()
    return any(all(w in s.speaker.lower() for w in words) for s in catalog.speakers())


def _close_speakers(catalog: Catalog, name: str) -> tuple[str, ...]:
    """The speakers whose name, a form of it or a word of either is most like `name` ("Altmann" -> Sam
    Altman), the most alike first, then the most quoted."""
    wanted = name.lower().strip()
    scored = []
    for rank, s in enumerate(catalog.speakers()):  # most quoted first
        forms = {f.lower() for f in (s.speaker, *s.forms)}
        candidates = forms | {word for form in forms for word in form.split()}
        best = max(SequenceMatcher(None, wanted, c).ratio() for c in candidates)
        if best >= SPEAKER_LIKENESS:
            scored.append((-best, rank, s.speaker))
    return tuple(speaker for _, _, speaker in sorted(scored)[:CLOSE_SPEAKERS])


def _hit(record: ArticleQuote, found: index.IndexHit, occurrences: tuple[Occurrence, ...]) -> Hit:
    return Hit(record.quote, record.id, record.article_id, record.title, record.publisher, record.published,
               record.url, found.score, found.snippet, occurrences)
