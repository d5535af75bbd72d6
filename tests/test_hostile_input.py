"""Hostile input (#13): every input is indexed, or reported and skipped with the run going on; extraction
has a time budget. Through `quotes index` on real files, as a user would meet them."""

from __future__ import annotations

import json
import os
import threading
from contextlib import suppress
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import quotes
from quotes import indexer
from quotes.articles import MAX_PAGE_BYTES, read_articles
from quotes.cli import app
from quotes.store import Catalog

GOOD = '"We will build new bridges in {i}," Mayor Jane Roe said.'


def index_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["index", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("an exception reached the command line (a traceback)") from result.exception
    return result.exit_code, result.stdout, result.stderr


def good_line(i: int) -> str:
    return json.dumps({"id": f"good-{i}", "text": GOOD.format(i=i)})


def catalog_ids(ix: Path) -> set[str]:
    with Catalog(ix) as catalog:
        return set(catalog.article_hashes())


def assert_clean_run(code: int, out: str, err: str) -> None:
    assert code in (0, 1), (code, out, err)
    assert "Traceback" not in out + err


# Each hostile file, and what the one-line report about it must say (None: indexed with a warning).
HOSTILE = [
    ("surrogate.jsonl", '{"id": "s1", "text": "\\ud800 \\"Hello there,\\" she said."}\n', "U+FFFD", {"s1"}),
    ("surrogate-title.jsonl", '{"id": "s2", "title": "x\\udc00", "text": "\\"Fine,\\" he said."}\n', "U+FFFD",
     {"s2"}),
    ("surrogate-id.jsonl", '{"id": "\\udfff", "text": "\\"Fine,\\" he said."}\n', None, {"\ufffd"}),
    ("deep.jsonl", "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply", set()),
    ("deep-field.jsonl", '{"id": "d", "text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
     "nested too deeply", set()),
    ("deep.json", "{" * 50_000, "", set()),  # malformed, deep: either report will do, never a traceback
    ("deep-array.json", "[" * 100_000 + "]" * 100_000, "nested too deeply", set()),
    ("not-an-object.jsonl", "[1, 2]\n", "expected a JSON object", set()),
]


@pytest.mark.parametrize(("name", "content", "said", "ids"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_reported_or_cleaned_and_the_rest_is_indexed(tmp_path, caplog, name, content, said,
                                                                       ids):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_text(content, encoding="utf-8", errors="surrogatepass")
    (folder / "good.jsonl").write_text("\n".join(good_line(i) for i in range(3)) + "\n")
    code, out, err = index_cli(str(folder), "--index-dir", str(tmp_path / "ix"))
    assert_clean_run(code, out, err)
    assert catalog_ids(tmp_path / "ix") == {"good-0", "good-1", "good-2"} | ids
    assert said is None or said in caplog.text  # warnings reach stderr through logging
    assert "\\ud" not in caplog.text + out  # shown as U+FFFD, not as an escape


def test_a_file_name_that_is_not_utf8_is_read_filed_under_a_printable_name_and_warned(tmp_path, caplog):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(bytes(folder), b"caf\xe9.txt"), "w") as f:
        f.write('"The bridge opens today," Mayor Jane Roe said.\n')
    code, out, err = index_cli(str(folder), "--index-dir", str(tmp_path / "ix"), "--json")
    assert_clean_run(code, out, err)
    (article_id,) = catalog_ids(tmp_path / "ix")
    assert article_id.endswith("caf\ufffd.txt")
    assert "not UTF-8" in caplog.text and "caf\ufffd.txt" in caplog.text
    assert json.loads(out.splitlines()[-1])["new"] == 1


def test_a_fifo_is_skipped_with_a_warning_never_opened(tmp_path, caplog):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.jsonl")
    os.mkfifo(tmp_path / "given.jsonl")
    (folder / "good.jsonl").write_text(good_line(0) + "\n")
    # were the FIFO opened for reading, it would wait for a writer for ever: the run is in a thread
    outcome: list[tuple[int, str, str]] = []
    run = threading.Thread(target=lambda: outcome.append(
        index_cli(str(folder), str(tmp_path / "given.jsonl"), "--index-dir", str(tmp_path / "ix"))), daemon=True)
    run.start()
    run.join(60)
    if not outcome:  # give the reader an end of file so that the thread ends, then fail
        for fifo in (tmp_path / "given.jsonl", folder / "pipe.jsonl"):
            with suppress(OSError):  # ENXIO: no one is reading this one
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("quotes index opened a FIFO and waited on it")
    code, out, err = outcome[0]
    assert_clean_run(code, out, err)
    assert caplog.text.count("not a regular file (a FIFO") == 2
    assert "pipe.jsonl" in caplog.text and "given.jsonl" in caplog.text
    assert catalog_ids(tmp_path / "ix") == {"good-0"}


@pytest.mark.parametrize("suffix", [".xml", ".json", ".html"])
def test_a_file_over_the_byte_cap_is_refused_before_it_is_read(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr("quotes.articles.MAX_PAGE_BYTES", 1_000)
    big = tmp_path / f"big{suffix}"
    big.write_text("<rss>" + "x" * 2_000 + "</rss>" if suffix == ".xml" else "[" + " " * 2_000 + "]")
    read = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: (read.append(str(path)), real_open(path, *a, **k))[1])
    errors: list[tuple[str, str]] = []
    assert list(read_articles([big], lambda where, message: errors.append((where, message)))) == []
    (where, message), = errors
    assert "larger than the cap of 1,000" in message and where == str(big)


def test_a_json_line_over_the_byte_cap_is_skipped_and_the_next_line_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr("quotes.articles.MAX_PAGE_BYTES", 500)
    file = tmp_path / "a.jsonl"
    file.write_text(json.dumps({"id": "long", "text": "x" * 2_000}) + "\n" + good_line(1) + "\n")
    errors: list[tuple[str, str]] = []
    got = [a.id for a in read_articles([file], lambda where, message: errors.append((where, message)))]
    assert got == ["good-1"]
    assert errors == [(f"{file}:1", errors[0][1])] and "line longer than the cap of 500" in errors[0][1]


def test_the_page_cap_is_the_documented_one():
    assert MAX_PAGE_BYTES == 20_000_000


# -- the time budget of one article ------------------------------------------------------------------------


def test_an_article_over_its_time_budget_is_reported_and_skipped(tmp_path, monkeypatch, caplog):
    real = quotes.extract

    def stuck(text: str):
        if "stuck" in text:
            while True:  # burns CPU, as a quadratic case would
                pass
        return real(text)

    monkeypatch.setattr(quotes, "extract", stuck)
    monkeypatch.setattr(indexer, "ARTICLE_SECONDS", 0.3)
    file = tmp_path / "a.jsonl"
    file.write_text(good_line(1) + "\n" + json.dumps({"id": "x", "text": '"stuck," he said.'}) + "\n"
                    + good_line(2) + "\n")
    code, out, err = index_cli(str(file), "--index-dir", str(tmp_path / "ix"), "--workers", "1")
    assert_clean_run(code, out, err)
    assert catalog_ids(tmp_path / "ix") == {"good-1", "good-2"}
    assert f"{file}:2: extraction took more than 0.3 CPU seconds" in caplog.text


def test_the_time_budget_holds_in_the_pool_workers_too(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(indexer, "ARTICLE_SECONDS", 0.05)
    lines = [good_line(i) for i in range(indexer.POOL_MIN_ARTICLES)]
    # the slowest shape at the size cap (tests/bench/extract_curve.py): seconds of CPU, not 0.05
    lines.append(json.dumps({"id": "slow", "text": '"a" ' * 50_000}))
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    code, out, err = index_cli(str(tmp_path / "a.jsonl"), "--index-dir", str(tmp_path / "ix"), "--workers", "2")
    assert_clean_run(code, out, err)
    assert "slow" not in catalog_ids(tmp_path / "ix")
    assert len(catalog_ids(tmp_path / "ix")) == indexer.POOL_MIN_ARTICLES
    assert "extraction took more than 0.05 CPU seconds" in caplog.text


def test_the_budget_is_restored_after_each_article():
    import signal

    before = signal.getsignal(signal.SIGVTALRM)
    assert indexer._extract_one('"Yes," he said.') != []
    assert signal.getsignal(signal.SIGVTALRM) == before
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


# -- random bytes and random JSON --------------------------------------------------------------------------

_text = st.text(st.characters() | st.integers(0xD800, 0xDFFF).map(chr), max_size=60)  # lone surrogates too
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_text, children, max_size=4),
    max_leaves=12,
)
# objects with the keys of an article, holding anything
_maybe_articles = st.dictionaries(
    st.sampled_from(["id", "text", "title", "published", "url", "author", "publisher", "x"]), _json_values, max_size=6
)
# well-formed articles: an id of their own and a text with something in it (any characters, surrogates too)
_articles = st.lists(st.tuples(_text.filter(str.strip), _json_values), max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(
    junk=st.lists(st.binary(max_size=300), max_size=3),
    objects=st.lists(_maybe_articles | _json_values, max_size=6),
    articles=_articles,
    names=st.lists(st.sampled_from([".jsonl", ".json", ".txt", ".html", ".xml", ".rss"]), min_size=3, max_size=3),
)
def test_random_bytes_and_json_end_in_exit_0_or_1_with_every_good_article_indexed(tmp_path_factory, junk,
                                                                                     objects, articles, names):
    root = tmp_path_factory.mktemp("fuzz")
    folder = root / "in"
    folder.mkdir()
    for n, (raw, suffix) in enumerate(zip(junk, names, strict=False)):
        (folder / f"junk{n}{suffix}").write_bytes(raw)
    lines = [json.dumps(o) for o in objects]
    wanted = {f"well-formed-{k}" for k in range(len(articles))}
    for k, (text, title) in enumerate(articles):
        lines.insert(k * 2, json.dumps({"id": f"well-formed-{k}", "text": text, "title": title}))
    (folder / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "good.jsonl").write_text(good_line(2) + "\n")
    code, out, err = index_cli(str(folder), "--index-dir", str(root / "ix"), "--workers", "1")
    assert_clean_run(code, out, err)
    assert wanted | {"good-2"} <= catalog_ids(root / "ix")
