"""The Whoosh backend: an embedded index in the `whoosh/` folder of the index directory.

The one package that imports whoosh. Its modules, by concern: schema (fields, analyzers, a quote's
document), writing, reading (opening, damaged files, columns), parsing (query string to whoosh query and
its rewriting), filtering, matching (the documents a query matches; phrase matchers), searching (ranking, grouping,
totals and speaker counts), snippets, suggestions; internals holds
every use of whoosh's private parts, with the version it was written against.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Iterable
from typing import Any


def _import_whoosh_without_network_modules() -> None:
    """Import whoosh with stand-ins for modules it imports and a search never uses, so that a search loads
    no network, TLS or asyncio module (a third of whoosh's import time, paid by every `quotes search`).

    whoosh.compat runs `from urllib.request import urlretrieve` (for downloads no part of quotes makes):
    urllib.request imports http.client, ssl and email; the stand-in's urlretrieve imports the real one
    if it is ever called. whoosh.reading decorates one method with the `cached_property` package, which
    imports asyncio (and ssl) for coroutines: the stand-in gives functools.cached_property, the same for
    a plain method. whoosh.query.terms takes `variations` from whoosh.lang.morph_en, which compiles a
    hundred patterns (for the Variations query, which quotes never makes); whoosh.compat takes html's
    `escape` (for whoosh's HTML highlighter, not ours) and `queue` (for its multiprocess writer): each
    stand-in loads the real module when first used (#10). The stand-ins leave sys.modules as soon as
    whoosh is imported, so any other import of these modules gets the real one.
    """
    if "whoosh.compat" in sys.modules:
        return
    stand_ins: dict[str, dict[str, Any]] = {
        "urllib.request": {"urlretrieve": _when_called("urllib.request", "urlretrieve")},
        "cached_property": {"cached_property": functools.cached_property},
        "whoosh.lang.morph_en": {"variations": _when_called("whoosh.lang.morph_en", "variations")},
        "html": {"escape": _when_called("html", "escape")},
        "queue": {"__getattr__": lambda name: getattr(importlib.import_module("queue"), name)}}
    placed = {}
    for name, attributes in stand_ins.items():
        if name not in sys.modules:
            module = types.ModuleType(name, "a stand-in while whoosh is imported: see quotes.index.whoosh")
            module.__dict__.update(attributes)
            placed[name] = sys.modules[name] = module
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.query  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in placed.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _when_called(module: str, name: str) -> Any:
    """A function that imports `module` when first called, and calls its `name`."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


_import_whoosh_without_network_modules()

from quotes.index.whoosh import safepickle  # noqa: E402

safepickle.restrict()  # before any index is opened: see quotes/index/whoosh/safepickle.py

from quotes.index import Backend  # noqa: E402
from quotes.index.records import Filters, IndexPage  # noqa: E402
from quotes.index.whoosh import reading, searching  # noqa: E402
from quotes.store import ArticleQuote  # noqa: E402


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
        from quotes.index.whoosh import writing  # not imported by a search

        return writing.write(self.index_dir, added, delete_articles=delete_articles, delete_ids=delete_ids,
                             procs=procs, expected=expected, clear=clear)

    def search(self, text: str, *, filters: Filters | None = None, sort: str = "relevance", limit: int = 10,
               offset: int = 0, exact_total: bool = False) -> IndexPage:
        return searching.search(self.index_dir, text, filters=filters, sort=sort, limit=limit, offset=offset,
                                exact_total=exact_total)

    def count_speakers(self, text: str, *, filters: Filters | None = None) -> dict[str, int]:
        return searching.count_speakers(self.index_dir, text, filters=filters)

    def suggest(self, text: str) -> str | None:
        from quotes.index.whoosh import suggestions  # whoosh's spelling module: only for a search of few hits

        return suggestions.suggest(self.index_dir, text)
