"""The batch step, engine-neutral: input files in, article rows and quotation rows out, and back.

    (name, bytes) of a JSON lines or Parquet file -> Article -> quotes.extract -> ArticleRows
    DIR/articles/ + DIR/quotes/ (Parquet) -> (Article, [Quote]) for the catalog, without extracting again

`extract_files` is a plain function of an iterable of files, so any engine can run it over its share of
the input: quotes.spark hands it a partition of Spark's binary files (`mapPartitions`), a test or another
engine a list. Each file is read as `quotes index` reads it from disk (the same fields, ids and messages:
quotes.articles), so an article gets the same id, and each quotation the same id, on either road.

A quotation row holds the fields `quotes extract --json` prints (`ArticleQuote.to_dict`); an article row
the catalog's article columns. pyarrow (part of the `quotes[spark]` extra) is imported only to read or
write Parquet, never by the core's other commands.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import quotes
from quotes.articles import article_from_json, read_json_bytes
from quotes.model import Article, Quote, QuotesError
from quotes.store import article_hash, article_quotes

ARTICLE_COLUMNS = ("id", "path", "title", "author", "publisher", "published", "url", "text", "hash")
QUOTE_COLUMNS = ("id", *(f.name for f in fields(Quote)), "article_id", "title", "publisher", "published", "url")
INPUT_SUFFIXES = (".jsonl", ".json", ".parquet")
ARTICLES_DIR, QUOTES_DIR = "articles", "quotes"  # the two Parquet datasets of a batch output directory
INSTALL_HINT = "pip install 'quotes[spark]'"


class BatchError(QuotesError):
    """A batch output directory cannot be read or written."""


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """What the batch step makes of one input record: an article and its quotations, or why it made none.

    `source` and `seq` place the record in the input (file, then its order there), so that an engine can
    keep the first of two records with one id, as `quotes index` does.
    """

    source: str
    seq: int
    article: dict[str, Any] | None  # ARTICLE_COLUMNS; None for an error
    quotes: list[dict[str, Any]] = field(default_factory=list)  # QUOTE_COLUMNS
    error: str | None = None  # "where: message", one line


def local_name(uri: str) -> str:
    """A local file's URI as `quotes index` names the file ("file:/a/b.jsonl" -> "/a/b.jsonl"); others kept."""
    if uri.startswith("file://"):
        return uri[len("file://"):]
    return uri[len("file:"):] if uri.startswith("file:") else uri


def extract_files(files: Iterable[tuple[str, bytes]]) -> Iterator[ArticleRows]:
    """The article and quotation rows of every record of these files, given as (name or URI, content).

    A file or record that cannot be read, and an article whose extraction fails, give a row with `error`
    set; the others go on.
    """
    for uri, content in files:
        name = local_name(uri)
        errors: list[str] = []

        def report(where: str, message: str, errors: list[str] = errors) -> None:
            errors.append(f"{where}: {message}")

        for seq, article in enumerate(_articles(name, content, report)):
            yield from (ArticleRows(name, seq, None, error=e) for e in errors)
            errors.clear()
            yield _extracted(name, seq, article)
        yield from (ArticleRows(name, -1, None, error=e) for e in errors)


def _articles(name: str, content: bytes, report: Callable[[str, str], None]) -> Iterator[Article]:
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".parquet":
        yield from _parquet_articles(name, content, report)
    elif suffix in (".jsonl", ".json"):
        yield from read_json_bytes(content, name, report)
    else:
        report(name, f"no batch reader for {suffix or 'files without an extension'}; give "
               f"{', '.join(INPUT_SUFFIXES)} files")


def _parquet_articles(name: str, content: bytes, report: Callable[[str, str], None]) -> Iterator[Article]:
    """The articles of a Parquet file whose columns are the JSON fields (`text`, `id`, `title`, ...)."""
    import io

    pq = _pyarrow_parquet()
    try:
        table = pq.read_table(io.BytesIO(content))
    except Exception as e:  # pyarrow raises several kinds for a damaged or foreign file
        report(name, f"not a readable Parquet file ({e}); remove it or write it again")
        return
    for number, row in enumerate(table.to_pylist(), 1):
        article = article_from_json(row, f"{name}:{number}", report)
        if article is not None:
            yield article


def _extracted(name: str, seq: int, article: Article) -> ArticleRows:
    try:
        found = quotes.extract(article.text)
    except Exception as e:  # one bad article must not stop a run over millions
        return ArticleRows(name, seq, None, error=f"{article.path or article.id}: extraction failed: {e!r}")
    row = {c: getattr(article, c) for c in ARTICLE_COLUMNS if c != "hash"}
    row["hash"] = article_hash(article)
    return ArticleRows(name, seq, row, [q.to_dict() for q in article_quotes(article, found)])


# -- reading a batch output directory ------------------------------------------------------------------


def is_output(path: str | os.PathLike[str]) -> bool:
    """Whether a directory is a batch output: `articles/` and `quotes/` folders (Parquet datasets)."""
    p = Path(path)
    return p.is_dir() and (p / ARTICLES_DIR).is_dir() and (p / QUOTES_DIR).is_dir()


def read_output(path: str | os.PathLike[str]) -> Iterator[tuple[Article, list[Quote]]]:
    """Each article of a batch output directory with its quotations, as the catalog stores them.

    The quotations (no article text) are held in memory, sorted by article; the articles are read a
    batch of rows at a time.
    """
    pq = _pyarrow_parquet()
    import pyarrow.compute as pc

    root = Path(path)
    try:
        table = pq.read_table(root / QUOTES_DIR, columns=list(QUOTE_COLUMNS))
        table = table.take(pc.sort_indices(table, [("article_id", "ascending")]))
        articles = pq.ParquetDataset(root / ARTICLES_DIR)
    except Exception as e:  # ArrowInvalid, OSError, KeyError for a missing column
        raise BatchError(f"{root}/: not a readable batch output ({e}); write it again with `quotes spark`") from e
    spans = _spans(table.column("article_id").to_pylist())
    quote_names = [f.name for f in fields(Quote)]
    for fragment in articles.fragments:
        for batch in fragment.to_batches(columns=list(ARTICLE_COLUMNS)):
            for row in batch.to_pylist():
                start, stop = spans.get(row["id"], (0, 0))
                rows = table.slice(start, stop - start).to_pylist()
                article = Article(**{c: row[c] for c in ARTICLE_COLUMNS if c != "hash"})
                yield article, [Quote(**{n: r[n] for n in quote_names}) for r in rows]


def _spans(sorted_ids: list[str]) -> dict[str, tuple[int, int]]:
    """Where each id's run starts and stops in a sorted list."""
    spans: dict[str, tuple[int, int]] = {}
    start = 0
    for i in range(1, len(sorted_ids) + 1):
        if i == len(sorted_ids) or sorted_ids[i] != sorted_ids[start]:
            spans[sorted_ids[start]] = (start, i)
            start = i
    return spans


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as e:
        raise BatchError(f"reading Parquet needs pyarrow: {INSTALL_HINT}") from e
    return pq
