"""Searching a Whoosh index: the page of best (or newest) quotations, their total, and speaker counts.

By relevance with no filter on columns, every match is scored in one pass over the query's postings
(scoring.py), and the best are taken with a heap, enough for the page's quotations. Otherwise the
documents the query matches are listed unscored (set operations on postings, matching.py) and narrowed by
the filters' columns; only those kept are scored (by date: only those of the newest days, enough for the
page). The documents kept give the total, counted as quotations (one per text_key).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from whoosh import query

from quotes.index.records import EXACT_TOTAL_UP_TO, SORTS, Filters, IndexHit, IndexPage
from quotes.index.whoosh.filtering import filtered, kept
from quotes.index.whoosh.matching import docs_among, matching_docs, prepared
from quotes.index.whoosh.parsing import clauses, exact, is_everything
from quotes.index.whoosh.reading import Opened, open_index, reads_index
from quotes.index.whoosh.scoring import MatchedTerms, all_scores
from quotes.index.whoosh.snippets import snippet
from quotes.model import QuotesError

# Up to this many documents kept by filters are scored one by one (the query's matcher moved to each with
# skip_to); more are scored with every match of the query in one pass (scoring.py). Either gives the same
# scores; this is about where one costs as much as the other.
SCORE_EACH_UP_TO = 300
# The first top-k asks for this many documents per quotation of the page (one quotation printed by
# several articles is several documents), then four times as many each time they hold too few.
DOCS_PER_QUOTATION = 2

Ranked = list[tuple[float, int]]  # (score, docnum), best first


@reads_index
def search(index_dir: Path, text: str, *, filters: Filters | None = None, sort: str = "relevance",
           limit: int = 10, offset: int = 0, exact_total: bool = False) -> IndexPage:
    """Quotations matching a query (see `parse`), one hit per quotation, `limit` of them from `offset`.

    Documents sharing a `text_key` (one quotation printed by several articles) are one hit, ranked as the
    best of them. By relevance (BM25F) the hit is the first printing among those that match; by date
    (newest first, then by relevance) it is the newest. The total counts quotations exactly up to
    EXACT_TOTAL_UP_TO, beyond only with `exact_total`.

    Where no quotation holds every word of a query of words (a sentence pasted with words around the
    quotation), the quotations holding most of them are the hits, those holding most first, and the page
    says `partial`. A query with NOT means it, and gets no such fallback. By relevance, a quotation whose
    words are those of the query, or of a quotation in it (“…,” she said), comes first: pasted, a
    quotation is its own first hit, whatever the longer ones that repeat its words.
    """
    opened = open_index(index_dir)
    q = prepared(opened, text)
    if sort not in SORTS:
        raise QuotesError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    up_to = None if exact_total else EXACT_TOTAL_UP_TO
    same = exact(text)
    first = set(matching_docs(opened.searcher, same)) if same is not None else set()
    parts, held = clauses(q), None
    if len(parts) >= MANY_PARTS:  # a pasted sentence: whether any quotation holds every word, first
        held = _held(opened, parts)
    page = IndexPage([], 0)
    if held is None or max(held.values(), default=0) == len(parts):
        page = _page(opened, q, filters, sort, limit, offset, up_to, first=first)
    if not page.total and len(parts) > 1:
        held = held if held is not None else _held(opened, parts)
        most = _page(opened, query.Or(parts), filters, sort, limit, offset, up_to, held=held, first=first)
        if most.total:
            page = replace(most, partial=True)
    return replace(page, indexed=opened.searcher.doc_count())


# A query of this many words (or phrases) ANDed is a pasted sentence: which documents hold how many of them
# is counted before the AND is run, which is skipped where no document holds them all (a sentence pasted
# with words around its quotation): the AND's matchers cost as much as the fallback, for nothing.
MANY_PARTS = 4


def _held(opened: Opened, parts: list[query.Query]) -> Counter[int]:
    """How many of the parts each document holds."""
    return Counter(d for part in parts for d in matching_docs(opened.searcher, part))


def _page(opened: Opened, q: query.Query, filters: Filters | None, sort: str, limit: int, offset: int,
          up_to: int | None, held: Counter[int] | None = None, first: set[int] | frozenset[int] = frozenset(),
          ) -> IndexPage:
    """One page of the matches of a prepared query; with `held` (how many parts of the query each document
    holds), those holding most first, then by relevance; the documents of `first` (the query's own words)
    before all."""
    full, keep = filtered(q, filters), kept(opened, filters)
    scores: dict[int, float] | None = None
    told = MatchedTerms()  # the hits' matched terms, where the scoring pass tells them
    if sort == "relevance" and not keep:  # every match scored in one pass: its documents too
        scores = all_scores(opened.searcher, full, scoring(opened.searcher), told)
        docs = sorted(scores)
    elif keep and not is_everything(q):  # the query's documents, narrowed by the columns' tests first,
        docs = [d for d in matching_docs(opened.searcher, q) if keep(d)]
        if full is not q:  # then by the filters' clauses (the speaker's name, publisher, article) at those left
            docs = docs_among(opened.searcher, full, docs)
    else:  # the documents alone (of the filters' clauses, where the query is everything)
        docs = matching_docs(opened.searcher, full)
        if keep:
            docs = [d for d in docs if keep(d)]
    printed = None  # the documents by quotation (text_key), where there are few: read as they are counted
    if sort == "relevance" and len(docs) <= SCORE_EACH_UP_TO and (up_to is None or len(docs) <= up_to):
        printed = _by_quotation(opened, docs)
        total, total_exact = len(printed), True
    else:
        total, total_exact = _count_quotations(opened, docs, up_to)
    wanted = offset + limit
    found: dict[int, tuple[float, list[Any]]] = {}  # docnum -> score, matched terms
    order = _ranking(held, first)
    if sort == "date":
        ranked = _newest(opened, full, docs, wanted, found, order)
    elif scores is None and len(docs) <= SCORE_EACH_UP_TO:
        ranked = _scored(opened.searcher, full, docs, found, order)
    else:
        if scores is None:
            kept_docs = set(docs)
            scores = {d: s for d, s in all_scores(opened.searcher, full, scoring(opened.searcher), told).items()
                      if d in kept_docs}
        ranked = _best(opened, scores, wanted, order if held or first else None)
    groups = _groups(opened, ranked)
    shown = []
    matched = (set(scores) if scores is not None else set(docs)) if sort == "relevance" else set()
    # Where every match is ranked, each group already holds all of its quotation's matched printings, and
    # where there are few matches they were read as they were counted: the printings' postings need not be
    # looked up (a term lookup, a seek and a read, per hit shown).
    whole = len(ranked) == len(matched)
    for docnums in list(groups.values())[offset:wanted]:
        if sort == "relevance":  # show the first printing (as `occurrences` are ordered)
            if whole:
                docnums = sorted(docnums)
            elif printed is not None:  # (matched is among docs)
                docnums = sorted(d for d in printed[opened.column("text_key")[docnums[0]] or docnums[0]]
                                 if d in matched)
            else:
                docnums = _printings(opened, matched, docnums)
            if len(docnums) > 1:
                dates = opened.column("published")
                docnums = sorted(docnums, key=lambda d: (dates[d] or b"~", d))
        shown.append(docnums[0])
    if scores is not None:
        for d in shown:
            if d not in found and (matched_terms := told.of(d)) is not None:
                found[d] = (scores[d], matched_terms)
    missing = [d for d in shown if d not in found]
    if missing:
        found.update(visit(opened.searcher, full, missing))
    hits = []
    for docnum in shown:
        stored, (score, terms) = opened.searcher.stored_fields(docnum), found[docnum]
        hits.append(IndexHit(stored["id"], float(score), snippet(stored["text"], terms)))
    return IndexPage(hits, total, total_exact)


Order = Callable[[tuple[float, int]], tuple[float, ...]]  # the sort key of a (score, docnum)


def _ranking(held: Counter[int] | None, first: set[int] | frozenset[int]) -> Order:
    """Best first, ties by document number; with `held`, the documents holding most parts of the query
    first; the documents of `first` before all."""
    if held is None and not first:
        return lambda r: (-r[0], r[1])
    counts = held if held is not None else Counter()
    return lambda r: (r[1] not in first, -counts[r[1]], -r[0], r[1])


def _by_quotation(opened: Opened, docs: Sequence[int]) -> dict[bytes | int, list[int]]:
    """These documents by quotation (text_key; a document without one is its own)."""
    keys = opened.column("text_key")
    by_key: dict[bytes | int, list[int]] = {}
    for docnum in docs:
        by_key.setdefault(keys[docnum] or docnum, []).append(docnum)
    return by_key


def _count_quotations(opened: Opened, docs: Sequence[int], up_to: int | None) -> tuple[int, bool]:
    """How many quotations (documents of different text_keys) these documents are: exactly, or up_to and
    False once there are more than that."""
    keys = opened.column("text_key", whole=len(docs) > SCORE_EACH_UP_TO)
    if up_to is None or len(docs) <= up_to:
        return len({keys[d] or d for d in docs}), True
    seen: set[bytes | int] = set()
    step = max(1, up_to // 4)
    for start in range(0, len(docs), step):  # counted a slice at a time, until there are too many
        seen.update(keys[d] or d for d in docs[start:start + step])
        if len(seen) > up_to:
            return up_to, False
    return len(seen), True


def _scored(searcher: Any, q: Any, docs: Sequence[int], found: dict[int, tuple[float, list[Any]]],
            order: Order) -> Ranked:
    """Every one of these documents scored, in `order` (see `_ranking`)."""
    found.update(visit(searcher, q, docs))
    return sorted(((score, d) for d, (score, _) in found.items()), key=order)


def _best(opened: Opened, scores: dict[int, float], wanted: int, order: Order | None) -> Ranked:
    """The best of these scored documents, enough to hold `wanted` quotations (or all), best first (ties:
    the lower document number first, as whoosh's collector ranks them), or all of them in `order`."""
    n = wanted * DOCS_PER_QUOTATION
    while True:
        if n >= len(scores) or order is not None:
            return sorted(((s, d) for d, s in scores.items()), key=order or _ranking(None, frozenset()))
        least = heapq.nlargest(n, scores.values())[-1]  # the n-th best score: the rest score less
        ranked = sorted(((s, d) for d, s in scores.items() if s >= least), key=lambda r: (-r[0], r[1]))[:n]
        if len(_groups(opened, ranked)) >= wanted:
            return ranked
        n *= 4


def _newest(opened: Opened, q: Any, docs: Sequence[int], wanted: int,
            found: dict[int, tuple[float, list[Any]]], order: Order) -> Ranked:
    """The newest documents, enough to hold `wanted` quotations (or all), each day's best first: the days
    are taken whole, newest first, and only their documents scored. Undated documents come last."""
    dates = opened.column("published")
    by_day: dict[bytes, list[int]] = defaultdict(list)
    for docnum in docs:
        by_day[dates[docnum]].append(docnum)
    keys = opened.column("text_key", whole=len(docs) > SCORE_EACH_UP_TO)
    taken: list[int] = []
    quotations: set[bytes | int] = set()
    for day in sorted(by_day, reverse=True):  # b"" (undated) last
        taken.extend(by_day[day])
        quotations.update(keys[d] or d for d in by_day[day])
        if len(quotations) >= wanted:
            break
    ranked = _scored(opened.searcher, q, taken, found, order)
    ranked.sort(key=lambda r: dates[r[1]], reverse=True)  # stable: each day's best first
    return ranked


def _groups(opened: Opened, ranked: Ranked) -> dict[bytes | int, list[int]]:
    """The ranked documents by quotation (text_key), in the order of each quotation's first document."""
    return _by_quotation(opened, [docnum for _, docnum in ranked])


def _printings(opened: Opened, matched: set[int], group: list[int]) -> list[int]:
    """Every document of `matched` printing the quotation of this group (found by its text_key's postings)."""
    key = opened.column("text_key")[group[0]]
    if not key:
        return group
    return sorted(d for d in opened.key_docs(key) if d in matched)


def visit(searcher: Any, q: Any, docnums: Iterable[int]) -> dict[int, tuple[float, list[Any]]]:
    """The score and matched (field, term) pairs of each of these documents that the query matches, as
    whoosh's search with `terms=True` finds them; the others are left out.

    The query's matcher is moved to each document in turn (`skip_to`): the cost is that of the
    documents asked for, not of every document the query matches.
    """
    wanted = sorted(set(docnums))
    found: dict[int, tuple[float, list[Any]]] = {}
    context = scoring(searcher)
    for sub, offset in searcher.leaf_searchers():
        here = [d - offset for d in wanted if offset <= d < offset + sub.doc_count_all()]
        if not here:
            continue
        matcher = q.matcher(sub, context)
        leaves = list(matcher.term_matchers())
        for docnum in here:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                terms = [leaf.term() for leaf in leaves if leaf.is_active() and leaf.id() == docnum]
                found[docnum + offset] = (float(matcher.score()), terms)
    return found


def scoring(searcher: Any) -> Any:
    """How a search walks and scores: as whoosh's search with `terms=True` does (and `search` did before
    #4 took the terms only for the hits shown), where a ConstantScoreQuery is scored as its clause."""
    return searcher.context(needs_current=True)


@reads_index
def count_speakers(index_dir: Path, text: str, *, filters: Filters | None = None) -> dict[str, int]:
    """How many quotations (not documents: see `search`) matching the query each canonical speaker has."""
    opened = open_index(index_dir)
    docs = matching_docs(opened.searcher, filtered(prepared(opened, text), filters))
    keep = kept(opened, filters)
    keys = opened.column("text_key", whole=len(docs) > SCORE_EACH_UP_TO)
    speakers = opened.column("speaker_key")
    quotations: dict[bytes, set[bytes]] = defaultdict(set)
    for docnum in docs:
        if speakers[docnum] and (not keep or keep(docnum)):
            quotations[speakers[docnum]].add(keys[docnum])
    counts = {s.decode("utf-8"): len(k) for s, k in quotations.items()}
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
