"""The catalog: a SQLite file of articles and their quotes, the source of truth of an index directory.

The Whoosh index (quotes.index) is built from this catalog and can always be rebuilt from it. Each article
is kept with a hash of its text and metadata, so indexing the same article again does no extraction work.
Every quote has a stable short id made from its article and its place in the text, so the same quotation
keeps its id across runs. Every quote also keeps a `text_key` (its words with case, punctuation and marks
normalised away): quotes of several articles with one key are one quotation printed several times.

No whoosh here: this module is stdlib sqlite3 only.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from quotes.model import Article, Quote, QuotesError
from quotes.paths import NoIndexError, catalog_path

QUOTE_ID_LENGTH = 12  # hex digits of sha1: 48 bits, no collision in any corpus this tool will see
SCHEMA_VERSION = 3  # 2: quotes.text_key and quotes.mention_key (#4); 3: the covering indexes below (#11)

_QUOTE_FIELDS = [f.name for f in fields(Quote)]
_KEY_COLUMNS = ("speaker_key", "text_key", "mention_key")  # derived from the Quote, for lookups
_ARTICLE_META = ("title", "author", "publisher", "published", "url")
_HEX = re.compile(r"[0-9a-f]+")
_SQLITE_MAX_INTEGER = 2**63 - 1  # a LIMIT above it overflows; nothing holds that many rows anyway
# What SQLite says when it cannot make the files a WAL database needs beside it (a read-only directory).
_READ_ONLY = re.compile(r"readonly|read-only|unable to open")
# SQLite's words for a database file whose pages are damaged (overwritten, cut short, not a database).
_DAMAGED = re.compile(r"malformed|not a database|no such table|no such column|file is not|corrupt")


class CatalogDamagedError(QuotesError):
    """The catalog's file is damaged: pages overwritten or cut short. `quotes index --rebuild` makes it again."""

    def __init__(self, path: Path, error: Exception) -> None:
        super().__init__(f"{path}: not a readable quotes catalog, damaged ({error}): run `quotes index --rebuild` "
                         "on your articles to make it again")


def _damage(e: sqlite3.DatabaseError) -> bool:
    """Whether an error of SQLite means a damaged file (not a lock, a full disk or a read-only directory)."""
    return type(e) is sqlite3.DatabaseError or bool(_DAMAGED.search(str(e)))


class _Cursor(sqlite3.Cursor):
    """A cursor whose every read and write turns SQLite's word for a damaged file into CatalogDamagedError."""

    path: Path

    def execute(self, *args: Any) -> Any:
        return self._checked(super().execute, *args)

    def executemany(self, *args: Any) -> Any:
        return self._checked(super().executemany, *args)

    def fetchone(self) -> Any:
        return self._checked(super().fetchone)

    def fetchall(self) -> Any:
        return self._checked(super().fetchall)

    def __next__(self) -> Any:
        return self._checked(super().__next__)

    def _checked(self, call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except sqlite3.DatabaseError as e:
            if _damage(e):
                raise CatalogDamagedError(self.path, e) from e
            raise


class _Connection(sqlite3.Connection):
    """A connection whose statements run on _Cursor (see there)."""

    path: Path

    def cursor(self, factory: Any = _Cursor) -> Any:  # type: ignore[override]
        cursor = super().cursor(factory)
        cursor.path = self.path
        return cursor

    def execute(self, *args: Any) -> Any:  # type: ignore[override]
        return self.cursor().execute(*args)

    def executemany(self, *args: Any) -> Any:  # type: ignore[override]
        return self.cursor().executemany(*args)

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
    confidence REAL NOT NULL,
    text_key TEXT,
    mention_key TEXT
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
-- with the name as written: `--speaker` finds a name's forms from the index alone (5 ms -> 1 ms for "Trump")
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_key, speaker);
"""
# Made after any migration: a catalog of schema 1 gets the columns first.
_KEY_INDEXES = """
CREATE INDEX IF NOT EXISTS quotes_text_key ON quotes(text_key);
CREATE INDEX IF NOT EXISTS quotes_mention ON quotes(mention_key, speaker_key, speaker);
-- a speaker's quotations and their articles' dates without reading the rows (a quotation's text, an
-- article's text): a timeline or a speaker page of 6,000 quotations in 15-30 ms, not 70-220 (#11)
CREATE INDEX IF NOT EXISTS quotes_speaker_quotations ON quotes(speaker_key, text_key, article_id, id);
CREATE INDEX IF NOT EXISTS articles_published ON articles(id, published);
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
class Occurrence:
    """One article that prints a quotation: the quote's id there and the article's metadata."""

    quote_id: str
    article_id: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SpeakerCount:
    """A canonical speaker name, how many quotes are attributed to it, and the other forms of the name seen.

    `forms` are the other spellings of the canonical name and the names the quotes were attributed to
    ("Altman" for "Sam Altman"); pronouns and descriptions ("he", "the CEO") are not name forms.
    """

    speaker: str
    count: int
    forms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "count": self.count, "forms": list(self.forms)}


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


