"""Saved web pages: the JSON-LD article body where trafilatura finds only a teaser."""

import json
from pathlib import Path

import pytest

import quotes
from quotes.articles import read_file
from quotes.webpages import jsonld_article, parse_html

DATA = Path(__file__).resolve().parent / "data" / "pages"

BODY = ("The council voted on Tuesday to rebuild the old harbour wall before the storms.\n"
        "‘We cannot wait another year,’ said Mayor Jane Roe, who has pushed for the repairs since 2019.")


def page(ld, visible="<p>Subscribe to read the rest of this story about the harbour wall and the council.</p>"):
    scripts = "".join(f'<script type="application/ld+json">{s}</script>' for s in ld)
    return (f"<html><head><title>Harbour</title>{scripts}</head><body><article><h1>Harbour</h1>{visible}"
            "</article></body></html>")


def test_a_teaser_page_reads_the_json_ld_body_with_its_metadata():
    [article] = list(read_file(DATA / "jsonld_teaser.html"))
    assert article.title == "Harbour wall to be rebuilt before winter"
    assert (article.author, article.publisher, article.published) == ("Siobhan O'Neill", "The Coastal Gazette",
                                                                        "2021-10-04")
    assert article.url == article.id == "https://gazette.example/harbour-wall"
    assert "Subscribe" not in article.text and len(article.text.split("\n\n")) == 8
    speakers = [(q.text, q.speaker) for q in quotes.extract(article.text)]
    assert ("We cannot wait another year", "Jane Roe") in speakers
    assert ("It is the biggest job this town has seen in a generation", "Mary Walsh") in speakers


@pytest.mark.parametrize("ld, author", [
    ({"@type": "NewsArticle", "articleBody": BODY, "author": "Ann Lee"}, "Ann Lee"),
    ([{"@type": "WebSite"}, {"@type": "Article", "articleBody": BODY, "author": {"name": "Ann Lee"}}], "Ann Lee"),
    ({"@graph": [{"@type": "NewsArticle", "articleBody": BODY,
                  "author": [{"name": "Ann Lee"}, {"name": "Bo Yu"}]}]}, "Ann Lee and Bo Yu"),
    ({"@type": "NewsArticle", "articleBody": "<p>" + BODY.replace("\n", "</p><p>") + "</p>"}, None),
])
def test_json_ld_shapes(ld, author):
    article = jsonld_article(page([json.dumps(ld)]))
    assert article is not None and article.author == author
    assert article.text.split("\n\n")[1].startswith("‘We cannot wait another year,’")


@pytest.mark.parametrize("ld", [
    "{ not json",                                              # a script that is not JSON is passed over
    json.dumps({"@type": "WebSite", "name": "The Gazette"}),   # no article body
    json.dumps({"@type": "NewsArticle", "articleBody": "  "}),
])
def test_no_json_ld_body(ld):
    assert jsonld_article(page([ld])) is None


def test_a_full_page_keeps_trafilatura_text_over_a_short_json_ld_summary():
    visible = "".join(f"<p>Paragraph {n}: the council met again about the harbour wall and its repairs.</p>"
                      for n in range(8))
    ld = json.dumps({"@type": "NewsArticle", "articleBody": "A short summary of the harbour story."})
    article = parse_html(page([ld], visible), "x.html")
    assert article is not None and article.text.startswith("Paragraph 0") and "summary" not in article.text


def test_a_page_with_no_visible_text_reads_its_json_ld_body():
    ld = json.dumps({"@type": "NewsArticle", "headline": "Harbour", "articleBody": BODY, "datePublished": "2021-10"})
    article = parse_html(f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
                         '<div id="app"></div></body></html>', "app.html")
    assert article is not None and article.text == BODY.replace("\n", "\n\n")
    assert (article.title, article.published, article.id) == ("Harbour", "2021-10", "app.html")
