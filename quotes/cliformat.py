"""How the command line prints records: a table for a person, plain lines for a pipe, or a format for a program.

    fmt = output_format(as_json, as_csv, as_tsv)   # "table" on a terminal, else "plain"; or json/csv/tsv
    if fmt in MACHINE: write_rows(rows, COLUMNS, fmt)

A table is drawn only on a terminal, as wide as the terminal. Output sent to a pipe or a file is one record
a line, never a box table cut at 80 columns, and never cuts a value (a URL, a long quotation): what grep,
sort and cut expect. `--json` prints JSON Lines (every field, one object a line), `--csv` and `--tsv` a
header row and a row a record; lists are joined by "; ". Only the CLI imports this.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

MACHINE = ("json", "csv", "tsv")
LIST_SEPARATOR = "; "  # a list (name forms, occurrences) in one CSV or TSV cell


class FormatClash(ValueError):
    """More than one of --json, --csv, --tsv was given."""


def output_format(as_json: bool = False, as_csv: bool = False, as_tsv: bool = False) -> str:
    """"json", "csv" or "tsv" as asked; else "table" on a terminal and "plain" for a pipe or a file.

    Rich decides what a terminal is, so FORCE_COLOR or TTY_COMPATIBLE=1 asks for the table anywhere.
    """
    chosen = [name for name, wanted in zip(MACHINE, (as_json, as_csv, as_tsv), strict=True) if wanted]
    if len(chosen) > 1:
        raise FormatClash(" and ".join(f"--{c}" for c in chosen) + " go one at a time: choose one")
    if chosen:
        return chosen[0]
    if not sys.stdout.isatty() and not os.environ.get("FORCE_COLOR") and os.environ.get("TTY_COMPATIBLE") != "1":
        return "plain"  # what rich would say, without importing it (20 ms of a piped search)
    from rich.console import Console

    return "table" if Console().is_terminal else "plain"


def write_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str) -> None:
    """Rows as JSON Lines (every key), or CSV / TSV with a header of `columns`."""
    if fmt == "json":
        for row in rows:
            write_line(json.dumps(row, ensure_ascii=False))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(row.get(c)) for c in columns] for row in rows)
        return
    write_line("\t".join(columns))
    for row in rows:  # TSV has no quoting: a tab or a line break inside a value becomes a space
        write_line("\t".join(" ".join(cell(row.get(c)).split()) for c in columns))


def cell(value: Any) -> str:
    """A value as one cell: lists joined by LIST_SEPARATOR, None empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(cell(v) for v in value)
    return str(value)


def one_line(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces: one record, one line."""
    return " ".join(text.split())


def write_line(line: str) -> None:
    sys.stdout.write(line + "\n")


def note(line: str) -> None:
    """A line for the person on stderr (a summary, a suggestion), never mixed into the records on stdout."""
    sys.stderr.write(line + "\n")
