"""The `quotes` command line: parse, call one library function, render.

A person at a terminal gets tables; a pipe or a file gets plain lines, one record a line, values never cut;
`--json` (JSON Lines), `--csv` and `--tsv` are for programs (quotes.cliformat). Summaries, suggestions and
warnings go to stderr, so that stdout holds only records. A QuotesError from the library becomes one line
`error: ...` on stderr and exit status 1 (2 for a query that cannot be read); a bad command line is one such
line too, with status 2 (quotes.clierrors). As grep does, `quotes search` exits with 1 when nothing matches.
Nothing heavy is imported for a search: NLTK loads only when a command extracts (see quotes/__init__.py).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

import quotes
from quotes import search as search_api
from quotes.clierrors import OneLineUsageErrors, fail
from quotes.cliformat import MACHINE, FormatClash, cell, note, one_line, output_format, write_line, write_rows
from quotes.lock import DEFAULT_WAIT_SECONDS
from quotes.model import QuotesError
from quotes.paths import INDEX_ENV_VAR

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from quotes.indexer import Extracted, IndexReport, Progress

# The indexing modules (and rich's progress bar) are imported by the commands that index or extract, and
# rich's tables by the functions that draw one (a pipe gets plain lines), not at start-up: `quotes search`
# should pay only for what a search uses (docs/benchmarks.md).

DEFAULT_CORPUS = "seeds"
SHORT_ID = 8  # characters of a quote id shown in tables; `quotes show` takes any unique prefix
QUOTE_COLUMNS = ("id", "text", "speaker", "speaker_mention", "cue", "kind", "rule", "confidence", "article_id",
                 "title", "publisher", "published", "url")
HIT_COLUMNS = (*QUOTE_COLUMNS, "score", "highlights", "occurrences")
EXTRACT_COLUMNS = ("path", *QUOTE_COLUMNS, "start", "end")
SHOW_COLUMNS = (*QUOTE_COLUMNS, "path", "paragraph", "occurrences")
SPEAKER_COLUMNS = ("speaker", "count", "forms")
NAMES_SHOWN = 5  # articles named in one line ("no quotations in 3 of 9 articles: a.txt, ...")


app = typer.Typer(
    name="quotes",
    cls=OneLineUsageErrors,
    help="Who said what, in which article, when: find quotations in news articles, index and search them.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,
)

IndexDir = Annotated[str | None, typer.Option(
    "--index-dir", help=f"Index directory (default: ${INDEX_ENV_VAR}, else ./index).", show_default=False)]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON Lines: one object a record.")]
AsCsv = Annotated[bool, typer.Option("--csv", help="Print CSV: a header row, then a row a record.")]
AsTsv = Annotated[bool, typer.Option("--tsv", help="Print tab-separated values: a header row, a row a record.")]


class Kind(StrEnum):
    direct = "direct"
    partial = "partial"


class Sort(StrEnum):
    relevance = "relevance"
    date = "date"


class By(StrEnum):
    speaker = "speaker"


SpeakerOpt = Annotated[str | None, typer.Option(
    "--speaker", help='Only this person: the full name or any name the articles use ("Son", "Altman").')]
PublisherOpt = Annotated[str | None, typer.Option("--publisher", help="Only this outlet (all of its words).")]
SinceOpt = Annotated[str | None, typer.Option(
    "--since", help="Published on or after: 2016-09-01, 2016-09 or 2016.", show_default=False)]
UntilOpt = Annotated[str | None, typer.Option(
    "--until", help="Published on or before: 2016-10-15, 2016-10 (the whole month) or 2016.", show_default=False)]
KindOpt = Annotated[Kind | None, typer.Option("--kind", help="Only direct or only partial quotations.")]
ArticleOpt = Annotated[str | None, typer.Option("--article", help="Only the quotations of this article id.")]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"quotes {quotes.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")


@app.command("index")
def index_cmd(
    paths: Annotated[list[str] | None, typer.Argument(
        help="Article files or folders, `-` for JSON lines on stdin (default: seeds/).", show_default=False)] = None,
    index_dir: IndexDir = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="Extraction processes (default: one per core).", show_default=False)] = None,
    prune: Annotated[bool, typer.Option(
        "--prune", help="Remove the articles whose files (or lines) under PATHS are gone.")] = False,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Forget the index's articles and extract every article again.")] = False,
    wait: Annotated[float, typer.Option(
        "--wait", min=0, help="Seconds to wait for another run that holds the index.")] = DEFAULT_WAIT_SECONDS,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
) -> None:
    """Read articles, find their quotations and add them to the index; unchanged articles are skipped.

    Reads .txt, .html/.htm, .jsonl/.json and RSS/Atom (.xml, .rss, .atom) files; a file that cannot be
    read is reported and skipped, and files of other kinds in a folder (PDF, images) are counted in one
    line. Exits with 1 when no article at all could be read. A killed run loses nothing: run it again.

    Example: quotes index seeds/ more-articles/ --prune
    """
    if not paths:
        if not os.path.isdir(DEFAULT_CORPUS):
            fail(f"no {DEFAULT_CORPUS}/ directory in {os.getcwd()}: name the articles to index, "
                 "e.g. `quotes index articles/`")
        paths = [DEFAULT_CORPUS]
    from quotes import indexer

    with _reported(), _progress_bar(enabled=not as_json) as progress:
        report = indexer.index_paths(paths, index_dir, workers=workers, prune=prune, rebuild=rebuild, wait=wait,
                                     progress=progress)
    if as_json:
        write_rows([report.to_dict()], (), "json")
    else:
        typer.echo(f"{report.index_dir}/: {report.new} new, {report.changed} changed, "
                   f"{report.unchanged} unchanged, {report.removed} removed, {report.failed} failed articles; "
                   f"{report.quotes_added} quotes added, {report.quotes_removed} removed ({report.seconds:.1f}s)")
    if report.skipped:
        note(_skipped_line(report.skipped))
    if not report.read:
        fail(_nothing_read(paths, report))


def _skipped_line(skipped: dict[str, int]) -> str:
    """"skipped 3 files that are no articles: 2 .pdf, 1 .docx; ...": one line for every kind passed over."""
    from quotes.articles import READERS

    n = sum(skipped.values())
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"skipped {n} file{'' if n == 1 else 's'} of kinds quotes does not read: {kinds}; articles are "
            f"{', '.join(READERS)} files (save a document as text or HTML to index it)")


def _nothing_read(paths: list[str], report: IndexReport) -> str:
    where = ", ".join(paths)
    if report.failed:
        return (f"no article could be read from {where}: {report.failed} failed (see the lines above); "
                "fix them and run it again")
    return f"no article found in {where}: give files or folders of .txt, .html, .jsonl or feed files"


@app.command("reindex")
def reindex_cmd(
    index_dir: IndexDir = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="Whoosh writer processes (default: one per core).",
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
) -> None:
    """Rebuild the search index from the catalog, without reading or extracting any article again.

    Example: quotes reindex --index-dir index/
    """
    from quotes import indexer

    with _reported():
        report = indexer.reindex(index_dir, workers=workers)
    if as_json:
        write_rows([report.to_dict()], (), "json")
        return
    typer.echo(f"{report.index_dir}/: search index rebuilt from the catalog, {report.quotes} quotes "
               f"({report.seconds:.1f}s)")


@app.command("search")
def search_cmd(
    query: Annotated[str | None, typer.Argument(
        help='Words (paste a sentence as it is), "a phrase", AND/OR/NOT, word~ (fuzzy), prefix*, field:value '
             "(speaker, publisher, kind, title, article, published:2016-10, published:[2016-09-01 to "
             "2016-10-15]). Left out with a filter: every quotation it keeps.", show_default=False)] = None,
    speaker: SpeakerOpt = None,
    publisher: PublisherOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    kind: KindOpt = None,
    article: ArticleOpt = None,
    sort: Annotated[Sort, typer.Option("--sort", help="relevance, or date: newest first.")] = Sort.relevance,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Quotations per page.")] = 10,
    page: Annotated[int, typer.Option("--page", min=1, help="Which page of results.")] = 1,
    by: Annotated[By | None, typer.Option("--by", help="Count the hits per speaker instead.")] = None,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
    as_tsv: AsTsv = False,
    exact_total: Annotated[bool, typer.Option(
        "--exact-total", help="Count every matching quotation (else: exact up to 10,000).")] = False,
) -> None:
    """Find the quotations that match a query, best (or newest) first; matched words are marked.

    Paste a sentence to find the quotation that holds its words; stop words ("the", "of") never make a
    search fail. A quotation printed by several articles is one result listing every article. A query
    that finds nothing is searched again spelt as the closest indexed words (said on stderr). With no
    query, a filter lists everything it keeps. Exits with 1 when nothing matches, as grep does.

    Example: quotes search "global initiative" --speaker Altman --since 2025-01 --sort date --csv
    """
    fmt = _format(as_json, as_csv, as_tsv)
    filters: dict[str, Any] = {"speaker": speaker, "publisher": publisher, "since": since, "until": until,
                               "kind": kind.value if kind else None, "article": article}
    if query is None and not any(filters.values()):
        fail('`quotes search` needs QUERY or a filter; e.g. `quotes search "global initiative"` or '
             "`quotes search --speaker Altman`", code=2)
    searched = "*" if query is None else query  # no query: every quotation the filters keep
    if by is not None:
        with _reported():
            counts = search_api.speakers(searched, index_dir=index_dir, **filters)
        _print_speakers(counts, fmt, _described(sum(c.count for c in counts), query, filters))
        if not counts:
            raise typer.Exit(1)
        return
    with _reported():
        results = search_api.find(searched, index_dir=index_dir, sort=sort.value, limit=limit, page=page,
                                  exact_total=exact_total, **filters)
    for line in _search_notes(results, speaker):
        note(line)
    summary = _page_summary(results, query, filters)
    if fmt != "table" or not results.hits:
        note(summary)
        if fmt in MACHINE:
            write_rows([_flat_hit(hit.to_dict(), fmt) for hit in results.hits], HIT_COLUMNS, fmt)
        else:
            for hit in results.hits:
                write_line(_hit_line(hit))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("id", "quote", "speaker", "outlet", "date", title=summary)
        for hit in results.hits:
            _add_row(table, hit.id[:SHORT_ID], _marked(hit.highlights), hit.quote.speaker or "?", _outlet(hit),
                     hit.published or "")
        Console().print(table)
    if not results.total:
        raise typer.Exit(1)


def _search_notes(results: search_api.Results, speaker: str | None) -> list[str]:
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


def _flat_hit(row: dict[str, Any], fmt: str) -> dict[str, Any]:
    """A hit for CSV and TSV: its occurrences as the article ids (JSON keeps them whole)."""
    if fmt == "json":
        return row
    return {**row, "occurrences": [o["article_id"] for o in row["occurrences"]]}


def _hit_line(hit: search_api.Hit) -> str:
    """A hit as one plain line: short id, speaker, the words, then where and when, the URL whole."""
    where = ", ".join(x for x in (_outlet(hit), hit.published, hit.url) if x)
    return f'{hit.id[:SHORT_ID]}  {hit.quote.speaker or "?"}: "{one_line(hit.quote.text)}"' + (
        f"  ({where})" if where else "")


def _outlet(hit: search_api.Hit) -> str:
    others = len(hit.occurrences) - 1
    return (hit.publisher or hit.title or "") + (f" (+{others} more)" if others > 0 else "")


@app.command("extract")
def extract_cmd(
    file: Annotated[str, typer.Argument(
        help="An article file, a folder of them, or `-` for standard input (plain text, or JSON Lines).")],
    as_json: AsJson = False,
    as_csv: AsCsv = False,
    as_tsv: AsTsv = False,
) -> None:
    """Print the quotations of an article and who said them; needs no index and writes none.

    Given a folder (or JSON Lines of several articles), each quotation names the article it comes from.
    Standard input (`-`) is read as one article's plain text, or as JSON Lines when it looks like them.

    Example: quotes extract seeds/000_79b1a7c8b752f4f6.txt --json
    """
    from rich.console import Console

    fmt = _format(as_json, as_csv, as_tsv)
    from quotes import indexer

    with _reported():
        extracted = indexer.extract_articles(file)
    if not extracted:
        fail(f"no article could be read from {file} (see the lines above); check the file")
    rows = [{"path": e.article.path, **r.to_dict()} for e in extracted for r in e.records]
    several = len(extracted) > 1
    if fmt in MACHINE:
        write_rows(rows, EXTRACT_COLUMNS, fmt)
    elif fmt == "plain":
        for e in extracted:
            for r in e.records:
                q = r.quote
                how = ", ".join(x for x in (q.cue, q.rule) if x)
                write_line((f"{_where(e)}: " if several else "") + f'{q.speaker or "?"}: "{one_line(q.text)}" ({how})')
    else:
        for e in extracted:
            if e.records:
                Console().print(_extracted_table(e))
    empty = [_where(e) for e in extracted if not e.records]
    if empty and not several:
        note(f"no quotations in {empty[0]}")
    elif empty:
        names = ", ".join(empty[:NAMES_SHOWN]) + (", ..." if len(empty) > NAMES_SHOWN else "")
        note(f"no quotations in {len(empty)} of {len(extracted)} articles: {names}")


def _where(e: Extracted) -> str:
    """Where an article was read: its path (relative to here when under it; `file.jsonl:3` for a line)."""
    where = e.article.path or e.article.id
    here = os.getcwd() + os.sep
    return where[len(here):] if where.startswith(here) else where


def _extracted_table(e: Extracted) -> Table:
    from rich.table import Table
    title = f"{len(e.records)} quote{'' if len(e.records) == 1 else 's'} in {_where(e)}" + (
        f" ({e.article.title})" if e.article.title else "")
    table = Table("speaker", "mention", "cue", "kind", "rule", "quote", title=title)
    for r in e.records:
        q = r.quote
        _add_row(table, q.speaker or "?", q.speaker_mention or "", q.cue or "", q.kind, q.rule, q.text)
    return table


@app.command("speakers")
def speakers_cmd(
    query: Annotated[str | None, typer.Argument(
        help="Count only the quotations matching this query (as for search).", show_default=False)] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Only the N most quoted.")] = None,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
    as_tsv: AsTsv = False,
) -> None:
    """List speakers by number of quotations, most quoted first, with the other forms of each name seen.

    Example: quotes speakers Stargate --top 5 --json
    """
    fmt = _format(as_json, as_csv, as_tsv)
    with _reported():
        counts = search_api.speakers(query, index_dir=index_dir, top=top)
    _print_speakers(counts, fmt, f"{len(counts)} speakers" + (f" of {query!r}" if query else ""))


@app.command("show")
def show_cmd(
    quote_id: Annotated[str, typer.Argument(help="A quote id, or a unique prefix of one.")],
    index_dir: IndexDir = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
    as_tsv: AsTsv = False,
) -> None:
    """Show one quotation: its speaker and why, its paragraph, its article and every other article printing it.

    Example: quotes show 3f2a9c
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    fmt = _format(as_json, as_csv, as_tsv)
    with _reported():
        shown = search_api.show(quote_id, index_dir=index_dir)
    row = shown.to_dict()
    if fmt in MACHINE:
        write_rows([row if fmt == "json" else {**row, "occurrences": [o["article_id"] for o in row["occurrences"]]}],
                   SHOW_COLUMNS, fmt)
    elif fmt == "plain":
        for key, value in _details_rows(shown):
            write_line(f"{key}: {one_line(value.plain if isinstance(value, Text) else value)}")
    else:
        table = Table("", "", show_header=False, title=f"quote {shown.record.id}")
        for key, value in _details_rows(shown):
            if key != "url":
                _add_row(table, key, value)
        Console().print(table)
        if shown.record.url:  # a URL is printed whole, never folded into the table's column
            write_line(f"url: {shown.record.url}")


