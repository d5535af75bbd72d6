"""The fact-checker's commands of the `quotes` command line: verify, timeline, serve (#11).

Registered on the app by quotes.cli (`register(app)`); like the rest of the CLI they parse, call one library
function and render. rapidfuzz, the timeline and the web server load only when their command runs.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from quotes import clirender as render
from quotes.clierrors import fail
from quotes.cliformat import MACHINE, one_line, write_line, write_rows
from quotes.paths import INDEX_ENV_VAR

IndexDir = Annotated[str | None, typer.Option(
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
    from quotes.claims import render_diff
    from quotes.cli import _format, _reported

    fmt = _format(as_json, False, False)
    with _reported():
        result = search.verify(claim, speaker, index_dir=index_dir)
    if fmt == "json":
        write_line(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    says = VERDICT_SAYS[result.verdict]
    if result.verdict == "other_speaker":
        names = list(dict.fromkeys(m.speaker or "no one named" for m in result.matches))
        says += f" ({', '.join(names)}, not {speaker})"
    lines = [("verdict", f"{result.verdict}: {says}")]
    if len(result.parts) > 1:
        lines.append(("parts", " | ".join(result.parts)))
    if result.closest is not None:
        c = result.closest
        lines.append(("closest", f"{c.similarity:.0%} similar: {c.speaker or '?'}: {c.text!r} [{c.quote_id}]"))
    if fmt == "plain":
        for key, value in lines:
            write_line(f"{key}: {one_line(value)}")
    else:
        from rich.text import Text  # rich only where a table is drawn (quotes/clirender.py)

        render.draw(*(Text(f"{key}: ", style="bold") + Text(value) for key, value in lines))
    for m in result.matches:
        first = m.first_printed
        rows = [("part", str(m.part + 1) if len(result.parts) > 1 else ""), ("quote", m.quote_id),
                ("speaker", m.speaker or "? (not attributed)"), ("printed", m.text),
                ("similarity", f"{m.similarity:.3f}" + (f" (exact: {m.exact} of the quotation)" if m.exact else "")),
                ("diff", "" if m.exact else render_diff(m.diff)),
                ("first printed", " · ".join(x for x in (first.publisher, first.published, first.title,
                                                          first.article_id) if x)),
                ("articles", str(m.articles))]
        if fmt == "plain":
            for key, value in rows:
                if value:
                    write_line(f"  {key}: {one_line(value)}")
            continue
        table = render.new_table("", "", show_header=False)
        for key, value in rows:
            if value:
                render.add_row(table, key, value)
        render.draw(table)


def timeline_cmd(
    query: Annotated[str | None, typer.Argument(help="Only quotations matching this query (as for search).",
                                                show_default=False)] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Only this person's quotations.")] = None,
    by: Annotated[Period, typer.Option("--by", help="The period of a bucket.")] = Period.month,
    index_dir: IndexDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as one JSON object.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV: period, start, count.")] = False,
    as_tsv: Annotated[bool, typer.Option("--tsv", help="Print tab-separated period, start, count.")] = False,
) -> None:
    """Count quotations per day, week, month or year, each once at its first printing, with a bar chart.

    Example: quotes timeline --speaker Altman --by week
    """
    from quotes.cli import _format, _reported
    from quotes.timeline import timeline

    fmt = _format(as_json, as_csv, as_tsv)
    with _reported():
        result = timeline(query, speaker=speaker, by=by.value, index_dir=index_dir)
    if fmt == "json":
        write_line(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if fmt in MACHINE:
        write_rows([b.to_dict() for b in result.rows()], ("period", "start", "count"), fmt)
        return
    about = " ".join(x for x in (repr(query) if query else None, f"by {speaker}" if speaker else None) if x)
    title = f"{result.total} quotations{' ' + about if about else ''}"
    if result.first:
        title += f", first {result.first}, last {result.last}"
    most = max((b.count for b in result.rows()), default=0)
    bars = [(b, "█" * round(BAR_WIDTH * b.count / most) if most else "") for b in result.rows()]
    if fmt == "plain":
        write_line(title)
        for b, bar in bars:
            write_line(f"{b.period}\t{b.count}\t{bar}")
        return
    from rich.text import Text

    table = render.new_table("period", "quotations", "", title=title)
    for b, bar in bars:
        render.add_row(table, b.period, str(b.count), Text(bar, style="cyan" if b.start else "dim"))
    render.draw(table)


def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; only this machine by default.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8765,
    index_dir: IndexDir = None,
) -> None:
    """Serve a read-only web page over the index: search, quotations, speakers, verify (needs the web extra).

    Example: quotes serve --port 8765   (then open http://127.0.0.1:8765/)
    """
    from quotes.cli import _reported
    from quotes.paths import resolve_index_dir

    with _reported():
        from quotes.search import stats

        stats(index_dir)  # a missing index is one line now, not an error page later
    try:
        from quotes.web import create_app
    except ImportError as e:
        fail(f"the web page needs Flask ({e.name} is not installed): pip install 'quotes[web]'")
    with _reported():
        app = create_app(resolve_index_dir(index_dir))
    _check_free(host, port)
    typer.echo(f"serving {resolve_index_dir(index_dir)}/ on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True)


def _check_free(host: str, port: int) -> None:
    """One line naming the fix where the address cannot be listened on (werkzeug would print several)."""
    try:
        import socket  # only serve needs it: a search imports no network module

        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            probe.bind((host, port))
    except OSError as e:
        fail(f"cannot listen on {host}:{port} ({e.strerror or e}): try another --port, or --host 127.0.0.1")


def variants_of(quote_id: str, index_dir: str | Path | None) -> tuple:
    """The other wordings of a quotation (`quotes show`): quotes.claims.Match records."""
    from quotes.claims import variants

    return variants(quote_id, index_dir=index_dir)


def print_variants(found: tuple, *, plain: bool = False) -> None:
    """The variants under `quotes show`'s table (or lines, for a pipe): where, how similar, the diff."""
    if not found:
        return
    from quotes.claims import render_diff

    rows = []
    for m in found:
        first = " · ".join(x for x in (m.first_printed.publisher, m.first_printed.published) if x)
        rows.append((m.quote_id, m.speaker or "?", first or m.first_printed.article_id, f"{m.similarity:.2f}",
                     render_diff(m.diff)))
    if plain:
        for row in rows:
            write_line("variant: " + " | ".join(one_line(x) for x in row))
        return
    table = render.new_table("id", "speaker", "first printed", "similar", "diff ([-this quotation's-] {+variant's+})",
                  title=f"{len(found)} variant{'' if len(found) == 1 else 's'}: the same quotation in other words")
    for row in rows:
        render.add_row(table, *row)
    render.draw(table)
