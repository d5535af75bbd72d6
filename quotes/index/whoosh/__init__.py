"""The Whoosh backend: an embedded index in the `whoosh/` folder of the index directory.

The one package that imports whoosh. Its modules, by concern: schema (fields, analyzers, a quote's
document), writing, reading (opening, damaged files, columns), parsing (query string to whoosh query and
its rewriting), filtering, matching (search and speaker counts), snippets, suggestions; internals holds
every use of whoosh's private parts, with the version it was written against.
"""

from __future__ import annotations

from collections.abc import Iterable

from quotes.index import Backend
from quotes.index.records import Filters, IndexPage
from quotes.index.whoosh import matching, reading, suggestions, writing
from quotes.store import ArticleQuote


class WhooshBackend(Backend):
    """An index of Whoosh files beside the catalog (quotes.paths.whoosh_path); no url."""

    def exists(self) -> bool:
        return reading.exists(self.index_dir)

    def is_current(self) -> bool:
        return reading.is_current(self.index_dir)

    def doc_count(self) -> int:
        return reading.doc_count(self.index_dir)

    def doc_ids(self) -> list[str]:
        return reading.doc_ids(self.index_dir)

    def write(self, added: Iterable[ArticleQuote], *, delete_articles: Iterable[str] = (),
              delete_ids: Iterable[str] = (), procs: int = 1, expected: int = 0, clear: bool = False) -> int:
        return writing.write(self.index_dir, added, delete_articles=delete_articles, delete_ids=delete_ids,
                             procs=procs, expected=expected, clear=clear)

    def search(self, text: str, *, filters: Filters | None = None, sort: str = "relevance", limit: int = 10,
               offset: int = 0, exact_total: bool = False) -> IndexPage:
        return matching.search(self.index_dir, text, filters=filters, sort=sort, limit=limit, offset=offset,
                               exact_total=exact_total)

    def count_speakers(self, text: str, *, filters: Filters | None = None) -> dict[str, int]:
        return matching.count_speakers(self.index_dir, text, filters=filters)

    def suggest(self, text: str) -> str | None:
        return suggestions.suggest(self.index_dir, text)
