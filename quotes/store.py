"""The catalog: a SQLite file of articles and their quotes, the source of truth of an index directory.

The Whoosh index (quotes.index) is built from this catalog and can always be rebuilt from it. Each article
is kept with a hash of its text and metadata, so indexing the same article again does no extraction work.
Every quote has a stable short id made from its article and its place in the text, so the same quotation
keeps its id across runs.

No whoosh here: this module is stdlib sqlite3 only.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from quotes.model import Article, Quote, QuotesError
from quotes.paths import NoIndexError, catalog_path

QUOTE_ID_LENGTH = 12  # hex digits of sha1: 48 bits, no collision in any corpus this tool will see
SCHEMA_VERSION = 1

_QUOTE_FIELDS = [f.name for f in fields(Quote)]
_ARTICLE_META = ("title", "author", "publisher", "published", "url")
_HEX = re.compile(r"[0-9a-f]+")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    path TEXT,
    title TEXT,
    author TEXT,
    publisher TEXT,
    published TEXT,
    url TEXT,
    text TEXT NOT NULL,
    hash TEXT NOT NULL,
    indexed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker TEXT,
    speaker_key TEXT,
    speaker_mention TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    cue TEXT,
    kind TEXT NOT NULL,
    rule TEXT NOT NULL,
    confidence REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_key);
"""


class QuoteNotFoundError(QuotesError):
    """No quote has the id (or id prefix) asked for."""


class AmbiguousQuoteIdError(QuotesError):
    """An id prefix matches more than one quote."""


@dataclass(frozen=True, slots=True)
class ArticleQuote:
    """A quote with its stable id and the metadata of the article it comes from."""

    id: str
    quote: Quote
    article_id: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: `id`, the Quote's fields, the article's id, title, publisher, published, url."""
        return {"id": self.id, **self.quote.to_dict(), "article_id": self.article_id, "title": self.title,
                "publisher": self.publisher, "published": self.published, "url": self.url}


@dataclass(frozen=True, slots=True)
class SpeakerCount:
    """A canonical speaker name and how many quotes the catalog attributes to it."""

    speaker: str
    count: int


@dataclass(frozen=True, slots=True)
class Stats:
    """What an index holds."""

    index_dir: str
    articles: int
    quotes: int
    attributed: int  # quotes with a speaker
    speakers: int  # distinct canonical speakers
    publishers: int
    first_published: str | None
    last_published: str | None
    last_indexed: str | None  # UTC ISO time of the latest article write

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def article_hash(article: Article) -> str:
    """sha256 of the article's text and metadata: equal hashes mean there is nothing to redo."""
    h = hashlib.sha256()
    for part in (article.text, *(getattr(article, name) for name in _ARTICLE_META)):
        h.update(b"\x00" if part is None else b"\x01" + part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def quote_id(article_id: str, quote: Quote) -> str:
    """The stable short id of a quote: the same article, span and words give the same id on every run."""
    key = "\x1f".join((article_id, str(quote.start), str(quote.end), quote.text))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:QUOTE_ID_LENGTH]


def speaker_key(speaker: str | None) -> str | None:
    """The form speakers are grouped and matched by: case and spacing ignored."""
    return " ".join(speaker.lower().split()) if speaker else None


def article_quotes(article: Article, quotes: Iterable[Quote]) -> list[ArticleQuote]:
    """Quotes of one article with their ids and the article's metadata, as the catalog would return them."""
    return [ArticleQuote(quote_id(article.id, q), q, article.id, article.title, article.publisher,
                         article.published, article.url) for q in quotes]


