"""A quote as a SphinxQL document, and a parsed query (quotes.index.tree) as a SphinxQL full-text match.

Sphinx indexes what it is given, word by word, and is given words already analysed as Whoosh analyses
them (quotes.index.whoosh.language.analyze: stems of the quoted words with English stop words left out,
names lowercased), so a word or a phrase matches the same documents on both backends. A word Sphinx's
tokenizer would cut (anything but a-z and 0-9: "u.s", "café") is written as `x_` and its UTF-8 bytes in
hex; an id (article, speaker, kind) as `h` and 16 hex digits of its sha1. Each date is its day, month and
year (`d20161015 m201610 y2016`), so that a range of dates is a union of a few words.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from quotes.index import tree
from quotes.index.records import DATE, Filters, day
from quotes.index.whoosh.language import analyze
from quotes.store import ArticleQuote, speaker_key, text_key

# Full-text fields of a quote's document, named as the query language names them; `dates` holds the date
# words and `every` one word that every document has (`*`, and a NOT with nothing beside it).
FIELDS = ("text", "words", "speaker", "publisher", "title", "kind", "article_id", "speaker_key", "dates", "every")
ID_FIELDS = ("kind", "article_id", "speaker_key")  # one word each: the value's hash
EVERY = "all"
# Attributes: the quote id, hashes to group and filter by, the speaker's key for counts, the date.
ATTRIBUTES = {"qid": "string", "tkh": "bigint", "skey": "string", "kinda": "string", "day": "uint",
              "pub": "string"}
_PLAIN = re.compile(r"[a-z0-9]+")
_HASH_BITS = 63  # a hash as a positive BIGINT


@dataclass(frozen=True, slots=True)
class Match:
    """A query as a MATCH() expression and the (field, word) pairs a hit's snippet marks."""

    expression: str
    nothing: bool = False  # the query can match no document: no need to ask


def token(word: str) -> str:
    """A word as Sphinx indexes it: itself where Sphinx keeps it whole, else hex."""
    return word if _PLAIN.fullmatch(word) else "x_" + word.encode("utf-8").hex()


def id_token(value: str) -> str:
    return "h" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


def number(value: str) -> int:
    """A string as a positive 63-bit number (a text key, an id's route)."""
    return int(hashlib.sha1(value.encode("utf-8")).hexdigest()[:16], 16) >> (64 - _HASH_BITS)


def doc_number(quote_id: str) -> int:
    """The document id of a quote (ids are hex): also what routes it to a shard."""
    return int(quote_id, 16)


def date_words(published: str | None) -> str:
    if not published or not DATE.fullmatch(published) or len(published) != 10:
        return ""
    d = published.replace("-", "")
    return f"d{d} m{d[:6]} y{d[:4]}"


def document(record: ArticleQuote) -> dict[str, object]:
    """The fields and attributes of a quote's document."""
    q = record.quote
    values: dict[str, object] = {
        "id": doc_number(record.id),
        "text": _words("text", q.text), "words": _words("words", q.text),
        "speaker": _words("speaker", q.speaker or ""), "publisher": _words("publisher", record.publisher or ""),
        "title": _words("title", record.title or ""), "kind": id_token(q.kind),
        "article_id": id_token(record.article_id),
        "speaker_key": id_token(key) if (key := speaker_key(q.speaker)) else "",
        "dates": date_words(record.published), "every": EVERY,
        "qid": record.id, "tkh": number(text_key(q.text)), "skey": speaker_key(q.speaker) or "", "kinda": q.kind,
        "day": day(record.published) if record.published and DATE.fullmatch(record.published) else 0,
        "pub": record.published or "",
    }
    return values


def _words(field: str, text: str) -> str:
    return " ".join(token(w) for w in analyze(field, text)) if text else ""


Expand = Callable[[tree.Node], list[str]]
"""The indexed words a fuzzy node stands for (the backend looks them up)."""


Years = Callable[[], tuple[int, int]]
"""The first and last year of the index's dates (asked of the server only for an open range of dates)."""


