"""Web pages and feeds: saved HTML pages (trafilatura) and RSS/Atom feed entries (feedparser) as `Article`s.

    parse_html(html, path) -> Article | None
    parse_feed(raw_bytes, path, on_error) -> Iterator[Article]

Reading the file (size, binary and encoding checks) is quotes.articles' job; this module only turns a
page's markup into an article. trafilatura and feedparser are imported on first use: they take a moment to
import and most runs read no HTML.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from html import unescape
from html.parser import HTMLParser
from typing import Any

from quotes.model import Article

log = logging.getLogger(__name__)

# A page whose main text has fewer words is a front page, a gallery or a menu, not an article.
MIN_PAGE_WORDS = 12
# Some sites ship the article's body only in their JSON-LD (`"articleBody"`) and show a teaser: where
# trafilatura's text has fewer words than this share of that body, the body is the article.
JSONLD_BODY_SHARE = 0.6
_JSONLD = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.S | re.I)
_ISO_DATE = re.compile(r"\d{4}-\d\d(-\d\d)?")


def parse_html(html: str, path: str) -> Article | None:
    """The article of a saved web page: main text, title, author, date, site name (as publisher), url.

    trafilatura finds the text, unless the page's JSON-LD `articleBody` is much longer (JSONLD_BODY_SHARE):
    then that body is the text, with the JSON-LD headline, author and date. None where neither holds
    MIN_PAGE_WORDS words or more.
    """
    import trafilatura

    doc: Any = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    text, title = "", None
    if doc is not None and doc.text:
        title = doc.title or None
        paragraphs = _paragraphs(doc.text.split("\n"))
        if paragraphs and title and paragraphs[0] == " ".join(title.split()):
            paragraphs = paragraphs[1:]  # trafilatura repeats the headline as the text's first line
        text = "\n\n".join(paragraphs)
    ld = jsonld_article(html)
    if ld is not None and (len(text.split()) < JSONLD_BODY_SHARE * len(ld.text.split()) or _flattened(text, ld.text)):
        text = ld.text
        author, published = ld.author, ld.published
        title = ld.title or title
        publisher = ld.publisher or (doc.sitename if doc is not None else None) or None
        url = ld.url or (doc.url if doc is not None else None) or None
    elif doc is None:
        return None
    else:
        author, published, publisher, url = doc.author, doc.date, doc.sitename, doc.url
    if len(text.split()) < MIN_PAGE_WORDS:
        return None
    return Article(id=url or path, text=text, title=title, author=author or None, publisher=publisher or None,
                   published=published or None, url=url or None, path=path)


def _flattened(text: str, body: str) -> bool:
    """trafilatura gives the JSON-LD body itself, its paragraphs run together: take the body."""
    return "\n" not in text and "\n" in body and text.split() == body.split()


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs = (" ".join(line.split()) for line in lines)
    return [p for p in paragraphs if p]


def jsonld_article(html: str) -> Article | None:
    """The article a page's JSON-LD describes (`articleBody`, `headline`, `author`, `datePublished`,
    `publisher`, `url`), or None where no script holds an article body. Scripts that are not JSON are
    passed over."""
    for script in _JSONLD.finditer(html):
        try:
            data = json.loads(script.group(1).strip(), strict=False)
        except ValueError:
            continue
        for item in _items(data):
            body = item.get("articleBody")
            if isinstance(body, str) and body.strip():
                text = html_to_text(body) if "<" in body else "\n\n".join(_paragraphs(unescape(body).split("\n")))
                date = _ISO_DATE.match(str(item.get("datePublished") or ""))
                return Article(id="", text=text, title=_name(item.get("headline")), author=_name(item.get("author")),
                               publisher=_name(item.get("publisher")), published=date.group(0) if date else None,
                               url=item.get("url") if isinstance(item.get("url"), str) else None)
    return None


def _items(data: Any) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document: itself, the members of a list or of its `@graph`."""
    if isinstance(data, list):
        for member in data:
            yield from _items(member)
    elif isinstance(data, dict):
        yield data
        yield from _items(data.get("@graph"))


def _name(value: Any) -> str | None:
    """A JSON-LD name: a string, an object's `name`, or the names of a list joined ("A and B")."""
    if isinstance(value, str):
        return " ".join(unescape(value).split()) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return " and ".join(names) or None
    return None


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
