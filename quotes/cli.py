"""The `quotes` command line: parse, call one library function, render.

People get rich tables on stdout; `--json` prints JSON Lines for scripts (one object per quote, speaker or
report) and `search --csv` a spreadsheet. A QuotesError from the library becomes one line `error: ...` on
stderr and exit status 1 (2 for a query that cannot be read); a bad command line (an unknown command or
option, a missing argument, a value an option refuses) is one such line too, with status 2. Nothing heavy
is imported for a search: NLTK loads only when a command extracts (see quotes/__init__.py).
"""

from __future__ import annotations

import csv
import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from quotes import search as search_api
from quotes.clierrors import OneLineUsageErrors, fail
from quotes.lock import DEFAULT_WAIT_SECONDS
from quotes.model import QuotesError
from quotes.paths import INDEX_ENV_VAR

if TYPE_CHECKING:
    from quotes.indexer import Progress

# The indexing modules (and rich's progress bar) are imported by the commands that index or extract, not
# at start-up: `quotes search` should pay only for what a search uses (README, "Search speed").

DEFAULT_CORPUS = Path("seeds")
SHORT_ID = 8  # characters of a quote id shown in tables; `quotes show` takes any unique prefix
CSV_COLUMNS = ("id", "text", "speaker", "speaker_mention", "cue", "kind", "rule", "confidence", "article_id",
               "title", "publisher", "published", "url", "score", "highlights", "occurrences")


app = typer.Typer(
    name="quotes",
    cls=OneLineUsageErrors,
    help="Who said what, in which article, when: find quotations in news articles, index and search them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

IndexDir = Annotated[Path | None, typer.Option(
    "--index-dir", help=f"Index directory (default: ${INDEX_ENV_VAR}, else ./index).", show_default=False)]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON Lines instead of a table.")]


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


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
          backend: Annotated[str | None, typer.Option(
              "--backend", help="Search backend URL: whoosh: (default), sphinx://HOST:PORT/NAME for a SphinxQL "
              "server (Manticore, Sphinx); default $QUOTES_BACKEND.", show_default=False)] = None) -> None:
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    if backend:  # every command opens its index through quotes.index.open_backend, which reads this (#12)
        import os

        from quotes.index import BACKEND_ENV

        os.environ[BACKEND_ENV] = backend