@app.command("stats")
def stats_cmd(index_dir: IndexDir = None, as_json: AsJson = False, as_csv: AsCsv = False,
              as_tsv: AsTsv = False) -> None:
    """Count what the index holds: articles, quotes, attributed quotes, speakers, publishers, dates.

    Example: quotes stats --json
    """
    from rich.console import Console
    from rich.table import Table

    fmt = _format(as_json, as_csv, as_tsv)
    with _reported():
        stats = search_api.stats(index_dir)
    row = stats.to_dict()
    if fmt in MACHINE:
        write_rows([row], tuple(row), fmt)
        return
    pairs = [(key.replace("_", " "), cell(value)) for key, value in row.items() if key != "index_dir"]
    if fmt == "plain":
        for key, value in [("index", row["index_dir"]), *pairs]:
            write_line(f"{key}: {value}")
        return
    table = Table("", "", show_header=False, title=f"index {stats.index_dir}/")
    for key, value in pairs:
        _add_row(table, key, value)
    Console().print(table)


@app.command("evaluate")
def evaluate_cmd(
    gold: Annotated[Path, typer.Argument(help="JSON Lines of annotated articles (PolNeAR's gold format).")],
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Only the first N articles.")] = None,
    as_json: AsJson = False,
) -> None:
    """Measure extraction and attribution on articles whose quotations people annotated: precision,
    recall and F1 of the quotations found, speaker accuracy, end-to-end F1, speed, and the accuracy of
    each rule and confidence band. README.md defines each figure.

    Example: quotes evaluate ../shared/polnear/dev.jsonl
    """
    from rich.console import Console
    from rich.table import Table

    from quotes.evaluate import evaluate

    with _reported():
        result = evaluate(gold, limit=limit)
    metrics = result.metrics()
    if as_json:
        write_rows([{**metrics, "rules": result.table("rules"), "confidence": result.table("bands")}], (), "json")
        return
    console = Console()
    table = Table("figure", "value", title=f"{gold}")
    for key, value in metrics.items():
        _add_row(table, key, "" if value is None else str(value))
    console.print(table)
    for key, title in (("rules", "speaker accuracy by rule"), ("bands", "speaker accuracy by confidence")):
        breakdown = Table("rule" if key == "rules" else "confidence", "quotations", "speaker right", title=title)
        for name, n, share in result.table(key):
            _add_row(breakdown, name, str(n), f"{share:.3f}")
        console.print(breakdown)


