"""The query language and the fields' analysis as plain data, for another backend (quotes.index.sphinx).

The query language is what whoosh's parser reads, with this package's rules (parsing.parse), and a word
matches when its analysed form does (schema's analyzers: stems for the quoted words, lowercased words for
names). A second backend that asks this module for both finds the same documents as Whoosh does without
importing whoosh itself: `query_tree` gives a parsed query as quotes.index.tree nodes (`query_parts`
with the parts a search falls back on), `analyze` the terms a field's text is indexed as (in order, stop
words left out as Whoosh leaves them out), and `snippet` marks a hit's matched words as a Whoosh hit's are marked.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from whoosh import query

from quotes.index import tree
from quotes.index.records import QuerySyntaxError, date_bound, day
from quotes.index.whoosh import schema as fields
from quotes.index.whoosh.parsing import clauses, parse
from quotes.index.whoosh.snippets import snippet as _snippet

__all__ = ["analyze", "query_tree", "query_parts", "snippet"]

@cache
def _analyzer(field: str) -> Any:
    return fields.schema()[field].analyzer if hasattr(fields.schema()[field], "analyzer") else None


def analyze(field: str, text: str) -> list[str]:
    """The terms of a field's text, in order, as Whoosh indexes them (an id field: the value itself)."""
    analyzer = _analyzer(field)
    if analyzer is None or field in ("kind", "article_id", "published", "text_key", "speaker_key"):
        return [text]
    return [t.text for t in analyzer(text)]


def query_tree(text: str) -> tree.Node:
    """A query string as tree nodes (QuerySyntaxError where it cannot be read): see quotes.index.tree."""
    return _node(parse(text))


def query_parts(text: str) -> tuple[tree.Node, tuple[tree.Node, ...]]:
    """A query as tree nodes and its required parts (parsing.clauses): what a search falls back on, the
    quotations holding most of them, where none holds them all (none for a query with NOT)."""
    q = parse(text)
    return _node(q), tuple(_node(part) for part in clauses(q))


def snippet(text: str, matched: Iterable[tuple[str, str]]) -> str:
    """The quotation with these (field, term) matches marked, whole when short, else its best fragments."""
    return _snippet(text, matched)


def _node(q: query.Query) -> tree.Node:  # noqa: PLR0911 - one case per kind of whoosh query
    if isinstance(q, query.Every):
        return tree.Everything()
    if isinstance(q, type(query.NullQuery)):
        return tree.Nothing()
    if isinstance(q, query.AndNot):
        return tree.And((_node(q.a), tree.Not(_node(q.b))))
    if isinstance(q, query.AndMaybe):
        return tree.AndMaybe(_node(q.a), _node(q.b))
    if isinstance(q, query.Not):
        return tree.Not(_node(q.query))
    if isinstance(q, query.And):
        return tree.And(tuple(_node(sub) for sub in q.subqueries))
    if isinstance(q, query.Or):
        items = tuple(_node(sub) for sub in q.subqueries)
        return tree.Everything() if any(isinstance(i, tree.Everything) for i in items) else tree.Or(items)
    if isinstance(q, query.FuzzyTerm):
        return tree.Fuzzy(q.fieldname, str(q.text), q.maxdist, q.prefixlength)
    if isinstance(q, query.Prefix):
        return tree.Prefix(q.fieldname, str(q.text))
    if isinstance(q, query.Wildcard):
        return tree.Wildcard(q.fieldname, str(q.text))
    if isinstance(q, query.Term):
        if q.fieldname == "published":  # a whole date; months and years are ranges of `day` already
            value = date_bound(str(q.text))
            return tree.Days(day(value), day(value, end=True))
        return tree.Term(q.fieldname, str(q.text))
    if isinstance(q, query.Phrase):
        return tree.Phrase(q.fieldname, tuple(str(w) for w in q.words), q.slop)
    if isinstance(q, query.NumericRange) and q.fieldname == "day":
        start = None if q.start is None else int(q.start) + bool(q.startexcl)
        end = None if q.end is None else int(q.end) - bool(q.endexcl)
        return tree.Days(start, end)
    raise QuerySyntaxError(f"this search backend cannot run {q!r}; try a simpler query or the Whoosh backend")
