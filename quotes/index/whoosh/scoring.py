"""Every match of a query scored in one pass over its postings, with whoosh's own arithmetic.

Whoosh's collector moves its matcher tree from one document to the next and asks each node for the
score: several calls in Python per node and posting (12 µs a match: 220 ms for the 18,533 matches of
"trump"). Here each node of the same matcher tree gives the scores of all its documents at once: a word
reads its postings a block at a time and scores each with its own BM25F scorer and the field lengths held
in memory; a union adds its two sides where both match, in the order the matcher adds them, so that
every score is the one whoosh gives, to the last bit. An intersection (words ANDed) reads its sides'
document numbers whole (packed postings, internals.PackedCodec: decoded in C), intersects them as sets
and scores each side only at the documents of both, adding them as its matcher does. With whoosh's
pickled postings, reading both sides whole cost as much as leapfrogging between them (9-10 ms a query of
two words on 100,000 quotations); packed, it costs a fraction. A node of another kind (a phrase's
matcher) is walked as whoosh walks it.

Block-max skipping (whoosh's block quality) was measured first: a block of 128 postings of a common word
nearly always holds a short quotation with the word, so its best possible score is near the best score
of all and almost no block was skipped (4,000 matches of "people": 4,000 scored).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from typing import Any

from whoosh import matching
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

from quotes.index.whoosh.internals import held_lengths, leaf_blocks, leaf_field

Scores = dict[int, float]  # document number in a segment -> score

# The field length of each length byte, as W3PerDocReader.doc_field_length gives it (a matched document
# has a length: byte 0 is never read).
_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]


def all_scores(searcher: Any, q: Any, context: Any, terms: MatchedTerms | None = None) -> dict[int, float]:
    """Every document the query matches, with the score whoosh's matcher (in `context`) gives it; with
    `terms`, what it needs to tell each document's matched terms is kept there."""
    found: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        scores = _scores(sub, m)
        found.update((d + offset, s) for d, s in scores.items()) if offset else found.update(scores)
        if terms is not None:
            terms.segments.append((offset, sub.doc_count_all(), _read_leaves(m)))
    return found


class MatchedTerms:
    """The matched (field, term) pairs of a document, as `searching.visit` finds them (the leaves of the
    query's matcher moved to the document that stand on it), told from the postings the scoring pass read:
    no second walk of the matchers for the hits shown (each a term lookup again, a seek and a read).

    Known only where the matcher tree is unions of words (boosted or not) under intersections (or phrases
    of two words, Narrowed) from its root, a union with a side that matches nothing being its other side:
    a matched document is then held by every leaf of an intersection, and a leaf of a union stands on it
    exactly where its postings hold it. Another tree (a longer phrase, NOT, an intersection inside a
    union, whose leaf may be left on a document the intersection does not match) is left to `visit`.
    """

    def __init__(self) -> None:
        self.segments: list[tuple[int, int, list[Any] | None]] = []  # offset, documents, leaves (or None)

    def of(self, docnum: int) -> list[Any] | None:
        """The matched terms of a document the query matches (None: not known here, walk the matcher)."""
        for offset, count, leaves in self.segments:
            if offset <= docnum < offset + count:
                if leaves is None:
                    return None
                d = docnum - offset
                return [leaf.term() for leaf in leaves if _holds(leaf._quotes_postings[0], d)]
        return None


def _holds(ids: Any, d: int) -> bool:
    i = bisect_left(ids, d)
    return i < len(ids) and ids[i] == d


def _read_leaves(m: Any) -> list[Any] | None:
    """The term matchers of a tree (in `term_matchers` order) whose every leaf's postings were read whole
    (see MatchedTerms), or None."""
    leaves: list[Any] = []

    def walk(node: Any, under_union: bool) -> bool:
        kind = type(node)
        if kind is matching.WrappingMatcher:
            return walk(node.child, under_union)
        if kind is matching.IntersectionMatcher and not under_union:
            return walk(node.a, False) and walk(node.b, False)
        if isinstance(node, Narrowed) and not under_union:  # (stands where its child does: at a match)
            return walk(node.child, False)
        if kind is matching.UnionMatcher:
            if type(node.a) is matching.NullMatcherClass:  # (a word in no name): the other side alone
                return walk(node.b, under_union)
            if type(node.b) is matching.NullMatcherClass:
                return walk(node.a, under_union)
            return walk(node.a, True) and walk(node.b, True)
        if kind is matching.NullMatcherClass:
            return True
        if getattr(node, "_quotes_postings", None) is not None and node.term() is not None:
            leaves.append(node)
            return True
        return False

    return leaves if walk(m, False) else None


