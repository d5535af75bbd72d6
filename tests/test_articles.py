"""Reading articles: the seed web page, JSON lines with aliases, bad input reported and skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotes.articles import READERS, ArticleError, normalise_date, parse_text_article, read_articles

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_79b1a7c8b752f4f6.txt"
EXPECTED = json.loads((ROOT / "tests" / "data" / "seed.expected.json").read_text(encoding="utf-8"))


def collect(paths):
    errors: list[tuple[str, str]] = []
    articles = list(read_articles(paths, on_error=lambda where, msg: errors.append((where, msg))))
    return articles, errors


def test_seed_page_headline_byline_body() -> None:
    article = parse_text_article(SEED.read_text(encoding="utf-8"), SEED)
    assert article.title == EXPECTED["title"]
    assert article.author == EXPECTED["author"]
    assert article.publisher is None  # the page never states it; no guessing
    assert article.text.startswith("OpenAI CEO Sam Altman strengthened")
    assert article.text.endswith("stressing the importance of AI infrastructure.")
    for chrome in ("photo by", "Yonhap", "share button", "namhw@", "Top 10 Stories", "CLOSE", "Heads of ChatGPT"):
        assert chrome not in article.text
    for quote in EXPECTED["quotes"]:
        assert quote["begins"] in article.text
    assert all(p.strip() == p and p for p in article.text.split("\n\n"))


def test_seed_through_read_articles() -> None:
    articles, errors = collect([SEED])
    assert errors == []
    assert [(a.id, a.path, a.title) for a in articles] == [(str(SEED), str(SEED), EXPECTED["title"])]


@pytest.mark.parametrize(
    ("raw", "title", "body"),
    [
        (
            'Senate passes the budget bill\n\n"We did it," Sen. Jane Doe said.\n\nThe vote was 52-48.',
            "Senate passes the budget bill",
            '"We did it," Sen. Jane Doe said.\n\nThe vote was 52-48.',
        ),
        ("Only a paragraph. It has two sentences.", None, "Only a paragraph. It has two sentences."),
        (
            "Mayor resigns\nBy Jane Roe\n\nThe mayor quit on Monday.\n\n"
            "The mayor waves on Monday. (AP Photo/John Smith)\n\nShe said “enough.”\n\nJane Roe jroe@example.com",
            "Mayor resigns",
            "The mayor quit on Monday.\n\nShe said “enough.”",
        ),
    ],
)
def test_plain_text_articles(raw: str, title: str | None, body: str) -> None:
    article = parse_text_article(raw, "a.txt")
    assert (article.title, article.text) == (title, body)


def test_jsonl_with_aliases(tmp_path: Path, caplog) -> None:
    lines = [
        {"id": "a1", "text": "One.", "source": "The Times", "date": "September 12, 2016", "author": "A. B."},
        {"url": "https://x.example/2", "text": "Two.", "publication_date": "2016-09-13T10:00:00Z"},
        {"text": "Three.", "publisher": "Post", "published": "someday"},
    ]
    file = tmp_path / "feed.jsonl"
    file.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    articles, errors = collect([file])
    assert errors == []
    assert [(a.id, a.publisher, a.published, a.path) for a in articles] == [
        ("a1", "The Times", "2016-09-12", f"{file}:1"),
        ("https://x.example/2", None, "2016-09-13", f"{file}:2"),
        (f"{file}:3", "Post", None, f"{file}:3"),
    ]
    assert articles[0].author == "A. B."
    assert f"{file}:3: published date 'someday' not understood" in caplog.text


def test_malformed_line_reported_with_number_others_read(tmp_path: Path) -> None:
    file = tmp_path / "bad.json"
    file.write_text('{"text": "One."}\n{"text": "Two.\n\n{"title": "no text"}\n{"text": "Four."}\n', encoding="utf-8")
    articles, errors = collect([file])
    assert [a.text for a in articles] == ["One.", "Four."]
    assert [where for where, _ in errors] == [f"{file}:2", f"{file}:4"]
    assert "malformed JSON" in errors[0][1]
    assert '"text"' in errors[1][1]


def test_a_json_file_of_one_object_over_several_lines_is_one_article(tmp_path: Path) -> None:
    good, bad = tmp_path / "one.json", tmp_path / "broken.json"
    good.write_text(json.dumps({"id": "p1", "text": "One.", "published": "2016-10-01"}, indent=2), encoding="utf-8")
    bad.write_text('{\n  "id": "p2",\n  "text": "Two."\n  "title": "x"\n}\n', encoding="utf-8")
    articles, errors = collect([good, bad])
    assert [(a.id, a.text, a.published, a.path) for a in articles] == [("p1", "One.", "2016-10-01", f"{good}:1")]
    assert [where for where, _ in errors] == [f"{bad}:4"]  # one error for the file, at its line
    assert "malformed JSON" in errors[0][1]


@pytest.mark.parametrize("line, says", [
    ({"id": "n", "text": 42},
     '"text" must be a string, not a number (42); put the article\'s body under "text" as a string'),
    ({"id": "l", "text": ["One.", "Two."]},
     '"text" must be a string, not an array; put the article\'s body under "text" as a string'),
    ({"id": "z", "text": None}, '"text" must be a string, not null; put the article\'s body under "text" as a string'),
    ({"id": "e", "text": "  "}, '"text" is empty; put the article\'s body under "text"'),
    ({"id": "t", "title": "x"}, 'no "text"; give each article its body under the key "text"'),
    ({"articles": [{"text": "One."}, {"text": "Two."}]},
     'an object holding articles under "articles", not an article: write each article as its own object with '
     'its body under "text" (one a line, or a .json array of them)'),
])
def test_a_json_article_without_usable_text_says_what_is_wrong_and_the_shape_expected(tmp_path: Path, line,
                                                                                       says) -> None:
    file = tmp_path / "a.jsonl"
    file.write_text(json.dumps({"text": "Fine."}) + "\n" + json.dumps(line) + "\n", encoding="utf-8")
    articles, errors = collect([file])
    assert [a.text for a in articles] == ["Fine."]
    assert errors == [(f"{file}:2", says)]


def test_a_json_file_wrapping_its_articles_says_the_shape_expected(tmp_path: Path) -> None:
    file = tmp_path / "export.json"
    file.write_text(json.dumps({"articles": [{"text": "One."}]}, indent=2), encoding="utf-8")
    articles, errors = collect([file])
    assert articles == []
    assert [(where, msg.split(":")[0]) for where, msg in errors] == [
        (f"{file}:1", 'an object holding articles under "articles", not an article')]


def test_undecodable_bytes_fall_back_to_cp1252(tmp_path: Path, caplog) -> None:
    file = tmp_path / "old.txt"
    file.write_bytes("Caf\xe9 owners say \x93no\x94 to the plan. It failed.".encode("latin-1"))
    articles, errors = collect([file])
    assert errors == []
    assert articles[0].text == "Café owners say “no” to the plan. It failed."
    assert "cp1252" in caplog.text


def test_empty_file_reported(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    articles, errors = collect([tmp_path / "empty.txt"])
    assert articles == []
    assert errors and errors[0][0] == str(tmp_path / "empty.txt") and "empty" in errors[0][1]


def test_folder_recursion_sorted_hidden_and_unknown_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second article text here.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article text here.", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".secret.txt").write_text("Hidden too.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("Not an article.", encoding="utf-8")
    articles, errors = collect([tmp_path])
    assert errors == []
    assert [Path(a.path).relative_to(tmp_path).as_posix() for a in articles] == ["a.txt", "b/two.txt"]


def test_symlinks_are_read_once_by_their_target_and_broken_ones_reported(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "one.txt").write_text('"We go," Ann Lee said on Monday.', encoding="utf-8")
    (tmp_path / "news" / "again").symlink_to(tmp_path / "news")  # a loop: news/again/again/...
    (tmp_path / "alias.txt").symlink_to(tmp_path / "news" / "one.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "notes.md").symlink_to(tmp_path / "nowhere.md")  # not an article: ignored as notes.md would be
    articles, errors = collect([tmp_path])
    assert [a.path for a in articles] == [str(tmp_path / "news" / "one.txt")]
    assert [where for where, _ in errors] == [str(tmp_path / "gone.txt")]
    assert "broken symbolic link" in errors[0][1]


def test_a_folder_that_cannot_be_listed_is_reported_and_the_rest_read(tmp_path: Path, unlistable) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text(f'"Yes," {name.upper()}nn Lee said on Monday.', encoding="utf-8")
    unlistable("b")
    articles, errors = collect([tmp_path])
    assert [Path(a.path).parent.name for a in articles] == ["a", "c"]
    assert errors == [(str(tmp_path / "b"), "cannot list the folder (Permission denied); check its permissions")]


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file or folder"):
        list(read_articles([tmp_path / "nope.jsonl"]))


def test_reader_table_is_by_suffix() -> None:
    assert set(READERS) == {".txt", ".html", ".htm", ".jsonl", ".json", ".xml", ".rss", ".atom"}


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2016-09-12", "2016-09-12"),
        ("Sept. 12, 2016", "2016-09-12"),
        ("12 September 2016", "2016-09-12"),
        ("Mon, 12 Sep 2016 10:00:00 GMT", "2016-09-12"),
        ("09/12/2016", "2016-09-12"),
        ("2016", "2016"),
        ("2016-10", "2016-10"),
        ("not a date", None),  # kept, it would pass `--since` ("n" > "2") and sort first by date
        ("13/45/2016", None),
        ("2016-13", None),
        (None, None),
    ],
)
def test_normalise_date(value: str | None, iso: str | None) -> None:
    assert normalise_date(value) == iso


# -- HTML pages, feeds, stdin and bad input (#5) ----------------------------------------------------------

PAGE = """<html><head><title>Mayor quits | The Daily Planet</title>
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="The Daily Planet">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Mayor quits after vote</h1>
<p>The mayor of Springfield resigned on Monday after a long council meeting that ran late into the night.</p>
<p>"I have done what I came to do," Mayor John Smith said in a statement to reporters outside city hall.</p>
<p>Council members said they were surprised by the announcement, which came without warning.</p></article>
<footer>Share on Facebook. Copyright 2024 The Daily Planet.</footer></body></html>"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>The Daily Planet</title><link>https://planet.example/</link>
<item><title>Mayor quits</title><link>https://planet.example/mayor</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The mayor resigned.</p>
<p>&ldquo;I am done,&rdquo; <b>John Smith</b> said.</p>]]></content:encoded>
</item>
<item><title>Rates rise</title><link>https://planet.example/rates</link>
<pubDate>Wed, 06 Mar 2024 08:00:00 GMT</pubDate><description>"Prices will go up," Ann Lee said.</description></item>
<item><title>Photo only</title><link>https://planet.example/photo</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>Bridge opens</title><link href="https://wire.example/bridge"/><id>urn:wire:1</id>
<updated>2024-04-01T12:00:00Z</updated><author><name>Bo Park</name></author>
<summary type="html">&lt;p&gt;"It is open," the engineer said.&lt;/p&gt;</summary></entry></feed>"""


def test_html_page_text_and_metadata(tmp_path: Path) -> None:
    file = tmp_path / "mayor.html"
    file.write_text(PAGE, encoding="utf-8")
    (article,), errors = collect([file])
    assert errors == []
    assert (article.title, article.author, article.publisher, article.published) == (
        "Mayor quits after vote", "Jane Roe", "The Daily Planet", "2024-03-05")
    assert article.text.split("\n\n") == [
        "The mayor of Springfield resigned on Monday after a long council meeting that ran late into the night.",
        '"I have done what I came to do," Mayor John Smith said in a statement to reporters outside city hall.',
        "Council members said they were surprised by the announcement, which came without warning."]
    assert article.id == article.path == str(file) and article.url is None


def test_html_page_without_article_text_is_reported(tmp_path: Path) -> None:
    file = tmp_path / "front.htm"
    file.write_text("<html><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav></body></html>",
                    encoding="utf-8")
    articles, errors = collect([file])
    assert articles == [] and errors[0][0] == str(file) and "no article text" in errors[0][1]


def test_rss_feed_entries_are_articles(tmp_path: Path) -> None:
    file = tmp_path / "planet.rss"
    file.write_text(RSS, encoding="utf-8")
    articles, errors = collect([file])
    assert [(a.id, a.url, a.title, a.published, a.publisher, a.path) for a in articles] == [
        ("https://planet.example/mayor", "https://planet.example/mayor", "Mayor quits", "2024-03-05",
         "The Daily Planet", f"{file}:1"),
        ("https://planet.example/rates", "https://planet.example/rates", "Rates rise", "2024-03-06",
         "The Daily Planet", f"{file}:2"),
    ]
    assert articles[0].text == "The mayor resigned.\n\n“I am done,” John Smith said."
    assert articles[1].text == '"Prices will go up," Ann Lee said.'
    assert errors == [(f"{file}:3", "feed entry without content or summary text; skipped")]


def test_atom_feed_entry(tmp_path: Path) -> None:
    file = tmp_path / "wire.atom"
    file.write_text(ATOM, encoding="utf-8")
    (article,), errors = collect([file])
    assert errors == []
    assert (article.id, article.author, article.published, article.publisher, article.text) == (
        "https://wire.example/bridge", "Bo Park", "2024-04-01", "Wire", '"It is open," the engineer said.')


def test_xml_that_is_no_feed_is_reported(tmp_path: Path) -> None:
    file = tmp_path / "sitemap.xml"
    file.write_text('<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>',
                    encoding="utf-8")
    articles, errors = collect([file])
    assert articles == [] and errors[0][0] == str(file) and "no feed entries" in errors[0][1]


def test_stdin_json_lines(monkeypatch) -> None:
    import io
    import sys

    lines = b'{"id": "s1", "text": "One."}\nnot json\n{"url": "https://x.example/2", "text": "Two."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    articles, errors = collect(["-"])
    assert [(a.id, a.path) for a in articles] == [("s1", "<stdin>:1"), ("https://x.example/2", "<stdin>:3")]
    assert [where for where, _ in errors] == ["<stdin>:2"]


def test_binary_file_is_reported(tmp_path: Path) -> None:
    file = tmp_path / "photo.txt"
    file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    articles, errors = collect([file])
    assert articles == [] and errors[0][0] == str(file) and "binary" in errors[0][1]


def test_bytes_cp1252_cannot_read_fall_back_to_latin1(tmp_path: Path, caplog) -> None:
    file = tmp_path / "odd.txt"
    file.write_bytes(b"Caf\xe9 owners\x81 say no to the plan. It failed.")  # 0x81 is undefined in cp1252
    (article,), errors = collect([file])
    assert errors == [] and article.text == "Café owners\x81 say no to the plan. It failed."
    assert "Latin-1" in caplog.text


def test_oversized_article_is_skipped_and_reported(tmp_path: Path, monkeypatch) -> None:
    import quotes.articles

    monkeypatch.setattr(quotes.articles, "MAX_ARTICLE_CHARS", 50)
    file = tmp_path / "two.jsonl"
    file.write_text(json.dumps({"id": "long", "text": "word " * 20}) + "\n"
                    + json.dumps({"id": "short", "text": "Short."}) + "\n", encoding="utf-8")
    articles, errors = collect([file])
    assert [a.id for a in articles] == ["short"]
    assert errors[0][0] == f"{file}:1" and "100 characters is longer than the cap of 50" in errors[0][1]


def test_an_unknown_kind_of_file_named_explicitly_is_reported(tmp_path: Path) -> None:
    file = tmp_path / "notes.md"
    file.write_text("Notes.", encoding="utf-8")
    articles, errors = collect([file])
    assert articles == [] and "no reader for .md" in errors[0][1]


def test_one_file_by_any_path_is_one_article(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "x.txt").write_text("An article. It has text.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ids = {a.id for given in ("seeds/x.txt", "./seeds/x.txt", str(tmp_path / "seeds" / "x.txt"), "seeds")
           for a in collect([given])[0]}
    assert ids == {str(tmp_path / "seeds" / "x.txt")}
