"""A hit's snippet: the quotation with its matched words marked, whole when short, else its best fragments."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import highlight
from whoosh.analysis import Token

from quotes.index.records import ELLIPSIS, MARK_CLOSE, MARK_OPEN, SNIPPET_CHARS, SNIPPET_SURROUND, SNIPPET_WHOLE_CHARS
from quotes.index.whoosh.internals import stemmer
from quotes.index.whoosh.schema import TEXT_ANALYZER


def snippet(text: str, matched: Iterable[tuple[str, Any]]) -> str:
    """The quote with its matches (the (field, term) pairs its document matched) marked: whole when short,
    else its best fragments."""
    # Terms matched in the unstemmed `words` (prefix, fuzzy) are stemmed to be marked in the stemmed text.
    terms = set()
    for field, term in matched:
        if field not in ("text", "words"):
            continue
        word = term.decode("utf-8") if isinstance(term, bytes) else str(term)
        if field == "text":
            terms.add(word)
        elif field == "words":
            terms.update(t.text for t in TEXT_ANALYZER(word))
    if len(text) <= SNIPPET_WHOLE_CHARS:
        fragmenter: Any = highlight.WholeFragmenter()
        top, minscore = 1, 0
    else:
        fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SNIPPET_SURROUND)
        top, minscore = 2, 1
    fragments = fragmenter.fragment_tokens(text, _marked_tokens(text, frozenset(terms)))
    marked = _MarkFormatter()(text, highlight.top_fragments(fragments, top, highlight.BasicFragmentScorer(),
                                                            highlight.FIRST, minscore))
    if marked:
        return str(marked)
    return text if len(text) <= SNIPPET_WHOLE_CHARS else text[:SNIPPET_CHARS].rstrip() + ELLIPSIS.rstrip()


_TOKENIZER, _, _STOPS, _STEMS = TEXT_ANALYZER.items  # as TEXT_ANALYZER is made: see _marked_tokens


def _marked_tokens(text: str, terms: frozenset[str]) -> Iterator[Any]:
    """The tokens of TEXT_ANALYZER as whoosh's highlighter reads them (stop words kept, each with its
    characters), `matched` where its stem is one of `terms`.

    Whoosh's analyzer sends each word through a chain of generators: with the fragmenter, 3-4 µs a word,
    4-5 ms for a quotation of 7,000 characters, where a search shows ten. Here each different word is
    stemmed and tested once, and the words are only cut out and marked: 1.8 µs a word, fragmenter included.
    """
    stops, shortest, longest, ignore = _STOPS.stops, _STOPS.min, _STOPS.max, _STEMS.ignore
    stem = stemmer(_STEMS)
    known: dict[str, tuple[str, bool]] = {}  # lowercased word -> (its text as a token, matched)
    token = Token(positions=False, chars=True, removestops=False, mode="query")
    for m in _TOKENIZER.expression.finditer(text):
        word = m.group().lower()
        if word not in known:
            if len(word) < shortest or (longest is not None and len(word) > longest) or word in stops:
                known[word] = (word, word in terms)  # a stop word too may be marked ("it", the stem of "its")
            else:
                stemmed = word if word in ignore else stem(word)
                known[word] = (stemmed, stemmed in terms)
        token.text, token.matched = known[word]
        token.boost, token.startchar, token.endchar = 1.0, m.start(), m.end()
        yield token


class _MarkFormatter(highlight.Formatter):
    between = ELLIPSIS

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return MARK_OPEN + highlight.get_text(text, token, replace) + MARK_CLOSE
