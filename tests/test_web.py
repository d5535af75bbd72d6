"""`quotes serve`'s pages through Flask's test client on a real index (tests/data/workbench_articles.jsonl:
see tests/test_workbench.py). Skipped where the `web` extra (Flask) is not installed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes.cli import app

flask = pytest.importorskip("flask", reason="the web page needs the extra: pip install -e '.[web]'")

from quotes.web import create_app  # noqa: E402

ARTICLES = Path(__file__).parent / "data" / "workbench_articles.jsonl"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "ix"
    result = CliRunner().invoke(app, ["index", str(ARTICLES), "--index-dir", str(path)])
    assert result.exit_code == 0, result.output
    return create_app(path).test_client()


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.text


def quote_ids(html: str) -> list[str]:
    return re.findall(r'href="/quote/([0-9a-f]+)"', html)


def test_search_marks_words_and_shows_speaker_outlet_date_confidence(client):
    html = page(client, "/?q=bridge")
    assert "2 quotations" in html
    assert "<mark>bridge</mark>" in html
    assert ">Jane Holt</a>" in html and "Harbor Gazette (+1 more)" in html and "2016-09-05" in html
    assert "confidence 0.9" in html


@pytest.mark.parametrize(("url", "has", "lacks"), [
    ("/?q=budget&speaker=Reyes", "We balanced", "bridge"),
    ("/?q=budget&speaker=Holt", "0 quotations", "We balanced"),
    ("/?q=*&publisher=Valley+Times", "We balanced", "Coast Herald"),
    ("/?q=budget&since=2017", "We balanced", "cannot carry"),
    ("/?q=budget&until=2016-12", "cannot carry", "We balanced"),
    ("/?q=budget+OR+bridge&sort=date", "We balanced", "did you mean"),
    ("/?q=brige", "showing those for “bridge”", "We balanced"),
    ("/?q=bridge+OR+budgett", "did you mean", "We balanced"),
])
def test_search_filters_and_sort(client, url, has, lacks):
    html = page(client, url)
    assert has in html and lacks not in html


def test_results_come_in_pages(client, tmp_path_factory):
    small = create_app(client.application.config["INDEX_DIR"], page_size=3).test_client()
    first = page(small, "/?publisher=Harbor")
    assert "4 quotations, page 1 of 2" in first and len(quote_ids(first)) == 3
    following = re.search(r'rel="next" id="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = page(small, following)
    assert "page 2 of 2" in second and len(quote_ids(second)) == 1 and 'rel="prev"' in second
    assert not set(quote_ids(first)) & set(quote_ids(second))


def test_every_string_from_an_article_is_escaped(client):
    html = page(client, "/?q=teach")
    assert "<script>" not in html and "&lt;script&gt;alert(" in html
    shown = page(client, f"/quote/{quote_ids(html)[0]}")
    assert "<script>" not in shown and "&lt;script&gt;alert(" in shown
    assert "<b>first</b>" not in shown and "&lt;b&gt;first&lt;/b&gt;" in shown  # the article's title
    verified = page(client, "/verify?claim=%3Cscript%3Ealert('owned')%3C/script%3E+is+not+what+we+teach+here")
    assert "<script>" not in verified and 'id="verdict">exact' in verified


def test_a_quotation_page_has_its_paragraph_rule_printings_and_variants(client):
    ids = quote_ids(page(client, "/?q=rebuild"))
    html = page(client, f"/quote/{ids[0]}")
    assert '<mark class="quote">We will rebuild every bridge' in html
    assert '<u class="mention">Holt</u>' in html
    assert "rule <code>cue_after</code>" in html
    assert "Printed in 2 articles" in html and "Valley Times" in html
    assert "We will repair every bridge" in html and "<del" in html and "<ins" in html  # the variant's diff


def test_a_speaker_page_has_forms_counts_chart_and_latest(client):
    html = page(client, "/speaker/Jane%20Holt")
    assert 'id="speaker-name">Jane Holt<' in html and "4 quotations" in html
    assert "Holt" in html.split("Also named:")[1]
    assert html.count("<rect") == 3 and "<title>2016-09: 2</title>" in html  # one bar a month
    assert html.index("Our schools") < html.index("Nobody should pay")  # latest first
    weekly = page(client, "/speaker/Holt?by=week")
    assert weekly.count("<rect") == 11


def test_verify_page_gives_verdict_and_diff(client):
    html = page(client, "/verify?claim=We+will+rebuild+each+bridge+in+this+state+before+the+winter&speaker=Holt")
    assert 'id="verdict">close' in html
    assert '<del title="only in the claim">each</del>' in html and "Harbor Gazette" in html
    other = page(client, "/verify?claim=We+balanced+the+budget+without+cutting+a+single+teacher&speaker=Holt")
    assert "said by Tom Reyes, not Holt" in other


@pytest.mark.parametrize(("url", "status", "says"), [
    ("/quote/ffffffffffff", 404, "no quote with id"),
    ("/speaker/Nobody%20Atall", 404, "no quotations of"),
    ("/?q=%22unclosed", 400, ""),
    ("/?q=bridge&page=x", 400, "not a page number"),
    ("/speaker/Holt?by=decade", 400, "unknown period"),
    ("/verify?claim=hi", 400, "fewer than 3 words"),
    ("/nothing-here", 404, "Not Found"),
])
def test_bad_requests_get_a_page_that_says_why(client, url, status, says):
    assert says in page(client, url, status)


def test_it_is_read_only_and_loads_nothing_from_the_network(client):
    assert client.post("/?q=bridge").status_code == 405
    html = page(client, "/?q=bridge")
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "default-src 'self'" in client.get("/").headers["Content-Security-Policy"]
    assert client.get("/static/style.css").status_code == 200


def test_the_core_does_not_import_flask():
    code = ("import sys, quotes, quotes.cli, quotes.search, quotes.claims, quotes.timeline; "
            "print('flask' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
