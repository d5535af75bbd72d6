"""A query string as a whoosh query: parsed, then rewritten (dates, unstemmed words, fuzzy words)."""

from __future__ import annotations

import re
from itertools import islice

from whoosh import query
from whoosh.fields import Schema
from whoosh.qparser import FieldAliasPlugin, FuzzyTermPlugin, MultifieldParser

from quotes.index.records import (
    FIELD_ALIASES,
    FIELD_BOOSTS,
    FUZZY_PREFIX,
    MAX_EXPANSION,
    OPERATORS,
    SEARCH_FIELDS,
    QuerySyntaxError,
    as_query,
    check_expansion,
    check_syntax,
    date_bound,
    day,
    exact_keys,
)
from quotes.index.whoosh import schema as fields
from quotes.index.whoosh.reading import Opened


def parse(text: str, schema_: Schema | None = None) -> query.Query:
    """A query string as a whoosh query, or QuerySyntaxError naming what is wrong.

    Words (all must occur, stemmed), "exact phrases", AND/OR/NOT and parentheses, `word~` (fuzzy: one
    edit), `word~2`, `prefix*`, and `field:value` for the fields of QUERY_FIELDS; `published:` takes a
    date, a month (`published:2016-10`) or a year, or a range `published:[2016-09-01 to 2016-10-15]`.
    Pasted text is read as its words (records.as_query). Stop words ("the", "of", "I") are never required:
    the quoted words leave them out, so a name holding one ranks higher but no quotation needs one.
    """
    text = as_query(text)
    check_syntax(text)
    parser = _parser(schema_ or fields.schema())
    try:
        q = parser.parse(_MULTITERM.sub(_unstemmed, text))
    except Exception as e:  # whoosh raises assorted errors on odd input; the user needs one line
        raise QuerySyntaxError(f"cannot read the query {text!r}: {e}") from e
    return _stop_words_optional(q.accept(_rewrite))


# The parser of each schema, made once: making one (its plugins, their expressions) cost ~60 µs a query.
# A parser keeps no state from one parse to the next.
_parsers: dict[int, tuple[Schema, MultifieldParser]] = {}


def _parser(schema_: Schema) -> MultifieldParser:
    known = _parsers.get(id(schema_))
    if known is not None and known[0] is schema_:
        return known[1]
    parser = MultifieldParser(list(SEARCH_FIELDS), schema_, fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    if len(_parsers) >= 8:  # (a schema for each index opened: a long-lived process opens few)
        _parsers.clear()
    _parsers[id(schema_)] = (schema_, parser)
    return parser


def _stop_words_optional(q: query.Query) -> query.Query:
    """The words of a query that only a name can match, because the quoted words leave them out as stop
    words ("the", "of", and "I", too short), looked for in the unstemmed words too, and made optional in
    an AND: they add to the score of a quotation or a name holding them ("Theresa May") but never make a
    query fail. A query of nothing but such words ("That") needs one of them."""
    if _is_stop_word(q):
        return _with_words(q)
    if not isinstance(q, query.And):
        return q if q.is_leaf() else q.apply(_stop_words_optional)
    required = [_stop_words_optional(sub) for sub in q.subqueries if not _is_stop_word(sub)]
    optional = [_with_words(sub) for sub in q.subqueries if _is_stop_word(sub)]
    if not optional:
        return q
    if not required:
        return query.Or(optional)
    return query.AndMaybe(required[0] if len(required) == 1 else query.And(required), query.Or(optional))


def _with_words(q: query.Query) -> query.Query:
    """A stop word's name clause, or else the same word among the quoted words (unstemmed, `words`)."""
    return query.Or([q, *(query.Term("words", t.text) for t in q.leaves())]) if not q.is_leaf() else query.Or(
        [q, query.Term("words", q.text)])

def _is_stop_word(q: query.Query) -> bool:
    """A word (or the parts of one, "it's") that the parser looks for in the speaker's name alone: its quoted
    words are stop words. An explicit `speaker:the` has its full weight, and is kept."""
    if isinstance(q, query.Not) or not q.is_leaf() and not all(_is_stop_word(sub) for sub in q.children()):
        return False  # NOT the: means it
    leaves = list(q.leaves()) if not q.is_leaf() else [q]
    return bool(leaves) and all(
        isinstance(t, query.Term) and t.fieldname == "speaker" and t.boost == FIELD_BOOSTS["speaker"]
        and not any(True for _ in fields.TEXT_ANALYZER(str(t.text))) for t in leaves)


def clauses(q: query.Query) -> list[query.Query]:
    """The required parts of a query of words ANDed (stop words aside), each a word or a phrase: what a
    search falls back on, holding most of them, where no quotation holds them all. Empty for other queries
    (one with NOT means it)."""
    if isinstance(q, query.AndMaybe):
        q = q.a
    if not isinstance(q, query.And) or any(isinstance(sub, query.Not) for sub in q.subqueries):
        return []
    return list(q.subqueries)


def exact(text: str) -> query.Query | None:
    """The quotations whose words are the query's, or those of a quotation inside it (records.exact_keys):
    case, accents and punctuation aside. None where no words."""
    keys = exact_keys(text)
    return query.Or([query.Term("text_key", k) for k in keys]) if keys else None


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
    """Fuzzy words as the indexed words they stand for, found once (whoosh would walk the terms twice).
    QuerySyntaxError for a fuzzy word or a pattern (`initiat*`, `glo?al`) that stands for more than
    MAX_EXPANSION words of a field: whoosh would walk the postings of each."""

    def expand(part: query.Query) -> query.Query:
        if isinstance(part, query.FuzzyTerm):
            words = sorted(set(opened.terms_within(part.fieldname, part.text, part.maxdist, prefix=part.prefixlength)))
            _within_cap(part, len(words))
            terms = [query.Term(part.fieldname, w, boost=part.boost) for w in words]
            return query.Or(terms) if words else query.NullQuery
        if isinstance(part, query.Prefix | query.Wildcard):  # counted, and searched as whoosh searches it
            _within_cap(part, sum(1 for _ in islice(part.expanded_terms(opened.searcher.reader()), MAX_EXPANSION + 1)))
        return part

    return q.accept(expand)


def _within_cap(part: query.Query, words: int) -> None:
    fuzzy = isinstance(part, query.FuzzyTerm)
    check_expansion(words, str(part.text), maxdist=part.maxdist if fuzzy else None,
                    prefix=isinstance(part, query.Prefix))


def is_everything(q: query.Query) -> bool:
    """`*`: every document (parsed as an Every per search field)."""
    return isinstance(q, query.Every) or (isinstance(q, query.Or) and all(
        isinstance(sub, query.Every) for sub in q.subqueries))
