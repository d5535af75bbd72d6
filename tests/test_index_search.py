"""The Whoosh index (quotes.index), indexing runs (quotes.indexer) and the search API (quotes.search)."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

import quotes
from quotes import index
from quotes.articles import ArticleError
from quotes.indexer import index_paths
from quotes.model import Article, Quote, QuotesError
from quotes.paths import NoIndexError
from quotes.search import Hit, QuerySyntaxError, Results, find, get_quote, search, speakers, stats
from quotes.store import Catalog, article_quotes

SEED = Path(__file__).parent.parent / "seeds" / "000_79b1a7c8b752f4f6.txt"

TEXT = ('"Stargate is meant to be a truly global initiative," Sam Altman said. '
        'Son said it was about "updates to the Stargate project". '
        '"Taxes will fall," Theresa May said. "Nobody knows," someone said.')


def q(text: str, speaker: str | None, kind: str = "direct") -> Quote:
    start = TEXT.index(text)
    return Quote(text, start, start + len(text), speaker, None, None, None, "said", kind, "test", 0.9)


ARTICLE = Article("a1", TEXT, title="Stargate", publisher="Times", published="2025-02-04", url="http://x")
QUOTES = [q("Stargate is meant to be a truly global initiative,", "Sam Altman"),
          q("updates to the Stargate project", "Masayoshi Son", "partial"),
          q("Taxes will fall,", "Theresa May"), q("Nobody knows,", None)]


@pytest.fixture
def ix(tmp_path) -> Path:
    """An index of one hand-made article, built the way `quotes index` builds one."""
    path = tmp_path / "ix"
    with Catalog(path, create=True) as catalog:
        catalog.upsert_article(ARTICLE, QUOTES)
        index.build(path, catalog.all_quotes())
    return path


def test_search_finds_words_by_stem_and_marks_them(ix):
    hits = search("global initiatives", index_dir=ix)
    assert [h.quote.speaker for h in hits] == ["Sam Altman"]
    hit = hits[0]
    assert isinstance(hit, Hit) and hit.quote == QUOTES[0]
    assert (hit.article_id, hit.title, hit.publisher, hit.published, hit.url) == (
        "a1", "Stargate", "Times", "2025-02-04", "http://x")
    assert hit.highlights == "Stargate is meant to be a truly «global» «initiative»,"
    assert hit.score > 0 and len(hit.id) == 12
    with pytest.raises(FrozenInstanceError):
        hit.score = 0  # type: ignore[misc]
    d = hit.to_dict()
    assert {"id", "text", "speaker", "article_id", "title", "publisher", "published", "score"} <= set(d)


def test_search_with_a_speaker_filter(ix):
    assert {h.quote.speaker for h in search("Stargate", index_dir=ix)} == {"Sam Altman", "Masayoshi Son"}
    for name in ("Altman", "sam altman", "SAM", "Sam  Altman"):
        assert [h.quote.speaker for h in search("Stargate", index_dir=ix, speaker=name)] == ["Sam Altman"]
    assert search("Stargate", index_dir=ix, speaker="Altmann") == []
    # a stop word that is a name still filters
    assert [h.quote.text for h in search("taxes", index_dir=ix, speaker="May")] == ["Taxes will fall,"]


def test_search_matches_speaker_names_and_phrases(ix):
    assert [h.quote.speaker for h in search("Son", index_dir=ix)] == ["Masayoshi Son"]
    assert search('"initiative global"', index_dir=ix) == []
    assert len(search('"global initiative"', index_dir=ix)) == 1
    assert len(search("Stargate", index_dir=ix, limit=1)) == 1


def test_search_without_an_index_raises_no_index_error(tmp_path):
    with pytest.raises(NoIndexError, match="run `quotes index --index-dir"):
        search("x", index_dir=tmp_path / "none")
    with Catalog(tmp_path / "half", create=True):
        pass
    with pytest.raises(NoIndexError, match="run `quotes reindex --index-dir"):  # a catalog without its Whoosh index
        search("x", index_dir=tmp_path / "half")
    with pytest.raises(NoIndexError):
        stats(tmp_path / "none")


def test_speakers_get_quote_and_stats(ix):
    assert [(s.speaker, s.count) for s in speakers(index_dir=ix)] == [
        ("Masayoshi Son", 1), ("Sam Altman", 1), ("Theresa May", 1)]
    hit = search("taxes", index_dir=ix)[0]
    assert get_quote(hit.id[:7], index_dir=ix).quote == hit.quote
    s = stats(ix)
    assert (s.articles, s.quotes, s.attributed, s.speakers) == (1, 4, 3, 3)


def test_update_replaces_and_deletes_documents(ix):
    records = article_quotes(ARTICLE, QUOTES)
    moved = Quote(**{**QUOTES[0].to_dict(), "speaker": "Somebody"})
    index.update(ix, article_quotes(ARTICLE, [moved]), [records[2].id])
    assert index.doc_count(ix) == 3
    found = index.search(ix, "global", filters=index.Filters(speaker="Somebody"))
    assert [h.id for h in found.hits] == [records[0].id] and found.total == 1
    assert index.search(ix, "taxes").hits == []


# -- indexing runs ---------------------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    (d / "one.txt").write_text('"We will ship it this year," Jane Doe said.\n', encoding="utf-8")
    (d / "two.txt").write_text('"Prices keep rising," John Roe said on Monday.\n', encoding="utf-8")
    return d


def test_index_paths_then_reindex_does_no_extraction(tmp_path, corpus, extract_calls):
    first = index_paths([corpus], tmp_path / "ix")
    assert (first.new, first.changed, first.unchanged, first.failed) == (2, 0, 0, 0)
    assert first.quotes_added == 2 and len(extract_calls) == 2
    again = index_paths([corpus], tmp_path / "ix")
    assert (again.new, again.changed, again.unchanged, again.quotes_added) == (0, 0, 2, 0)
    assert len(extract_calls) == 2  # no extraction for unchanged articles
    assert [h.quote.speaker for h in search("ship", index_dir=tmp_path / "ix")] == ["Jane Doe"]


def test_a_changed_article_is_extracted_again(tmp_path, corpus, extract_calls):
    index_paths([corpus], tmp_path / "ix")
    (corpus / "one.txt").write_text('"We will not ship," Jane Doe said.\n', encoding="utf-8")
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.new, report.changed, report.unchanged) == (0, 1, 1)
    assert (report.quotes_added, report.quotes_removed) == (1, 1)
    assert len(extract_calls) == 3
    hits = search("ship", index_dir=tmp_path / "ix")
    assert [h.quote.text.rstrip(",") for h in hits] == ["We will not ship"]
    assert index.doc_count(tmp_path / "ix") == 2


def test_a_lost_whoosh_index_is_rebuilt_from_the_catalog(tmp_path, corpus, extract_calls):
    index_paths([corpus], tmp_path / "ix")
    shutil.rmtree(tmp_path / "ix" / "whoosh")
    report = index_paths([corpus], tmp_path / "ix")
    assert report.unchanged == 2 and len(extract_calls) == 2
    assert len(search("ship OR prices", index_dir=tmp_path / "ix")) == 2


def test_a_bad_line_is_counted_as_failed_and_the_rest_is_indexed(tmp_path, corpus):
    (corpus / "more.jsonl").write_text('{"id": "j1", "text": "\\"Hi there,\\" Bo Lee said."}\nnot json\n',
                                       encoding="utf-8")
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.new, report.failed) == (3, 1)
    assert "more.jsonl:2" in report.errors[0] and report.to_dict()["errors"] == list(report.errors)


def test_index_paths_rejects_a_missing_path(tmp_path):
    with pytest.raises(ArticleError, match="nope"):
        index_paths([tmp_path / "nope"], tmp_path / "ix")


def test_the_seed_article_stargate_quotes(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    report = index_paths([tmp_path / SEED.name], tmp_path / "ix")
    assert report.new == 1 and report.quotes_added >= 2
    hits = search("global initiative", index_dir=tmp_path / "ix")
    assert hits[0].quote.speaker == "Sam Altman"
    assert hits[0].quote.text.startswith("Stargate is meant to be a truly global initiative")
    stargate = {h.quote.speaker for h in search("Stargate", index_dir=tmp_path / "ix")}
    assert {"Sam Altman", "Masayoshi Son"} <= stargate


def test_a_long_quotation_gets_a_fragment_snippet(tmp_path):
    words = " ".join(f"filler{i}" for i in range(120))
    text = f'"{words} the lunar base opens soon {words}," Ada Park said.'
    start = 1
    end = text.index(',"')
    long = Quote(text[start:end], start, end, "Ada Park", None, None, None, "said", "direct", "test", 0.9)
    with Catalog(tmp_path / "ix", create=True) as catalog:
        catalog.upsert_article(Article("long", text), [long])
        index.build(tmp_path / "ix", catalog.all_quotes())
    (hit,) = search("lunar base", index_dir=tmp_path / "ix")
    assert "«lunar» «base»" in hit.highlights
    assert len(hit.highlights) < index.SNIPPET_CHARS + 20 < len(long.text)


def test_only_the_whoosh_backend_imports_whoosh():
    """DESIGN.md: whoosh is imported only inside the Whoosh backend's package, quotes/index/whoosh/."""
    package = Path(quotes.__file__).parent
    importers = {p.relative_to(package).parent.as_posix() for p in package.rglob("*.py")
                 if any(re.match(r"\s*(import whoosh|from whoosh[ .])", line)
                        for line in p.read_text(encoding="utf-8").splitlines())}
    assert importers == {"index/whoosh"}


