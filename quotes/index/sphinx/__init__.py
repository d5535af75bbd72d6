"""The SphinxQL backend: quotes in a search server (Manticore Search in production, Sphinx 2.2 in tests).

    QUOTES_BACKEND=sphinx://127.0.0.1:9306/quotes   (or manticore://...; --backend URL on the command line)

The server holds NAME_0 ... NAME_{N-1}, real-time indexes (shards), NAME, a distributed index over them
that every search reads, and NAME_vocab, the indexed words that fuzzy words are looked up in (quotes.index.
sphinx.config writes the definitions). A quote goes to shard `int(id, 16) % N`. The catalog stays the
source of truth: a hit's words (for its snippet) come from it, and `quotes index` repairs the server
from it as it repairs Whoosh.

Searching gives the hits Whoosh gives, since the words are analysed by the same code (sphinxql); scores
are Sphinx's and differ, so hits of equal standing may come in another order. Reprints are grouped by
their text key on the server (GROUP BY), counted by the totals rule of quotes.index: exact up to
EXACT_TOTAL_UP_TO quotations. The client is PyMySQL, the `quotes[server]` extra.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from quotes.index import Backend, tree
from quotes.index.records import (
    EXACT_TOTAL_UP_TO,
    FUZZY_PREFIX,
    SORTS,
    Filters,
    IndexHit,
    IndexPage,
    check_expansion,
    exact_keys,
)
from quotes.index.spelling import respell
from quotes.index.sphinx import sphinxql as ql
from quotes.index.whoosh.language import analyze, query_parts, query_tree, snippet
from quotes.model import QuotesError
from quotes.store import ArticleQuote, Catalog

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'quotes[server]'"
DEFAULT_PORT = 9306  # SphinxQL's usual port
DEFAULT_NAME = "quotes"
WRITE_ROWS = 500  # documents per REPLACE statement: a few hundred KB, far under searchd's max_packet_size
PAGE_ROWS = 10_000  # rows per SELECT when walking every document (ids, counts)
# The fields whose indexed words NAME_vocab holds: a fuzzy word or a pattern of these is looked up there,
# and refused past MAX_EXPANSION words as Whoosh refuses it.
VOCAB_FIELDS = ("words", "speaker")


_CONNECTIONS = threading.local()


class ServerError(QuotesError):
    """The search server cannot be reached or refuses a statement."""


class SphinxBackend(Backend):
    """Quotes in SphinxQL real-time shards behind a distributed index (see the module's docstring)."""

    def __init__(self, index_dir: Path, url: str | None = None) -> None:
        super().__init__(index_dir, url)
        parts = urlsplit(url or "sphinx://127.0.0.1")
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or DEFAULT_PORT
        self.name = parts.path.strip("/") or DEFAULT_NAME

    # -- connection ----------------------------------------------------------------------------------------

    @property
    def _db(self) -> Any:
        """This thread's connection to the server, opened once (quotes.index opens a backend per call)."""
        opened: dict[tuple[str, int], Any] = _CONNECTIONS.__dict__.setdefault("by_address", {})
        if (self.host, self.port) not in opened:
            opened[(self.host, self.port)] = self._connect()
        return opened[(self.host, self.port)]

    def _connect(self) -> Any:
        try:
            import pymysql
        except ImportError as e:
            raise ServerError(f"the search backend {self.url} needs PyMySQL: {INSTALL_HINT}") from e
        try:
            # Sphinx speaks no TLS, and PyMySQL's attempt at it costs 40-120 ms a connection: the server is
            # reached on loopback or a private network (docs/scaling.md).
            return pymysql.connect(host=self.host, port=self.port, autocommit=True, charset="utf8",
                                   ssl_disabled=True)
        except pymysql.MySQLError as e:
            raise ServerError(f"cannot reach the search server at {self.host}:{self.port} ({e.args[-1]}); start "
                              "searchd with a config from `quotes server-config`, or unset QUOTES_BACKEND") from e

    def _run(self, sql: str, args: Iterable[Any] | None = None) -> list[tuple[Any, ...]]:
        import pymysql

        try:
            with self._db.cursor() as cursor:
                cursor.execute(sql, args)
                return list(cursor.fetchall())
        except pymysql.OperationalError as e:  # a connection the server closed (restarted): the next call reopens
            _CONNECTIONS.__dict__.get("by_address", {}).pop((self.host, self.port), None)
            raise ServerError(f"lost the search server at {self.host}:{self.port} ({e.args[-1]}); run the command "
                              "again once searchd is up") from e
        except pymysql.MySQLError as e:
            raise ServerError(f"the search server at {self.host}:{self.port} refused a statement ({e.args[-1]}); "
                              f"check that it serves the indexes of `quotes server-config` named {self.name}") from e

    @cached_property
    def shards(self) -> list[str]:
        """The names of the real-time shards, in order (NAME_0, NAME_1, ...)."""
        tables = {name for name, _ in self._run("SHOW TABLES")}
        shards: list[str] = []
        while f"{self.name}_{len(shards)}" in tables:
            shards.append(f"{self.name}_{len(shards)}")
        return shards

    def _shard(self, doc: int) -> str:
        return self.shards[doc % len(self.shards)]

    # -- the interface -----------------------------------------------------------------------------------

    def exists(self) -> bool:
        return bool(self.shards)

    def is_current(self) -> bool:
        if not self.exists():
            return False
        described = {row[0] for row in self._run(f"DESCRIBE {self.shards[0]}")}
        return set(ql.FIELDS) | set(ql.ATTRIBUTES) <= described

    def doc_count(self) -> int:
        if not self.exists():
            return 0
        self._run(f"SELECT id FROM {self.name} LIMIT 1")
        return int(dict(self._run("SHOW META"))["total_found"])

    def doc_ids(self) -> list[str]:
        return [qid for shard in self.shards for _, qid in self._walk(shard, "qid")]

    def _walk(self, index: str, columns: str, where: str = "", options: str = "") -> Iterator[tuple[Any, ...]]:
        """Every (id, columns...) row of an index (`where`: "AND ..." more conditions), by id, PAGE_ROWS at a time."""
        last = -1
        while True:
            rows = self._run(f"SELECT id, {columns} FROM {index} WHERE id > {last} {where} ORDER BY id ASC "
                             f"LIMIT {PAGE_ROWS} OPTION max_matches={PAGE_ROWS}{options}")
            yield from rows
            if len(rows) < PAGE_ROWS:
                return
            last = rows[-1][0]

    def write(self, added: Iterable[ArticleQuote], *, delete_articles: Iterable[str] = (),
              delete_ids: Iterable[str] = (), procs: int = 1, expected: int = 0, clear: bool = False) -> int:
        if not self.exists():
            raise ServerError(f"the search server at {self.host}:{self.port} has no index {self.name}_0: load a "
                              "config from `quotes server-config` into it")
        if clear:
            for shard in (*self.shards, f"{self.name}_vocab"):
                self._run(f"TRUNCATE RTINDEX {shard}")
        doomed = {ql.doc_number(i) for i in delete_ids}
        for article in delete_articles:
            doomed.update(doc for doc, in self._run(
                f"SELECT id FROM {self.name} WHERE MATCH({ql.escape_match('@article_id ' + ql.id_token(article))}) "
                f"LIMIT {PAGE_ROWS} OPTION max_matches={PAGE_ROWS}"))
        by_shard: dict[str, list[int]] = defaultdict(list)
        for doc in doomed:
            by_shard[self._shard(doc)].append(doc)
        for shard, docs in by_shard.items():
            for start in range(0, len(docs), WRITE_ROWS):
                self._run(f"DELETE FROM {shard} WHERE id IN ({','.join(map(str, docs[start:start + WRITE_ROWS]))})")
        count = 0
        it = iter(added)
        while batch := list(islice(it, WRITE_ROWS)):
            self._replace(batch)
            count += len(batch)
        return count

    def _replace(self, batch: list[ArticleQuote]) -> None:
        columns = ["id", *ql.FIELDS, *ql.ATTRIBUTES]
        by_shard: dict[str, list[dict[str, object]]] = defaultdict(list)
        vocab: dict[int, tuple[str, str]] = {}
        for record in batch:
            doc = ql.document(record)
            by_shard[self._shard(int(doc["id"]))].append(doc)  # type: ignore[call-overload]
            for field in VOCAB_FIELDS:
                for word in str(doc[field]).split():
                    vocab[ql.number(field + " " + word)] = (field, word)
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for shard, docs in by_shard.items():
            self._run(f"REPLACE INTO {shard} ({', '.join(columns)}) VALUES " + ", ".join([marks] * len(docs)),
                      [d[c] for d in docs for c in columns])
        if vocab:
            self._run(f"REPLACE INTO {self.name}_vocab (id, w, fld, word) VALUES "
                      + ", ".join(["(%s, %s, %s, %s)"] * len(vocab)),
                      [v for n, (f, w) in vocab.items() for v in (n, w, f, _plain(w))])

    def search(self, text: str, *, filters: Filters | None = None, sort: str = "relevance", limit: int = 10,
               offset: int = 0, exact_total: bool = False) -> IndexPage:
        """As the Whoosh backend searches (quotes.index.whoosh.searching.search): the quotations whose words
        are the query's come first; where none holds every part of a query of words, those holding most of
        them are the hits (`partial`)."""
        if sort not in SORTS:
            raise QuotesError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
        node, parts = query_parts(text)
        self._check_expansions(node)
        own = [ql.number(k) for k in exact_keys(text)]
        where = self._where(node, filters)
        if not self.exists():
            return IndexPage([], 0)
        page = self._page(node, where, sort, limit, offset, exact_total, own) if where else IndexPage([], 0)
        if not page.total and len(parts) > 1:
            most = self._most(parts, filters, sort, limit, offset, exact_total, own)
            if most.total:
                page = replace(most, partial=True)
        return page

    def _page(self, node: tree.Node, where: str, sort: str, limit: int, offset: int, exact_total: bool,
              own: list[int]) -> IndexPage:
        """One page of a query's matches, grouped by quotation on the server; the quotations of `own` first."""
        cap = max(offset + limit, (self.doc_count() + 1) if exact_total else EXACT_TOTAL_UP_TO + 1)
        first = f"IN(tkh, {', '.join(map(str, own))})" if own else "0"
        order = "own DESC, best DESC, tkh ASC" if sort == "relevance" else "newest DESC, own DESC, best DESC, tkh ASC"
        groups = self._run(f"SELECT tkh, MAX(WEIGHT()) AS best, MAX(day) AS newest, {first} AS own FROM {self.name} "
                           f"WHERE {where} GROUP BY tkh ORDER BY {order} LIMIT {offset}, {limit} "
                           f"OPTION max_matches={cap}")
        total, exact = _counted(int(dict(self._run("SHOW META"))["total_found"]), exact_total)
        if not groups:
            return IndexPage([], total, exact)
        docs = self._run(f"SELECT tkh, qid, pub, WEIGHT() AS w FROM {self.name} WHERE {where} AND tkh IN "
                         f"({','.join(str(g[0]) for g in groups)}) LIMIT {PAGE_ROWS} OPTION max_matches={PAGE_ROWS}")
        printings: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in docs:
            printings[row[0]].append(row)
        shown = []
        for key, best, *_ in groups:  # relevance: the first printing that matches; date: the newest
            rows = printings[key]
            pick = (min(rows, key=lambda r: (r[2] or "~", r[1])) if sort == "relevance"
                    else max(rows, key=lambda r: (r[2], r[3], r[1])))
            shown.append((pick[1], float(best)))
        return IndexPage(self._hits(node, shown), total, exact)

    def _most(self, parts: tuple[tree.Node, ...], filters: Filters | None, sort: str, limit: int, offset: int,
              exact_total: bool, own: list[int]) -> IndexPage:
        """The quotations holding any part of the query, those holding most parts first (then as `_page`
        ranks), as Whoosh falls back: each part's documents counted here, the ranking made in Python."""
        either = tree.Or(parts)
        where = self._where(either, filters)
        if where is None:
            return IndexPage([], 0)
        held: Counter[int] = Counter()
        for part in parts:
            if (part_where := self._where(part, filters)) is not None:
                held.update(row[0] for row in self._walk(self.name, "tkh", f"AND {part_where}"))
        rows = list(self._walk(self.name, "tkh, qid, pub, day, WEIGHT() AS w", f"AND {where}"))
        firsts = set(own)
        rows.sort(key=lambda r: (r[1] not in firsts, -held[r[0]], -r[5], r[0]))
        if sort == "date":
            rows.sort(key=lambda r: -r[4])  # stable: each day's best first; undated (0) last
        groups: dict[int, list[tuple[Any, ...]]] = {}
        for row in rows:
            groups.setdefault(row[1], []).append(row)
        total, exact = _counted(len(groups), exact_total)
        shown = []
        for printings in list(groups.values())[offset:offset + limit]:
            pick = min(printings, key=lambda r: (r[3] or "~", r[2])) if sort == "relevance" else printings[0]
            shown.append((pick[2], float(max(r[5] for r in printings))))
        return IndexPage(self._hits(either, shown), total, exact)

    def _hits(self, node: tree.Node, shown: list[tuple[str, float]]) -> list[IndexHit]:
        """The hits of these (quote id, score), their snippets marking the words `node` matches."""
        with Catalog(self.index_dir) as catalog:
            records = catalog.get_quotes([qid for qid, _ in shown])
        expand = self._expander()
        return [IndexHit(qid, score, snippet(records[qid].quote.text,
                                             ql.marked_terms(node, records[qid].quote.text, expand)))
                for qid, score in shown if qid in records]

    def count_speakers(self, text: str, *, filters: Filters | None = None) -> dict[str, int]:
        node = query_tree(text)
        self._check_expansions(node)
        where = self._where(node, filters)
        if where is None or not self.exists():
            return {}
        quotations: dict[str, set[int]] = defaultdict(set)
        for _, skey, tkh in self._walk(self.name, "skey, tkh", f"AND {where}"):
            if skey:
                quotations[skey].add(tkh)
        counts = {s: len(k) for s, k in quotations.items()}
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def suggest(self, text: str) -> str | None:
        """As the Whoosh backend suggests (quotes.index.whoosh.suggestions): each word no quotation or name
        holds, replaced by the indexed word within SPELL_MAX_EDITS (1 for a short word) that
        quotes.index.spelling.respell picks."""
        if not self.exists():
            return None
        def known(word: str) -> bool:  # a stop word (no stem), or a word some quotation or name holds
            return not analyze("text", word) or self._indexed(word)

        def candidates(word: str, edits: int) -> list[tuple[str, int]]:
            return [(w, self._documents(field, w)) for field in ("words", "speaker")
                    for w in self._expand(tree.Fuzzy(field, word, edits, FUZZY_PREFIX))]

        return respell(text, known, candidates)

    def _indexed(self, word: str) -> bool:
        """Whether a word is among the quoted words or names, or its stem among the quoted words' stems."""
        terms = [("words", word), ("speaker", word), *(("text", stem) for stem in analyze("text", word))]
        expression = " | ".join(f"(@{field} {ql.token(w)})" for field, w in terms)
        return bool(self._run(f"SELECT id FROM {self.name} WHERE MATCH({ql.escape_match(expression)}) LIMIT 1"))

    def _documents(self, field: str, word: str) -> int:
        """How many documents hold a word in a field (whoosh's document frequency)."""
        self._run(f"SELECT id FROM {self.name} WHERE MATCH({ql.escape_match(f'@{field} {ql.token(word)}')}) LIMIT 1")
        return int(dict(self._run("SHOW META"))["total_found"])

    # -- queries -----------------------------------------------------------------------------------------

    def _where(self, node: tree.Node, filters: Filters | None) -> str | None:
        """The WHERE clause of a query with its filters; None where it can match nothing."""
        m = ql.match(node, filters, self._expander(), self._years)
        if m.nothing:
            return None
        where = [f"MATCH({ql.escape_match(m.expression)})"]
        if filters is not None:
            from quotes.index.records import day

            if filters.since:
                where.append(f"day >= {day(filters.since.rstrip('~'))}")
            if filters.until:
                where.append(f"day <= {day(filters.until.rstrip('~'), end=True)}")
            if filters.since or filters.until:
                where.append("day > 0")
            if filters.kind:
                where.append(f"kinda = {ql.quoted(filters.kind)}")
        return " AND ".join(where)

    def _check_expansions(self, node: tree.Node) -> None:
        """QuerySyntaxError, as Whoosh's, for a fuzzy word or a pattern that stands for more than MAX_EXPANSION
        indexed words of a field (of VOCAB_FIELDS: the others' words are not listed, and not counted)."""
        if not self.exists():
            return
        for leaf in tree.leaves(node):
            if isinstance(leaf, tree.Fuzzy | tree.Prefix | tree.Wildcard) and leaf.field in VOCAB_FIELDS:
                text = (leaf.word if isinstance(leaf, tree.Fuzzy) else
                        leaf.prefix if isinstance(leaf, tree.Prefix) else leaf.pattern)
                check_expansion(len(self._expand(leaf)), text, prefix=isinstance(leaf, tree.Prefix),
                                maxdist=leaf.maxdist if isinstance(leaf, tree.Fuzzy) else None)

    def _years(self) -> tuple[int, int]:
        """The first and last year of the dates the index holds (a date range's open end stops there)."""
        rows = self._run(f"SELECT MIN(day) AS lo, MAX(day) AS hi, COUNT(*) AS n FROM {self.name} WHERE day > 0")
        if not rows or not rows[0][-1]:
            return (0, -1)
        return int(rows[0][0]) // 10000, int(rows[0][1]) // 10000

    def _expander(self) -> ql.Expand:
        cache: dict[tree.Node, list[str]] = {}

        def expand(node: tree.Node) -> list[str]:
            if node not in cache:
                cache[node] = self._expand(node)
            return cache[node]

        return expand

    def _expand(self, node: tree.Node) -> list[str]:
        """The indexed words of a field that a fuzzy word (or a pattern) stands for."""
        field = getattr(node, "field", "")
        if isinstance(node, tree.Fuzzy):
            head = node.word[:node.prefix]
        elif isinstance(node, tree.Prefix):
            head = node.prefix
        elif isinstance(node, tree.Wildcard):
            head = node.pattern.split("*")[0].split("?")[0]
        else:
            return []
        where = f"fld = {ql.quoted(field)}"
        if head and ql._PLAIN.fullmatch(head):
            where += f" AND MATCH({ql.escape_match('@w ' + head + '*')})"
        words = [w for _, w in self._walk(f"{self.name}_vocab", "word", f"AND {where}")]
        if isinstance(node, tree.Fuzzy):
            kept = [w for w in words if w.startswith(head) and ql.within(w, node.word, node.maxdist)]
        else:
            kept = [w for w in words if ql._fits(node, w)]
        return sorted(kept)


def _counted(found: int, exact_total: bool) -> tuple[int, bool]:
    """A total by the rule of quotes.index: exact up to EXACT_TOTAL_UP_TO quotations, or when asked."""
    return (found, True) if exact_total or found <= EXACT_TOTAL_UP_TO else (EXACT_TOTAL_UP_TO, False)


def _plain(token: str) -> str:
    """The word a token stands for (undoing sphinxql.token)."""
    return bytes.fromhex(token[2:]).decode("utf-8") if token.startswith("x_") else token
