"""The Flask application of `quotes serve`: one GET view per page, each calling quotes.search and rendering."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from quotes import search
from quotes.model import QuotesError
from quotes.store import Catalog, QuoteNotFoundError, first_printed, speaker_key
from quotes.timeline import PERIODS, tally
from quotes.web import marks

PAGE_SIZE = 20  # hits per search page
LATEST = 15  # a speaker page's latest quotations
FILTERS = ("speaker", "publisher", "since", "until", "kind")


def create_app(index_dir: str | Path, *, page_size: int = PAGE_SIZE) -> Flask:
    """The web page over the index in `index_dir` (read-only: every route is a GET), `page_size` hits a page."""
    app = Flask(__name__)
    app.config["INDEX_DIR"] = Path(index_dir)
    app.jinja_env.globals.update(marks=marks, kinds=search.KINDS, sorts=search.SORTS, periods=PERIODS)

    @app.before_request
    def _started() -> None:
        request.environ["quotes.began"] = time.perf_counter()

    @app.after_request
    def _timed(response: Any) -> Any:  # how long the page took, for the benchmark and the curious
        began = request.environ.get("quotes.began")
        if began is not None:
            response.headers["Server-Timing"] = f"page;dur={(time.perf_counter() - began) * 1000:.1f}"
        response.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; img-src 'self' data:"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.errorhandler(QuotesError)
    def _library_error(e: QuotesError) -> tuple[str, int]:
        status = 404 if isinstance(e, QuoteNotFoundError) else 400
        return render_template("error.html", message=str(e)), status

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException) -> tuple[str, int]:
        return render_template("error.html", message=f"{e.code} {e.name}: {e.description}"), e.code or 500

    @app.get("/")
    def search_page() -> str:
        args = {k: (request.args.get(k) or "").strip() for k in ("q", "sort", *FILTERS)}
        page = _int(request.args.get("page"), 1)
        filters: dict[str, Any] = {k: args[k] or None for k in FILTERS}
        results = None
        if args["q"] or any(filters.values()):
            results = search.find(args["q"] or "*", index_dir=_dir(), sort=args["sort"] or "relevance",
                                  limit=page_size, page=page, **filters)
        pages = {}
        if results is not None:
            kept: dict[str, Any] = {k: v for k, v in args.items() if v}
            pages = {n: url_for("search_page", **kept, page=n) for n in (page - 1, page + 1)
                     if 1 <= n <= results.pages}
        return render_template("search.html", args=args, results=results, pages=pages)

    @app.get("/quote/<quote_id>")
    def quote_page(quote_id: str) -> str:
        shown = search.show(quote_id, index_dir=_dir())
        from quotes.claims import variants

        q = shown.record.quote
        marked = None
        if shown.paragraph is not None:
            offset = q.start - shown.quote_start
            mention = (q.speaker_start - offset, q.speaker_end - offset) \
                if q.speaker_start is not None and q.speaker_end is not None else None
            marked = marks.paragraph(shown.paragraph, (shown.quote_start, shown.quote_start + len(q.text)), mention)
        return render_template("quote.html", shown=shown, q=q, paragraph=marked,
                               variants=variants(shown.record.id, index_dir=_dir()))

    @app.get("/speaker/<path:name>")
    def speaker_page(name: str) -> str:
        by = request.args.get("by") or "month"
        if by not in PERIODS:
            abort(400, f"unknown period {by!r}: use one of {', '.join(PERIODS)}")
        # From the catalog alone: a speaker's counts, dates and latest quotations are indexed columns there,
        # where a search for everything one person said would score every quotation of theirs.
        with Catalog(_dir()) as catalog:
            keys = catalog.speaker_keys(name)
            # a name that is several people's ("Clinton": Hillary and Bill) is counted per person; one
            # person's count is the timeline's total, below
            sizes = {k: len(catalog.first_printings([k])) if len(keys) > 1 else 0 for k in keys}
            counts = sorted(catalog.speaker_counts(sizes), key=lambda c: -c.count)
            if not counts:
                abort(404, f"no quotations of {name!r} in the index: search for the name")
            # The person named, where the index knows the name as written; the others it may mean are links.
            who = next((c for c in counts if c.speaker.casefold() == name.casefold()), counts[0])
            rows = catalog.speaker_quotations([speaker_key(who.speaker) or ""])  # read once, for both below
            latest = catalog.latest_quotes(rows, LATEST)
        line = tally(first_printed(rows), by, speaker=who.speaker)
        return render_template("speaker.html", name=who.speaker, who=who, others=[c for c in counts if c is not who],
                               timeline=line, latest=latest)

    @app.get("/verify")
    def verify_page() -> str:
        claim = (request.args.get("claim") or "").strip()
        speaker = (request.args.get("speaker") or "").strip() or None
        result = search.verify(claim, speaker, index_dir=_dir()) if claim else None
        return render_template("verify.html", claim=claim, speaker=speaker or "", result=result)

    return app


def _dir() -> Path:
    from flask import current_app

    return Path(current_app.config["INDEX_DIR"])


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, int(value)) if value else default
    except ValueError:
        abort(400, f"not a page number: {value!r}")
