"""A query string as a whoosh query: parsed, then rewritten (dates, unstemmed words, fuzzy words)."""

from __future__ import annotations

import re

from whoosh import query
from whoosh.fields import Schema
from whoosh.qparser import FieldAliasPlugin, FuzzyTermPlugin, MultifieldParser

from quotes.index.records import (
    FIELD_ALIASES,
    FIELD_BOOSTS,
    FUZZY_PREFIX,
    OPERATORS,
    SEARCH_FIELDS,
    QuerySyntaxError,
    check_syntax,
    date_bound,
    day,
)
from quotes.index.whoosh import schema as fields
from quotes.index.whoosh.reading import Opened


def parse(text: str, schema_: Schema | None = None) -> query.Query:
    """A query string as a whoosh query, or QuerySyntaxError naming what is wrong.

    Words (all must occur, stemmed), "exact phrases", AND/OR/NOT and parentheses, `word~` (fuzzy: one
    edit), `word~2`, `prefix*`, and `field:value` for the fields of QUERY_FIELDS; `published:` takes a
    date, a month (`published:2016-10`) or a year, or a range `published:[2016-09-01 to 2016-10-15]`.
    """
    check_syntax(text)
    parser = MultifieldParser(list(SEARCH_FIELDS), schema_ or fields.schema(), fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    try:
        q = parser.parse(_MULTITERM.sub(_unstemmed, text))
    except Exception as e:  # whoosh raises assorted errors on odd input; the user needs one line
        raise QuerySyntaxError(f"cannot read the query {text!r}: {e}") from e
    return q.accept(_rewrite)


# A bare `prefix*`, `wild?card` or `fuzzy~2` (no field): matched against the unstemmed words, since the
# stem of "initiatives" is "initi" and `initiat*` would find nothing in the stemmed text.
_MULTITERM = re.compile(r'(?<![^\s(])([^\s"():\[\]]*\w[^\s"():\[\]]*)(?![^\s)])')


def _unstemmed(m: re.Match[str]) -> str:
    word = m.group(1)
    if not re.search(r"[*?]|~\d?(/\d+)?$", word) or word in OPERATORS:
        return word
    return f"(words:{word} OR speaker:{word})"  # `^boost` cannot follow `~`: _rewrite weighs the name


def _rewrite(q: query.Query) -> query.Query:
    """`published:2016-10` means the month, `published:2016` the year; range ends take in their whole month
    or year. Months, years and ranges are ranges of the numeric `day` (a few trie terms; a range of
    `published` strings would be one term per day, slow to walk).

    Also gives a prefix or fuzzy name (from `_unstemmed`) the weight of a name match, and a fuzzy word
    its fixed prefix.
    """
    if isinstance(q, query.MultiTerm) and q.fieldname == "speaker":
        q.boost = FIELD_BOOSTS["speaker"]
    if isinstance(q, query.FuzzyTerm) and q.prefixlength == 0:
        q.prefixlength = FUZZY_PREFIX
    if isinstance(q, query.Term) and q.fieldname == "published":
        value = date_bound(str(q.text))
        return q if len(value) == 10 else query.NumericRange("day", day(value), day(value, end=True))
    if isinstance(q, query.TermRange) and q.fieldname == "published":
        start = day(date_bound(str(q.start))) if q.start else None
        end = day(date_bound(str(q.end)), end=True) if q.end else None
        return query.NumericRange("day", start, end, q.startexcl, q.endexcl)
    return q


def expand_fuzzy(q: query.Query, opened: Opened) -> query.Query:
    """Fuzzy words as the indexed words they stand for, found once (whoosh would walk the terms twice)."""

    def expand(part: query.Query) -> query.Query:
        if not isinstance(part, query.FuzzyTerm):
            return part
        found = opened.terms_within(part.fieldname, part.text, part.maxdist, prefix=part.prefixlength)
        words = sorted(set(found))
        return query.Or([query.Term(part.fieldname, w, boost=part.boost) for w in words]) if words else query.NullQuery

    return q.accept(expand)


def is_everything(q: query.Query) -> bool:
    """`*`: every document (parsed as an Every per search field)."""
    return isinstance(q, query.Every) or (isinstance(q, query.Or) and all(
        isinstance(sub, query.Every) for sub in q.subqueries))
