"""What crosses the index's interface, whatever the backend: the records of a search (Filters in; IndexHit,
IndexPage out), the errors, and the rules of the query language every backend reads the same way.

Nothing here imports a search engine: search.py, the CLI and a second backend import this freely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from quotes.model import QuotesError
from quotes.store import text_key

SORTS = ("relevance", "date")

# A query's words are looked for in the quoted words and in the speaker's name; a name match counts for
# less so that quotations that say the words rank above quotations of a person who bears them.
SEARCH_FIELDS = ("text", "speaker")
FIELD_BOOSTS = {"text": 1.0, "speaker": 0.5}

# The fields a query may name (`speaker:Altman`), with `article:` as a short name of `article_id:`.
QUERY_FIELDS = ("text", "speaker", "publisher", "kind", "published", "title", "article_id")
FIELD_ALIASES = {"article_id": ["article"]}
OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")

# Snippets: a quotation up to this length is shown whole with its matches marked; a longer one is cut to
# fragments of about SNIPPET_CHARS around its matches.
SNIPPET_WHOLE_CHARS = 400
SNIPPET_CHARS = 240
SNIPPET_SURROUND = 80
MARK_OPEN, MARK_CLOSE = "«", "»"  # around each matched word of a snippet; « » are rare inside news quotes
ELLIPSIS = " … "

# Did you mean: query words are corrected to an indexed word at most this many edits away (keeping the first
# FUZZY_PREFIX letters), preferring the most frequent; words shorter than SPELL_MIN_CHARS are left alone
# (too many neighbours to choose from).
SPELL_MAX_EDITS = 2
SPELL_MIN_CHARS = 4
# A word shorter than this is corrected by one edit at most: two edits of a short word reach unrelated
# words ("trump" -> "truly"). Search engines use the same scale (Elasticsearch's AUTO fuzziness).
SPELL_TWO_EDITS_CHARS = 6
# `word~` keeps the first letter: misspellings rarely touch it, and walking the whole vocabulary for every
# fuzzy word costs several times as long. `word~2/3` keeps the first three letters.
FUZZY_PREFIX = 1


@dataclass(frozen=True, slots=True)
class IndexHit:
    """A search result as the index knows it: the quote's id, its score and a highlighted snippet."""

    id: str
    score: float
    snippet: str  # the quote's words with each matched word inside « »


# A search counts its quotations exactly up to this many; beyond, unless asked for an exact count, it may
# stop counting and say "more than 10,000" (as Elasticsearch's track_total_hits does, with the same default):
# counting every match of a common word costs more than finding the best ten.
EXACT_TOTAL_UP_TO = 10_000


@dataclass(frozen=True, slots=True)
class IndexPage:
    """One page of a search: its hits (one per quotation) and how many quotations matched in all.

    `total_exact` False: at least `total` (EXACT_TOTAL_UP_TO) matched, more than that counted; a search
    asked for an exact total always counts them all. `partial`: no quotation holds every word of the
    query, and the hits are those holding most of them (see the backend's search). `indexed`: how many
    quotes (documents) the index searched held, so that fewer than the catalog's can be told (None: the
    backend does not say).
    """

    hits: list[IndexHit]
    total: int
    total_exact: bool = True
    partial: bool = False
    indexed: int | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """What a search keeps, besides its query; every filter given must hold."""

    speaker_keys: tuple[str, ...] = ()  # canonical speakers (store.speaker_key) the name is known for
    speaker: str | None = None  # a name: matches a speaker whose name holds all of its words
    publisher: str | None = None  # all of its words in the publisher's name
    since: str | None = None  # ISO date, or a year or month: published on or after
    until: str | None = None  # ISO date, or a year or month: published on or before (the whole month)
    kind: str | None = None
    article_id: str | None = None


class IndexBusyError(QuotesError):
    """Another process is writing the index."""


class QuerySyntaxError(QuotesError):
    """A query (or a date filter) that cannot be read; the message names what is wrong."""


class IndexDamagedError(QuotesError):
    """The index's files cannot be read (a disk error, a half-copied directory): rebuild them from the catalog."""


# Bounds on what one query may cost (#13). A query's words and operators each walk postings: 3,000 ORs or
# a pasted page of 1,000 words took seconds on 100,000 quotations. A pasted quotation must still be found
# (PolNeAR's longest run to 140 words; a long one in a speech to 250): 300 words and operators. A pattern
# (`a*`) or a fuzzy word stands for every indexed word it matches, each walked (`t*`, 400 words, took 1 s
# on 6,600 quotations): past MAX_EXPANSION words of a field it is refused (give more letters). A fuzzy
# word goes at most SPELL_MAX_EDITS edits away (`ab~9` is any short word).
MAX_QUERY_WORDS = 300
MAX_EXPANSION = 200


def check_expansion(words: int, text: str, *, maxdist: int | None = None, prefix: bool = False) -> None:
    """QuerySyntaxError for a fuzzy word (`maxdist` edits) or a pattern (`prefix`: `text*`) that stands for
    `words` indexed words of a field, more than MAX_EXPANSION: each would be walked."""
    if words > MAX_EXPANSION:
        shown = (f"{text}~{maxdist}" if maxdist is not None else text) + ("*" if prefix else "")
        raise QuerySyntaxError(f"{shown!r} stands for more than {MAX_EXPANSION} indexed words "
                               "(quotes.index.records.MAX_EXPANSION): give more of its letters")


