"""The `quotes` command line: parse, call one library function, render.

A person at a terminal gets tables; a pipe or a file gets plain lines, one record a line, values never cut;
`--json` (JSON Lines), `--csv` and `--tsv` are for programs (quotes.cliformat). Summaries, suggestions and
warnings go to stderr, so that stdout holds only records. A QuotesError from the library becomes one line
`error: ...` on stderr and exit status 1 (2 for a query that cannot be read); a bad command line is one such
line too, with status 2 (quotes.clierrors). As grep does, `quotes search` exits with 1 when nothing matches.
Nothing heavy is imported for a search: NLTK loads only when a command extracts (see quotes/__init__.py).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

import quotes
from quotes import clirender as render
from quotes import search as search_api
from quotes.clierrors import OneLineUsageErrors, fail
from quotes.cliformat import MACHINE, FormatClash, cell, note, one_line, output_format, write_line, write_rows
from quotes.clirender import SHORT_ID
from quotes.lock import DEFAULT_WAIT_SECONDS
from quotes.model import QuotesError
from quotes.paths import INDEX_ENV_VAR

if TYPE_CHECKING:
    pass

# The indexing modules (and rich: its tables, its progress bar) are imported by what uses them, not
# at start-up: `quotes search` should pay only for what a search uses (docs/benchmarks.md).

DEFAULT_CORPUS = "seeds"
QUOTE_COLUMNS = ("id", "text", "speaker", "speaker_mention", "cue", "kind", "rule", "confidence", "article_id",
                 "title", "publisher", "published", "url")
HIT_COLUMNS = (*QUOTE_COLUMNS, "score", "highlights", "occurrences")
EXTRACT_COLUMNS = ("path", *QUOTE_COLUMNS, "start", "end")
SHOW_COLUMNS = (*QUOTE_COLUMNS, "path", "paragraph", "occurrences")
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
    backend: Annotated[str | None, typer.Option(
        "--backend", help="Search backend URL: whoosh: (default), sphinx://HOST:PORT/NAME for a SphinxQL "
        "server (Manticore, Sphinx); default $QUOTES_BACKEND.", show_default=False)] = None,
) -> None:
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    if backend:  # every command opens its index through quotes.index.open_backend, which reads this (#12)
        import os

        from quotes.index import BACKEND_ENV

        os.environ[BACKEND_ENV] = backend


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

    with _reported(), render.progress_bar(enabled=not as_json) as progress:
        report = indexer.index_paths(paths, index_dir, workers=workers, prune=prune, rebuild=rebuild, wait=wait,
                                     progress=progress)
    if as_json:
        write_rows([report.to_dict()], (), "json")
    else:
        typer.echo(f"{report.index_dir}/: {report.new} new, {report.changed} changed, "
                   f"{report.unchanged} unchanged, {report.removed} removed, {report.failed} failed articles; "
                   f"{report.quotes_added} quotes added, {report.quotes_removed} removed ({report.seconds:.1f}s)")
    if report.skipped:
        note(render.skipped_line(report.skipped))
    if not report.read and not report.removed:  # (a pruning run of a folder emptied on purpose did its work)
        fail(render.nothing_read(paths, report))


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
        render.print_speakers(counts, fmt, render.described(sum(c.count for c in counts), query, filters))
        if not counts:
            raise typer.Exit(1)
        return
    with _reported():
        results = search_api.find(searched, index_dir=index_dir, sort=sort.value, limit=limit, page=page,
                                  exact_total=exact_total, **filters)
    for line in render.search_notes(results, speaker):
        note(line)
    summary = render.page_summary(results, query, filters)
    if fmt != "table" or not results.hits:
        note(summary)
        if fmt in MACHINE:
            write_rows([render.flat_hit(hit.to_dict(), fmt) for hit in results.hits], HIT_COLUMNS, fmt)
        else:
            for hit in results.hits:
                write_line(render.hit_line(hit))
    else:
        table = render.new_table("id", "quote", "speaker", "outlet", "date", title=summary)
        for hit in results.hits:
            render.add_row(table, hit.id[:SHORT_ID], render.marked(hit.highlights), hit.quote.speaker or "?",
                           render.outlet(hit), hit.published or "")
        render.draw(table)
    if not results.total:
        raise typer.Exit(1)


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
                said = f'{q.speaker or "?"}: "{one_line(q.text)}" ({how})'
                write_line(f"{render.where(e)}: {said}" if several else said)
    else:
        for e in extracted:
            if e.records:
                render.draw(render.extracted_table(e))
    empty = [render.where(e) for e in extracted if not e.records]
    if empty and not several:
        note(f"no quotations in {empty[0]}")
    elif empty:
        names = ", ".join(empty[:NAMES_SHOWN]) + (", ..." if len(empty) > NAMES_SHOWN else "")
        note(f"no quotations in {len(empty)} of {len(extracted)} articles: {names}")


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
        write_rows([report.to_dict()], (), "json")
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
    as_csv: AsCsv = False,
    as_tsv: AsTsv = False,
) -> None:
    """List speakers by number of quotations, most quoted first, with the other forms of each name seen.

    Example: quotes speakers Stargate --top 5 --json
    """
    fmt = _format(as_json, as_csv, as_tsv)
    with _reported():
        counts = search_api.speakers(query, index_dir=index_dir, top=top)
    render.print_speakers(counts, fmt, f"{len(counts)} speakers" + (f" of {query!r}" if query else ""))


@app.command("show")
def show_cmd(
    quote_id: Annotated[str, typer.Argument(help="A quote id, or a unique prefix of one.")],
    index_dir: IndexDir = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
    as_tsv: AsTsv = False,
) -> None:
    """Show one quotation: its speaker and why, its paragraph, its article and every other article printing it,
    and its variants: the same quotation printed with other words, with the word diff.

    Example: quotes show 3f2a9c
    """
    fmt = _format(as_json, as_csv, as_tsv)
    with _reported():
        shown = search_api.show(quote_id, index_dir=index_dir)
        found = cli_workbench.variants_of(shown.record.id, index_dir)  # other wordings (#11)
    row = {**shown.to_dict(), "variants": [v.to_dict() for v in found]}
    if fmt in MACHINE:
        write_rows([row if fmt == "json" else {**row, "occurrences": [o["article_id"] for o in row["occurrences"]]}],
                   SHOW_COLUMNS, fmt)
    elif fmt == "plain":
        for key, value in render.details_rows(shown):
            text = value if isinstance(value, str) else value.plain
            for line in text.splitlines() if key == "also in" else [text]:  # an article a line
                write_line(f"{key}: {one_line(line)}")
        cli_workbench.print_variants(found, plain=True)
    else:
        table = render.new_table("", "", show_header=False, title=f"quote {shown.record.id}")
        for key, value in render.details_rows(shown):
            if key != "url":
                render.add_row(table, key, value)
        render.draw(table)
        if shown.record.url:  # a URL is printed whole, never folded into the table's column
            write_line(f"url: {shown.record.url}")
        cli_workbench.print_variants(found)


@app.command("stats")
def stats_cmd(index_dir: IndexDir = None, as_json: AsJson = False, as_csv: AsCsv = False,
              as_tsv: AsTsv = False) -> None:
    """Count what the index holds: articles, quotes, attributed quotes, speakers, publishers, dates.

    Example: quotes stats --json
    """
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
    table = render.new_table("", "", show_header=False, title=f"index {stats.index_dir}/")
    for key, value in pairs:
        render.add_row(table, key, value)
    render.draw(table)


@app.command("evaluate")
def evaluate_cmd(
    gold: Annotated[Path, typer.Argument(
        help="JSON Lines of annotated articles (PolNeAR's gold format), or gold.json of saved web pages.")],
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Only the first N articles.")] = None,
    errors: Annotated[Path | None, typer.Option(
        "--errors", help="Page gold: write every miss to this file as JSON Lines.", show_default=False)] = None,
    as_json: AsJson = False,
) -> None:
    """Measure extraction and attribution on articles whose quotations people annotated: precision,
    recall and F1 of the quotations found, speaker accuracy, end-to-end F1, speed, and the accuracy of
    each rule and confidence band. Given the gold.json of saved web pages, measure canonical speakers
    instead: quotations found, the full name right, unnamed speakers, titles given a speaker; `--errors`
    lists each miss. README.md defines each figure.

    Example: quotes evaluate ../shared/webpages/gold.json --errors misses.jsonl
    """
    from quotes.evaluate import evaluate
    from quotes.evaluate_pages import evaluate_pages, is_page_gold, write_errors

    if is_page_gold(gold):
        with _reported():
            pages = evaluate_pages(gold, limit=limit)
            for problem in pages.unreadable:
                typer.echo(f"warning: {problem}", err=True)
            if errors is not None:
                write_errors(pages, errors)
        _print_figures(str(gold), pages.metrics(), as_json)
        return
    if errors is not None:
        fail("--errors lists the misses of a page gold (gold.json of saved pages); leave it out for "
             f"{gold}", code=2)
    with _reported():
        result = evaluate(gold, limit=limit)
    metrics = result.metrics()
    if as_json:
        write_rows([{**metrics, "rules": result.table("rules"), "confidence": result.table("bands")}], (), "json")
        return
    _print_figures(str(gold), metrics, as_json)
    for key, title in (("rules", "speaker accuracy by rule"), ("bands", "speaker accuracy by confidence")):
        breakdown = render.new_table("rule" if key == "rules" else "confidence", "quotations", "speaker right",
                                     title=title)
        for name, n, share in result.table(key):
            render.add_row(breakdown, name, str(n), f"{share:.3f}")
        render.draw(breakdown)


# verify, timeline and serve (#11) live in their own module, registered here
from quotes import cli_workbench  # noqa: E402

cli_workbench.register(app)


def _print_figures(title: str, metrics: dict[str, Any], as_json: bool) -> None:
    if as_json:
        write_rows([metrics], (), "json")
        return
    table = render.new_table("figure", "value", title=title)
    for key, value in metrics.items():
        render.add_row(table, key, "" if value is None else str(value))
    render.draw(table)


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
    # quotes/__init__.py turned the cyclic garbage collector off while the command's modules loaded: its
    # passes over their thousands of objects (none of them garbage) cost a tenth of a search's CPU. Those
    # objects are set aside for good (gc.freeze) and the collector turned on for the command's own (#10).
    gc.freeze()
    gc.enable()
    asked = _command_asked_for(sys.argv[1:])
    if asked is None:
        app(prog_name="quotes")
        return
    # typer makes a click command of every registered command (reading each one's signature and
    # annotations) before it looks at the command line: a third of the CPU `quotes search` spent after its
    # imports. A process runs one command, so it is given only that one; help, completion and a command
    # line this does not read whole get them all (#10).
    every = app.registered_commands
    app.registered_commands = [c for c in every if c.name == asked]
    try:
        app(prog_name="quotes")
    finally:
        app.registered_commands = every


# What may stand before the command's name for main() to make only that command: the group's options.
_GROUP_FLAGS = ("-v", "--verbose")
_GROUP_OPTIONS_WITH_A_VALUE = ("--backend",)


def _command_asked_for(args: list[str]) -> str | None:
    """The name of the command `args` runs, or None where they run no command or main() cannot be sure
    (`--help`, `--version`, completion, an option it does not know before the command, an unknown name)."""
    values = iter(args)
    for arg in values:
        if arg in _GROUP_OPTIONS_WITH_A_VALUE:
            next(values, None)
        elif arg in _GROUP_FLAGS or arg.split("=", 1)[0] in _GROUP_OPTIONS_WITH_A_VALUE:
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg if any(c.name == arg for c in app.registered_commands) else None
    return None


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

