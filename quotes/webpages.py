"""Web pages and feeds: saved HTML pages (trafilatura) and RSS/Atom feed entries (feedparser) as `Article`s.

    parse_html(html, path) -> Article | None
    parse_feed(raw_bytes, path, on_error) -> Iterator[Article]

Reading the file (size, binary and encoding checks) is quotes.articles' job; this module only turns a
page's markup into an article. trafilatura and feedparser are imported on first use: they take a moment to
import and most runs read no HTML.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from html import unescape
from html.parser import HTMLParser
from typing import Any

from quotes.model import Article

log = logging.getLogger(__name__)

# A page whose main text has fewer words is a front page, a gallery or a menu, not an article.
MIN_PAGE_WORDS = 12


def parse_html(html: str, path: str) -> Article | None:
    """The article of a saved web page: main text, title, author, date, site name (as publisher), url.

    None where trafilatura finds no main text of MIN_PAGE_WORDS words or more.
    """
    import trafilatura

    doc: Any = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    if doc is None or not doc.text:
        return None
    paragraphs = [" ".join(line.split()) for line in doc.text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and doc.title and paragraphs[0] == " ".join(doc.title.split()):
        paragraphs = paragraphs[1:]  # trafilatura repeats the headline as the text's first line
    text = "\n\n".join(paragraphs)
    if len(text.split()) < MIN_PAGE_WORDS:
        return None
    url = doc.url or None
    return Article(id=url or path, text=text, title=doc.title or None, author=doc.author or None,
                   publisher=doc.sitename or None, published=doc.date or None, url=url, path=path)


def parse_feed(raw: bytes, path: str, report: Callable[[str, str], None]) -> Iterator[Article]:
    """One article per entry of an RSS or Atom feed: its link, title, date, author and text.

    The text is the entry's content, else its summary, with the HTML markup removed. The feed's own title
    is each article's publisher. An entry without text is reported as `path:N` and skipped.
    """
    import feedparser

    feed = feedparser.parse(raw)
    if not feed.entries:
        why = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        report(path, f"no feed entries{why}; is it an RSS or Atom feed?")
        return
    publisher = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, 1):
        where = f"{path}:{number}"
        text = html_to_text(_entry_html(entry))
        if not text:
            report(where, "feed entry without content or summary text; skipped")
            continue
        link = entry.get("link") or None
        yield Article(id=link or entry.get("id") or where, text=text, title=entry.get("title") or None,
                      author=entry.get("author") or None, publisher=publisher,
                      published=_entry_date(entry), url=link, path=where)


def _entry_html(entry: Any) -> str:
    """The richest text an entry carries: its full content, else its summary."""
    for content in entry.get("content") or []:
        if content.get("value", "").strip():
            return str(content["value"])
    return str(entry.get("summary") or entry.get("description") or "")


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%d", parsed)
    return None


# Tags that end a paragraph: their text becomes a paragraph of its own (blank-line separated).
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
               "article", "header", "footer", "ul", "ol", "table", "figure", "figcaption", "hr"}
_SKIP_TAGS = {"script", "style", "noscript", "template"}


class _TextParser(HTMLParser):
    """Collects the text of an HTML fragment, one paragraph per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.paragraphs[-1].append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, paragraphs joined by blank lines."""
    if "<" not in html:
        return "\n\n".join(" ".join(unescape(p).split()) for p in html.split("\n\n") if p.strip())
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    paragraphs = (" ".join("".join(parts).split()) for parts in parser.paragraphs)
    return "\n\n".join(p for p in paragraphs if p)
