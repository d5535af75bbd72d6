"""The files of a Whoosh index, listed at each commit and checked when it is opened: a missing or cut
file is damage, never silently wrong answers.

Whoosh reads a column file that is not there as a column with no values (a missing `published.col`
makes every date filter match nothing, a missing `text_key.col` groups nothing) and meets a missing
postings file only when a query reads it. So each commit of quotes writes `.quotes-files.json`: the table
of contents it made and the name and size of every file of its segments. Opening an index whose table of
contents is the one listed checks each file (a stat each); any other (an index of an older quotes, or a
commit whose list is not written yet) is opened as it is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from quotes.index.records import IndexDamagedError
from quotes.paths import whoosh_path

MANIFEST = ".quotes-files.json"  # hidden: an index directory inside a folder of articles is not read as one
INDEX_NAME = "MAIN"  # whoosh's index name: files "MAIN_<segment id>.<ext>", tables of contents "_MAIN_<N>.toc"


def current_toc(folder: Path) -> str | None:
    """The newest table of contents of the folder (the one whoosh opens), or None."""
    tocs = [(int(n[len(INDEX_NAME) + 2:-4]), n) for n in os.listdir(folder)
            if n.startswith(f"_{INDEX_NAME}_") and n.endswith(".toc") and n[len(INDEX_NAME) + 2:-4].isdigit()]
    return max(tocs)[1] if tocs else None


def write_manifest(index_dir: Path, segment_ids: list[str]) -> None:
    """List the files of these segments (those of the table of contents just committed), atomically."""
    folder = whoosh_path(index_dir)
    prefixes = tuple(f"{segid}." for segid in segment_ids)
    files = {n: os.stat(folder / n).st_size for n in sorted(os.listdir(folder)) if n.startswith(prefixes)}
    temporary = folder / f"{MANIFEST}.{os.getpid()}"
    temporary.write_text(json.dumps({"toc": current_toc(folder), "files": files}))
    os.replace(temporary, folder / MANIFEST)


def check_files(index_dir: Path) -> None:
    """IndexDamagedError naming a file of the committed index that is missing or not its size."""
    folder = whoosh_path(index_dir)
    try:
        listed = json.loads((folder / MANIFEST).read_text())
        toc, files = listed["toc"], dict(listed["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return  # no list (an older index), or one being replaced: nothing to check against
    if toc != current_toc(folder):
        return
    for name, size in files.items():
        try:
            found = os.stat(folder / name).st_size
        except FileNotFoundError:
            raise IndexDamagedError(_damaged(index_dir, f"its file {name} is missing")) from None
        if found != size:
            raise IndexDamagedError(_damaged(index_dir, f"its file {name} has {found:,} bytes, not {size:,}"))


def _damaged(index_dir: Path, why: str) -> str:
    return (f"the search index at {index_dir}/ is damaged ({why}): run `quotes reindex` to rebuild it from "
            "the catalog (or `quotes index`, which repairs it)")
