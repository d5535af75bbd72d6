"""`quotes spark` on Spark local[2] over several shards: the same quotations as a serial quotes.extract run.

Needs the `quotes[spark]` extra and Java (Debian's openjdk-17-jre-headless; .ci/run installs both): the
tests skip where either is missing. Spark's Python workers run this interpreter (quotes.spark sets
PYSPARK_PYTHON to it), so they import the `quotes` under test. One Spark run serves every test here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_batch import ARTICLES, catalog_rows, serial, shards
from typer.testing import CliRunner

from quotes.cli import app

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java: apt-get install openjdk-17-jre-headless"),
]
pytest.importorskip("pyspark", reason="no PySpark: pip install 'quotes[spark]'")
pa = pytest.importorskip("pyarrow", reason="no pyarrow: pip install 'quotes[spark]'")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    """Three JSON lines shards, a Parquet shard, a bad line and a repeated id, through `quotes spark`."""
    folder = tmp_path_factory.mktemp("spark")
    inputs = folder / "in"
    inputs.mkdir()
    files = shards(inputs)
    with files[2].open("a", encoding="utf-8") as f:
        f.write("{not json\n")  # line 2 of shard2: reported, the rest of the file read
    items = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]
    parquet = inputs / "zz.parquet"  # last by name: its first record repeats an id of shard0, and is skipped
    pq.write_table(pa.Table.from_pylist([items[0], {**items[1], "id": "parquet-only"}]), parquet)
    result = CliRunner().invoke(app, ["spark", str(inputs), "--out", str(folder / "out"), "--master", "local[2]",
                                      "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    twin = folder / "twin.jsonl"  # the parquet-only article, as the serial run reads it
    twin.write_text(json.dumps({**items[1], "id": "parquet-only"}) + "\n", encoding="utf-8")
    return {"folder": folder, "files": files, "twin": twin, "report": report, "stderr": result.output}


def quote_rows(out: Path) -> list[dict]:
    rows = pq.read_table(out / "quotes").to_pylist()
    return sorted(rows, key=lambda r: (r["article_id"], r["start"], r["end"]))


def test_the_quotations_equal_a_serial_quotes_extract_run_record_for_record(run):
    expected = serial(run["files"])
    expected += [{**q, "article_id": "parquet-only"} for q in serial([run["twin"]])]  # ids differ by article
    got = quote_rows(run["folder"] / "out")
    assert len(got) == len(expected) > 10
    from quotes.store import quote_id

    for row in expected:  # the twin's rows: the id is made from the article id, so make it again
        if row["article_id"] == "parquet-only":
            from quotes.model import Quote

            fields = {k: row[k] for k in Quote.__dataclass_fields__}
            row["id"] = quote_id("parquet-only", Quote(**fields))
    assert got == sorted(expected, key=lambda r: (r["article_id"], r["start"], r["end"]))


def test_the_report_counts_files_articles_quotes_and_names_each_failure(run):
    report = run["report"]
    assert (report["files"], report["articles"], report["failed"]) == (4, 6, 2)
    assert report["quotes"] == len(quote_rows(run["folder"] / "out"))
    errors = sorted(report["errors"])
    assert errors[0].startswith(f"{run['files'][2]}:2: malformed JSON"), errors
    assert errors[1].startswith(f"{run['folder'] / 'in' / 'zz.parquet'}:1: the same id "), errors
    assert f"warning: {errors[0]}" in run["stderr"]


def test_quotes_index_of_the_output_equals_quotes_index_of_the_inputs(run, tmp_path):
    runner = CliRunner()
    loaded = runner.invoke(app, ["index", str(run["folder"] / "out"), "--index-dir", str(tmp_path / "a")])
    assert loaded.exit_code == 0, loaded.output
    direct = runner.invoke(app, ["index", *map(str, run["files"]), str(run["twin"]), "--index-dir",
                                 str(tmp_path / "b")])
    assert direct.exit_code == 0, direct.output
    quotes_a, articles_a = catalog_rows(tmp_path / "a")
    quotes_b, articles_b = catalog_rows(tmp_path / "b")
    assert quotes_a == quotes_b
    # the parquet-only article was read from another file: all but its path are the same
    assert [a[:1] + a[2:] for a in articles_a] == [b[:1] + b[2:] for b in articles_b]


def test_an_existing_output_is_refused_before_spark_starts(run):
    result = CliRunner().invoke(app, ["spark", str(run["files"][0]), "--out", str(run["folder"] / "out")])
    assert result.exit_code == 1
    assert "already exists; remove it or give another --out DIR" in result.output


def test_a_uri_spark_cannot_read_is_one_line_naming_it(tmp_path):
    result = CliRunner().invoke(app, ["spark", "file:///nonexistent/in.jsonl", "--out", str(tmp_path / "out"),
                                      "--master", "local[1]"])
    assert result.exit_code == 1
    assert "error: Spark failed: " in result.output and "/nonexistent/in.jsonl" in result.output
    assert not (tmp_path / "out" / "quotes").exists()
