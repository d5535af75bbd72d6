"""Search an index from Python: who said what, where and when.

    >>> from quotes.search import search
    >>> for hit in search("global initiative", index_dir="index"):   # doctest: +SKIP
    ...     print(hit.quote.speaker, hit.snippet)
    Sam Altman Stargate is meant to be a truly «global» «initiative»,

Each answer is a frozen `Hit`; nothing from whoosh leaves quotes.index. The catalog (quotes.store) is the
source of truth: a hit's Quote and article metadata come from it, its score and snippet from the index.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from quotes import index
from quotes.model import Quote, QuotesError
from quotes.paths import NoIndexError, resolve_index_dir
from quotes.store import ArticleQuote, Catalog, SpeakerCount, Stats

__all__ = ["Hit", "SpeakerCount", "Stats", "ArticleQuote", "search", "speakers", "get_quote", "stats",
           "quote_context"]

PathArg = str | os.PathLike[str] | None


@dataclass(frozen=True, slots=True)
class Hit:
    """One answer to a search.

    `snippet` is plain text: the quotation (or, for a long one, the parts around its matches joined by
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
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: `id`, the Quote's fields, the article's metadata, then `score` and `snippet`."""
        return {"id": self.id, **self.quote.to_dict(), "article_id": self.article_id, "title": self.title,
                "publisher": self.publisher, "published": self.published, "url": self.url,
                "score": round(self.score, 4), "snippet": self.snippet}


def search(query: str, *, index_dir: PathArg = None, speaker: str | None = None,
           limit: int = 10) -> list[Hit]:
    """The `limit` quotes that best answer `query`, best first.

    `query` is words (all must occur, in the quotation or its speaker's name, stemmed: "initiatives"
    finds "initiative"), "a phrase", AND/OR/NOT, or `field:value` (speaker, title, publisher, kind).
    `speaker` keeps the quotes of one canonical speaker: the full name in any case, or one word of it
    ("Altman" keeps "Sam Altman"). Raises NoIndexError where `index_dir` holds no index.
    """
    if limit < 1:
        raise QuotesError(f"limit must be at least 1, not {limit}")
    path = resolve_index_dir(index_dir)
    with Catalog(path) as catalog:
        if not index.exists(path):
            raise NoIndexError(path)
        found = index.search(path, query, speaker=speaker, limit=limit)
        records = catalog.get_quotes(h.id for h in found)
    # A document the catalog no longer holds is stale (an interrupted run): leave it out.
    return [_hit(records[h.id], h) for h in found if h.id in records]


def speakers(index_dir: PathArg = None) -> list[SpeakerCount]:
    """Canonical speakers and their numbers of quotes, most quoted first."""
    with Catalog(resolve_index_dir(index_dir)) as catalog:
        return catalog.speakers()


def get_quote(quote_id: str, *, index_dir: PathArg = None) -> ArticleQuote:
    """The quote with this id or unique id prefix; QuoteNotFoundError / AmbiguousQuoteIdError otherwise."""
    with Catalog(resolve_index_dir(index_dir)) as catalog:
        return catalog.get_quote(quote_id)


def quote_context(record: ArticleQuote, *, index_dir: PathArg = None, chars: int = 200) -> str | None:
    """The article text around a quote (about `chars` on each side), or None if the article is gone."""
    with Catalog(resolve_index_dir(index_dir)) as catalog:
        text = catalog.article_text(record.article_id)
    if text is None:
        return None
    start = max(0, record.quote.start - chars)
    end = min(len(text), record.quote.end + chars)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def stats(index_dir: PathArg = None) -> Stats:
    """Counts of what the index holds: articles, quotes, attributed quotes, speakers, publishers, dates."""
    with Catalog(resolve_index_dir(index_dir)) as catalog:
        return catalog.stats()


def _hit(record: ArticleQuote, found: index.IndexHit) -> Hit:
    return Hit(record.quote, record.id, record.article_id, record.title, record.publisher, record.published,
               record.url, found.score, found.snippet)
