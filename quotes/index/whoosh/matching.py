"""Searching a Whoosh index: matching, scoring, ranking and grouping one quotation's printings."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh import matching, query

from quotes.index.records import SORTS, Filters, IndexHit, IndexPage
from quotes.index.whoosh.filtering import filtered, kept
from quotes.index.whoosh.internals import PhraseAt, posting_ids
from quotes.index.whoosh.parsing import expand_fuzzy, is_everything, parse
from quotes.index.whoosh.reading import Opened, open_index, reads_index
from quotes.index.whoosh.schema import PAIR_FIELDS
from quotes.index.whoosh.snippets import snippet
from quotes.model import QuotesError


def prepared(opened: Opened, text: str) -> query.Query:
    """A query string as the whoosh query a search runs: parsed, fuzzy words expanded, phrases paired."""
    return paired(expand_fuzzy(parse(text, opened.searcher.schema), opened))


@reads_index
def search(index_dir: Path, text: str, *, filters: Filters | None = None, sort: str = "relevance",
           limit: int = 10, offset: int = 0, exact_total: bool = False) -> IndexPage:
    """Quotations matching a query (see `parse`), one hit per quotation, `limit` of them from `offset`.

    Documents sharing a `text_key` (one quotation printed by several articles) are one hit, ranked as the
    best of them. By relevance (BM25F) the hit is the first printing among those that match; by date
    (newest first, then by relevance) it is the newest.
    """
    opened = open_index(index_dir)
    q = prepared(opened, text)
    if sort not in SORTS:
        raise QuotesError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    full, keep = filtered(q, filters), kept(opened, filters)
    found: dict[int, tuple[float, list[Any]]] | None  # docnum -> score, matched terms
    if keep and not is_everything(q):
        # Filters that columns can test: the query's matches are listed unscored and tested, and only
        # those kept are scored, with the filters' clauses (which also settle what the test let pass).
        found = visit(opened.searcher, full, [d for d in _docs(opened.searcher, q) if keep(d)])
        ranked = sorted(((score, d) for d, (score, _) in found.items()), key=lambda r: (-r[0], r[1]))
    else:  # one walk, every match scored and ranked (a phrase costs more to walk than to score)
        # The matched terms are recorded during the walk only for a query on positions (a phrase), whose
        # matcher would walk again to find them; for others the hits shown alone are visited below.
        positional = _positional(q)
        collector = opened.searcher.collector(limit=None, terms=positional)
        opened.searcher.search_with_collector(full, collector, context=_scoring(opened.searcher))
        results = collector.results()
        ranked = [(score, d) for score, d in results.top_n if not keep or keep(d)]  # best first
        found = {d: (score, results.docterms.get(d, [])) for score, d in ranked} if positional else None
    if sort == "date":  # newest first; sorted() is stable, so one day's hits stay best first
        dates = opened.column("published")
        ranked.sort(key=lambda r: dates[r[1]], reverse=True)  # undated (b"") last
    keys = opened.column("text_key")
    groups: dict[bytes | int, list[int]] = {}  # text_key -> its documents, first in `ranked` first
    for _, docnum in ranked:
        groups.setdefault(keys[docnum] or docnum, []).append(docnum)
    shown = []
    for docnums in list(groups.values())[offset:offset + limit]:
        if sort == "relevance" and len(docnums) > 1:  # show the first printing (as `occurrences` are ordered)
            dates = opened.column("published")
            docnums = sorted(docnums, key=lambda d: (dates[d] or b"~", d))
        shown.append(docnums[0])
    if found is None:
        found = visit(opened.searcher, full, shown)
    hits = []
    for docnum in shown:
        stored, (score, terms) = opened.searcher.stored_fields(docnum), found[docnum]
        hits.append(IndexHit(stored["id"], float(score), snippet(stored["text"], terms)))
    return IndexPage(hits, len(groups))


@reads_index
def count_speakers(index_dir: Path, text: str, *, filters: Filters | None = None) -> dict[str, int]:
    """How many quotations (not documents: see `search`) matching the query each canonical speaker has."""
    opened = open_index(index_dir)
    q = prepared(opened, text)
    results = opened.searcher.search(filtered(q, filters), limit=None, scored=False)
    keys, speakers = opened.column("text_key"), opened.column("speaker_key")
    keep = kept(opened, filters)
    quotations: dict[bytes, set[bytes]] = defaultdict(set)
    for docnum in results.docs():
        if speakers[docnum] and (not keep or keep(docnum)):
            quotations[speakers[docnum]].add(keys[docnum])
    counts = {s.decode("utf-8"): len(k) for s, k in quotations.items()}
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def visit(searcher: Any, q: query.Query, docnums: Iterable[int]) -> dict[int, tuple[float, list[Any]]]:
    """The score and matched (field, term) pairs of each of these documents that the query matches, as
    whoosh's search with `terms=True` finds them; the others are left out.

    The query's matcher is moved to each document in turn (`skip_to`): the cost is that of the
    documents asked for, not of every document the query matches.
    """
    wanted = sorted(set(docnums))
    found: dict[int, tuple[float, list[Any]]] = {}
    context = _scoring(searcher)
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


def _docs(searcher: Any, q: query.Query) -> list[int]:
    """The document numbers a query matches, unscored, in order.

    A word (a term per search field) or a fuzzy word's terms are a union of postings: read one term at a
    time into a set, as whoosh's union matcher steps through them all in Python at twice the cost.
    """
    if isinstance(q, query.Or) and not q.minmatch and all(isinstance(sub, query.Term) for sub in q.subqueries):
        found: set[int] = set()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            for term in q.subqueries:
                if (term.fieldname, term.text) in reader:
                    found.update(d + offset for d in posting_ids(reader, term.fieldname, term.text))
        return sorted(found)
    return list(searcher.docs_for_query(q))


def _scoring(searcher: Any) -> Any:
    """How a search walks and scores: as whoosh's search with `terms=True` does (and `search` did before
    #4 took the terms only for the hits shown), where a ConstantScoreQuery is scored as its clause."""
    return searcher.context(needs_current=True)


