"""The Whoosh full-text index of quotes: the only module that imports whoosh.

The index is derived data: every document is a quote of the catalog (quotes.store), keyed by the quote's
id, and the whole index can be rebuilt from the catalog with `build`. Functions here take and return plain
data (ArticleQuote in, IndexHit out); no whoosh object leaves this module.

A quotation printed by several articles has one document per article, all with the same `text_key`;
`search` groups them at query time, so adding or removing one article never touches another's documents.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from whoosh import columns, formats, highlight, index, matching, multiproc, query, writing
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer, Token
from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.fields import ID, NUMERIC, STORED, TEXT, FieldType, Schema
from whoosh.filedb.structfile import BufferFile
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.qparser import FieldAliasPlugin, FuzzyTermPlugin, MultifieldParser
from whoosh.query.spans import SpanNear2, SpanWrappingMatcher
from whoosh.spelling import ReaderCorrector
from whoosh.util import make_binary_tree

from quotes.model import QuotesError
from quotes.paths import NoIndexError, whoosh_path
from quotes.store import ArticleQuote, speaker_key, text_key

P = ParamSpec("P")
R = TypeVar("R")

# Names are matched word by word, lowercased, never stemmed and without a stop list ("Theresa May",
# "Will Smith": "may" and "will" are English stop words but are names here).
NAME_ANALYZER = RegexTokenizer() | LowercaseFilter()
# Quoted words are matched on their stems ("initiatives" finds "initiative"), English stop words left out.
TEXT_ANALYZER = StemmingAnalyzer()


class _Pairs(Filter):
    """Each word joined to the next by a space ("would trump"), for PAIR_FIELDS.

    The words are those a phrase matches on: stop words are left out and the words after them renumbered,
    so two words next to each other in this stream are next to each other for a phrase. Whoosh stores the
    schema with this class's name in the index: renamed, it would make every index unreadable.
    """

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        previous = None
        for token in tokens:
            word = token.text
            if previous is not None:
                token.text = previous + " " + word
                yield token
            previous = word


# A phrase of the quoted words or of a name is first looked up as its pairs of adjacent words, each an
# indexed term: whoosh alone steps through every posting of each of its words (1.5 µs each: 25 ms for
# "would Trump", two words of thousands of quotations), where a pair has as many postings as the phrase
# has matches. Only documents holding every pair are then matched as whoosh does, with positions.
PAIR_FIELDS = {"text": "text_pairs", "speaker": "speaker_pairs"}

# A query's words are looked for in the quoted words and in the speaker's name; a name match counts for
# less so that quotations that say the words rank above quotations of a person who bears them.
SEARCH_FIELDS = ("text", "speaker")
FIELD_BOOSTS = {"text": 1.0, "speaker": 0.5}

# Snippets: a quotation up to this length is shown whole with its matches marked; a longer one is cut to
# fragments of about SNIPPET_CHARS around its matches.
SNIPPET_WHOLE_CHARS = 400
SNIPPET_CHARS = 240
SNIPPET_SURROUND = 80
MARK_OPEN, MARK_CLOSE = "«", "»"  # around each matched word of a snippet; « » are rare inside news quotes
ELLIPSIS = " … "

# The fields a query may name (`speaker:Altman`), with `article:` as a short name of `article_id:`.
QUERY_FIELDS = ("text", "speaker", "publisher", "kind", "published", "title", "article_id")
FIELD_ALIASES = {"article_id": ["article"]}
OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")
SORTS = ("relevance", "date")

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


@dataclass(frozen=True, slots=True)
class IndexHit:
    """A search result as the index knows it: the quote's id, its score and a highlighted snippet."""

    id: str
    score: float
    snippet: str  # the quote's words with each matched word inside « »


@dataclass(frozen=True, slots=True)
class IndexPage:
    """One page of a search: its hits (one per quotation) and how many quotations matched in all."""

    hits: list[IndexHit]
    total: int


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
    """The Whoosh files cannot be read (a disk error, a half-copied directory): rebuild them from the catalog."""


@contextmanager
def _readable(index_dir: Path) -> Iterator[None]:
    """Turn whoosh's failure to read its files into IndexDamagedError.

    A damaged file makes whoosh raise whatever its parser meets (FileFormatError, IndexError, struct.error,
    EOFError...). The index is derived data, so the fix is always the same: rebuild it from the catalog.
    An OSError (permissions, a full disk) is no damage and goes through as it is.
    """
    try:
        yield
    except (QuotesError, OSError):
        raise
    except Exception as e:
        raise IndexDamagedError(f"the search index at {index_dir}/ is damaged ({type(e).__name__}: {e}): run "
                                "`quotes reindex` to rebuild it from the catalog") from e


