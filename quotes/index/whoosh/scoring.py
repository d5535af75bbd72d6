"""Every match of a query scored in one pass over its postings, with whoosh's own arithmetic.

Whoosh's collector moves its matcher tree from one document to the next and asks each node for the
score: several calls in Python per node and posting (12 µs a match: 220 ms for the 18,533 matches of
"trump"). Here each node of the same matcher tree gives the scores of all its documents at once: a word
reads its postings a block at a time and scores each with its own BM25F scorer and the field lengths held
in memory; a union adds its two sides where both match, in the order the matcher adds them, so that
every score is the one whoosh gives, to the last bit. An intersection (words ANDed), whose matcher
leapfrogs from one side's match to the other's without reading the blocks between, and a node of
another kind (a phrase's matcher) are walked as whoosh walks them: reading both sides of an AND whole
cost as much CPU (9-10 ms a query of two words on 100,000 quotations, either way).

Block-max skipping (whoosh's block quality) was measured first: a block of 128 postings of a common word
nearly always holds a short quotation with the word, so its best possible score is near the best score
of all and almost no block was skipped (4,000 matches of "people": 4,000 scored).
"""

from __future__ import annotations

from typing import Any

from whoosh import matching
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

from quotes.index.whoosh.internals import held_lengths, leaf_blocks, leaf_field

Scores = dict[int, float]  # document number in a segment -> score

# The field length of each length byte, as W3PerDocReader.doc_field_length gives it (a matched document
# has a length: byte 0 is never read).
_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]


def all_scores(searcher: Any, q: Any, context: Any) -> dict[int, float]:
    """Every document the query matches, with the score whoosh's matcher (in `context`) gives it."""
    found: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        scores = _scores(sub, q.matcher(sub, context))
        found.update((d + offset, s) for d, s in scores.items()) if offset else found.update(scores)
    return found


def _scores(searcher: Any, m: Any) -> Scores:
    """The scores of the documents of a matcher from where it stands (a matcher is used up)."""
    if not m.is_active():
        return {}
    kind = type(m)
    if kind is matching.WrappingMatcher:  # a boost: the child's score times it
        boost = m.boost
        return {d: s * boost for d, s in _scores(searcher, m.child).items()}
    if kind is matching.UnionMatcher:
        a, b = _scores(searcher, m.a), _scores(searcher, m.b)
        merged = {**b, **a}
        for d, s in b.items():
            if d in a:
                merged[d] = a[d] + s
        return merged
    if kind is matching.IntersectionMatcher:  # leapfrogged as whoosh does: blocks between matches unread
        return _walked(m)
    if kind is matching.AndNotMatcher:
        a = _scores(searcher, m.a)
        excluded = among(m.b, sorted(a), score=False)
        return {d: s for d, s in a.items() if d not in excluded}
    if kind is matching.AndMaybeMatcher:
        a = _scores(searcher, m.a)
        b = among(m.b, sorted(a))
        return {d: (s + b[d] if d in b else s) for d, s in a.items()}
    field = leaf_field(m)
    lengths = held_lengths(searcher.reader(), field) if field else None
    blocks = leaf_blocks(m) if lengths is not None and type(m.scorer) is BM25FScorer else None
    if blocks is not None and lengths is not None:
        idf, part = _bm25_parts(m.scorer)
        k1_plus_1 = m.scorer.K1 + 1
        found: Scores = {}
        for ids, weights in blocks:
            for d, w in zip(ids, weights, strict=True):
                found[d] = idf * ((w * k1_plus_1) / (w + part[lengths[d]]))
        return found
    return _walked(m)


def _bm25_parts(scorer: BM25FScorer) -> tuple[float, list[float]]:
    """A BM25F scorer's idf, and the part of bm25's denominator that depends on the field length, for each
    length byte: whoosh.scoring.bm25 is idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))),
    and each sub-expression computed alone gives the same float as within it."""
    b, k1, avgfl = scorer.B, scorer.K1, scorer.avgfl
    part = [k1 * ((1 - b) + b * fl / avgfl) if fl is not None else float("nan") for fl in _LENGTHS]
    return scorer.idf, part


def among(m: Any, docs: list[int], *, score: bool = True) -> Scores:
    """The scores (or 0.0, not `score`) of the documents of `docs` (sorted) that a matcher matches, moved
    to each in turn: blocks that hold none of them are skipped unread."""
    found: Scores = {}
    for d in docs:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            found[d] = m.score() if score else 0.0
    return found


def _walked(m: Any) -> Scores:
    """The scores of a matcher's documents, walked as whoosh walks it."""
    found: Scores = {}
    while m.is_active():
        found[m.id()] = m.score()
        m.next()
    return found