def text_key(text: str) -> str:
    """The form quotations are deduplicated by: case, accents, punctuation and quotation marks ignored.

    '"We ship it," he said' in one article and 'we ship it' in another give the same key.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def name_forms(speaker: str, spellings: Iterable[str | None]) -> tuple[str, ...]:
    """The spellings and mentions of a speaker that are forms of its name, other than `speaker` itself.

    A mention counts by the name in it (`as_name`: "Trump’s campaign", "Trump, who" and "warm-and-fuzzy
    Trump" are "Trump"), and a form is a name ending in a word of the speaker's ("Altman", "Mr. Altman" for
    "Sam Altman"); pronouns and descriptions ("he", "the CEO", "one Clinton aide") are left out. Each form
    once (any case), in the order given.
    """
    words = set(text_key(speaker).split())
    seen = {speaker_key(speaker)}
    forms = []
    for spelt in spellings:
        form = as_name(spelt) if spelt else ""
        form_words = text_key(form).split()
        key = speaker_key(form)
        if form_words and key not in seen and form_words[-1] in words:
            seen.add(key)
            forms.append(form)
    return tuple(forms)


# Where the name in a mention ends: a comma or relative ("Trump, who", "Obama who"), a possessive ("Trump’s
# campaign", "Jones'").
_NAME_ENDS = re.compile(r",|\s(?:who|which|whose)\b|['’]s?(?=\s|$)")


def as_name(mention: str) -> str:
    """The name in a mention: up to a comma, relative or possessive, without the lower-case words and
    article before it ("former secretary of state Hillary Clinton", "The Sanders")."""
    name = _NAME_ENDS.split(mention, maxsplit=1)[0].split()
    while name and (name[0][:1].islower() or name[0] in ("The", "A", "An")):
        name = name[1:]
    return " ".join(name)


def first_printed(rows: Iterable[tuple[str, str, str | None]]) -> dict[str, str | None]:
    """The earliest date of each text key among (text key, quote id, published) rows (None: none dated)."""
    first: dict[str, str | None] = {}
    for key, _, day in rows:
        known = first.get(key)
        if key not in first or (day is not None and (known is None or day < known)):
            first[key] = day
    return first


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
        self._outer = False  # inside `one_transaction`
        if not self.path.exists():
            if not create:
                raise NoIndexError(self.index_dir)
            self.index_dir.mkdir(parents=True, exist_ok=True)
        try:
            try:
                self._db = self._connect(str(self.path), create=create)
            except sqlite3.OperationalError as e:
                if create or not _READ_ONLY.search(str(e)):
                    raise
                # A directory this process cannot write (a shared index): SQLite opens a WAL database there
                # only as immutable, since it cannot make the -shm file that readers share.
                self._db = self._connect(self.path.absolute().as_uri() + "?mode=ro&immutable=1", create=False)
            self._migrate()
        except CatalogDamagedError:
            raise
        except sqlite3.OperationalError as e:
            if _damage(e):
                raise CatalogDamagedError(self.path, e) from e
            how = "write" if create else "open"
            raise QuotesError(f"cannot {how} the catalog {self.path}: {e}; check that you may {how} "
                              f"{self.index_dir}/, or give another directory with --index-dir DIR") from e
        except sqlite3.DatabaseError as e:  # not a database, or a damaged one
            raise CatalogDamagedError(self.path, e) from e

    @staticmethod
    def _connect(database: str, *, create: bool) -> sqlite3.Connection:
        db = sqlite3.connect(database, uri=database.startswith("file:"), factory=_Connection)
        db.path = Path(database.removeprefix("file:").split("?")[0])
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL loses no commit when a process is killed, only on power loss; FULL would
            # fsync every commit, which costs more than extracting a batch of short articles.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            if create:
                with db:
                    db.executescript(_SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _migrate(self) -> None:
        """Bring a catalog of an earlier schema up to this one (adds and fills the key columns)."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        if version == 2:  # only indexes to add: a catalog this process may not write is read without them
            try:
                with self._db:
                    self._db.executescript(_KEY_INDEXES)
                    self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            except sqlite3.OperationalError as e:
                if not _READ_ONLY.search(str(e)):
                    raise
            return
        with self._db:
            columns = {r["name"] for r in self._db.execute("PRAGMA table_info(quotes)")}
            for column in ("text_key", "mention_key"):
                if column not in columns:
                    self._db.execute(f"ALTER TABLE quotes ADD COLUMN {column} TEXT")
            rows = self._db.execute("SELECT id, text, speaker_mention FROM quotes").fetchall()
            self._db.executemany("UPDATE quotes SET text_key = ?, mention_key = ? WHERE id = ?",
                                 [(text_key(r["text"]), speaker_key(r["speaker_mention"]), r["id"]) for r in rows])
            self._db.executescript(_KEY_INDEXES)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _transaction(self) -> Any:
        """A transaction of its own, or none inside `one_transaction`'s."""
        return nullcontext() if self._db.in_transaction and self._outer else self._db

    @contextmanager
    def one_transaction(self) -> Iterator[None]:
        """Everything written in the block commits at its end, at once, or not at all (an exception, a kill):
        a rebuild, which searches meanwhile see as the catalog was, and a killed one leaves as it was."""
        self._db.execute("BEGIN IMMEDIATE")
        self._outer = True
        try:
            yield
        except BaseException:
            self._db.rollback()
            raise
        else:
            self._db.commit()
        finally:
            self._outer = False

    def check(self) -> None:
        """Read every page of the file: CatalogDamagedError where one is damaged."""
        problems = [r[0] for r in self._db.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise CatalogDamagedError(self.path, sqlite3.DatabaseError("; ".join(problems[:3])))

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
        with self._transaction():
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
        columns = ", ".join(f'"{c}"' for c in ("id", "article_id", *_QUOTE_FIELDS, *_KEY_COLUMNS))
        marks = ", ".join("?" * (len(_QUOTE_FIELDS) + 2 + len(_KEY_COLUMNS)))
        self._db.executemany(f"INSERT OR REPLACE INTO quotes ({columns}) VALUES ({marks})", rows)
        new = [r[0] for r in rows]
        return [i for i in new if i not in old], sorted(old - set(new))

    def clear(self) -> None:
        """Forget every article and quote (the start of a rebuild), in one transaction."""
        with self._transaction():
            self._db.execute("DELETE FROM quotes")
            self._db.execute("DELETE FROM articles")

    def remove_article(self, article_id: str) -> list[str]:
        """Forget an article and its quotes; returns the ids of the quotes removed."""
        return self.remove_articles([article_id])

    def remove_articles(self, article_ids: Iterable[str]) -> list[str]:
        """Forget these articles and their quotes in one transaction; returns the ids of the quotes removed."""
        ids: list[str] = []
        with self._transaction():
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

    def text_keys(self, ids: Iterable[str]) -> dict[str, str]:
        """The text_key of the quotes with these ids that the catalog holds, by id: as stored, where
        computing it again costs 0.1 µs a character (0.7 ms for a quotation of 7,000)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
            chunk = wanted[i:i + 500]
            marks = ", ".join("?" * len(chunk))
            found.update((r[0], r[1]) for r in self._db.execute(
                f"SELECT id, text_key FROM quotes WHERE id IN ({marks})", chunk))
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

    def speakers(self, top: int | None = None) -> list[SpeakerCount]:
        """Canonical speakers with their number of quotations and other name forms, most quoted first."""
        rows = self._db.execute(  # a quotation printed by several articles counts once
            "SELECT speaker_key, COUNT(DISTINCT text_key) AS n FROM quotes WHERE speaker_key IS NOT NULL "
            "GROUP BY speaker_key ORDER BY n DESC, speaker_key LIMIT ?",
            (-1 if top is None else min(top, _SQLITE_MAX_INTEGER),))
        return self.speaker_counts({r["speaker_key"]: r["n"] for r in rows})

    def speaker_counts(self, counts: dict[str, int]) -> list[SpeakerCount]:
        """SpeakerCounts for these speaker keys and counts, in the order given, with names and name forms."""
        spellings: dict[str, list[str]] = {key: [] for key in counts}
        mentions: dict[str, list[str | None]] = {key: [] for key in counts}
        keys = list(counts)
        for i in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
            chunk = keys[i:i + 500]
            for r in self._db.execute(
                    "SELECT speaker_key, speaker, speaker_mention, COUNT(*) AS n FROM quotes "
                    f"WHERE speaker_key IN ({', '.join('?' * len(chunk))}) "
                    "GROUP BY speaker_key, speaker, speaker_mention ORDER BY n DESC, speaker, speaker_mention",
                    chunk):
                if r["speaker"] not in spellings[r["speaker_key"]]:
                    spellings[r["speaker_key"]].append(r["speaker"])
                mentions[r["speaker_key"]].append(r["speaker_mention"])
        result = []
        for key, n in counts.items():
            if spellings[key]:
                name = spellings[key][0]  # the spelling most quotes use
                result.append(SpeakerCount(name, n, name_forms(name, [*spellings[key][1:], *mentions[key]])))
        return result

    def speaker_keys(self, name: str) -> list[str]:
        """The canonical speakers (keys) that `name` is: the canonical name, or a form of it a quote used.

        A mention that shares no word with the speaker's name ("he", "the CEO") is not a form of the name:
        `--speaker he` must not find everyone a pronoun pointed to.
        """
        key = speaker_key(name)
        rows = self._db.execute("SELECT DISTINCT speaker_key, speaker FROM quotes WHERE speaker_key = ? UNION "
                                "SELECT DISTINCT speaker_key, speaker FROM quotes WHERE mention_key = ? "
                                "AND speaker_key IS NOT NULL", (key, key))
        wanted = set(text_key(name).split())
        return sorted({r[0] for r in rows if r[0] == key or wanted & set(text_key(r[1]).split())})

    def occurrences(self, keys: Iterable[str]) -> dict[str, list[Occurrence]]:
        """Every article printing a quotation with each of these text keys, earliest published first.

        Articles of one date (or none) come in the order they were first indexed.
        """
        wanted = list(dict.fromkeys(keys))
        found: dict[str, list[Occurrence]] = {key: [] for key in wanted}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            for r in self._db.execute(
                    "SELECT q.text_key, q.id, q.article_id, a.title, a.publisher, a.published, a.url, a.path "
                    f"FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.text_key IN "
                    f"({', '.join('?' * len(chunk))}) ORDER BY a.published IS NULL, a.published, a.rowid, "
                    'q."start"', chunk):
                found[r["text_key"]].append(Occurrence(r["id"], r["article_id"], r["title"], r["publisher"],
                                                       r["published"], r["url"], r["path"]))
        return found

    def first_printings(self, speaker_keys: Sequence[str] | None = None) -> dict[str, str | None]:
        """When each quotation (text key) was first printed: the earliest `published` of the articles
        printing it (None if none is dated). With `speaker_keys`, the quotations these canonical speakers
        are quoted with, dated by the printings that name them."""
        return first_printed(self.speaker_quotations(speaker_keys))

    def latest_quotes(self, rows: Sequence[tuple[str, str, str | None]], limit: int) -> list[ArticleQuote]:
        """The newest `limit` quotations of `speaker_quotations` rows (undated last), each quotation once
        (its newest printing)."""
        newest: dict[str, str] = {}
        for key, quote_id, _ in sorted(rows, key=lambda r: r[2] or "", reverse=True):
            if len(newest) >= limit:
                break
            newest.setdefault(key, quote_id)
        found = self.get_quotes(newest.values())
        return [found[i] for i in newest.values() if i in found]

    def speaker_quotations(self, speaker_keys: Sequence[str] | None) -> list[tuple[str, str, str | None]]:
        """(text key, quote id, its article's `published`) of every quote of these canonical speakers (of
        all, with None), read from two covering indexes without a quotation's or an article's text."""
        dates = {r[0]: r[1] for r in self._db.execute("SELECT id, published FROM articles")}
        if speaker_keys is None:
            rows = self._db.execute("SELECT text_key, article_id, id FROM quotes").fetchall()
        else:
            keys = list(dict.fromkeys(speaker_keys))[:500]  # stay under SQLite's bound-parameter limit
            rows = self._db.execute("SELECT text_key, article_id, id FROM quotes WHERE speaker_key IN "
                                    f"({', '.join('?' * len(keys))})", keys).fetchall() if keys else []
        return [(key, quote_id, dates.get(article_id)) for key, article_id, quote_id in rows]

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
        return (quote_id(article_id, quote), article_id, *values, speaker_key(quote.speaker), text_key(quote.text),
                speaker_key(quote.speaker_mention))

    @staticmethod
    def _record(row: sqlite3.Row) -> ArticleQuote:
        quote = Quote(**{name: row[name] for name in _QUOTE_FIELDS})
        return ArticleQuote(row["id"], quote, row["article_id"], row["title"], row["publisher"],
                            row["published"], row["url"])


_SELECT = ("SELECT q.*, a.title AS title, a.publisher AS publisher, a.published AS published, a.url AS url "
           "FROM quotes q JOIN articles a ON a.id = q.article_id")