def _reads_index(fn: Callable[Concatenate[Path, P], R]) -> Callable[Concatenate[Path, P], R]:
    """Decorates a function of an index directory that reads whoosh's files: see `_readable`."""

    @functools.wraps(fn)
    def reading(index_dir: Path, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with _readable(index_dir):
            return fn(index_dir, *args, **kwargs)

    return reading


@_reads_index
def exists(index_dir: Path) -> bool:
    """Whether the directory holds a Whoosh index (IndexDamagedError where it cannot be read)."""
    path = whoosh_path(index_dir)
    return path.is_dir() and index.exists_in(str(path))


@_reads_index
def doc_count(index_dir: Path) -> int:
    """How many quotes the index holds (0 where there is no index)."""
    if not exists(index_dir):
        return 0
    with index.open_dir(str(whoosh_path(index_dir))).searcher() as searcher:
        return int(searcher.doc_count())


# Whoosh's multi-process writer pays for its processes and job files. Since the word-pair fields made each
# document dearer to write, two processes beat one from about 2,000 documents on 2 cores (build from the
# catalog: 1,960 documents 2.3-2.5 s with one process, 1.5-1.6 s with two; 6,635: 6.7-8.1 s, 3.5-4.3 s).
MP_WRITER_MIN_DOCS = 2_000
WRITER_LOCK_SECONDS = 10.0  # how long to wait for Whoosh's own write lock (held only by an ending writer)
# Segments are written as separate files (compound=False): opening a compound segment copies its terms and
# postings into memory, ~35 ms on 100,000 quotations, paid by every `quotes search` in a new process.


@_reads_index
def doc_ids(index_dir: Path) -> list[str]:
    """The id of every live document (a repeated id appears twice): to check the index against the catalog."""
    if not exists(index_dir):
        return []
    with index.open_dir(str(whoosh_path(index_dir))).searcher() as searcher:
        return [fields["id"] for fields in searcher.reader().all_stored_fields()]


def build(index_dir: Path, quotes: Iterable[ArticleQuote], *, procs: int = 1, expected: int = 0) -> int:
    """Make the index afresh from these quotes (all of the catalog's); returns how many were added.

    The old documents are dropped by the same commit that adds the new ones: a search during the build
    sees the old index, never an empty one.
    """
    return write(index_dir, quotes, procs=procs, expected=expected, clear=True)


def update(index_dir: Path, added: Iterable[ArticleQuote], removed_ids: Iterable[str]) -> None:
    """Delete the removed quotes and add (or replace, by id) the added ones, in one writer and one commit."""
    added = list(added)
    write(index_dir, added, delete_ids=[*removed_ids, *(r.id for r in added)])


def write(index_dir: Path, added: Iterable[ArticleQuote], *, delete_articles: Iterable[str] = (),
          delete_ids: Iterable[str] = (), procs: int = 1, expected: int = 0, clear: bool = False) -> int:
    """In one writer and one commit: delete every quote of `delete_articles` and the quotes `delete_ids`,
    then add `added`. Returns how many were added. `clear` drops every other document in that commit.

    With `procs` > 1 and `expected` (the number of quotes to add, as far as known) at least
    MP_WRITER_MIN_DOCS, Whoosh's multi-process writer indexes them in `procs` processes, each writing a
    segment of its own (multisegment: no final merge; later commits merge small segments as usual).
    A clearing write makes a damaged index afresh; any other raises IndexDamagedError on one.
    """
    try:
        fresh = not exists(index_dir) or (clear and not is_current(index_dir))  # none yet, or an older schema's
    except IndexDamagedError:
        if not clear:
            raise
        fresh = True
    if fresh:
        whoosh_path(index_dir).mkdir(parents=True, exist_ok=True)
        index.create_in(str(whoosh_path(index_dir)), schema())
    with _readable(index_dir):
        ix = index.open_dir(str(whoosh_path(index_dir)))
    try:
        if procs > 1 and expected >= MP_WRITER_MIN_DOCS:
            writer = _MpWriter(ix, procs=procs, multisegment=True, timeout=WRITER_LOCK_SECONDS,
                               compound=False, subargs={"compound": False})
        else:
            writer = _Writer(ix, timeout=WRITER_LOCK_SECONDS, compound=False)  # what ix.writer() makes
    except index.LockError as e:
        raise IndexBusyError(f"the index at {index_dir}/ is being written by another process: "
                             "wait for it to finish and try again") from e
    n = 0
    try:
        with _readable(index_dir):  # deleting reads the segments' terms
            for article_id in delete_articles:
                writer.delete_by_term("article_id", article_id)
            for quote_id in delete_ids:
                writer.delete_by_term("id", quote_id)
        for record in added:
            writer.add_document(**_document(record))
            n += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=writing.CLEAR if clear else None)
    return n