def main() -> None:
    """The `quotes` console script."""
    app(prog_name="quotes")


def _prose(doc: str) -> str:
    """A docstring as paragraphs: the lines of each joined, so that --help wraps them to the terminal."""
    paragraphs = [" ".join(p.split()) for p in doc.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


for _command in app.registered_commands:  # every command's help is its docstring, wrapped as prose
    if _command.callback is not None and _command.callback.__doc__:
        _command.help = _prose(_command.callback.__doc__)


# -- rendering -------------------------------------------------------------------------------------------


def _format(as_json: bool, as_csv: bool, as_tsv: bool) -> str:
    try:
        return output_format(as_json, as_csv, as_tsv)
    except FormatClash as e:
        fail(str(e), code=2)


@contextmanager
def _reported() -> Iterator[None]:
    """Turn a library error into one stderr line and exit status 1 (2 for a query that cannot be read).

    Ctrl-C is one line and status 130 (128 + SIGINT), as shells report it.
    """
    try:
        yield
    except search_api.QuerySyntaxError as e:
        fail(str(e), code=2)
    except QuotesError as e:
        fail(str(e))
    except KeyboardInterrupt:
        fail("interrupted; what was committed is kept (an index run loses at most its last batch): run the "
              "command again to finish", code=130)


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Progress | None]:
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
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
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


