"""The index's backend interface (quotes.index): choosing a backend, and search.py going through it."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from quotes import index
from quotes.index import Backend, Filters, IndexHit, IndexPage, open_backend
from quotes.index.whoosh import WhooshBackend
from quotes.model import Article, Quote, QuotesError
from quotes.search import find
from quotes.store import ArticleQuote, Catalog

TEXT = '"Taxes will fall," Theresa May said. "Stargate is late," Masayoshi Son said.'


class WordBackend(Backend):
    """A second backend, the least one can be: documents in a dict, a query a word found in the text."""

    documents: dict[str, ArticleQuote] = {}

    def exists(self) -> bool:
        return bool(self.documents)

    def is_current(self) -> bool:
        return True

    def doc_count(self) -> int:
        return len(self.documents)

    def doc_ids(self) -> list[str]:
        return list(self.documents)

    def write(self, added: Iterable[ArticleQuote], *, delete_articles: Iterable[str] = (),
              delete_ids: Iterable[str] = (), procs: int = 1, expected: int = 0, clear: bool = False) -> int:
        gone = set(delete_articles)
        kept = {} if clear else {k: r for k, r in self.documents.items()
                                 if r.article_id not in gone and k not in set(delete_ids)}
        added = list(added)
        type(self).documents = {**kept, **{r.id: r for r in added}}
        return len(added)

    def search(self, text: str, *, filters: Filters | None = None, sort: str = "relevance", limit: int = 10,
               offset: int = 0, exact_total: bool = False) -> IndexPage:
        found = [r for r in self.documents.values() if text.lower() in r.quote.text.lower()]
        return IndexPage([IndexHit(r.id, 1.0, r.quote.text) for r in found[offset:offset + limit]], len(found))

    def count_speakers(self, text: str, *, filters: Filters | None = None) -> dict[str, int]:
        return {}

    def suggest(self, text: str) -> str | None:
        return None


@pytest.fixture
def word_backend(monkeypatch):
    monkeypatch.setitem(index.BACKENDS, "words", f"{__name__}:WordBackend")
    monkeypatch.setenv(index.BACKEND_ENV, "words://anywhere")
    monkeypatch.setattr(WordBackend, "documents", {})


def test_search_goes_through_the_backend_the_url_names(tmp_path, word_backend):
    quotes = [Quote(t, TEXT.index(t), TEXT.index(t) + len(t), who, None, None, None, "said", "direct", "t", 0.9)
              for t, who in (("Taxes will fall,", "Theresa May"), ("Stargate is late,", "Masayoshi Son"))]
    with Catalog(tmp_path, create=True) as catalog:
        catalog.upsert_article(Article("a1", TEXT), quotes)
        assert index.build(tmp_path, catalog.all_quotes()) == 2
    backend = open_backend(tmp_path)
    assert isinstance(backend, WordBackend) and backend.url == "words://anywhere" and backend.doc_count() == 2
    results = find("stargate", index_dir=tmp_path)
    assert [(h.quote.speaker, h.highlights) for h in results.hits] == [("Masayoshi Son", "Stargate is late,")]
    assert not (tmp_path / "whoosh").exists()  # nothing went to Whoosh


@pytest.mark.parametrize(("url", "backend"), [(None, WhooshBackend), ("whoosh:", WhooshBackend),
                                               ("WHOOSH:", WhooshBackend)])
def test_whoosh_is_the_default_backend(tmp_path, monkeypatch, url, backend):
    monkeypatch.delenv(index.BACKEND_ENV, raising=False)
    opened = open_backend(tmp_path, url)
    assert type(opened) is backend and opened.url is None and opened.index_dir == tmp_path


@pytest.mark.parametrize("url", ["elastic://localhost:9200", "nowhere", "solr://localhost:8983"])
def test_an_unknown_backend_is_named_with_the_known_ones(tmp_path, url):
    with pytest.raises(QuotesError, match=r"unknown search backend .*: use one of (\w+:, )*whoosh:"):
        open_backend(tmp_path, url)