class Catalog:
    """The SQLite catalog of one index directory; use as a context manager.

    `Catalog(index_dir)` opens an existing catalog and raises NoIndexError where there is none;
    `Catalog(index_dir, create=True)` makes the directory and the catalog as needed.
    """

    def __init__(self, index_dir: str | Path, *, create: bool = False) -> None:
        self.index_dir = Path(index_dir)
        self.path = catalog_path(self.index_dir)
        if not self.path.exists():
            if not create:
                raise NoIndexError(self.index_dir)
            self.index_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL loses no commit when a process is killed, only on power loss; FULL would
            # fsync every commit, which costs more than extracting a batch of short articles.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            if create:
                with self._db:
                    self._db.executescript(_SCHEMA)
                    self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as e:
            raise QuotesError(f"{self.path}: not a readable quotes catalog ({e}): delete {self.index_dir}/ "
                              "and run `quotes index` again") from e

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- articles ----------------------------------------------------------------------------------------

    def article_hash(self, article_id: str) -> str | None:
        """The stored hash of an article, or None if the catalog does not hold it."""
        row = self._db.execute("SELECT hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row["hash"] if row else None

    def article_hashes(self) -> dict[str, str]:
        """The stored hash of every article, by id: one query where a run would make thousands."""
        return {r[0]: r[1] for r in self._db.execute("SELECT id, hash FROM articles")}

    def article_paths(self) -> dict[str, str | None]:
        """The path every article was read from, by id (`file`, `file:LINE`, or None)."""
        return {r[0]: r[1] for r in self._db.execute("SELECT id, path FROM articles")}

    def upsert_article(self, article: Article, quotes: Sequence[Quote]) -> tuple[list[str], list[str]]:
        """Store an article and replace its quotes, in one transaction.

        Returns (added, removed): ids of quotes that are new, and ids of the article's earlier quotes that
        are gone. Quotes whose id stays are rewritten too (their speaker may have changed).
        """
        return self.upsert_articles([(article, quotes)])

    def upsert_articles(self, items: Iterable[tuple[Article, Sequence[Quote]]]) -> tuple[list[str], list[str]]:
        """Store a batch of articles with their quotes in one transaction: all of them, or none if killed.

        Returns (added, removed) quote ids over the whole batch, as `upsert_article` does for one.
        """
        added: list[str] = []
        removed: list[str] = []
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._db:
            for article, quotes in items:
                new, gone = self._upsert(article, quotes, now)
                added += new
                removed += gone
        return added, removed

    def _upsert(self, article: Article, quotes: Sequence[Quote], now: str) -> tuple[list[str], list[str]]:
        digest = article_hash(article)
        rows = [self._quote_row(article.id, q) for q in quotes]
        old = set(self._quote_ids(article.id))
        self._db.execute(
            "INSERT INTO articles (id, path, title, author, publisher, published, url, text, hash, "
            "indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "path=excluded.path, title=excluded.title, author=excluded.author, "
            "publisher=excluded.publisher, published=excluded.published, url=excluded.url, "
            "text=excluded.text, hash=excluded.hash, indexed_at=excluded.indexed_at",
            (article.id, article.path, article.title, article.author, article.publisher,
             article.published, article.url, article.text, digest, now))
        if old:
            self._db.execute("DELETE FROM quotes WHERE article_id = ?", (article.id,))
        columns = ", ".join(f'"{c}"' for c in ("id", "article_id", *_QUOTE_FIELDS, "speaker_key"))
        marks = ", ".join("?" * (len(_QUOTE_FIELDS) + 3))
        self._db.executemany(f"INSERT OR REPLACE INTO quotes ({columns}) VALUES ({marks})", rows)
        new = [r[0] for r in rows]
        return [i for i in new if i not in old], sorted(old - set(new))

    def clear(self) -> None:
        """Forget every article and quote (the start of a rebuild), in one transaction."""
        with self._db:
            self._db.execute("DELETE FROM quotes")
            self._db.execute("DELETE FROM articles")

    def remove_article(self, article_id: str) -> list[str]:
        """Forget an article and its quotes; returns the ids of the quotes removed."""
        return self.remove_articles([article_id])

    def remove_articles(self, article_ids: Iterable[str]) -> list[str]:
        """Forget these articles and their quotes in one transaction; returns the ids of the quotes removed."""
        ids: list[str] = []
        with self._db:
            for article_id in article_ids:
                ids += self._quote_ids(article_id)
                self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return ids

    def article_text(self, article_id: str) -> str | None:
        row = self._db.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row["text"] if row else None

    # -- quotes ------------------------------------------------------------------------------------------

    def quotes_for(self, article_id: str) -> list[ArticleQuote]:
        """The quotes of one article, in the order of its text."""
        return [self._record(r) for r in self._db.execute(
            f'{_SELECT} WHERE q.article_id = ? ORDER BY q."start", q."end"', (article_id,))]

    def all_quotes(self) -> Iterator[ArticleQuote]:
        """Every quote of the catalog, article by article (what the Whoosh index is built from)."""
        for r in self._db.execute(f'{_SELECT} ORDER BY q.article_id, q."start", q."end"'):
            yield self._record(r)

    def quote_ids(self) -> set[str]:
        """The id of every quote: what the Whoosh index must hold, no more and no less."""
        return {r[0] for r in self._db.execute("SELECT id FROM quotes")}

    def quotes_of(self, article_ids: Iterable[str]) -> Iterator[ArticleQuote]:
        """The quotes of these articles, article by article."""
        wanted = list(dict.fromkeys(article_ids))
        for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
            chunk = wanted[i:i + 500]
            marks = ", ".join("?" * len(chunk))
            for r in self._db.execute(f'{_SELECT} WHERE q.article_id IN ({marks}) ORDER BY q.article_id, '
                                      'q."start", q."end"', chunk):
                yield self._record(r)

    def get_quotes(self, ids: Iterable[str]) -> dict[str, ArticleQuote]:
        """The quotes with these exact ids that the catalog holds, by id (missing ids are left out)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, ArticleQuote] = {}
        for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
            chunk = wanted[i:i + 500]
            marks = ", ".join("?" * len(chunk))
            for r in self._db.execute(f"{_SELECT} WHERE q.id IN ({marks})", chunk):
                found[r["id"]] = self._record(r)
        return found

    def get_quote(self, quote_id: str) -> ArticleQuote:
        """The quote with this id, or with this unique id prefix (as `git` accepts short hashes)."""
        prefix = quote_id.strip().lower()
        rows = []
        if _HEX.fullmatch(prefix):
            rows = self._db.execute(f"{_SELECT} WHERE q.id GLOB ? ORDER BY q.id LIMIT 6",
                                    (prefix + "*",)).fetchall()
        if not rows:
            raise QuoteNotFoundError(f"no quote with id {quote_id!r}: `quotes search` shows the ids")
        if len(rows) > 1 and rows[0]["id"] != prefix:
            some = ", ".join(r["id"] for r in rows[:5])
            raise AmbiguousQuoteIdError(f"quote id {quote_id!r} is ambiguous ({some}...): give more of it")
        return self._record(rows[0])

    def speakers(self) -> list[SpeakerCount]:
        """Canonical speakers with their number of quotes, most quoted first."""
        rows = self._db.execute(
            "SELECT MIN(speaker) AS speaker, COUNT(*) AS n FROM quotes WHERE speaker_key IS NOT NULL "
            "GROUP BY speaker_key ORDER BY n DESC, speaker_key")
        return [SpeakerCount(r["speaker"], r["n"]) for r in rows]

    def quote_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM quotes").fetchone()[0])

    def stats(self) -> Stats:
        a = self._db.execute(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT publisher) AS publishers, MIN(published) AS first, "
            "MAX(published) AS last, MAX(indexed_at) AS indexed FROM articles").fetchone()
        q = self._db.execute(
            "SELECT COUNT(*) AS n, COUNT(speaker_key) AS attributed, COUNT(DISTINCT speaker_key) AS speakers "
            "FROM quotes").fetchone()
        return Stats(str(self.index_dir), a["n"], q["n"], q["attributed"], q["speakers"], a["publishers"],
                     a["first"], a["last"], a["indexed"])

    # -- rows ----------------------------------------------------------------------------------------------

    def _quote_ids(self, article_id: str) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT id FROM quotes WHERE article_id = ?", (article_id,))]

    @staticmethod
    def _quote_row(article_id: str, quote: Quote) -> tuple[Any, ...]:
        values = [getattr(quote, name) for name in _QUOTE_FIELDS]
        return (quote_id(article_id, quote), article_id, *values, speaker_key(quote.speaker))

    @staticmethod
    def _record(row: sqlite3.Row) -> ArticleQuote:
        quote = Quote(**{name: row[name] for name in _QUOTE_FIELDS})
        return ArticleQuote(row["id"], quote, row["article_id"], row["title"], row["publisher"],
                            row["published"], row["url"])


_SELECT = ("SELECT q.*, a.title AS title, a.publisher AS publisher, a.published AS published, a.url AS url "
           "FROM quotes q JOIN articles a ON a.id = q.article_id")