class _SubWriter(SubWriterTask):
    """A sub-writer process that ends when its parent dies.

    Whoosh's sub-writers wait on their job queue forever; were the parent killed (SIGKILL), they would
    live on, holding Whoosh's write lock, and no later run could write the index.
    """

    def run(self) -> None:
        threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
        multiproc.SegmentWriter = _Writer  # the writer this process makes (the process is its own)
        super().run()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


class _Writer(writing.SegmentWriter):
    """Whoosh's writer, but that its postings are written with the segment's field lengths in memory.

    Writing each posting reads its document's field length (for the block's shortest and longest): a
    seek and a read, or, for a field without lengths (an ID, the pairs), a test that the file exists,
    per posting. Read once per field instead, they give the same files 10-20% sooner.
    """

    def per_document_reader(self) -> Any:
        perdoc = super().per_document_reader()
        _hold_lengths(perdoc, self.schema.names())
        return perdoc


class _MpWriter(MpWriter):
    def _new_task(self) -> SubWriterTask:
        task = _SubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                          self.multisegment)
        self.tasks.append(task)
        task.start()
        return task


@_reads_index
def search(index_dir: Path, text: str, *, filters: Filters | None = None, sort: str = "relevance",
           limit: int = 10, offset: int = 0) -> IndexPage:
    """Quotations matching a query (see `parse`), one hit per quotation, `limit` of them from `offset`.

    Documents sharing a `text_key` (one quotation printed by several articles) are one hit, ranked as the
    best of them. By relevance (BM25F) the hit is the first printing among those that match; by date
    (newest first, then by relevance) it is the newest.
    """
    opened = _open(index_dir)
    q = _paired(_expand_fuzzy(parse(text, opened.searcher.schema), opened))
    if sort not in SORTS:
        raise QuotesError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    full, kept = _filtered(q, filters), _kept(opened, filters)
    found: dict[int, tuple[float, list[Any]]] | None  # docnum -> score, matched terms
    if kept and not _is_everything(q):
        # Filters that columns can test: the query's matches are listed unscored and tested, and only
        # those kept are scored, with the filters' clauses (which also settle what the test let pass).
        found = _visit(opened.searcher, full, [d for d in _docs(opened.searcher, q) if kept(d)])
        ranked = sorted(((score, d) for d, (score, _) in found.items()), key=lambda r: (-r[0], r[1]))
    else:  # one walk, every match scored and ranked (a phrase costs more to walk than to score)
        # The matched terms are recorded during the walk only for a query on positions (a phrase), whose
        # matcher would walk again to find them; for others the hits shown alone are visited below.
        positional = _positional(q)
        collector = opened.searcher.collector(limit=None, terms=positional)
        opened.searcher.search_with_collector(full, collector, context=_scoring(opened.searcher))
        results = collector.results()
        ranked = [(score, d) for score, d in results.top_n if not kept or kept(d)]  # best first
        found = {d: (score, results.docterms.get(d, [])) for score, d in ranked} if positional else None
    if sort == "date":  # newest first; sorted() is stable, so one day's hits stay best first
        dates = opened.column("published")
        ranked.sort(key=lambda r: dates[r[1]], reverse=True)  # undated (b"") last
    keys = opened.column("text_key")
    groups: dict[bytes | int, list[int]] = {}  # text_key -> its documents, first in `ranked` first
    for _, docnum in ranked:
        groups.setdefault(keys[docnum] or docnum, []).append(docnum)
    shown = []
    for docnums in list(groups.values())[offset:offset + limit]:
        if sort == "relevance" and len(docnums) > 1:  # show the first printing (as `occurrences` are ordered)
            dates = opened.column("published")
            docnums = sorted(docnums, key=lambda d: (dates[d] or b"~", d))
        shown.append(docnums[0])
    if found is None:
        found = _visit(opened.searcher, full, shown)
    hits = []
    for docnum in shown:
        stored, (score, terms) = opened.searcher.stored_fields(docnum), found[docnum]
        hits.append(IndexHit(stored["id"], float(score), _snippet(stored["text"], terms)))
    return IndexPage(hits, len(groups))


def _visit(searcher: Any, q: query.Query, docnums: Iterable[int]) -> dict[int, tuple[float, list[Any]]]:
    """The score and matched (field, term) pairs of each of these documents that the query matches, as
    whoosh's search with `terms=True` finds them; the others are left out.

    The query's matcher is moved to each document in turn (`skip_to`): the cost is that of the
    documents asked for, not of every document the query matches.
    """
    wanted = sorted(set(docnums))
    found: dict[int, tuple[float, list[Any]]] = {}
    context = _scoring(searcher)
    for sub, offset in searcher.leaf_searchers():
        here = [d - offset for d in wanted if offset <= d < offset + sub.doc_count_all()]
        if not here:
            continue
        matcher = q.matcher(sub, context)
        leaves = list(matcher.term_matchers())
        for docnum in here:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                terms = [leaf.term() for leaf in leaves if leaf.is_active() and leaf.id() == docnum]
                found[docnum + offset] = (float(matcher.score()), terms)
    return found


