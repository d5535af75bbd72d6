"""The full-text index of quotes: the backend interface and the records that cross it.

The index is derived data: every document is a quote of the catalog (quotes.store), keyed by the quote's
id, and the whole index can be rebuilt from the catalog with `build`. A backend takes and returns plain
data (ArticleQuote and Filters in; IndexPage, IndexHit, counts and suggestions out); no object of a search
engine leaves it.

A quotation printed by several articles has one document per article, all with the same `text_key`;
`search` groups them at query time, so adding or removing one article never touches another's documents.

Backends: Whoosh (quotes.index.whoosh, embedded, the default) answers for an index directory. Another
registers a URL scheme in BACKENDS ("scheme" -> "module:Class") and is chosen by a URL in the
QUOTES_BACKEND environment variable; search.py, the CLI and a web page call only the functions below.
Nothing here imports a search engine: the backend's package is imported when an index is first used.
"""

from __future__ import annotations

import importlib
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from quotes.index.records import (
    ELLIPSIS,
    EXACT_TOTAL_UP_TO,
    FIELD_ALIASES,
    FIELD_BOOSTS,
    FUZZY_PREFIX,
    MARK_CLOSE,
    MARK_OPEN,
    OPERATORS,
    QUERY_FIELDS,
    SEARCH_FIELDS,
    SNIPPET_CHARS,
    SNIPPET_SURROUND,
    SNIPPET_WHOLE_CHARS,
    SORTS,
    SPELL_MAX_EDITS,
    SPELL_MIN_CHARS,
    SPELL_TWO_EDITS_CHARS,
    Filters,
    IndexBusyError,
    IndexDamagedError,
    IndexHit,
    IndexPage,
    QuerySyntaxError,
    check_syntax,
    date_bound,
)
from quotes.model import QuotesError
from quotes.store import ArticleQuote

__all__ = ["Backend", "BACKENDS", "BACKEND_ENV", "open_backend", "Filters", "IndexHit", "IndexPage",
           "IndexBusyError", "IndexDamagedError", "QuerySyntaxError", "check_syntax", "date_bound",
           "exists", "is_current", "doc_count", "doc_ids", "build", "update", "write", "search",
           "count_speakers", "suggest", "SORTS", "SEARCH_FIELDS", "FIELD_BOOSTS", "QUERY_FIELDS",
           "FIELD_ALIASES", "OPERATORS", "SNIPPET_WHOLE_CHARS", "SNIPPET_CHARS", "SNIPPET_SURROUND",
           "MARK_OPEN", "MARK_CLOSE", "ELLIPSIS", "SPELL_MAX_EDITS", "SPELL_MIN_CHARS",
           "SPELL_TWO_EDITS_CHARS", "FUZZY_PREFIX", "EXACT_TOTAL_UP_TO"]