def _positional(q: query.Query) -> bool:
    """Whether a query holds a phrase (or another query on word positions)."""
    if isinstance(q, PairedPhrase) and q.paired():  # moved to a document at the cost of its pairs
        return False
    return isinstance(q, (query.Phrase, query.Sequence, query.SpanQuery)) or any(
        _positional(sub) for sub in q.children())


def paired(q: query.Query) -> query.Query:
    """The phrases of the fields of PAIR_FIELDS as PairedPhrase."""

    def pair(part: query.Query) -> query.Query:
        if type(part) is not query.Phrase or part.fieldname not in PAIR_FIELDS:
            return part
        return PairedPhrase(part.fieldname, part.words, slop=part.slop, boost=part.boost,
                            char_ranges=part.char_ranges)

    return q.accept(pair)


class PairedPhrase(query.Phrase):
    """A phrase whose matcher visits only the documents holding each pair of its adjacent words.

    There it is whoosh's own phrase matcher (the same matches, scores and matched terms), moved from one
    such document to the next (`skip_to`); a phrase of two words holds one pair, and its documents are
    its matches.
    """

    def paired(self) -> bool:
        """Whether the pairs are looked up (else this is whoosh's phrase): no slop, two words or more."""
        return self.slop == 1 and len([w for w in self.words if w is not None]) >= 2

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        words = [w for w in self.words if w is not None]
        if not self.paired():
            return super().matcher(searcher, context)
        reader, field = searcher.reader(), PAIR_FIELDS[self.fieldname]
        pairs = sorted({f"{a} {b}".encode() for a, b in zip(words, words[1:], strict=False)},
                       key=lambda p: reader.doc_frequency(field, p))
        if not all((field, p) in reader for p in pairs):
            return matching.NullMatcher()
        docs = posting_ids(reader, field, pairs[0])
        for p in pairs[1:]:
            if not docs:
                break
            docs = sorted(set(docs).intersection(posting_ids(reader, field, p)))
        if not docs:
            return matching.NullMatcher()
        terms = [query.Term(self.fieldname, w) for w in words]
        if not all((self.fieldname, t.text) in reader for t in terms):
            return matching.NullMatcher()
        ms = [t.matcher(searcher, context) for t in terms]
        # two words: a document holding the pair holds the phrase, and its spans need not be read
        m: Any = Only(matching.IntersectionMatcher(*ms), docs) if len(ms) == 2 else PhraseAt(ms, docs, Only)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


_PAST_THE_END = 2**32  # a document number beyond any: whoosh's documents are numbered with 32 bits


class Only(matching.WrappingMatcher):
    """A matcher that stops only at the documents of `docs` (sorted) that its child matches."""

    def __init__(self, child: Any, docs: list[int]) -> None:
        super().__init__(child)
        self.docs, self.i = docs, 0
        self._settle()

    def _settle(self) -> None:
        """Move to the first document of docs[i:] that the child matches (or past the end)."""
        child, docs = self.child, self.docs
        while self.i < len(docs) and child.is_active():
            if child.id() < docs[self.i]:
                child.skip_to(docs[self.i])
                if not child.is_active():
                    break
            if child.id() == docs[self.i]:
                return
            self.i = bisect_left(docs, child.id(), self.i)
        self.i = len(docs)
        if child.is_active():  # its words' matchers past their ends: none of them is at a later document
            child.skip_to(_PAST_THE_END)

    def is_active(self) -> bool:
        return self.i < len(self.docs)

    def next(self) -> None:
        self.i += 1
        self._settle()

    def skip_to(self, id: int) -> None:
        if self.is_active() and id > self.child.id():
            self.i = bisect_left(self.docs, id, self.i)
            self._settle()

    def all_ids(self) -> Iterator[int]:
        while self.is_active():
            yield self.id()
            self.next()

    def copy(self) -> Only:
        other = Only.__new__(Only)
        other.child, other.boost, other.docs, other.i = self.child.copy(), self.boost, self.docs, self.i
        return other

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self) -> bool:
        return False
