"""`quotes serve`: a local, read-only web page over an index: search, a quotation, a speaker, verify (#11).

An optional extra (`pip install 'quotes[web]'`): Flask is imported here only, and nothing in the core
imports this package. Every page is a GET that reads the index through quotes.search; every string from an
article reaches the page through Jinja's autoescaping or `markupsafe.escape` (quotes/web/marks.py), so an
article holding `<script>` shows it as text. The stylesheet ships in the package and the timeline chart is
SVG drawn on the server: a page loads nothing from the network.
"""

from __future__ import annotations

from quotes.web.app import create_app

__all__ = ["create_app"]
