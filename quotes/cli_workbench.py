"""The fact-checker's commands of the `quotes` command line: verify, timeline, serve (#11).

Registered on the app by quotes.cli (`register(app)`); like the rest of the CLI they parse, call one library
function and render. rapidfuzz, the timeline and the web server load only when their command runs.
"""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from quotes.clierrors import fail
from quotes.paths import INDEX_ENV_VAR

IndexDir = Annotated[Path | None, typer.Option(
    "--index-dir", help=f"Index directory (default: ${INDEX_ENV_VAR}, else ./index).", show_default=False)]
BAR_WIDTH = 40  # characters of the longest bar of `quotes timeline`
VERDICT_SAYS = {
    "exact": "the words are a quotation's",
    "close": "a quotation says nearly the same",
    "other_speaker": "said, but by someone else",
    "not_found": "no quotation is close enough",
}


class Period(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


def register(app: typer.Typer) -> None:
    """Add verify, timeline and serve to the `quotes` app."""
    app.command("verify")(verify_cmd)
    app.command("timeline")(timeline_cmd)
    app.command("serve")(serve_cmd)


def verify_cmd(
    claim: Annotated[str, typer.Argument(help='The claimed words; "A ... B" checks a splice of two quotations.')],
    speaker: Annotated[str | None, typer.Option(
        "--speaker", help="Who the words are credited to: the full name or any form the articles use.")] = None,
    index_dir: IndexDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as one JSON object.")] = False,
) -> None:
    """Check claimed wording against the index: exact, close (with a word diff), other_speaker or not_found.

    Each match names its speaker, the words as printed, the first printing (outlet, date) and how many
    articles print it. In the diff, [-words-] are the claim's only and {+words+} the quotation's only.

    Example: quotes verify "there is so much in Korea that makes AI a great fit" --speaker Altman
    """
    from quotes import search
    from quotes.cli import _print_json, _reported

    with _reported():
        result = search.verify(claim, speaker, index_dir=index_dir)
    if as_json:
        _print_json(result.to_dict())
        return
    console = Console()
    headline = Text(result.verdict.upper(), style="bold")
    headline.append(f": {VERDICT_SAYS[result.verdict]}")
    if result.verdict == "other_speaker":
        names = list(dict.fromkeys(m.speaker or "no one named" for m in result.matches))
        headline.append(f" ({', '.join(names)}, not {speaker})")
    console.print(headline)
    if len(result.parts) > 1:
        console.print(Text(f"{len(result.parts)} parts checked: " + " | ".join(result.parts)))
    if result.closest is not None:
        c = result.closest
        console.print(Text(f"closest ({c.similarity:.0%} similar): {c.speaker or '?'}: {c.text!r} [{c.quote_id}]"))
    from quotes.claims import render_diff

    for m in result.matches:
        table = Table("", "", show_header=False, title=f"quote {m.quote_id}")
        first = m.first_printed
        rows = [("speaker", m.speaker or "? (not attributed)"), ("printed", m.text),
                ("similarity", f"{m.similarity:.3f}" + (f" (exact: {m.exact} of the quotation)" if m.exact else "")),
                ("diff", "" if m.exact else render_diff(m.diff)),
                ("first printed", " · ".join(x for x in (first.publisher, first.published, first.title,
                                                          first.article_id) if x)),
                ("articles", str(m.articles))]
        if len(result.parts) > 1:
            rows.insert(0, ("part", str(m.part + 1)))
        for key, value in rows:
            if value:
                table.add_row(Text(key), Text(value))
        console.print(table)


def timeline_cmd(
    query: Annotated[str | None, typer.Argument(help="Only quotations matching this query (as for search).",
                                                show_default=False)] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Only this person's quotations.")] = None,
    by: Annotated[Period, typer.Option("--by", help="The period of a bucket.")] = Period.month,
    index_dir: IndexDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as one JSON object.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV: period, start, count.")] = False,
) -> None:
    """Count quotations per day, week, month or year, each once at its first printing, with a bar chart.

    Example: quotes timeline --speaker Altman --by week
    """
    from quotes.cli import _print_json, _reported
    from quotes.timeline import timeline

    if as_json and as_csv:
        fail("--json and --csv go one at a time: choose one", code=2)
    with _reported():
        result = timeline(query, speaker=speaker, by=by.value, index_dir=index_dir)
    if as_json:
        _print_json(result.to_dict())
        return
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["period", "start", "count"])
        writer.writerows([b.period, b.start, b.count] for b in result.buckets)
        return
    about = " ".join(x for x in (repr(query) if query else None, f"by {speaker}" if speaker else None) if x)
    title = f"{result.total} quotations{' ' + about if about else ''}"
    if result.first:
        title += f", first {result.first}, last {result.last}"
    console = Console()
    table = Table("period", "quotations", "", title=title)
    most = max((b.count for b in result.buckets), default=0)
    for b in result.buckets:
        bar = "█" * round(BAR_WIDTH * b.count / most) if most else ""
        table.add_row(Text(b.period), Text(str(b.count)), Text(bar, style="cyan"))
    if result.buckets:
        console.print(table)
    else:
        console.print(Text(title))
    if result.undated:
        console.print(Text(f"{result.undated} of them in articles that give no date (in no period)"))


def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; only this machine by default.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8765,
    index_dir: IndexDir = None,
) -> None:
    """Serve a read-only web page over the index: search, quotations, speakers, verify. Needs quotes[web].

    Example: quotes serve --port 8765   (then open http://127.0.0.1:8765/)
    """
    from quotes.cli import _reported
    from quotes.paths import resolve_index_dir

    try:
        from quotes.web import create_app
    except ImportError as e:
        fail(f"the web page needs Flask ({e.name} is not installed): pip install 'quotes[web]'")
    with _reported():
        from quotes.search import stats

        stats(index_dir)  # a missing index is one line now, not an error page later
        app = create_app(resolve_index_dir(index_dir))
    typer.echo(f"serving {resolve_index_dir(index_dir)}/ on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    from werkzeug.serving import run_simple

    try:
        run_simple(host, port, app, threaded=True)
    except OSError as e:
        fail(f"cannot listen on {host}:{port} ({e.strerror}): try another --port")


def variants_of(quote_id: str, index_dir: Path | None) -> tuple:
    """The other wordings of a quotation (`quotes show`): quotes.claims.Match records."""
    from quotes.claims import variants

    return variants(quote_id, index_dir=index_dir)


def print_variants(found: tuple) -> None:
    """The variants under `quotes show`'s table: where, how similar, the diff."""
    if not found:
        return
    from quotes.claims import render_diff

    table = Table("id", "speaker", "first printed", "similar", "diff ([-this quotation's-] {+variant's+})",
                  title=f"{len(found)} variant{'' if len(found) == 1 else 's'}: the same quotation in other words")
    for m in found:
        first = " · ".join(x for x in (m.first_printed.publisher, m.first_printed.published) if x)
        table.add_row(Text(m.quote_id[:8]), Text(m.speaker or "?"), Text(first or m.first_printed.article_id),
                      Text(f"{m.similarity:.2f}"), Text(render_diff(m.diff)))
    Console().print(table)