# -- search pages, dedupe and spelling (#4) -------------------------------------------------------------


def test_find_returns_a_page_with_the_total(ix):
    results = find("*", index_dir=ix, limit=3)
    assert isinstance(results, Results) and (results.total, results.pages, len(results.hits)) == (4, 2, 3)
    assert [h.quote for h in find("*", index_dir=ix, limit=3, page=2).hits] != [h.quote for h in results.hits]
    assert find("*", index_dir=ix, limit=3, page=3).hits == ()
    with pytest.raises(FrozenInstanceError):
        results.total = 0  # type: ignore[misc]
    with pytest.raises(QuotesError, match="at least 1"):
        find("x", index_dir=ix, page=0)


def test_search_takes_the_filters_of_find(ix):
    assert [h.quote.text for h in search("*", index_dir=ix, kind="partial")] == [QUOTES[1].text]
    assert search("*", index_dir=ix, since="2025-03") == []
    assert len(search("*", index_dir=ix, until="2025-02", publisher="times", article="a1")) == 4


def test_a_suggestion_is_searched_only_by_find(ix):
    assert search("Stargte", index_dir=ix) == []
    results = find("Stargte", index_dir=ix)
    assert (results.suggestion, results.corrected, results.searched) == ("stargate", True, "stargate")
    assert {h.quote.speaker for h in results.hits} == {"Sam Altman", "Masayoshi Son"}
    assert find("Stargte", index_dir=ix, correct=False).hits == ()
    assert find("stargate", index_dir=ix).suggestion is None  # indexed words are not corrected
    assert find("initiatives", index_dir=ix).suggestion is None  # nor words whose stem is indexed
    assert index.suggest(ix, 'title:"Stargte"') is None  # nor a field's value
    assert index.suggest(ix, 'publisher:"Stargte" OR Stargte') == 'publisher:"Stargte" OR stargate'