@app.command("index")
def index_cmd(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Article files or directories, `-` for JSON lines on stdin (default: seeds/).",
        show_default=False)] = None,
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

    Reads .txt, .html/.htm, .jsonl/.json and RSS/Atom (.xml, .rss, .atom) files; bad files are reported
    and skipped. A killed run loses nothing: run it again.

    Example: quotes index seeds/ more-articles/ --prune
    """
    if not paths:
        if not DEFAULT_CORPUS.is_dir():
            fail(f"no {DEFAULT_CORPUS}/ directory in {Path.cwd()}: name the articles to index, "
                  "e.g. `quotes index articles/`")
        paths = [DEFAULT_CORPUS]
    from quotes import indexer

    with _reported(), _progress_bar(enabled=not as_json) as progress:
        report = indexer.index_paths(paths, index_dir, workers=workers, prune=prune, rebuild=rebuild, wait=wait,
                                     progress=progress)
    if as_json:
        _print_json(report.to_dict())
        return
    typer.echo(f"{report.index_dir}/: {report.new} new, {report.changed} changed, "
               f"{report.unchanged} unchanged, {report.removed} removed, {report.failed} failed articles; "
               f"{report.quotes_added} quotes added, {report.quotes_removed} removed ({report.seconds:.1f}s)")


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
        _print_json(report.to_dict())
        return
    typer.echo(f"{report.index_dir}/: search index rebuilt from the catalog, {report.quotes} quotes "
               f"({report.seconds:.1f}s)")


@app.command("search")
def search_cmd(
    query: Annotated[str | None, typer.Argument(
        help='Words, "a phrase", AND/OR/NOT, word~ (fuzzy), prefix*, field:value (speaker, publisher, kind, '
             "title, article, published:2016-10, published:[2016-09-01 to 2016-10-15]). Left out with a "
             "filter: every quotation it keeps.", show_default=False)] = None,
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
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (a header row, a row per hit).")] = False,
) -> None:
    """Find the quotations that match a query, best (or newest) first; matched words are marked.

    A quotation printed by several articles is one result listing every article. A query that finds
    nothing is searched again spelt as the closest indexed words (said on stderr). With no query, a
    filter lists everything it keeps (`quotes search --speaker Altman --sort date`).

    Example: quotes search "global initiative" --speaker Altman --since 2025-01 --sort date --csv
    """
    if as_json and as_csv:
        fail("--json and --csv go one at a time: choose one", code=2)
    filters: dict[str, Any] = {"speaker": speaker, "publisher": publisher, "since": since, "until": until,
               "kind": kind.value if kind else None, "article": article}
    if query is None:
        if not any(filters.values()):
            fail('`quotes search` needs QUERY or a filter; e.g. `quotes search "global initiative"` or '
                 "`quotes search --speaker Altman`", code=2)
        query = "*"  # every quotation the filters keep
    if by is not None:
        with _reported():
            counts = search_api.speakers(query, index_dir=index_dir, **filters)
        _print_speakers(counts, as_json, as_csv, f"{_quotations(sum(c.count for c in counts))} for {query!r}")
        return
    with _reported():
        results = search_api.find(query, index_dir=index_dir, sort=sort.value, limit=limit, page=page,
                                  **filters)
    if results.corrected:
        typer.echo(f"no quotations for {results.query!r}; showing those for {results.suggestion!r}", err=True)
    elif results.suggestion:
        typer.echo(f"did you mean {results.suggestion!r}?", err=True)
    summary = _page_summary(results)
    if as_json or as_csv:
        typer.echo(summary, err=True)
        rows = [hit.to_dict() for hit in results.hits]
        if as_json:
            for row in rows:
                _print_json(row)
        else:
            _print_csv(rows)
        return
    if not results.hits:  # nothing to tabulate: the summary says it
        typer.echo(summary)
        return
    table = Table("id", "quote", "speaker", "outlet", "date", title=summary)
    for hit in results.hits:
        others = len(hit.occurrences) - 1
        outlet = (hit.publisher or hit.title or "") + (f" (+{others} more)" if others > 0 else "")
        _add_row(table, hit.id[:SHORT_ID], _marked(hit.highlights), hit.quote.speaker or "?", outlet,
                 hit.published or "")
    Console().print(table)


@app.command("extract")
def extract_cmd(
    file: Annotated[Path, typer.Argument(help="An article file (or a directory of them).")],
    as_json: AsJson = False,
) -> None:
    """Print the quotations of an article and who said them; needs no index and writes none.

    Example: quotes extract seeds/000_79b1a7c8b752f4f6.txt --json
    """
    from quotes import indexer

    with _reported():
        records = indexer.extract_file(file)
    if as_json:
        for record in records:
            _print_json(record.to_dict())
        return
    table = Table("speaker", "mention", "cue", "kind", "rule", "quote",
                  title=f"{len(records)} quotes in {file}")
    for r in records:
        q = r.quote
        _add_row(table, q.speaker or "?", q.speaker_mention or "", q.cue or "", q.kind, q.rule, q.text)
    Console().print(table)


@app.command("spark")
def spark_cmd(
    inputs: Annotated[list[str], typer.Argument(
        help="JSON lines (.jsonl, .json) or Parquet files, folders of them, or URIs Spark reads (s3a://...).",
        show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write articles/ and quotes/ into.",
                                      show_default=False)],
    master: Annotated[str | None, typer.Option(
        "--master", help="Spark master: local[2], spark://host:7077, yarn (default: local, every core).",
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
) -> None:
    """Extract quotations on Spark into Parquet (DIR/articles/, DIR/quotes/); `quotes index DIR` loads them.

    Needs the extra: pip install 'quotes[spark]' (and Java). Bad files and records are reported and skipped.

    Example: quotes spark shards/ --out batch/ --master local[2] && quotes index batch/
    """
    with _reported():
        from quotes import spark

        report = spark.run(inputs, out, master)
    for line in report.errors:
        typer.echo(f"warning: {line}", err=True)
    if as_json:
        _print_json(report.to_dict())
        return
    typer.echo(f"{report.out}/: {report.articles} articles, {report.quotes} quotes from {report.files} files, "
               f"{report.failed} failed ({report.seconds:.1f}s); load them with `quotes index {report.out}`")


@app.command("speakers")
def speakers_cmd(
    query: Annotated[str | None, typer.Argument(
        help="Count only the quotations matching this query (as for search).", show_default=False)] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Only the N most quoted.")] = None,
    index_dir: IndexDir = None,
    as_json: AsJson = False,
) -> None:
    """List speakers by number of quotations, most quoted first, with the other forms of each name seen.

    Example: quotes speakers Stargate --top 5 --json
    """
    with _reported():
        counts = search_api.speakers(query, index_dir=index_dir, top=top)
    _print_speakers(counts, as_json, False, f"{len(counts)} speakers" + (f" of {query!r}" if query else ""))


@app.command("show")
def show_cmd(
    quote_id: Annotated[str, typer.Argument(help="A quote id, or a unique prefix of one.")],
    index_dir: IndexDir = None,
    as_json: AsJson = False,
) -> None:
    """Show one quotation: its speaker and why, its paragraph, its article and every other article printing it.

    Example: quotes show 3f2a9c
    """
    with _reported():
        shown = search_api.show(quote_id, index_dir=index_dir)
    if as_json:
        _print_json(shown.to_dict())
        return
    Console().print(_details(shown))


@app.command("stats")
def stats_cmd(index_dir: IndexDir = None, as_json: AsJson = False) -> None:
    """Count what the index holds: articles, quotes, attributed quotes, speakers, publishers, dates.

    Example: quotes stats --json
    """
    with _reported():
        stats = search_api.stats(index_dir)
    if as_json:
        _print_json(stats.to_dict())
        return
    table = Table("", "", show_header=False, title=f"index {stats.index_dir}/")
    for key, value in stats.to_dict().items():
        if key != "index_dir":
            _add_row(table, key.replace("_", " "), "" if value is None else str(value))
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
    from quotes.evaluate import evaluate

    with _reported():
        result = evaluate(gold, limit=limit)
    metrics = result.metrics()
    if as_json:
        _print_json({**metrics, "rules": result.table("rules"), "confidence": result.table("bands")})
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


@app.command("server-config")
def server_config_cmd(
    shards: Annotated[int, typer.Option("--shards", min=1, help="Real-time shards behind the distributed index.")] = 2,
    data: Annotated[Path, typer.Option("--data", help="Directory for the shards' files, logs and pid.")] = Path(
        "searchd-data"),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="SphinxQL port.")] = 9306,
    name: Annotated[str, typer.Option("--name", help="Index name: the NAME of sphinx://HOST:PORT/NAME.")] = "quotes",
) -> None:
    """Print a searchd config (Sphinx 2.2, Manticore) with the indexes the sphinx:// backend expects.

    Example: quotes server-config --shards 4 --data /var/lib/quotes > quotes.conf && searchd -c quotes.conf
    """
    from quotes.index.sphinx.config import config

    typer.echo(config(shards, data, port, name), nl=False)


def main() -> None:
    """The `quotes` console script."""
    app(prog_name="quotes")


# -- rendering -------------------------------------------------------------------------------------------


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
    """A progress bar on stderr over the files to read, with the articles read and their rate.

    Only on a terminal: a log file or a pipe gets the errors and the summary, not the bar's redraws.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as ProgressBar

    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
               TextColumn("{task.fields[articles]} articles, {task.fields[rate]:.0f}/s"), TimeElapsedColumn())
    began = time.perf_counter()
    with ProgressBar(*columns, console=console, transient=True) as bar:
        task = bar.add_task("index", total=None, articles=0, rate=0.0)

        def update(files_done: int, files: int, articles: int) -> None:
            rate = articles / max(time.perf_counter() - began, 1e-6)
            bar.update(task, completed=files_done, total=files, articles=articles, rate=rate)

        yield update