class Backend(ABC):
    """One index, as a search engine holds it: what quotes.search and quotes.indexer ask of it.

    `index_dir` is the directory of the catalog (and, for an embedded backend, of its files); `url` the
    server a remote backend talks to (None for an embedded one).
    """

    def __init__(self, index_dir: Path, url: str | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.url = url

    @abstractmethod
    def exists(self) -> bool:
        """Whether the index is there (IndexDamagedError where it cannot be read)."""

    @abstractmethod
    def is_current(self) -> bool:
        """Whether the index has every field this version writes and reads (False: rebuild it)."""

    @abstractmethod
    def doc_count(self) -> int:
        """How many quotes the index holds (0 where there is no index)."""

    @abstractmethod
    def doc_ids(self) -> list[str]:
        """The id of every live document (a repeated id twice): to check the index against the catalog."""

    @abstractmethod
    def write(self, added: Iterable[ArticleQuote], *, delete_articles: Iterable[str] = (),
              delete_ids: Iterable[str] = (), procs: int = 1, expected: int = 0, clear: bool = False) -> int:
        """In one commit: delete every quote of `delete_articles` and the quotes `delete_ids`, then add
        `added`; returns how many were added. `clear` drops every other document in that commit. `procs`
        and `expected` (how many quotes are coming, as far as known) may let a backend write in parallel.
        IndexBusyError where another process is writing."""

    @abstractmethod
    def search(self, text: str, *, filters: Filters | None = None, sort: str = "relevance", limit: int = 10,
               offset: int = 0, exact_total: bool = False) -> IndexPage:
        """Quotations matching a query, one hit per quotation (see the module's docstring), `limit` of them
        from `offset`, best first (or newest, with sort="date"). The total is exact up to EXACT_TOTAL_UP_TO
        quotations, or always with `exact_total`; beyond, a backend may stop counting (total_exact False).
        QuerySyntaxError on a query that cannot be read, NoIndexError where there is no index."""

    @abstractmethod
    def count_speakers(self, text: str, *, filters: Filters | None = None) -> dict[str, int]:
        """How many quotations matching the query each canonical speaker (its speaker_key) has, most first."""

    @abstractmethod
    def suggest(self, text: str) -> str | None:
        """The query with each word no quotation or name holds replaced by the closest indexed word; None
        when every word is indexed or nothing close is."""

    def build(self, quotes: Iterable[ArticleQuote], *, procs: int = 1, expected: int = 0) -> int:
        """Make the index afresh from these quotes (all of the catalog's); returns how many were added.
        The old documents go in the commit that adds the new: a search meanwhile sees the old index."""
        return self.write(quotes, procs=procs, expected=expected, clear=True)

    def update(self, added: Iterable[ArticleQuote], removed_ids: Iterable[str]) -> None:
        """Delete the removed quotes and add (or replace, by id) the added ones, in one commit."""
        added = list(added)
        self.write(added, delete_ids=[*removed_ids, *(r.id for r in added)])


# URL scheme -> "module:Class" of its Backend; imported when first used, so that nothing here loads an engine.
BACKENDS = {"whoosh": "quotes.index.whoosh:WhooshBackend",
            # a SphinxQL server (#12): Sphinx 2.2 or Manticore; the `quotes[server]` extra
            "sphinx": "quotes.index.sphinx:SphinxBackend", "manticore": "quotes.index.sphinx:SphinxBackend"}
DEFAULT_BACKEND = "whoosh"
BACKEND_ENV = "QUOTES_BACKEND"  # a URL ("whoosh:", "sphinx://host:9306") choosing the backend


def open_backend(index_dir: Path, url: str | None = None) -> Backend:
    """The backend of the index of a directory: the one `url` names (else $QUOTES_BACKEND, else Whoosh)."""
    url = url or os.environ.get(BACKEND_ENV) or None
    scheme = url.split(":", 1)[0].lower() if url else DEFAULT_BACKEND
    if scheme not in BACKENDS:
        raise QuotesError(f"unknown search backend {url!r}: use one of "
                          f"{', '.join(s + ':' for s in sorted(BACKENDS))} (in --backend or {BACKEND_ENV})")
    module, _, name = BACKENDS[scheme].partition(":")
    backend: type[Backend] = getattr(importlib.import_module(module), name)
    return backend(Path(index_dir), url if url and scheme != DEFAULT_BACKEND else None)


def exists(index_dir: Path) -> bool:
    return open_backend(index_dir).exists()


def is_current(index_dir: Path) -> bool:
    return open_backend(index_dir).is_current()


def doc_count(index_dir: Path) -> int:
    return open_backend(index_dir).doc_count()


def doc_ids(index_dir: Path) -> list[str]:
    return open_backend(index_dir).doc_ids()


def build(index_dir: Path, quotes: Iterable[ArticleQuote], *, procs: int = 1, expected: int = 0) -> int:
    return open_backend(index_dir).build(quotes, procs=procs, expected=expected)


def update(index_dir: Path, added: Iterable[ArticleQuote], removed_ids: Iterable[str]) -> None:
    open_backend(index_dir).update(added, removed_ids)


def write(index_dir: Path, added: Iterable[ArticleQuote], **options: Any) -> int:
    return open_backend(index_dir).write(added, **options)


def search(index_dir: Path, text: str, **options: Any) -> IndexPage:
    return open_backend(index_dir).search(text, **options)


def count_speakers(index_dir: Path, text: str, *, filters: Filters | None = None) -> dict[str, int]:
    return open_backend(index_dir).count_speakers(text, filters=filters)


def suggest(index_dir: Path, text: str) -> str | None:
    return open_backend(index_dir).suggest(text)


for _function in (exists, is_current, doc_count, doc_ids, build, update, write, search, count_speakers, suggest):
    _function.__doc__ = getattr(Backend, _function.__name__).__doc__  # the backend's method says what it does


def __getattr__(name: str) -> Any:
    """`quotes.index._Pairs`: the name under which indexes store the schema's word-pair filter (see
    quotes.index.whoosh.schema); reading an index's schema looks it up here."""
    if name == "_Pairs":
        from quotes.index.whoosh.schema import _Pairs
        return _Pairs
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