def test_a_short_word_is_corrected_by_one_edit_at_most(ix):
    assert index.suggest(ix, "upxatxs") == "updates"  # seven letters: two edits may do
    assert index.suggest(ix, "glbal") == "global"  # five letters: one edit
    assert index.suggest(ix, "trxlx") is None  # "truly" is two edits away from five letters: too far


def test_an_unreadable_query_raises_query_syntax_error(ix):
    with pytest.raises(QuerySyntaxError, match="unclosed"):
        find('"taxes will', index_dir=ix)
    with pytest.raises(QuerySyntaxError, match="not a date"):
        find("taxes", index_dir=ix, since="yesterday")


def test_dedupe_follows_changes_to_the_articles(tmp_path, corpus):
    (corpus / "three.txt").write_text('Reprint.\n\n"We will ship it this year!" Jane Doe said.\n', encoding="utf-8")
    index_paths([corpus], tmp_path / "ix")
    (hit,) = search("ship", index_dir=tmp_path / "ix")
    assert sorted(o.article_id for o in hit.occurrences) == [str(corpus / "one.txt"), str(corpus / "three.txt")]
    assert find("*", index_dir=tmp_path / "ix").total == 2  # three quotes, two quotations
    (corpus / "three.txt").write_text('Reprint.\n\n"We will not ship," Jane Doe said.\n', encoding="utf-8")
    index_paths([corpus], tmp_path / "ix")
    found = search("ship", index_dir=tmp_path / "ix")
    assert sorted((h.quote.text.rstrip(","), len(h.occurrences)) for h in found) == [
        ("We will not ship", 1), ("We will ship it this year", 1)]
    assert find("*", index_dir=tmp_path / "ix").total == 3


