"""The Whoosh backend's fast paths against whoosh's own answers: the documents a query matches (set
operations on postings), every score of a one-pass scoring (to the last bit), the first page, the total
counted up to a bound."""

from __future__ import annotations

import random

import pytest

from quotes import index
from quotes.index.whoosh import parsing, searching
from quotes.index.whoosh.matching import matching_docs, prepared
from quotes.index.whoosh.reading import open_index
from quotes.index.whoosh.scoring import MatchedTerms, all_scores
from quotes.model import Quote
from quotes.store import ArticleQuote

WORDS = ("taxes will fall", "global initiative", "people want jobs", "the economy is rigged", "trump said",
         "clinton", "we have to build", "immigration reform now", "stargate", "jobs jobs jobs")
SPEAKERS = ("Donald Trump", "Hillary Clinton", "Bernie Sanders", "Theresa May", None)
N_DOCS = 600  # several blocks of postings (128 each) for the common words


def record(i: int, rng: random.Random) -> ArticleQuote:
    text = " ".join(rng.choice(WORDS) for _ in range(1 + i % 4)) + f" number{i % 50}"
    if i % 10 == 9:  # a reprint: the quotation of an earlier document, word for word
        text = " ".join(WORDS[(i // 10) % len(WORDS)] for _ in range(2))
    quote = Quote(text, 0, len(text), SPEAKERS[i % len(SPEAKERS)], None, None, None, "said",
                  "partial" if i % 3 else "direct", "test", 0.9)
    return ArticleQuote(f"q{i}", quote, f"a{i % 40}", f"Title {i % 7}", ("Times", "Post")[i % 2],
                        f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 17 else None, None)


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "ix"
    rng = random.Random(3)
    records = [record(i, rng) for i in range(N_DOCS)]
    index.build(path, records[:500])
    index.update(path, records[500:], ["q3", "q77"])  # a second segment, and deletions in the first
    return path


QUERIES = ["trump", "jobs", "taxes jobs", "taxes OR stargate", "jobs NOT trump", "jobs AND NOT clinton",
           '"taxes will fall"', '"will fall"', '"global initiative" people', '"jobs jobs"', "speaker:trump",
           'speaker:"donald trump"', "immigr*", "jbs~", "tax~2", "published:2016-03", "kind:direct jobs",
           "published:[2016-02 to 2016-05] rigged", "(taxes OR jobs) AND reform", "number7", "xylophone",
           'publisher:times "trump said"', "title:title", "jobs ANDMAYBE trump", "*",
           "trump clinton jobs", '"will fall" jobs', '"will fall" OR stargate', "(jbs~ OR trump) taxes",
           "taxes OR xylophone"]


@pytest.mark.parametrize("text", QUERIES)
def test_matching_docs_are_whooshs(ix, text):
    opened = open_index(ix)
    q = prepared(opened, text)
    assert matching_docs(opened.searcher, q) == sorted(opened.searcher.docs_for_query(q))


@pytest.mark.parametrize("text", QUERIES)
def test_every_score_is_whooshs_to_the_last_bit(ix, text):
    opened = open_index(ix)
    q = prepared(opened, text)
    context = searching.scoring(opened.searcher)
    collector = opened.searcher.collector(limit=None)
    opened.searcher.search_with_collector(q, collector, context=context)
    expected = {d: s for s, d in collector.results().top_n}
    assert all_scores(opened.searcher, q, context) == expected
    if text not in ("xylophone",):
        assert expected  # each query finds something


def test_a_parser_made_once_parses_as_a_new_one(ix, monkeypatch):
    """The parser kept for a schema gives each query the query a parser made for it alone gives."""
    schema = open_index(ix).searcher.schema
    kept = [parsing.parse(text, schema) for text in QUERIES * 2]
    made = []
    for text in QUERIES * 2:
        parsing._parsers.clear()
        made.append(parsing.parse(text, schema))
    assert kept == made


@pytest.mark.parametrize("text", QUERIES)
def test_matched_terms_from_the_scoring_pass_are_visits(ix, text):
    """Where the scoring pass tells a document's matched terms, they are those of the second walk."""
    opened = open_index(ix)
    q = prepared(opened, text)
    told = MatchedTerms()
    scores = all_scores(opened.searcher, q, searching.scoring(opened.searcher), told)
    walked = searching.visit(opened.searcher, q, scores)
    known = {d: told.of(d) for d in scores}
    assert {d: (scores[d], terms) for d, terms in known.items() if terms is not None} == {
        d: walked[d] for d, terms in known.items() if terms is not None}
    if text in ("trump", "jobs", "taxes jobs", "taxes OR stargate", "trump clinton jobs", '"will fall"',
                '"will fall" jobs', "taxes OR xylophone"):
        assert any(terms for terms in known.values())  # told for some, not all left to the walk


@pytest.mark.parametrize(("text", "options"), [
    ("jobs", {}), ("jobs", {"limit": 3, "offset": 6}), ("trump", {"sort": "date"}), ("jobs", {"limit": 50}),
    ("jobs", {"filters": index.Filters(kind="direct")}), ("jobs", {"filters": index.Filters(speaker="Trump")}),
    ("jobs", {"filters": index.Filters(since="2016-03", until="2016-06"), "sort": "date"}),
    ('"taxes will fall"', {}), ("xylophone", {})])
def test_a_page_is_every_match_scored_ranked_and_grouped(ix, text, options, monkeypatch):
    """The page from the fast paths is the page from scoring each match one by one (the slow path)."""
    fast = searching.search(ix, text, **options)
    monkeypatch.setattr(searching, "SCORE_EACH_UP_TO", 10**9)  # every document scored by moving to it
    monkeypatch.setattr(searching, "all_scores", lambda *args: pytest.fail("scored in one pass"))
    if "filters" not in options and options.get("sort") != "date":  # the unfiltered path scores in one pass
        monkeypatch.setattr(searching, "kept", lambda opened, filters: lambda d: True)
    assert searching.search(ix, text, **options) == fast


@pytest.mark.parametrize(("up_to", "exact_total", "expected"), [
    (1000, False, (None, True)), (5, False, (5, False)), (5, True, (None, True))])
def test_totals_are_exact_up_to_the_bound(ix, monkeypatch, up_to, exact_total, expected):
    everything = searching.search(ix, "jobs", exact_total=True)
    assert everything.total > 5 and everything.total_exact
    monkeypatch.setattr(searching, "EXACT_TOTAL_UP_TO", up_to)
    page = searching.search(ix, "jobs", exact_total=exact_total)
    assert (page.total, page.total_exact) == (expected[0] or everything.total, expected[1])
    assert page.hits == everything.hits