def _scores(searcher: Any, m: Any, docs: set[int] | None = None) -> Scores:
    """The scores of the documents of a matcher from where it stands (a matcher is used up); only of those
    of `docs`, where given. (A term's matcher whose postings _docs has read is used up, yet scored.)"""
    kind = type(m)
    if kind is matching.WrappingMatcher:  # a boost: the child's score times it
        boost = m.boost
        return {d: s * boost for d, s in _scores(searcher, m.child, docs).items()}
    if isinstance(m, Narrowed):  # (a phrase of two words: its words' intersection at its pair's documents)
        at = set(m.docs[m.i:]) if docs is None else docs.intersection(m.docs[m.i:])
        boost = m.boost
        return {d: s * boost for d, s in _scores(searcher, m.child, at).items()} if at else {}
    if kind is matching.UnionMatcher:
        a, b = _scores(searcher, m.a, docs), _scores(searcher, m.b, docs)
        merged = {**b, **a}
        for d, s in b.items():
            if d in a:
                merged[d] = a[d] + s
        return merged
    if kind is matching.IntersectionMatcher:
        if not (_readable(searcher, m.a) and _readable(searcher, m.b)):
            return _restricted(_walked(m), docs)  # leapfrogged as whoosh does
        both = _docs(searcher, m.a) & _docs(searcher, m.b)  # (their postings kept for the scores below)
        if docs is not None:
            both &= docs
        if not both:
            return {}
        a, b = _scores(searcher, m.a, both), _scores(searcher, m.b, both)
        return {d: a[d] + b[d] for d in both}  # the sum whoosh's intersection gives, a's side first
    if kind is matching.AndNotMatcher:
        a = _scores(searcher, m.a, docs)
        excluded = among(m.b, sorted(a), score=False)
        return {d: s for d, s in a.items() if d not in excluded}
    if kind is matching.AndMaybeMatcher:
        a = _scores(searcher, m.a, docs)
        b = among(m.b, sorted(a))
        return {d: (s + b[d] if d in b else s) for d, s in a.items()}
    postings = _postings(searcher, m)
    if postings is None:
        return _restricted(_walked(m), docs)
    ids, weights, lengths = postings
    idf, part = _bm25_parts(m.scorer)
    k1_plus_1 = m.scorer.K1 + 1
    found: Scores = {}
    if docs is None:
        for d, w in zip(ids, weights, strict=True):
            found[d] = idf * ((w * k1_plus_1) / (w + part[lengths[d]]))
        return found
    n = len(ids)
    for d in docs:
        i = bisect_left(ids, d)
        if i < n and ids[i] == d:
            w = weights[i]
            found[d] = idf * ((w * k1_plus_1) / (w + part[lengths[d]]))
    return found


def _leaf_lengths(searcher: Any, m: Any) -> bytes | None:
    """The held field lengths of a term's matcher scored by BM25F (None: another matcher, or not held)."""
    field = leaf_field(m)
    if field is None or type(m.scorer) is not BM25FScorer:
        return None
    return held_lengths(searcher.reader(), field)


def _readable(searcher: Any, m: Any) -> bool:
    """Whether a matcher's documents and scores are read from its postings here (not walked)."""
    kind = type(m)
    if kind is matching.WrappingMatcher:
        return _readable(searcher, m.child)
    if kind is matching.UnionMatcher or kind is matching.IntersectionMatcher:
        return _readable(searcher, m.a) and _readable(searcher, m.b)
    return kind is matching.NullMatcherClass or _leaf_lengths(searcher, m) is not None


def _docs(searcher: Any, m: Any) -> set[int]:
    """The documents of a _readable matcher, its postings read (and kept for its scores)."""
    kind = type(m)
    if kind is matching.WrappingMatcher:
        return _docs(searcher, m.child)
    if kind is matching.UnionMatcher:
        return _docs(searcher, m.a) | _docs(searcher, m.b)
    if kind is matching.IntersectionMatcher:
        return _docs(searcher, m.a) & _docs(searcher, m.b)
    if kind is matching.NullMatcherClass:  # a word not in the field
        return set()
    postings = _postings(searcher, m)
    assert postings is not None  # (a _readable leaf)
    return set(postings[0])


def _postings(searcher: Any, m: Any) -> tuple[Any, Any, bytes] | None:
    """The document numbers and weights of a term's matcher from its start, and its field's lengths, read
    once and kept on the matcher (None: a matcher of another kind, or its lengths not held)."""
    kept = getattr(m, "_quotes_postings", None)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    lengths = _leaf_lengths(searcher, m)
    blocks = leaf_blocks(m) if lengths is not None else None
    if blocks is None or lengths is None:
        return None
    ids, weights = array("I"), array("f")
    for block_ids, block_weights in blocks:
        ids.extend(block_ids)
        weights.extend(block_weights)
    m._quotes_postings = kept = (ids, weights, lengths)
    return kept


def _restricted(scores: Scores, docs: set[int] | None) -> Scores:
    return scores if docs is None else {d: s for d, s in scores.items() if d in docs}


class Narrowed(matching.WrappingMatcher):  # type: ignore[misc]
    """A matcher that stops only at the documents of `docs` (sorted) from `docs[i]` on that its child
    matches, each scored as its child scores it times `boost` (matching.Only): scored here as its child
    only at those documents."""

    docs: list[int]
    i: int


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
