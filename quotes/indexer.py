"""Indexing: read articles, extract the quotes of new or changed ones, store them, update the search index.

    read_articles -> hash check -> quotes.extract -> catalog (quotes.store) -> whoosh (quotes.index)

An article whose text and metadata hash equals the catalog's is skipped before extraction. The catalog
commits article by article; the Whoosh index is then updated in one writer. Where the Whoosh index is
missing or does not hold as many quotes as the catalog (a run was interrupted), it is rebuilt from the
catalog.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import quotes
from quotes import index
from quotes.articles import ArticleError, read_articles
from quotes.paths import resolve_index_dir
from quotes.store import ArticleQuote, Catalog, article_hash, article_quotes

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one `index_paths` run did."""

    index_dir: str
    new: int  # articles seen for the first time
    changed: int  # articles whose text or metadata changed: extracted again
    unchanged: int  # articles skipped: same hash as in the catalog, no extraction
    failed: int  # files or articles that could not be read or extracted (see `errors`)
    quotes_added: int
    quotes_removed: int
    seconds: float
    errors: tuple[str, ...] = field(default=())  # one line per failure

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["errors"] = list(self.errors)
        return d


def index_paths(paths: Iterable[str | os.PathLike[str]], index_dir: str | os.PathLike[str] | None = None,
                ) -> IndexReport:
    """Index the articles in these files and directories into `index_dir` (made as needed)."""
    began = time.perf_counter()
    paths = _existing(paths)
    path = resolve_index_dir(index_dir)
    counts = {"new": 0, "changed": 0, "unchanged": 0, "added": 0, "removed": 0}
    errors: list[str] = []
    to_write: dict[str, ArticleQuote] = {}
    to_delete: set[str] = set()

    def failed(where: str, message: str) -> None:
        log.warning("%s: %s", where, message)
        errors.append(f"{where}: {message}")

    with Catalog(path, create=True) as catalog:
        for article in read_articles(paths, on_error=failed):
            stored = catalog.article_hash(article.id)
            if stored == article_hash(article):
                counts["unchanged"] += 1
                continue
            try:
                found = quotes.extract(article.text)  # through the package, so tests can count the calls
            except Exception as e:  # one bad article must not stop a run over thousands
                log.exception("extraction failed on %s", article.path or article.id)
                errors.append(f"{article.path or article.id}: extraction failed: {e!r}")
                continue
            added, removed = catalog.upsert_article(article, found)
            counts["new" if stored is None else "changed"] += 1
            counts["added"] += len(added)
            counts["removed"] += len(removed)
            to_delete.update(removed)
            for record in article_quotes(article, found):
                to_write[record.id] = record
                to_delete.discard(record.id)
        if not index.exists(path):
            index.build(path, catalog.all_quotes())
        else:
            if to_write or to_delete:
                index.update(path, to_write.values(), to_delete)
            if index.doc_count(path) != catalog.quote_count():  # an earlier run stopped half-way
                log.warning("rebuilding the search index of %s from its catalog", path)
                index.build(path, catalog.all_quotes())
    return IndexReport(str(path), counts["new"], counts["changed"], counts["unchanged"], len(errors),
                       counts["added"], counts["removed"], round(time.perf_counter() - began, 3),
                       tuple(errors))


def extract_file(path: str | os.PathLike[str]) -> list[ArticleQuote]:
    """The quotes of every article in one file (or directory), with ids and article metadata; no index."""
    paths = _existing([path])
    records: list[ArticleQuote] = []
    for article in read_articles(paths):
        records.extend(article_quotes(article, quotes.extract(article.text)))
    return records


def _existing(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The paths, checked before any work so that a typo does not leave a run half done."""
    result = [Path(p) for p in paths]
    for p in result:
        if not p.exists():
            raise ArticleError(f"no such file or folder: {p}; check the path")  # as read_articles says it
    return result
