"""The Whoosh schema of a quote's document, its analyzers, and the document of an ArticleQuote."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import formats
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, FieldType, Schema

from quotes.index.records import DATE, day
from quotes.store import ArticleQuote, speaker_key, text_key

# Names are matched word by word, lowercased, never stemmed and without a stop list ("Theresa May",
# "Will Smith": "may" and "will" are English stop words but are names here).
NAME_ANALYZER = RegexTokenizer() | LowercaseFilter()
# Quoted words are matched on their stems ("initiatives" finds "initiative"), English stop words left out.
TEXT_ANALYZER = StemmingAnalyzer()


class _Pairs(Filter):
    """Each word joined to the next by a space ("would trump"), for PAIR_FIELDS.

    The words are those a phrase matches on: stop words are left out and the words after them renumbered,
    so two words next to each other in this stream are next to each other for a phrase. Whoosh stores the
    schema with this class's module and name in the index (`quotes.index._Pairs`, where the class was
    first written, and which quotes.index still answers): changed, every index would be unreadable.
    """

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        previous = None
        for token in tokens:
            word = token.text
            if previous is not None:
                token.text = previous + " " + word
                yield token
            previous = word


_Pairs.__module__ = "quotes.index"  # the name indexes store: see the docstring

# A phrase of the quoted words or of a name is first looked up as its pairs of adjacent words, each an
# indexed term: whoosh alone steps through every posting of each of its words (1.5 µs each: 25 ms for
# "would Trump", two words of thousands of quotations), where a pair has as many postings as the phrase
# has matches. Only documents holding every pair are then matched as whoosh does, with positions.
PAIR_FIELDS = {"text": "text_pairs", "speaker": "speaker_pairs"}


def schema() -> Schema:
    """One document per quote. Stored fields are for display; the catalog holds the full record."""
    return Schema(
        id=ID(unique=True, stored=True),
        text=TEXT(analyzer=TEXT_ANALYZER, stored=True, phrase=True),
        # the same words unstemmed, for `prefix*`, `fuzzy~` and "did you mean" (stems are not words)
        words=TEXT(analyzer=NAME_ANALYZER, phrase=False),
        text_key=ID(sortable=True),  # store.text_key: one quotation printed by several articles
        speaker=TEXT(analyzer=NAME_ANALYZER, stored=True, phrase=True),
        # adjacent words of `text` and `speaker` (see PAIR_FIELDS): whether a document holds them, no more
        text_pairs=FieldType(formats.Existence(), TEXT_ANALYZER | _Pairs()),
        speaker_pairs=FieldType(formats.Existence(), NAME_ANALYZER | _Pairs()),
        speaker_key=ID(sortable=True),  # speaker lowercased with single spaces: exact name filter
        article_id=ID(stored=True),
        title=TEXT(stored=True),
        publisher=TEXT(analyzer=NAME_ANALYZER, stored=True),
        published=ID(stored=True, sortable=True),  # ISO date: sorts as a string
        day=NUMERIC(int, bits=32, signed=False),  # the date as 20161015: `published:` ranges, months, years
        url=STORED(),
        kind=ID(stored=True, sortable=True),
        rule=ID(stored=True),
    )


def has_every_field(schema_: Schema) -> bool:
    """Whether an index's schema has every field this version writes and reads."""
    return set(schema().names()) <= set(schema_.names())


def document(record: ArticleQuote) -> dict[str, Any]:
    """The fields of a quote's document."""
    q = record.quote
    doc: dict[str, Any] = {"id": record.id, "text": q.text, "words": q.text, "text_pairs": q.text,
                           "text_key": text_key(q.text), "article_id": record.article_id, "kind": q.kind,
                           "rule": q.rule}
    if record.published and DATE.fullmatch(record.published) and len(record.published) == 10:
        doc["day"] = day(record.published)
    optional = {"speaker": q.speaker, "speaker_pairs": q.speaker, "speaker_key": speaker_key(q.speaker),
                "title": record.title, "publisher": record.publisher, "published": record.published,
                "url": record.url}
    doc.update({k: v for k, v in optional.items() if v})
    return doc
