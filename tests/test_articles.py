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


def test_jsonl_with_aliases(tmp_path: Path) -> None:
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
        (f"{file}:3", "Post", "someday", f"{file}:3"),
    ]
    assert articles[0].author == "A. B."


def test_malformed_line_reported_with_number_others_read(tmp_path: Path) -> None:
    file = tmp_path / "bad.json"
    file.write_text('{"text": "One."}\n{"text": "Two.\n\n{"title": "no text"}\n{"text": "Four."}\n', encoding="utf-8")
    articles, errors = collect([file])
    assert [a.text for a in articles] == ["One.", "Four."]
    assert [where for where, _ in errors] == [f"{file}:2", f"{file}:4"]
    assert "malformed JSON" in errors[0][1]
    assert '"text"' in errors[1][1]


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


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file or folder"):
        list(read_articles([tmp_path / "nope.jsonl"]))


def test_reader_table_is_by_suffix() -> None:
    assert {".txt", ".jsonl", ".json"} <= set(READERS)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2016-09-12", "2016-09-12"),
        ("Sept. 12, 2016", "2016-09-12"),
        ("12 September 2016", "2016-09-12"),
        ("Mon, 12 Sep 2016 10:00:00 GMT", "2016-09-12"),
        ("09/12/2016", "2016-09-12"),
        ("not a date", "not a date"),
        (None, None),
    ],
)
def test_normalise_date(value: str | None, iso: str | None) -> None:
    assert normalise_date(value) == iso
