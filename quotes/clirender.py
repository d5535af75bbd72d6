"""What the commands print: search hits, speakers, extracted and shown quotations as tables (for a
person at a terminal) or plain lines (for a pipe), their summaries and notes, and the progress bar of a run.

Generic output (choosing the format, JSON Lines, CSV, TSV) is quotes.cliformat; only the CLI imports this.
Rich is imported by the functions that draw, not with this module: a search sent to a pipe prints plain
lines and should not pay for loading it (20 ms).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from quotes import search as search_api
from quotes.cliformat import MACHINE, note, one_line, write_line, write_rows

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from quotes.indexer import Extracted, IndexReport, Progress

SHORT_ID = 8  # characters of a quote id shown in tables; `quotes show` takes any unique prefix
SPEAKER_COLUMNS = ("speaker", "count", "forms")


def skipped_line(skipped: dict[str, int]) -> str:
    """"skipped 3 files that are no articles: 2 .pdf, 1 .docx; ...": one line for every kind passed over."""
    from quotes.articles import READERS

    n = sum(skipped.values())
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"skipped {n} file{'' if n == 1 else 's'} of kinds quotes does not read: {kinds}; articles are "
            f"{', '.join(READERS)} files (save a document as text or HTML to index it)")


def nothing_read(paths: list[str], report: IndexReport) -> str:
    where = ", ".join(paths)
    if report.failed:
        return (f"no article could be read from {where}: {report.failed} failed (see the lines above); "
                "fix them and run it again")
    return f"no article found in {where}: give files or folders of .txt, .html, .jsonl or feed files"


def search_notes(results: search_api.Results, speaker: str | None) -> list[str]:
    """What stderr says besides the summary: an unknown speaker, a spelling, an unfinished index."""
    lines = []
    if results.speaker_suggestions:
        names = " or ".join(repr(s) for s in results.speaker_suggestions)
        lines.append(f"no speaker {speaker!r}; did you mean {names}?")
    elif results.unknown_speaker:
        lines.append(f"no speaker {speaker!r} in the index; `quotes speakers` lists them")
    if results.corrected:
        lines.append(f"no quotations for {results.query!r}; showing those for {results.suggestion!r}")
    elif results.suggestion:
        lines.append(f"did you mean {results.suggestion!r}?")
    elif results.partial:
        lines.append(f"no quotation holds every word of {results.query!r}; showing those that hold most of them")
    if results.unsearchable:
        lines.append(f"index incomplete: {results.unsearchable} quotations of the catalog are not searchable "
                     "yet: run `quotes index` to finish")
    return lines


def flat_hit(row: dict[str, Any], fmt: str) -> dict[str, Any]:
    """A hit for CSV and TSV: its occurrences as the article ids (JSON keeps them whole)."""
    if fmt == "json":
        return row
    return {**row, "occurrences": [o["article_id"] for o in row["occurrences"]]}


def hit_line(hit: search_api.Hit) -> str:
    """A hit as one plain line: short id, speaker, the words, then where and when, the URL whole."""
    where = ", ".join(x for x in (outlet(hit), hit.published, hit.url) if x)
    return f'{hit.id[:SHORT_ID]}  {hit.quote.speaker or "?"}: "{one_line(hit.quote.text)}"' + (
        f"  ({where})" if where else "")


def outlet(hit: search_api.Hit) -> str:
    others = len(hit.occurrences) - 1
    return (hit.publisher or hit.title or "") + (f" (+{others} more)" if others > 0 else "")


def where(e: Extracted) -> str:
    """Where an article was read: its path (relative to here when under it; `file.jsonl:3` for a line)."""
    return _relative(e.article.path or e.article.id)


def _relative(path: str) -> str:
    """A path relative to the working directory when it lies under it, else as it is."""
    here = os.getcwd() + os.sep
    return path[len(here):] if path.startswith(here) else path


def extracted_table(e: Extracted) -> Table:
    title = f"{len(e.records)} quote{'' if len(e.records) == 1 else 's'} in {where(e)}" + (
        f" ({e.article.title})" if e.article.title else "")
    table = new_table("speaker", "mention", "cue", "kind", "rule", "quote", title=title)
    for r in e.records:
        q = r.quote
        add_row(table, q.speaker or "?", q.speaker_mention or "", q.cue or "", q.kind, q.rule, q.text)
    return table


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """A progress bar on stderr over the whole run: reading and extracting (in bytes of input, with the
    time left where the size is known), then writing the search index (in quotations).

    Only on a terminal: a log file or a pipe gets the errors and the summary, not the bar's redraws.
    """
    from rich.console import Console
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.progress import Progress as ProgressBar

    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TextColumn("{task.fields[detail]}"),
               TextColumn("·"), TimeElapsedColumn(), TextColumn("elapsed ·"), TimeRemainingColumn(), TextColumn("left"))
    with ProgressBar(*columns, console=console, transient=True) as bar:
        task = bar.add_task("reading", total=None, detail="")
        stage = ""

        def update(now: str, done: int, total: int | None, articles: int) -> None:
            nonlocal stage
            if now != stage:  # a new stage starts its bar, and its time left, afresh
                bar.reset(task, total=total, description=_STAGES.get(now, now))
                stage = now
            detail = (f"{_megabytes(done, total)}, {articles:,} articles" if now == "reading" else
                      f"{done:,}" + (f" of {total:,}" if total else "") + " quotations")
            bar.update(task, completed=done, total=total, detail=detail)

        yield update


_STAGES = {"reading": "reading and extracting", "writing": "writing the search index"}


def _megabytes(done: int, total: int | None) -> str:
    return f"{done / 1e6:.1f}" + (f" of {total / 1e6:.1f}" if total is not None else "") + " MB"


def new_table(*columns: str, **options: Any) -> Table:
    from rich.table import Table

    return Table(*columns, **options)


def draw(*renderables: Any) -> None:
    """Print tables (or any of rich's renderables) on stdout."""
    from rich.console import Console

    Console().print(*renderables)


def add_row(table: Table, *cells: str | Text) -> None:
    """Add a row whose strings are shown as they are: never read as rich markup ("[the CEO]")."""
    from rich.text import Text

    table.add_row(*(c if isinstance(c, Text) else Text(c) for c in cells))


def _quotations(n: int) -> str:
    return f"{n} quotation" + ("" if n == 1 else "s")


_FILTER_NAMES = {"speaker": "speaker {!r}", "publisher": "publisher {!r}", "since": "since {}", "until": "until {}",
                 "kind": "kind {}", "article": "article {}"}


def described(n: int, query: str | None, filters: dict[str, Any]) -> str:
    """"3 quotations for 'tax' with speaker 'Trump', since 2016-10": what was searched, filters named."""
    used = [_FILTER_NAMES[name].format(value) for name, value in filters.items() if value]
    return _quotations(n) + (f" for {query!r}" if query is not None else "") + (
        f" with {', '.join(used)}" if used else "")


def page_summary(results: search_api.Results, query: str | None, filters: dict[str, Any]) -> str:
    """"7 quotations for 'tax', 4-6 (page 2 of 3)"; the count alone where one page holds them all; "more
    than 10000 quotations for 'trump', 1-10 (page 1 of 1000+)" where they were not all counted."""
    more = "" if results.total_exact else "more than "
    found = more + described(results.total, results.searched if query is not None else None, filters)
    if results.total and not results.hits:
        return f"{found}; page {results.page} is past the last page ({results.pages})"
    first = (results.page - 1) * results.limit
    if results.total > len(results.hits) or more:
        pages = f"{results.pages}" + ("+" if more else "")
        return f"{found}, {first + 1}-{first + len(results.hits)} (page {results.page} of {pages})"
    return found


def print_speakers(counts: list[search_api.SpeakerCount], fmt: str, title: str) -> None:
    if fmt in MACHINE:
        write_rows([c.to_dict() for c in counts], SPEAKER_COLUMNS, fmt)
    elif fmt == "plain":
        note(title)
        for c in counts:
            write_line(f"{c.count}\t{c.speaker}" + (f" (also {', '.join(c.forms)})" if c.forms else ""))
    else:
        table = new_table("speaker", "quotations", "other forms", title=title)
        for c in counts:
            add_row(table, c.speaker, str(c.count), ", ".join(c.forms))
        draw(table)


def marked(snippet: str) -> Text:
    """A snippet with its «matches» shown in bold (the marks dropped), markup-safe."""
    from rich.text import Text

    text = Text()
    for i, part in enumerate(snippet.replace("»", "«").split("«")):
        text.append(part, style="bold yellow" if i % 2 else "")
    return text


def details_rows(shown: search_api.Shown) -> list[tuple[str, str | Text]]:
    """What `quotes show` prints, as (label, value): the paragraph with the quotation and mention marked."""
    from rich.text import Text

    record = shown.record
    q = record.quote
    paragraph = None
    if shown.paragraph is not None:
        paragraph = Text(shown.paragraph)
        paragraph.stylize("bold yellow", shown.quote_start, shown.quote_start + len(q.text))
        if q.speaker_start is not None and q.speaker_end is not None:  # the words it rests on, if there
            at = q.speaker_start - (q.start - shown.quote_start)
            if 0 <= at and at + q.speaker_end - q.speaker_start <= len(shown.paragraph):
                paragraph.stylize("bold cyan underline", at, at + q.speaker_end - q.speaker_start)
    others = "\n".join(" · ".join(x for x in (o.publisher, o.published, o.title, o.article_id, o.quote_id[:SHORT_ID])
                                   if x) for o in shown.occurrences if o.quote_id != record.id)
    rows = [("id", record.id), ("quote", q.text), ("speaker", q.speaker or "? (not attributed)"),
            ("mention", q.speaker_mention), ("cue", q.cue), ("rule", q.rule), ("confidence", f"{q.confidence:.2f}"),
            ("kind", q.kind), ("paragraph", paragraph), ("article", record.article_id), ("title", record.title),
            ("outlet", record.publisher), ("date", record.published), ("url", record.url),
            ("path", shown.path and _relative(shown.path)), ("also in", others)]
    return [(key, value) for key, value in rows if value]