def test_speakers_of_a_query_and_top(ix):
    assert [(s.speaker, s.count) for s in speakers("stargate", index_dir=ix)] == [
        ("Masayoshi Son", 1), ("Sam Altman", 1)]
    assert [s.speaker for s in speakers(index_dir=ix, top=1)] == ["Masayoshi Son"]
    assert speakers("stargate", index_dir=ix, kind="direct")[0].speaker == "Sam Altman"


def test_a_search_from_the_command_line_imports_no_nltk(ix):
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "quotes", "search", "taxes", "--json",
                          "--index-dir", str(ix)], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "Taxes will fall" in run.stdout
    imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time")}
    assert "quotes.index" in imported and not any(m.split(".")[0] == "nltk" for m in imported)


def test_an_index_of_no_quotation_answers_nothing(tmp_path):
    """A first `quotes index` run writes an empty index before it extracts: a search then finds nothing."""
    with Catalog(tmp_path / "ix", create=True) as catalog:
        index.build(tmp_path / "ix", catalog.all_quotes())
    results = find("stargate", index_dir=tmp_path / "ix")
    assert (results.total, results.hits, results.suggestion) == (0, (), None)
    assert speakers("stargate", index_dir=tmp_path / "ix") == []


def test_a_later_segment_without_dates_or_speakers_is_searched(ix):
    """A daily run whose articles have no date (or no attributed quote) writes a segment without those
    columns; the index must still group, sort and filter across segments (#5)."""
    undated = Article("a2", TEXT, title="Reprint")  # the same quotations, no date, reprinted
    index.write(ix, article_quotes(undated, [Quote(**{**x.to_dict(), "speaker": None}) for x in QUOTES]))
    hits = search("taxes", index_dir=ix)
    assert [h.article_id for h in hits] == ["a1"]  # the dated first printing
    assert [h.article_id for h in find("taxes", index_dir=ix, sort="date").hits] == ["a1"]
    assert find("taxes", index_dir=ix, since="2025").total == 1
    assert [(s.speaker, s.count) for s in speakers("taxes", index_dir=ix)] == [("Theresa May", 1)]