def _add_row(table: Table, *cells: str | Text) -> None:
    """Add a row whose strings are shown as they are: never read as rich markup ("[the CEO]")."""
    from rich.text import Text

    table.add_row(*(c if isinstance(c, Text) else Text(c) for c in cells))


def _quotations(n: int) -> str:
    return f"{n} quotation" + ("" if n == 1 else "s")


_FILTER_NAMES = {"speaker": "speaker {!r}", "publisher": "publisher {!r}", "since": "since {}", "until": "until {}",
                 "kind": "kind {}", "article": "article {}"}


def _described(n: int, query: str | None, filters: dict[str, Any]) -> str:
    """"3 quotations for 'tax' with speaker 'Trump', since 2016-10": what was searched, filters named."""
    used = [_FILTER_NAMES[name].format(value) for name, value in filters.items() if value]
    return _quotations(n) + (f" for {query!r}" if query is not None else "") + (
        f" with {', '.join(used)}" if used else "")


def _page_summary(results: search_api.Results, query: str | None, filters: dict[str, Any]) -> str:
    """"7 quotations for 'tax', 4-6 (page 2 of 3)"; the count alone where one page holds them all; "more
    than 10000 quotations for 'trump', 1-10 (page 1 of 1000+)" where they were not all counted."""
    more = "" if results.total_exact else "more than "
    found = more + _described(results.total, results.searched if query is not None else None, filters)
    if results.total and not results.hits:
        return f"{found}; page {results.page} is past the last page ({results.pages})"
    first = (results.page - 1) * results.limit
    if results.total > len(results.hits) or more:
        pages = f"{results.pages}" + ("+" if more else "")
        return f"{found}, {first + 1}-{first + len(results.hits)} (page {results.page} of {pages})"
    return found


def _print_speakers(counts: list[search_api.SpeakerCount], fmt: str, title: str) -> None:
    if fmt in MACHINE:
        write_rows([c.to_dict() for c in counts], SPEAKER_COLUMNS, fmt)
    elif fmt == "plain":
        note(title)
        for c in counts:
            write_line(f"{c.count}\t{c.speaker}" + (f" (also {', '.join(c.forms)})" if c.forms else ""))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("speaker", "quotations", "other forms", title=title)
        for c in counts:
            _add_row(table, c.speaker, str(c.count), ", ".join(c.forms))
        Console().print(table)


def _marked(snippet: str) -> Text:
    """A snippet with its «matches» shown in bold (the marks dropped), markup-safe."""
    from rich.text import Text

    text = Text()
    for i, part in enumerate(snippet.replace("»", "«").split("«")):
        text.append(part, style="bold yellow" if i % 2 else "")
    return text


def _details_rows(shown: search_api.Shown) -> list[tuple[str, str | Text]]:
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
            ("outlet", record.publisher), ("date", record.published), ("url", record.url), ("path", shown.path),
            ("also in", others)]
    return [(key, value) for key, value in rows if value]