def _add_row(table: Table, *cells: str | Text) -> None:
    """Add a row whose strings are shown as they are: never read as rich markup ("[the CEO]")."""
    table.add_row(*(c if isinstance(c, Text) else Text(c) for c in cells))


def _print_json(obj: dict[str, Any]) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False))


def _quotations(n: int) -> str:
    return f"{n} quotation" + ("" if n == 1 else "s")


def _page_summary(results: search_api.Results) -> str:
    """"7 quotations for 'tax', 4-6 (page 2 of 3)"; the count alone where one page holds them all."""
    found = f"{_quotations(results.total)} for {results.searched!r}"
    if results.total and not results.hits:
        return f"{found}; page {results.page} is past the last page ({results.pages})"
    first = (results.page - 1) * results.limit
    if results.total > len(results.hits):
        return f"{found}, {first + 1}-{first + len(results.hits)} (page {results.page} of {results.pages})"
    return found


def _print_csv(rows: list[dict[str, Any]]) -> None:
    """A header row and a row per hit; `occurrences` as the article ids joined by "; "."""
    writer = csv.DictWriter(sys.stdout, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "occurrences": "; ".join(o["article_id"] for o in row["occurrences"])})


def _print_speakers(counts: list[search_api.SpeakerCount], as_json: bool, as_csv: bool, title: str) -> None:
    if as_json:
        for c in counts:
            _print_json(c.to_dict())
        return
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["speaker", "count", "forms"])
        writer.writerows([c.speaker, c.count, "; ".join(c.forms)] for c in counts)
        return
    table = Table("speaker", "quotations", "other forms", title=title)
    for c in counts:
        _add_row(table, c.speaker, str(c.count), ", ".join(c.forms))
    Console().print(table)


def _marked(snippet: str) -> Text:
    """A snippet with its «matches» shown in bold (the marks dropped), markup-safe."""
    text = Text()
    for i, part in enumerate(snippet.replace("»", "«").split("«")):
        text.append(part, style="bold yellow" if i % 2 else "")
    return text


def _details(shown: search_api.Shown) -> Table:
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
    table = Table("", "", show_header=False, title=f"quote {record.id}")
    rows = [("quote", q.text), ("speaker", q.speaker or "? (not attributed)"), ("mention", q.speaker_mention),
            ("cue", q.cue), ("rule", q.rule), ("confidence", f"{q.confidence:.2f}"), ("kind", q.kind),
            ("paragraph", paragraph), ("article", record.article_id), ("title", record.title),
            ("outlet", record.publisher), ("date", record.published), ("url", record.url), ("path", shown.path),
            ("also in", others)]
    for key, value in rows:
        if value:
            _add_row(table, key, value)
    return table