def _docs(searcher: Any, q: query.Query) -> list[int]:
    """The document numbers a query matches, unscored, in order.

    A word (a term per search field) or a fuzzy word's terms are a union of postings: read one term at a
    time into a set, as whoosh's union matcher steps through them all in Python at twice the cost.
    """
    if isinstance(q, query.Or) and not q.minmatch and all(isinstance(sub, query.Term) for sub in q.subqueries):
        found: set[int] = set()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            for term in q.subqueries:
                if (term.fieldname, term.text) in reader:
                    found.update(d + offset for d in _posting_ids(reader, term.fieldname, term.text))
        return sorted(found)
    return list(searcher.docs_for_query(q))


def _posting_ids(reader: Any, fieldname: str, text: Any) -> list[int]:
    """The document numbers of a term's postings in one segment (`reader`, which holds the term).

    Whoosh's matcher yields them one at a time, three calls in Python for each (1 µs); its blocks of
    postings (up to 128) hold them as a tuple, taken here whole. A segment with deleted documents, or a
    term whose one posting is kept in the term file, is read as whoosh reads it.
    """
    m = reader.postings(fieldname, text)
    if type(m) is not W3LeafMatcher:
        return list(m.all_ids())
    ids: list[int] = []
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        ids.extend(m._ids[m._i:])
        m._next_block()
    return ids


def _scoring(searcher: Any) -> Any:
    """How a search walks and scores: as whoosh's search with `terms=True` does (and `search` did before
    #4 took the terms only for the hits shown), where a ConstantScoreQuery is scored as its clause."""
    return searcher.context(needs_current=True)


def _positional(q: query.Query) -> bool:
    """Whether a query holds a phrase (or another query on word positions)."""
    if isinstance(q, _PairedPhrase) and q.paired():  # moved to a document at the cost of its pairs
        return False
    return isinstance(q, (query.Phrase, query.Sequence, query.SpanQuery)) or any(
        _positional(sub) for sub in q.children())


