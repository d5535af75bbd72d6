"""The batch step (quotes.batch) run serially, and loading a batch output with `quotes index DIR`.

The same step under Spark is tests/test_spark.py; here it runs as a plain function, so these tests need
neither Java nor PySpark. Reading and writing Parquet needs pyarrow (the `quotes[spark]` extra): those
tests skip without it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import quotes
from quotes import batch
from quotes.articles import read_file
from quotes.cli import app
from quotes.store import Catalog, article_quotes

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "data" / "search_articles.jsonl"


def serial(files: list[Path]) -> list[dict]:
    """What `quotes extract --json` prints for these files: the quotation rows, one by one."""
    rows: list[dict] = []
    for file in files:
        for article in read_file(file):
            rows += [q.to_dict() for q in article_quotes(article, quotes.extract(article.text))]
    return rows


def shards(folder: Path) -> list[Path]:
    """The test articles in three JSON lines shards, one line without an id (its id is FILE:LINE)."""
    lines = ARTICLES.read_text(encoding="utf-8").splitlines()
    seed = (ROOT / "seeds" / "000_79b1a7c8b752f4f6.txt").read_text(encoding="utf-8")
    lines.append(json.dumps({"text": seed, "title": "the seed, no id"}))
    files = []
    for n in range(3):
        file = folder / f"shard{n}.jsonl"
        file.write_text("\n".join(lines[n::3]) + "\n", encoding="utf-8")
        files.append(file)
    return files


def test_extract_files_gives_the_rows_quotes_extract_json_gives(tmp_path):
    files = shards(tmp_path)
    rows = list(batch.extract_files((f.as_uri(), f.read_bytes()) for f in files))
    assert [r.error for r in rows] == [None] * 5
    got = [q for r in rows for q in r.quotes]
    assert got == serial(files)
    assert len(got) > 8  # the seed's quotations are there, under an id made of the file and line
    assert any(r.article["id"] == f"{files[1]}:2" for r in rows)
    assert all(list(q) == list(batch.QUOTE_COLUMNS) for q in got)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.jsonl", b'{"text": "fine \\"words here\\" he said"}\n{not json\n', "bad.jsonl:2: malformed JSON"),
    ("empty.jsonl", b"\n\n", "empty.jsonl: empty file"),
    ("notext.jsonl", b'{"title": "x"}\n', 'notext.jsonl:1: no "text"'),
    ("page.txt", b"Some words.", "page.txt: no batch reader for .txt"),
    ("junk.parquet", b"PAR1 not really", "junk.parquet: not a readable Parquet file"),
])
def test_a_bad_file_or_record_is_one_error_row_and_the_rest_goes_on(name, content, message):
    if name.endswith(".parquet"):
        pytest.importorskip("pyarrow")
    good = b'{"id": "ok", "text": "\\"We ship it,\\" Altman said."}\n'
    rows = list(batch.extract_files([(f"file:/in/{name}", content), ("file:/in/good.jsonl", good)]))
    errors = [r.error for r in rows if r.error]
    assert len(errors) == 1 and errors[0].startswith(f"/in/{message}"), errors
    assert [r.article["id"] for r in rows if r.article][-1] == "ok"


def test_a_parquet_input_reads_as_its_json_lines_would(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    items = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]
    file = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(items), file)
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(ARTICLES.read_text(encoding="utf-8"), encoding="utf-8")
    from_parquet = [q for r in batch.extract_files([(str(file), file.read_bytes())]) for q in r.quotes]
    assert from_parquet == serial([jsonl]) and from_parquet


def write_output(rows: list[batch.ArticleRows], out: Path) -> None:
    """A batch output as `quotes spark` lays it out, written here with pyarrow alone."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    for part, table in ((batch.ARTICLES_DIR, [r.article for r in rows if r.article]),
                        (batch.QUOTES_DIR, [q for r in rows for q in r.quotes])):
        (out / part).mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist(table), out / part / "part-0.parquet")


def catalog_rows(index_dir: Path) -> tuple[list[dict], list[tuple]]:
    with Catalog(index_dir) as catalog:
        quotes_ = sorted((r.to_dict() for r in catalog.all_quotes()), key=lambda d: d["id"])
        articles = catalog._db.execute("SELECT id, path, title, author, publisher, published, url, text, hash "
                                       "FROM articles ORDER BY id").fetchall()
    return quotes_, [tuple(a) for a in articles]


def test_quotes_index_loads_a_batch_output_as_it_would_index_the_files(tmp_path, extract_calls):
    files = shards(tmp_path)
    write_output(list(batch.extract_files((str(f), f.read_bytes()) for f in files)), tmp_path / "out")
    extract_calls.clear()
    runner = CliRunner()
    loaded = runner.invoke(app, ["index", str(tmp_path / "out"), "--index-dir", str(tmp_path / "a"), "--json"])
    assert loaded.exit_code == 0, loaded.output
    assert extract_calls == []  # loaded, not extracted again
    assert json.loads(loaded.output)["new"] == 5
    direct = runner.invoke(app, ["index", *map(str, files), "--index-dir", str(tmp_path / "b")])
    assert direct.exit_code == 0, direct.output
    assert catalog_rows(tmp_path / "a") == catalog_rows(tmp_path / "b")
    found = runner.invoke(app, ["search", "stargate", "--index-dir", str(tmp_path / "a"), "--json"])
    assert found.exit_code == 0 and found.output.count("\n") >= 2
    again = runner.invoke(app, ["index", str(tmp_path / "out"), "--index-dir", str(tmp_path / "a"), "--json"])
    assert json.loads(again.output)["unchanged"] == 5


def test_a_damaged_batch_output_is_one_line_naming_quotes_spark(tmp_path):
    pytest.importorskip("pyarrow")
    for part in (batch.ARTICLES_DIR, batch.QUOTES_DIR):
        (tmp_path / "out" / part).mkdir(parents=True)
        (tmp_path / "out" / part / "part-0.parquet").write_bytes(b"not parquet")
    result = CliRunner().invoke(app, ["index", str(tmp_path / "out"), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert "not a readable batch output" in result.output and "quotes spark" in result.output


@pytest.mark.parametrize("module", ["pyarrow.parquet", "pyspark.sql"])
def test_without_the_extra_the_error_names_pip_install_quotes_spark(tmp_path, monkeypatch, module):
    """With pyarrow (or PySpark) absent, as after `pip install .`: one line with the remedy."""
    for loaded in [m for m in sys.modules if m.split(".")[0] == module.split(".")[0]]:  # as if never imported
        monkeypatch.delitem(sys.modules, loaded)
    monkeypatch.setitem(sys.modules, module, None)  # `import module` raises ImportError
    monkeypatch.delitem(sys.modules, "quotes.spark", raising=False)
    monkeypatch.delattr(quotes, "spark", raising=False)  # `from quotes import spark` imports it again
    for part in (batch.ARTICLES_DIR, batch.QUOTES_DIR):
        (tmp_path / "out" / part).mkdir(parents=True)
    args = (["index", str(tmp_path / "out"), "--index-dir", str(tmp_path / "ix")] if module == "pyarrow.parquet"
            else ["spark", str(tmp_path), "--out", str(tmp_path / "new")])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "pip install 'quotes[spark]'" in result.output and len(result.output.strip().splitlines()) == 1


def test_the_core_imports_neither_pyspark_nor_pyarrow():
    import subprocess

    code = ("import sys, quotes, quotes.cli, quotes.indexer, quotes.batch, quotes.search; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyspark', 'pyarrow', 'pymysql')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