def match(node: tree.Node, filters: Filters | None, expand: Expand, years: Years) -> Match:
    """The MATCH() expression of a query and of the filters that are words (speaker, publisher, article)."""
    parts = [_expr(node, expand, years)]
    if filters is not None:
        parts += _filter_words(filters)
    if any(p is None for p in parts):
        return Match("", nothing=True)
    present = [p for p in parts if p]
    return Match(" ".join(f"({p})" for p in present) if present else f"@every {EVERY}")


def _filter_words(filters: Filters) -> list[str | None]:
    parts: list[str | None] = []
    if filters.speaker and filters.speaker.strip():
        keys = {*filters.speaker_keys, speaker_key(filters.speaker)} - {None}
        options = [f"(@speaker_key {id_token(str(k))})" for k in sorted(str(k) for k in keys)]
        words = analyze("speaker", filters.speaker)
        if words:
            options.append("(@speaker " + " ".join(token(w) for w in words) + ")")
        parts.append(" | ".join(options))
    if filters.publisher and filters.publisher.strip():
        words = analyze("publisher", filters.publisher)
        parts.append("@publisher " + " ".join(token(w) for w in words) if words else None)
    if filters.article_id:
        parts.append(f"@article_id {id_token(filters.article_id)}")
    return parts


def _expr(node: tree.Node, expand: Expand, years: Years) -> str | None:  # noqa: PLR0911, PLR0912
    """The expression of a node: "" for every document, None for none."""
    if isinstance(node, tree.Everything):
        return ""
    if isinstance(node, tree.Nothing):
        return None
    if isinstance(node, tree.Term):
        word = id_token(node.word) if node.field in ID_FIELDS else token(node.word)
        return f"@{node.field} {word}"
    if isinstance(node, tree.Phrase):
        if not node.words:
            return None
        slop = f"~{node.slop}" if node.slop > 1 else ""
        return f'@{node.field} "{" ".join(token(w) for w in node.words)}"{slop}'
    if isinstance(node, tree.Prefix):
        return f"@{node.field} {node.prefix}*" if _PLAIN.fullmatch(node.prefix) else _any(node, expand)
    if isinstance(node, tree.Wildcard):
        head = re.match(r"[a-z0-9]+", node.pattern)
        if head and re.fullmatch(r"[a-z0-9*?]+", node.pattern):
            return f"@{node.field} {node.pattern}"
        return _any(node, expand)
    if isinstance(node, tree.Fuzzy):
        return _any(node, expand)
    if isinstance(node, tree.Days):
        words = day_words(node.start, node.end, years() if node.start is None or node.end is None else (
            node.start // 10000, node.end // 10000))
        return f"@dates ({' | '.join(words)})" if words else None
    if isinstance(node, tree.Not):
        inner = _expr(node.item, expand, years)
        if inner is None:
            return ""
        return None if inner == "" else f"@every {EVERY} -({inner})"
    if isinstance(node, tree.AndMaybe):
        required, optional = _expr(node.required, expand, years), _expr(node.optional, expand, years)
        if required is None or not optional:
            return required
        return f"({required or '@every ' + EVERY}) MAYBE ({optional})"
    if isinstance(node, tree.And):
        items = [_expr(i, expand, years) for i in node.items]
        if any(i is None for i in items):
            return None
        return " ".join(f"({i})" for i in items if i)
    if isinstance(node, tree.Or):
        items = [_expr(i, expand, years) for i in node.items]
        if "" in items:
            return ""
        kept = [i for i in items if i is not None]
        return " | ".join(f"({i})" for i in kept) if kept else None
    raise TypeError(f"unknown query node {node!r}")


def _any(node: tree.Node, expand: Expand) -> str | None:
    field = getattr(node, "field")  # noqa: B009 - every multi-word node has one
    words = expand(node)
    return f"@{field} ({' | '.join(token(w) for w in words)})" if words else None


def day_words(start: int | None, end: int | None, years: tuple[int, int]) -> list[str]:
    """The fewest date words (years, months, days) that cover the days from `start` to `end`, within the
    years the index holds (an open end reaches the first or last of them)."""
    low = start if start is not None else years[0] * 10000
    high = end if end is not None else years[1] * 10000 + 9999
    words: list[str] = []
    for year in range(max(low // 10000, years[0]), min(high // 10000, years[1]) + 1):
        if low <= year * 10000 and year * 10000 + 9999 <= high:
            words.append(f"y{year}")
            continue
        for month in range(1, 13):
            first, last = year * 10000 + month * 100, year * 10000 + month * 100 + 99
            if last < low or first > high:
                continue
            if low <= first and last <= high:
                words.append(f"m{year}{month:02d}")
            else:
                words += [f"d{year}{month:02d}{d:02d}" for d in range(1, 32) if low <= first + d <= high]
    return words


def marked_terms(node: tree.Node, text: str, expand: Expand) -> list[tuple[str, str]]:
    """The (field, word) pairs a hit's snippet marks: the positive words of the query on the quoted words,
    with prefixes, patterns and fuzzy words as the words of this quotation they stand for."""
    found: list[tuple[str, str]] = []
    words: list[str] | None = None
    stems: list[str] | None = None

    def walk(n: tree.Node, negated: bool) -> None:
        nonlocal words, stems
        if isinstance(n, tree.Not):
            walk(n.item, not negated)
        elif isinstance(n, tree.And | tree.Or):
            for i in n.items:
                walk(i, negated)
        elif isinstance(n, tree.AndMaybe):
            walk(n.required, negated)
            walk(n.optional, negated)
        elif negated:
            return
        elif isinstance(n, tree.Term) and n.field in ("text", "words"):
            found.append((n.field, n.word))
        elif isinstance(n, tree.Phrase) and n.field == "text":  # marked where the phrase is, as Whoosh marks it
            stems = analyze("text", text) if stems is None else stems
            if _holds(stems, n.words, n.slop):
                found.extend(("text", w) for w in n.words)
        elif isinstance(n, tree.Prefix | tree.Wildcard | tree.Fuzzy) and n.field == "words":
            words = analyze("words", text) if words is None else words
            wanted = set(expand(n))
            found.extend(("words", w) for w in words if w in wanted or _fits(n, w))

    walk(node, False)
    return found


def _holds(words: list[str], phrase: tuple[str, ...], slop: int) -> bool:
    """Whether the phrase's words come in this order, each at most `slop` words after the one before."""
    if not phrase:
        return False
    ends = {i for i, w in enumerate(words) if w == phrase[0]}
    for word in phrase[1:]:
        ends = {i for i, w in enumerate(words) if w == word and any(0 < i - e <= slop for e in ends)}
    return bool(ends)


def _fits(node: tree.Node, word: str) -> bool:
    if isinstance(node, tree.Prefix):
        return word.startswith(node.prefix)
    if isinstance(node, tree.Wildcard):
        pattern = re.escape(node.pattern).replace(r"\*", ".*").replace(r"\?", ".")
        return re.fullmatch(pattern, word) is not None
    return False


def within(word: str, target: str, maxdist: int) -> bool:
    """Whether two words are at most `maxdist` edits apart (insertions, deletions, substitutions)."""
    if abs(len(word) - len(target)) > maxdist:
        return False
    previous = list(range(len(target) + 1))
    for i, a in enumerate(word, 1):
        current = [i]
        for j, b in enumerate(target, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > maxdist:
            return False
        previous = current
    return previous[-1] <= maxdist


def quoted(value: str) -> str:
    """A string literal for SphinxQL."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def escape_match(expression: str) -> str:
    """A MATCH() argument: every word here is a-z, 0-9, `_`, or an operator this module wrote."""
    return quoted(expression)


def rows(records: Iterable[ArticleQuote]) -> list[dict[str, object]]:
    return [document(r) for r in records]