# A quotation inside pasted text: between double quotation marks, curly or straight.
_QUOTED = re.compile(r'“([^”]+)”|"([^"]+)"')


def exact_keys(text: str) -> list[str]:
    """The text keys (store.text_key) of the quotations a query asks for by their words, ranked first: the
    query's own words, and those of a quotation inside it (as a page prints it: “…,” she said)."""
    return sorted({text_key(text), *(text_key(a or b) for a, b in _QUOTED.findall(text))} - {""})


def check_syntax(text: str) -> None:
    """What a parser would silently read as words: unclosed quotes or brackets, dangling operators, fields;
    and a query longer than MAX_QUERY_WORDS words and operators, or a fuzzy word of too many edits."""
    if not text.strip():
        raise QuerySyntaxError("the query is empty: give words to look for, e.g. quotes search stargate")
    count = len(text.split())
    if count > MAX_QUERY_WORDS:
        raise QuerySyntaxError(f"the query is too long ({count:,} words and operators; at most {MAX_QUERY_WORDS}, "
                               "quotes.index.records.MAX_QUERY_WORDS): search for a few distinctive words of it")
    for m in re.finditer(r"\w~(\d+)", text):
        if int(m.group(1)) > SPELL_MAX_EDITS:
            raise QuerySyntaxError(f"a fuzzy word goes at most {SPELL_MAX_EDITS} edits away, not {m.group(1)}: "
                                   f"write word~{SPELL_MAX_EDITS}")
    if text.count('"') % 2:
        raise QuerySyntaxError(f'the query {text!r} has an unclosed " (a phrase is "two words")')
    outside = re.sub(r'"[^"]*"', " _phrase_ ", text)  # a phrase is a word to the operators around it
    for opening, closing in ("()", "[]"):
        depth = 0
        for c in outside:
            depth += (c == opening) - (c == closing)
            if depth < 0:
                break
        if depth:
            raise QuerySyntaxError(f"the query {text!r} has an unmatched {opening if depth > 0 else closing}")
    words = outside.replace("(", " ").replace(")", " ").split()
    for i, word in enumerate(words):
        if word in OPERATORS and (i == len(words) - 1 or words[i + 1] in OPERATORS[:2]
                                  or (word != "NOT" and (i == 0 or words[i - 1] in OPERATORS))):
            raise QuerySyntaxError(f"{word} in {text!r} needs a word on each side (NOT: a word after it)")
    known = {*QUERY_FIELDS, *(a for names in FIELD_ALIASES.values() for a in names)}
    for m in re.finditer(r"(?:^|[\s(])([^\W\d][\w]*):(?=\S)", outside):  # "said: we" is prose, not a field
        if m.group(1) not in known:
            raise QuerySyntaxError(f"unknown field {m.group(1)!r} in {text!r}: use one of "
                                   f"{', '.join(f for f in QUERY_FIELDS if f != 'text')}")


# What marks a query as written in the query language rather than pasted from a page: a straight double
# quote (a phrase), an operator, a known field (`speaker:son`), a wildcard or fuzzy mark on a word, `*`.
_SYNTAX = re.compile(r'"|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|(?:^|[\s(])[^\W\d]\w*:\S|\w[*~]|\*|\w\?\w')
# A word of pasted text: letters and digits, with the apostrophes and dots inside it ("don't", "U.S").
_WORD = re.compile(r"\w+(?:['’.]\w+)*")
# Prose inside a query in the query language: a colon ending a word ("said: we") and a question mark
# ending one ("why?") are punctuation there, not a field or a wildcard.
_PROSE_MARKS = re.compile(r"(?<=\w)(?::(?=\s|$)|\?(?=[\s\"),;.!]|$))")


def as_query(text: str) -> str:
    """A query as the query language reads it.

    Text with nothing of the query language in it (a sentence or a paragraph pasted from a page, with its
    curly quotes, apostrophes, dashes, brackets and punctuation) is its words alone, so that nothing in it
    can be misread as syntax (an unmatched bracket, "Note:" as a field, "why?" as a wildcard). Text in the
    query language keeps its syntax, but for the colons and question marks that end a word.
    """
    if _SYNTAX.search(text):
        return _PROSE_MARKS.sub("", text)
    words = _WORD.findall(text)
    return " ".join(words) if words else text


DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def date_bound(value: str, *, end: bool = False) -> str:
    """An ISO date, month or year as a bound on `published`; an end bound takes in the whole month/year."""
    value = value.strip()
    parts = value.split("-")
    try:
        if not DATE.fullmatch(value):
            raise ValueError
        date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise QuerySyntaxError(f"{value!r} is not a date: write 2016-10-15, 2016-10 or 2016") from None
    return value + "~" if end and len(parts) < 3 else value  # "~" sorts after every digit and "-"


def day(value: str, *, end: bool = False) -> int:
    """An ISO date, month or year as a day number (20161015); a month or year ends at its 99th day or month."""
    digits = value.replace("-", "")
    return int(digits + ("9" if end else "0") * (8 - len(digits)))
