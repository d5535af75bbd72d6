"""Where the index lives, and the error raised when it is not there.

An index directory holds two things built from the same articles:

    index/
      catalog.sqlite3   the SQLite catalog of articles and quotes: the source of truth (quotes.store)
      whoosh/           the Whoosh full-text index built from the catalog (quotes.index)

Its place is, first to last: an explicit `index_dir` (the CLI's `--index-dir`), the environment variable
`QUOTES_INDEX`, then `./index` relative to the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from quotes.model import QuotesError

DEFAULT_INDEX_DIR = "index"
INDEX_ENV_VAR = "QUOTES_INDEX"
CATALOG_NAME = "catalog.sqlite3"
WHOOSH_DIRNAME = "whoosh"


def resolve_index_dir(index_dir: str | os.PathLike[str] | None = None) -> Path:
    """The index directory: `index_dir` if given, else $QUOTES_INDEX, else ./index (not made absolute)."""
    if index_dir is not None and str(index_dir):
        return Path(index_dir)
    return Path(os.environ.get(INDEX_ENV_VAR) or DEFAULT_INDEX_DIR)


def catalog_path(index_dir: Path) -> Path:
    return index_dir / CATALOG_NAME


def whoosh_path(index_dir: Path) -> Path:
    return index_dir / WHOOSH_DIRNAME


class NoIndexError(QuotesError):
    """There is no index (or only half of one) in the directory a command was asked to read.

    Where the catalog is there and only the Whoosh index is gone (deleted, not copied), the fix is
    `quotes reindex`, which rebuilds it from the catalog without extracting any article again.
    """

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        option = f" --index-dir {index_dir}" if index_dir != resolve_index_dir() else ""  # else built elsewhere
        if catalog_path(index_dir).is_file():
            message = (f"the search index in {index_dir}/ is missing but its catalog is there: run "
                       f"`quotes reindex{option}` to rebuild it from the catalog, without extracting again")
        else:
            message = f"no index at {index_dir}/: run `quotes index{option}` first"
        super().__init__(message)
