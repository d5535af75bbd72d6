"""Matching in a Whoosh index: the documents a query matches, found with set operations on postings, and
the matchers of phrases that look up their word pairs first."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from whoosh import matching, query

from quotes.index.whoosh.internals import PhraseAt, posting_ids
from quotes.index.whoosh.parsing import expand_fuzzy, parse
from quotes.index.whoosh.reading import Opened
from quotes.index.whoosh.schema import PAIR_FIELDS
from quotes.index.whoosh.scoring import Narrowed, among


def prepared(opened: Opened, text: str) -> query.Query:
    """A query string as the whoosh query a search runs: parsed, fuzzy words expanded, phrases paired."""
    return paired(expand_fuzzy(parse(text, opened.searcher.schema), opened))


def matching_docs(searcher: Any, q: query.Query) -> list[int]:
    """The document numbers a query matches, unscored, in order.

    Words, their unions and intersections, NOT and two-word phrases are sets of postings combined with
    set operations (a term's postings read a block at a time): whoosh's matchers would step through every
    posting in Python, three calls each. A longer phrase reads word positions only in the documents that
    hold all of its pairs; anything else is walked by its own matcher.
    """
    found: list[int] = []
    for sub, offset in searcher.leaf_searchers():
        found.extend(sorted(d + offset for d in _leaf_docs(sub, q)))
    return found


def docs_among(searcher: Any, q: query.Query, docs: list[int]) -> list[int]:
    """The documents of `docs` (sorted) that a query matches, its matcher moved to each in turn: for a few
    documents, cheaper than listing the query's. Filters' clauses (ConstantScoreQuery) are matched as
    their queries, not listed first as whoosh does for an unscored search."""
    context = searcher.context(needs_current=True, weighting=None)
    found: list[int] = []
    for sub, offset in searcher.leaf_searchers():
        here = [d - offset for d in docs if offset <= d < offset + sub.doc_count_all()]
        if here:
            found.extend(sorted(d + offset for d in among(q.matcher(sub, context), here, score=False)))
    return found


def _leaf_docs(searcher: Any, q: query.Query) -> set[int]:
    """The documents of one segment (`searcher` of one leaf) that a query matches."""
    reader = searcher.reader()
    kind = type(q)
    if kind is query.Term:
        if (q.fieldname, q.text) not in reader:
            return set()
        return set(posting_ids(reader, q.fieldname, q.text))
    if kind is query.Or and not q.minmatch:
        return set().union(*(_leaf_docs(searcher, sub) for sub in q.subqueries))
    if kind is query.And:
        positive = [sub for sub in q.subqueries if type(sub) is not query.Not]
        negative = [sub.query for sub in q.subqueries if type(sub) is query.Not]
        if positive:
            docs = _intersection(searcher, positive)
            for sub in negative:
                if docs:
                    docs -= _leaf_docs(searcher, sub)
            return docs
    if kind is query.AndNot:
        docs = _leaf_docs(searcher, q.a)
        return docs - _leaf_docs(searcher, q.b) if docs else docs
    if kind is query.AndMaybe:
        return _leaf_docs(searcher, q.a)
    if kind is query.Require:
        return _intersection(searcher, [q.a, q.b])
    if kind is query.ConstantScoreQuery:
        return _leaf_docs(searcher, q.child)
    if q is query.NullQuery or kind is type(query.NullQuery):
        return set()
    if kind is PairedPhrase and q.paired() and len(q.plain_words()) == 2:
        return q.pair_docs(reader)  # a document holding the pair holds the phrase
    return set(q.matcher(searcher, searcher.boolean_context()).all_ids())


def _intersection(searcher: Any, parts: list[query.Query]) -> set[int]:
    """The documents every part matches: the smallest part's set first; a part SKEW times bigger than what
    is left is only tested at those documents (its matcher moved to each: blocks of postings that hold
    none of them are skipped unread), the others' sets intersected."""
    reader = searcher.reader()
    docs: set[int] | None = None
    for size, sub in sorted(((_estimate(sub, reader), i), sub) for i, sub in enumerate(parts)):
        if docs is None:
            docs = _leaf_docs(searcher, sub)
        elif len(docs) * SKEW < size[0]:
            while type(sub) is query.ConstantScoreQuery:  # (whose matcher would list every document first)
                sub = sub.child
            docs = set(among(sub.matcher(searcher, searcher.boolean_context()), sorted(docs), score=False))
        else:
            docs &= _leaf_docs(searcher, sub)
        if not docs:
            return set()
    return docs or set()


# A part of an AND this many times bigger than the documents left is tested at them, not read whole.
SKEW = 8


def _estimate(q: query.Query, reader: Any) -> int:
    """About how many documents a query matches (whoosh's estimate; a phrase: its rarest word)."""
    try:
        return int(q.estimate_size(reader))
    except Exception:  # a query whoosh cannot estimate: walked last
        return 2**62


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

    def plain_words(self) -> list[str]:
        """The phrase's words, without the places of stop words left out."""
        return [w for w in self.words if w is not None]

    def pair_docs(self, reader: Any) -> set[int]:
        """The documents of a segment (`reader`) that hold every pair of adjacent words of the phrase."""
        words, field = self.plain_words(), PAIR_FIELDS[self.fieldname]
        pairs = sorted({f"{a} {b}".encode() for a, b in zip(words, words[1:], strict=False)},
                       key=lambda p: reader.doc_frequency(field, p))
        if not all((field, p) in reader for p in pairs):
            return set()
        docs = set(posting_ids(reader, field, pairs[0]))
        for p in pairs[1:]:
            if not docs:
                break
            docs.intersection_update(posting_ids(reader, field, p))
        return docs

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        words = self.plain_words()
        if not self.paired():
            return super().matcher(searcher, context)
        reader = searcher.reader()
        docs = sorted(self.pair_docs(reader))
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


class Only(Narrowed):
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
