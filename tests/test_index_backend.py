"""The index's backend interface (quotes.index): choosing a backend, and search.py going through it."""

from __future__ import annotations

import os
import subprocess
import sys
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


def test_quotations_the_index_lacks_are_counted_again_after_each_commit(tmp_path):
    """search.py keeps the catalog's count of quotes between searches of one process, until a commit."""
    quotes = [Quote(t, TEXT.index(t), TEXT.index(t) + len(t), who, None, None, None, "said", "direct", "t", 0.9)
              for t, who in (("Taxes will fall,", "Theresa May"), ("Stargate is late,", "Masayoshi Son"))]
    with Catalog(tmp_path, create=True) as catalog:
        catalog.upsert_article(Article("a1", TEXT), quotes[:1])
        index.build(tmp_path, catalog.all_quotes())
    assert find("taxes", index_dir=tmp_path).unsearchable == 0
    assert find("taxes", index_dir=tmp_path).unsearchable == 0  # counted once, then kept
    for n, article in enumerate(("a2", "a3"), start=1):  # the catalog grows; the search index does not
        with Catalog(tmp_path) as catalog:
            catalog.upsert_article(Article(article, TEXT), quotes[1:])
        assert find("taxes", index_dir=tmp_path).unsearchable == n


NOT_FOR_A_SEARCH = ("urllib.request", "http.client", "ssl", "email", "asyncio", "cached_property", "rich.table",
                    "rich.console", "quotes.indexer", "quotes.index.whoosh.writing", "nltk", "multiprocessing",
                    "socket", "whoosh.lang.morph_en", "html", "queue")  # (the last three: #10's cold start)


def test_a_piped_search_imports_no_network_tls_or_table_module(tmp_path):
    quotes = [Quote("Taxes will fall,", 1, 17, "Theresa May", None, None, None, "said", "direct", "t", 0.9)]
    with Catalog(tmp_path, create=True) as catalog:
        catalog.upsert_article(Article("a1", TEXT), quotes)
        index.build(tmp_path, catalog.all_quotes())
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "quotes", "search", "taxes", "--index-dir",
                          str(tmp_path)], capture_output=True, text=True, check=False,
                         env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")})
    assert run.returncode == 0 and "Taxes will fall" in run.stdout
    imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time")}
    assert "whoosh.index" in imported and "typer" in imported  # (what importtime lists is what was imported)
    assert sorted(m for m in imported if any(m == n or m.startswith(n + ".") for n in NOT_FOR_A_SEARCH)) == []


def test_the_stand_ins_whoosh_was_imported_with_are_gone():
    """As the `quotes` command imports it (no NLTK, which would import urllib.request first)."""
    code = ("import sys; sys.argv[0] = 'quotes'; "
            "import quotes.index.whoosh, urllib.request, cached_property, whoosh.compat; "
            "print(urllib.request.urlopen.__module__, cached_property.cached_property.__module__, "
            "whoosh.compat.urlretrieve.__module__)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["urllib.request", "cached_property", "quotes.index.whoosh"]
    code = ("import sys; sys.argv[0] = 'quotes'; import quotes.index.whoosh, whoosh.compat, whoosh.query.terms; "
            "import html, queue, whoosh.lang.morph_en as m; "
            "assert 'escape' in vars(html) and 'Empty' in vars(queue) and 'variations' in vars(m); "
            "print(whoosh.query.terms.variations('rendering') == m.variations('rendering'), "
            "whoosh.compat.queue.Empty is queue.Empty, whoosh.compat.htmlescape('<') == html.escape('<'))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "True", "True"]  # the real modules, and whoosh's names reach them


def test_the_command_collects_garbage_once_its_modules_are_loaded():
    """The collector is off while the `quotes` command imports its modules, on for the command (#10)."""
    code = ("import sys; sys.argv = ['quotes', '--version']; import gc, quotes; off = not gc.isenabled(); "
            "from quotes.cli import main\ntry: main()\nexcept SystemExit: pass\nprint(off, gc.isenabled())")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split()[-2:] == ["True", "True"]
    library = subprocess.run([sys.executable, "-c", "import gc, quotes; print(gc.isenabled())"],
                             capture_output=True, text=True, check=True)
    assert library.stdout.split() == ["True"]  # a program importing the library keeps its collector


@pytest.mark.parametrize(("options", "summary"), [
    ([], "more than 1 quotation for 'late', 1-1 (page 1 of more than 1)"),
    (["--exact-total"], "2 quotations for 'late', 1-1 (page 1 of 2)")])
def test_the_command_line_says_when_a_total_was_not_counted(tmp_path, monkeypatch, options, summary):
    from typer.testing import CliRunner

    from quotes.cli import app
    from quotes.index.whoosh import searching

    text = '"Stargate is late," Son said. "The bridge is late," May said.'
    found = [Quote(t, text.index(t), text.index(t) + len(t), who, None, None, None, "said", "direct", "t", 0.9)
             for t, who in (("Stargate is late,", "Masayoshi Son"), ("The bridge is late,", "Theresa May"))]
    with Catalog(tmp_path, create=True) as catalog:
        catalog.upsert_article(Article("a1", text), found)
        index.build(tmp_path, catalog.all_quotes())
    monkeypatch.setattr(searching, "EXACT_TOTAL_UP_TO", 1)
    result = CliRunner().invoke(app, ["search", "late", "--limit", "1", "--index-dir", str(tmp_path), *options])
    assert result.exit_code == 0 and summary in result.output, result.output