@_reads_index
def count_speakers(index_dir: Path, text: str, *, filters: Filters | None = None) -> dict[str, int]:
    """How many quotations (not documents: see `search`) matching the query each canonical speaker has."""
    opened = _open(index_dir)
    q = _paired(_expand_fuzzy(parse(text, opened.searcher.schema), opened))
    results = opened.searcher.search(_filtered(q, filters), limit=None, scored=False)
    keys, speakers = opened.column("text_key"), opened.column("speaker_key")
    kept = _kept(opened, filters)
    quotations: dict[bytes, set[bytes]] = defaultdict(set)
    for docnum in results.docs():
        if speakers[docnum] and (not kept or kept(docnum)):
            quotations[speakers[docnum]].add(keys[docnum])
    counts = {s.decode("utf-8"): len(k) for s, k in quotations.items()}
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@_reads_index
def suggest(index_dir: Path, text: str) -> str | None:
    """The query with each word that no quotation or name holds replaced by the closest indexed word.

    None when every word is indexed or nothing close is. Operators, field names, prefixes (`word*`),
    fuzzy terms (`word~`) and words shorter than SPELL_MIN_CHARS are left as they are.
    """
    opened = _open(index_dir)
    reader = opened.searcher.reader()
    lexicon = _LexiconReader(reader, opened)  # the reader, but for the word lists it walks
    correctors = [ReaderCorrector(lexicon, f, reader.schema[f]) for f in ("words", "speaker")]
    changed = False

    def correct(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group(0)
        if ":" in word:  # a field's phrase (`publisher:"london times"`): not quoted words nor names
            return word
        lower = word.lower()
        stems = [t.text for t in TEXT_ANALYZER(lower)]
        if (word in OPERATORS or len(word) < SPELL_MIN_CHARS or ("words", lower) in reader
                or ("speaker", lower) in reader or any(("text", stem) in reader for stem in stems)):
            return word
        for corrector in correctors:
            edits = SPELL_MAX_EDITS if len(lower) >= SPELL_TWO_EDITS_CHARS else 1
            found = corrector.suggest(lower, limit=1, maxdist=edits, prefix=FUZZY_PREFIX)
            if found:
                changed = True
                return str(found[0])
        return word

    corrected = _PLAIN_WORD.sub(correct, text)
    return corrected if changed else None


# A word of a query that can be spelt wrong: letters, not a field name (`speaker:`), a field's value, a
# prefix (`stock*`) or a fuzzy term (`stok~`). A field's phrase is matched whole, to be left alone.
_PLAIN_WORD = re.compile(r'\w+:"[^"]*"|(?<![\w:*~\[-])[^\W\d_]+(?![\w:*~])')


def parse(text: str, schema_: Schema | None = None) -> query.Query:
    """A query string as a whoosh query, or QuerySyntaxError naming what is wrong.

    Words (all must occur, stemmed), "exact phrases", AND/OR/NOT and parentheses, `word~` (fuzzy: one
    edit), `word~2`, `prefix*`, and `field:value` for the fields of QUERY_FIELDS; `published:` takes a
    date, a month (`published:2016-10`) or a year, or a range `published:[2016-09-01 to 2016-10-15]`.
    """
    _check_syntax(text)
    parser = MultifieldParser(list(SEARCH_FIELDS), schema_ or schema(), fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    try:
        q = parser.parse(_MULTITERM.sub(_unstemmed, text))
    except Exception as e:  # whoosh raises assorted errors on odd input; the user needs one line
        raise QuerySyntaxError(f"cannot read the query {text!r}: {e}") from e
    return q.accept(_rewrite)


def _check_syntax(text: str) -> None:
    """What whoosh would silently read as words: unclosed quotes or brackets, dangling operators, fields."""
    if not text.strip():
        raise QuerySyntaxError("the query is empty: give words to look for, e.g. quotes search stargate")
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
    for m in re.finditer(r"(?:^|[\s(])([^\W\d][\w]*):", outside):
        if m.group(1) not in known:
            raise QuerySyntaxError(f"unknown field {m.group(1)!r} in {text!r}: use one of "
                                   f"{', '.join(f for f in QUERY_FIELDS if f != 'text')}")


# A bare `prefix*`, `wild?card` or `fuzzy~2` (no field): matched against the unstemmed words, since the
# stem of "initiatives" is "initi" and `initiat*` would find nothing in the stemmed text.
_MULTITERM = re.compile(r'(?<![^\s(])([^\s"():\[\]]*\w[^\s"():\[\]]*)(?![^\s)])')


def _unstemmed(m: re.Match[str]) -> str:
    word = m.group(1)
    if not re.search(r"[*?]|~\d?(/\d+)?$", word) or word in OPERATORS:
        return word
    return f"(words:{word} OR speaker:{word})"  # `^boost` cannot follow `~`: _rewrite weighs the name


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def date_bound(value: str, *, end: bool = False) -> str:
    """An ISO date, month or year as a bound on `published`; an end bound takes in the whole month/year."""
    value = value.strip()
    parts = value.split("-")
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise QuerySyntaxError(f"{value!r} is not a date: write 2016-10-15, 2016-10 or 2016") from None
    return value + "~" if end and len(parts) < 3 else value  # "~" sorts after every digit and "-"


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
        return q if len(value) == 10 else query.NumericRange("day", _day(value), _day(value, end=True))
    if isinstance(q, query.TermRange) and q.fieldname == "published":
        start = _day(date_bound(str(q.start))) if q.start else None
        end = _day(date_bound(str(q.end)), end=True) if q.end else None
        return query.NumericRange("day", start, end, q.startexcl, q.endexcl)
    return q


def _day(value: str, *, end: bool = False) -> int:
    """An ISO date, month or year as a `day` number; a month or year ends at its 99th day or month."""
    digits = value.replace("-", "")
    return int(digits + ("9" if end else "0") * (8 - len(digits)))


def _expand_fuzzy(q: query.Query, opened: _Opened) -> query.Query:
    """Fuzzy words as the indexed words they stand for, found once (whoosh would walk the terms twice)."""

    def expand(part: query.Query) -> query.Query:
        if not isinstance(part, query.FuzzyTerm):
            return part
        found = opened.terms_within(part.fieldname, part.text, part.maxdist, prefix=part.prefixlength)
        words = sorted(set(found))
        return query.Or([query.Term(part.fieldname, w, boost=part.boost) for w in words]) if words else query.NullQuery

    return q.accept(expand)


def _paired(q: query.Query) -> query.Query:
    """The phrases of the fields of PAIR_FIELDS as _PairedPhrase."""

    def pair(part: query.Query) -> query.Query:
        if type(part) is not query.Phrase or part.fieldname not in PAIR_FIELDS:
            return part
        return _PairedPhrase(part.fieldname, part.words, slop=part.slop, boost=part.boost,
                             char_ranges=part.char_ranges)

    return q.accept(pair)


class _PairedPhrase(query.Phrase):
    """A phrase whose matcher visits only the documents holding each pair of its adjacent words.

    There it is whoosh's own phrase matcher (the same matches, scores and matched terms), moved from one
    such document to the next (`skip_to`); a phrase of two words holds one pair, and its documents are
    its matches.
    """

    def paired(self) -> bool:
        """Whether the pairs are looked up (else this is whoosh's phrase): no slop, two words or more."""
        return self.slop == 1 and len([w for w in self.words if w is not None]) >= 2

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        words = [w for w in self.words if w is not None]
        if not self.paired():
            return super().matcher(searcher, context)
        reader, field = searcher.reader(), PAIR_FIELDS[self.fieldname]
        pairs = sorted({f"{a} {b}".encode() for a, b in zip(words, words[1:], strict=False)},
                       key=lambda p: reader.doc_frequency(field, p))
        if not all((field, p) in reader for p in pairs):
            return matching.NullMatcher()
        docs = _posting_ids(reader, field, pairs[0])
        for p in pairs[1:]:
            if not docs:
                break
            docs = sorted(set(docs).intersection(_posting_ids(reader, field, p)))
        if not docs:
            return matching.NullMatcher()
        terms = [query.Term(self.fieldname, w) for w in words]
        if not all((self.fieldname, t.text) in reader for t in terms):
            return matching.NullMatcher()
        ms = [t.matcher(searcher, context) for t in terms]
        # two words: a document holding the pair holds the phrase, and its spans need not be read
        m: Any = _Only(matching.IntersectionMatcher(*ms), docs) if len(ms) == 2 else _PhraseAt(ms, docs)
        return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class _PhraseAt(SpanNear2.SpanNear2Matcher):
    """Whoosh's phrase matcher (SpanNear2, slop 1, ordered) over the intersection of its words' matchers,
    but only at the documents `docs`."""

    def __init__(self, ms: list[Any], docs: list[int]) -> None:
        self.ms, self.slop, self.ordered, self.mindist = ms, 1, True, 1
        self.docs = docs
        isect = make_binary_tree(matching.IntersectionMatcher, ms)
        SpanWrappingMatcher.__init__(self, _Only(isect, docs))

    def copy(self) -> _PhraseAt:
        return _PhraseAt([m.copy() for m in self.ms], self.docs)


_PAST_THE_END = 2**32  # a document number beyond any: whoosh's documents are numbered with 32 bits


class _Only(matching.WrappingMatcher):
    """A matcher that stops only at the documents of `docs` (sorted) that its child matches."""

    def __init__(self, child: Any, docs: list[int]) -> None:
        super().__init__(child)
        self.docs, self.i = docs, 0
        self._settle()

    def _settle(self) -> None:
        """Move to the first document of docs[i:] that the child matches (or past the end)."""
        child, docs = self.child, self.docs
        while self.i < len(docs) and child.is_active():
            if child.id() < docs[self.i]:
                child.skip_to(docs[self.i])
                if not child.is_active():
                    break
            if child.id() == docs[self.i]:
                return
            self.i = bisect_left(docs, child.id(), self.i)
        self.i = len(docs)
        if child.is_active():  # its words' matchers past their ends: none of them is at a later document
            child.skip_to(_PAST_THE_END)

    def is_active(self) -> bool:
        return self.i < len(self.docs)

    def next(self) -> None:
        self.i += 1
        self._settle()

    def skip_to(self, id: int) -> None:
        if self.is_active() and id > self.child.id():
            self.i = bisect_left(self.docs, id, self.i)
            self._settle()

    def all_ids(self) -> Iterator[int]:
        while self.is_active():
            yield self.id()
            self.next()

    def copy(self) -> _Only:
        other = _Only.__new__(_Only)
        other.child, other.boost, other.docs, other.i = self.child.copy(), self.boost, self.docs, self.i
        return other

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self) -> bool:
        return False


def _filtered(q: query.Query, filters: Filters | None) -> query.Query:
    """The query with the filters but dates and kind as clauses (see `_kept` for the speaker's).

    ConstantScoreQuery was meant to add nothing to the score, but a search with `terms=True` (or one
    that needs the current match, as `_visit`) scores it as its clause: a speaker filter adds the score of
    the speaker's name. Kept so, as the ranking has always been.
    """
    if filters is None:
        return q
    parts: list[query.Query] = []
    if _named(filters):
        words = [t.text for t in NAME_ANALYZER(filters.speaker or "")]
        keys = {*filters.speaker_keys, speaker_key(filters.speaker)} - {None}
        names = [query.Term("speaker_key", k) for k in sorted(str(k) for k in keys)]
        if words:
            names.append(query.And([query.Term("speaker", w) for w in words]))
        parts.append(query.Or(names))
    if filters.publisher and filters.publisher.strip():
        parts.append(query.And([query.Term("publisher", t.text) for t in NAME_ANALYZER(filters.publisher)]))
    if filters.article_id:
        parts.append(query.Term("article_id", filters.article_id))
    if not parts:
        return q
    clauses = [query.ConstantScoreQuery(part, 0.0) for part in parts]
    return query.And(clauses if _is_everything(q) else [q, *clauses])


def _is_everything(q: query.Query) -> bool:
    """`*`: every document (parsed as an Every per search field)."""
    return isinstance(q, query.Every) or (isinstance(q, query.Or) and all(
        isinstance(sub, query.Every) for sub in q.subqueries))


def _kept(opened: _Opened, filters: Filters | None) -> Callable[[int], bool] | None:
    """A test of a document number against the filters' speaker, dates and kind (None: none is asked for).

    Each is read from a column for each document tested: as query clauses, a range of dates would be a
    union of one term per day and a kind a list of half the index, both slow to walk, and a speaker a
    union of postings stepped through in Python. The speaker test lets through every document of the
    speaker clause of `_filtered` (a name's words are in its speaker_key), and perhaps a few more: a
    search scores what it keeps with that clause, which drops them. An undated document fails a date
    filter.
    """
    if filters is None or not (filters.since or filters.until or filters.kind or _named(filters)):
        return None
    low = date_bound(filters.since).encode() if filters.since else b""
    high = date_bound(filters.until, end=True).encode() if filters.until else b"~"
    kind = filters.kind.encode() if filters.kind else None
    dated = bool(filters.since or filters.until)
    dates, kinds, speakers = opened.column("published"), opened.column("kind"), opened.column("speaker_key")
    names, words = set(filters.speaker_keys), [t.text for t in NAME_ANALYZER(filters.speaker or "")]
    may_be: dict[bytes, bool] = {}  # speaker_key -> whether the filter's name may be that speaker
    by_speaker = _named(filters)

    def speaks(value: bytes) -> bool:
        if value not in may_be:
            key = value.decode("utf-8")
            may_be[value] = bool(key) and (key in names or key == speaker_key(filters.speaker)
                                           or (bool(words) and all(w in key for w in words)))
        return may_be[value]

    def keep(docnum: int) -> bool:  # the narrowest test first: each reads a column
        if dated:
            published = dates[docnum]
            if not (published and low <= published <= high):
                return False
        if by_speaker and not speaks(speakers[docnum]):
            return False
        return not kind or kinds[docnum] == kind

    return keep


def _named(filters: Filters) -> bool:
    """Whether the filters name a speaker."""
    return bool(filters.speaker and filters.speaker.strip())


class _Opened:
    """A searcher kept open for the life of the process, with the columns that grouping reads.

    Opening a searcher and a column reads offsets for every document: milliseconds on a large index, more
    than a query takes. `stamp` tells when the index has changed (a commit or a rebuild) and must be
    opened again.
    """

    def __init__(self, searcher: Any, stamp: tuple[Any, ...]) -> None:
        self.searcher = searcher
        self.stamp = stamp
        self._columns: dict[str, Any] = {}
        self._words: dict[tuple[str, str], list[str]] = {}  # (field, prefix) -> its words, sorted

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """The indexed words of a field within `maxdist` edits of `text` that begin with its first `prefix`
        letters: whoosh's own automaton, walked over a word list in memory.

        Whoosh walks the term file on disk, a seek and a read for each of the automaton's ~50 jumps (30 ms
        for a fuzzy word on 100,000 quotations); the words that share the prefix are read once, in order.
        """
        key = (fieldname, text[:prefix])
        if key not in self._words:
            self._words[key] = [w.decode("utf-8") for w in self.searcher.reader().expand_prefix(*key)]
        words = self._words[key]

        def first_from(word: str) -> str | None:  # the first indexed word >= word
            i = bisect_left(words, word)
            return words[i] if i < len(words) else None

        return list(find_all_matches(levenshtein_automaton(text, maxdist, prefix).to_dfa(), first_from))

    def column(self, name: str) -> Any:
        """A field's values by document number, as bytes (b"" where a document has none).

        Bytes, not the field's strings: decoding each value cost as much as reading it.

        Each segment's column is read on its own: whoosh's reader of several segments leaves out those
        that have no value in the field (an update of undated articles), so later documents would be
        read from the wrong segment or past its end.
        """
        if name not in self._columns:
            reader = self.searcher.reader()  # an index of no document has no columns, nor anything to read
            leaves = list(reader.leaf_readers()) if reader.doc_count_all() else []
            readers = [r.column_reader(name, translate=False) for r, _ in leaves]
            if name in MEMORY_COLUMNS:
                for column in readers:
                    _in_memory(column)
            self._columns[name] = (readers[0] if len(readers) == 1 else {} if not readers else
                                   columns.MultiColumnReader(readers, [offset for _, offset in leaves]))
        return self._columns[name]


# Columns read whole into memory when first used: a filter tests them for each match of the query, and
# whoosh reads a value with a seek and a read (2 µs: 8 ms for the 4,000 matches of "people"). Each holds
# a few bytes a document (1.5 MB for 100,000 dates, read in under a millisecond); the quotations'
# text_key, ten times as big and read only for the matches of a search, is left on disk.
MEMORY_COLUMNS = ("published", "kind", "speaker_key")


def _in_memory(column: Any) -> None:
    """Read a column of byte strings whole, so that its values are sliced from memory (others left as is)."""
    if type(column) is columns.VarBytesColumn.Reader:
        column._dbfile = BufferFile(column._dbfile.get(column._basepos, column._length))
        column._basepos = 0


_opened: dict[Path, _Opened] = {}


def _open(index_dir: Path) -> _Opened:
    """The open searcher of a directory's index, made current; NoIndexError where there is none."""
    stamp = _stamp(index_dir)
    opened = _opened.pop(index_dir, None)
    if opened is not None and opened.stamp == stamp:
        _opened[index_dir] = opened
        return opened
    if opened is not None:
        opened.searcher.close()
    if not exists(index_dir):
        raise NoIndexError(index_dir)
    ix = index.open_dir(str(whoosh_path(index_dir)))
    if not _has_every_field(ix.schema):
        raise QuotesError(f"the index at {index_dir}/ was made by an older version of quotes: run "
                          "`quotes reindex` to rebuild it from the catalog")
    opened = _opened[index_dir] = _Opened(ix.searcher(), stamp)
    _lengths_in_memory(opened.searcher)
    return opened


class _LexiconReader:
    """An index reader whose `terms_within` is its _Opened's (for whoosh's spelling corrector)."""

    def __init__(self, reader: Any, opened: _Opened) -> None:
        self._reader = reader
        self.terms_within = opened.terms_within

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


# The fields whose lengths BM25 reads for every document it scores (the search fields, and `words` for
# fuzzy and prefix words).
SCORED_FIELDS = (*SEARCH_FIELDS, "words")


def _lengths_in_memory(searcher: Any) -> None:
    """Hold the lengths of SCORED_FIELDS in memory, a byte a document, in each segment's reader.

    Whoosh reads a document's field length from the column file with a seek and a read each time it
    scores the document: a quarter of the time of walking a word's matches. Reading the column whole
    (100 kB for 100,000 documents) gives the same bytes. A reader of another codec is left as it is.
    """
    for reader, _ in searcher.reader().leaf_readers():
        _hold_lengths(getattr(reader, "_perdoc", None), SCORED_FIELDS)


def _hold_lengths(perdoc: Any, fields: Iterable[str]) -> None:
    """Hold the lengths of these fields in a segment's per-document reader (a field without lengths as
    None: whoosh would look for its file each time). A reader of another codec is left as it is."""
    if not isinstance(perdoc, W3PerDocReader):
        return
    for field in fields:
        name = _lenfield(field)
        if perdoc._cached_reader(name, LENGTHS_COLUMN) is not None:
            colfile, offset, _ = perdoc._colfiles[name]
            perdoc._readers[name] = colfile.get(offset, perdoc._doccount)
        else:
            perdoc._readers[name] = None


def _stamp(index_dir: Path) -> tuple[Any, ...]:
    """The name, inode and time of each table of contents: every commit and every rebuild changes it."""
    try:
        with os.scandir(whoosh_path(index_dir)) as entries:
            return tuple(sorted((e.name, e.inode(), e.stat().st_mtime_ns) for e in entries
                                if e.name.endswith(".toc")))
    except OSError:
        return ()


@_reads_index
def is_current(index_dir: Path) -> bool:
    """Whether the index of a directory has every field this version writes and reads (False: rebuild it)."""
    return exists(index_dir) and _has_every_field(index.open_dir(str(whoosh_path(index_dir))).schema)


def _has_every_field(schema_: Schema) -> bool:
    return set(schema().names()) <= set(schema_.names())


def _snippet(text: str, matched: Iterable[tuple[str, Any]]) -> str:
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
    stem = _STEMS._stem
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


def _document(record: ArticleQuote) -> dict[str, Any]:
    q = record.quote
    doc: dict[str, Any] = {"id": record.id, "text": q.text, "words": q.text, "text_pairs": q.text,
                           "text_key": text_key(q.text), "article_id": record.article_id, "kind": q.kind,
                           "rule": q.rule}
    if record.published and _DATE.fullmatch(record.published) and len(record.published) == 10:
        doc["day"] = _day(record.published)
    optional = {"speaker": q.speaker, "speaker_pairs": q.speaker, "speaker_key": speaker_key(q.speaker),
                "title": record.title, "publisher": record.publisher, "published": record.published,
                "url": record.url}
    doc.update({k: v for k, v in optional.items() if v})
    return doc