def test_an_update_of_undated_articles_keeps_dates_and_filters_right(ix):
    """A segment with no date (nor speaker) in it has no such column: the other segments' must not shift."""
    undated = Article("a2", '"Stargate again," someone said.')
    index.update(ix, article_quotes(undated, [Quote("Stargate again,", 1, 16, None, None, None, None, "said",
                                                      "direct", "test", 0.9)]), [])
    newest = index.search(ix, "stargate", sort="date")
    assert [h.snippet for h in newest.hits][-1] == "«Stargate» again,"  # undated: last
    assert index.search(ix, "stargate", filters=index.Filters(since="2025-02")).total == 2
    assert index.count_speakers(ix, "stargate") == {"masayoshi son": 1, "sam altman": 1}


def test_a_speaker_filter_keeps_whole_words_of_the_name(tmp_path):
    """The speaker test on a column lets "Johnson" through for "Son"; the name's clause then drops it."""
    text = '"Stargate will fly," Boris Johnson said. "Stargate is late," Masayoshi Son said.'
    found = [Quote(t, text.index(t), text.index(t) + len(t), who, None, None, None, "said", "direct", "test", 0.9)
             for t, who in (("Stargate will fly,", "Boris Johnson"), ("Stargate is late,", "Masayoshi Son"))]
    with Catalog(tmp_path / "ix", create=True) as catalog:
        catalog.upsert_article(Article("b1", text, published="2025-03-01"), found)
        index.build(tmp_path / "ix", catalog.all_quotes())
    for since in (None, "2025"):
        results = find("stargate", index_dir=tmp_path / "ix", speaker="Son", since=since)
        assert [h.quote.speaker for h in results.hits] == ["Masayoshi Son"] and results.total == 1


def test_an_index_of_an_older_schema_is_rebuilt_from_the_catalog(tmp_path, corpus, monkeypatch, extract_calls):
    """An index made before the pair fields of phrases: a search names the fix, `quotes index` makes it anew."""
    fields = importlib.import_module("quotes.index.whoosh.schema")
    new_schema, new_document = fields.schema, fields.document

    def old_schema():
        s = new_schema()
        for field in fields.PAIR_FIELDS.values():
            s.remove(field)
        return s

    with monkeypatch.context() as m:
        m.setattr(fields, "schema", old_schema)
        m.setattr(fields, "document", lambda r: {k: v for k, v in new_document(r).items()
                                                 if k not in fields.PAIR_FIELDS.values()})
        index_paths([corpus], tmp_path / "ix")
    assert index.exists(tmp_path / "ix") and not index.is_current(tmp_path / "ix")
    with pytest.raises(QuotesError, match="run `quotes reindex`"):
        search('"prices keep rising"', index_dir=tmp_path / "ix")
    report = index_paths([corpus], tmp_path / "ix")
    assert report.unchanged == 2 and len(extract_calls) == 2  # nothing extracted again
    assert index.is_current(tmp_path / "ix")
    assert [h.quote.speaker for h in search('"prices keep rising"', index_dir=tmp_path / "ix")] == ["John Roe"]
    assert [h.quote.speaker for h in search('"Jane Doe" OR "keep prices"', index_dir=tmp_path / "ix")] == ["Jane Doe"]


@pytest.mark.parametrize(("phrase", "found"), [
    ('"jobs grow"', 1), ('"fast fast jobs"', 1), ('"grow fast and fast"', 1),  # a stop word between
    ('"grow fast jobs"', 0),  # each pair is in the quotation, the three words are not in a row
    ('"jobs fast"', 0), ('"Ann Lee"', 1), ('"Lee Ann"', 0), ('"jobs grow"~3', 1),
])
def test_a_phrase_is_found_by_its_pairs_as_whoosh_finds_it(tmp_path, phrase, found):
    text = '"Jobs grow fast and fast jobs grow," Ann Lee said.'
    start = text.index("Jobs")
    quote = Quote("Jobs grow fast and fast jobs grow,", start, start + 34, "Ann Lee", None, None, None, "said",
                  "direct", "test", 0.9)
    path = tmp_path / "ix"
    with Catalog(path, create=True) as catalog:
        catalog.upsert_article(Article("p1", text), [quote])
        index.build(path, catalog.all_quotes())
    assert index.search(path, phrase).total == found
