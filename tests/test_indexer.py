"""Indexing runs (quotes.indexer): incremental, pruned, rebuilt, reindexed, repaired, killed, concurrent."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes import index, indexer
from quotes.cli import app
from quotes.indexer import index_paths, reindex
from quotes.model import Article, Quote
from quotes.paths import NoIndexError
from quotes.search import search
from quotes.store import Catalog, article_quotes

ROOT = Path(__file__).resolve().parents[1]


def text(i: int, words: str = "new bridges") -> str:
    return (f'City news {i}.\n\n"We will build {i} {words} by {2030 + i % 9}," Mayor Ann Lee{i % 5} said on '
            'Monday.\n\nShe added that "costs are rising" and that the council agreed.')


def write_jsonl(file: Path, ids: range) -> Path:
    file.write_text("".join(json.dumps({"id": f"a{i}", "text": text(i), "title": f"Bridges {i}"}) + "\n"
                            for i in ids), encoding="utf-8")
    return file


def state(ix: Path) -> tuple[list[str], list[str], list[str]]:
    """Article ids and quote ids of the catalog, and the Whoosh index's document ids, sorted."""
    with Catalog(ix) as catalog:
        return sorted(catalog.article_paths()), sorted(catalog.quote_ids()), sorted(index.doc_ids(ix))


@pytest.fixture
def corpus(tmp_path) -> Path:
    d = tmp_path / "news"
    d.mkdir()
    (d / "one.txt").write_text(text(1), encoding="utf-8")
    (d / "two.txt").write_text(text(2), encoding="utf-8")
    write_jsonl(d / "wire.jsonl", range(10, 13))
    return d


def test_new_changed_unchanged(tmp_path, corpus, extract_calls):
    ix = tmp_path / "ix"
    first = index_paths([corpus], ix, workers=1)
    assert (first.new, first.changed, first.unchanged, first.removed, first.failed) == (5, 0, 0, 0, 0)
    assert first.quotes_added == 10 and len(extract_calls) == 5
    (corpus / "two.txt").write_text(text(2, "old tunnels"), encoding="utf-8")
    (corpus / "three.txt").write_text(text(3), encoding="utf-8")
    second = index_paths([corpus], ix, workers=1)
    assert (second.new, second.changed, second.unchanged) == (1, 1, 4)
    assert (second.quotes_added, second.quotes_removed) == (3, 1)  # three.txt's two, two.txt's new one
    assert len(extract_calls) == 7
    assert [h.quote.text for h in search("tunnels", index_dir=ix)] == ["We will build 2 old tunnels by 2032"]
    bridges = {h.quote.text for h in search("bridges", index_dir=ix, limit=50)}
    assert "We will build 1 new bridges by 2031" in bridges and "We will build 2 new bridges by 2032" not in bridges
    articles, quote_ids, doc_ids = state(ix)
    assert len(articles) == 6 and quote_ids == doc_ids and len(doc_ids) == 12


def test_prune_removes_only_gone_articles_under_the_given_paths(tmp_path, corpus):
    other = tmp_path / "other"
    other.mkdir()
    (other / "kept.txt").write_text(text(50), encoding="utf-8")
    ix = tmp_path / "ix"
    index_paths([corpus, other], ix, workers=1)
    (corpus / "one.txt").unlink()
    write_jsonl(corpus / "wire.jsonl", range(10, 12))  # the line of a12 is gone
    kept = index_paths([corpus], ix, workers=1)  # without --prune nothing goes
    assert (kept.removed, kept.unchanged) == (0, 3)
    pruned = index_paths([corpus], ix, workers=1, prune=True)
    assert (pruned.removed, pruned.quotes_removed, pruned.unchanged) == (2, 4, 3)
    articles, quote_ids, doc_ids = state(ix)
    assert str(other / "kept.txt") in articles and "a12" not in articles  # other/ was not given: kept
    assert str(corpus / "one.txt") not in articles and len(articles) == 4
    assert quote_ids == doc_ids and len(doc_ids) == 8
    assert search("Lee1 OR Lee2", index_dir=ix, limit=50) != [] and not search("12", index_dir=ix)


def test_prune_keeps_the_articles_of_a_file_that_failed_to_read(tmp_path, corpus):
    ix = tmp_path / "ix"
    index_paths([corpus], ix, workers=1)
    (corpus / "one.txt").write_bytes(b"\x00\x01binary now")
    report = index_paths([corpus], ix, workers=1, prune=True)
    assert (report.failed, report.removed) == (1, 0)
    assert "binary" in report.errors[0] and str(corpus / "one.txt") in state(ix)[0]


def test_prune_keeps_the_articles_of_a_folder_that_failed_to_list(tmp_path, corpus, unlistable):
    ix = tmp_path / "ix"
    (corpus / "sub").mkdir()
    (corpus / "sub" / "three.txt").write_text(text(3), encoding="utf-8")
    index_paths([corpus], ix, workers=1)
    unlistable("sub")
    report = index_paths([corpus], ix, workers=1, prune=True)
    assert (report.failed, report.removed, report.unchanged) == (1, 0, 5)
    assert str(corpus / "sub" / "three.txt") in state(ix)[0]


def test_rebuild_extracts_everything_again_to_the_same_quotes(tmp_path, corpus, extract_calls):
    ix = tmp_path / "ix"
    index_paths([corpus], ix, workers=1)
    before = state(ix)
    (corpus / "one.txt").unlink()
    report = index_paths([corpus], ix, workers=1, rebuild=True)
    assert (report.new, report.changed, report.unchanged) == (4, 0, 0) and len(extract_calls) == 9
    articles, quote_ids, doc_ids = state(ix)
    assert articles == [a for a in before[0] if not a.endswith("one.txt")]
    assert quote_ids == doc_ids and set(quote_ids) < set(before[1]) and len(quote_ids) == 8


def test_reindex_rebuilds_whoosh_from_the_catalog_without_extracting(tmp_path, corpus, extract_calls):
    ix = tmp_path / "ix"
    index_paths([corpus], ix, workers=1)
    index.write(ix, [], delete_articles=["a10", "a11"])
    assert len(index.doc_ids(ix)) == 6
    report = reindex(ix, workers=1)
    assert report.quotes == 10 and len(extract_calls) == 5
    assert state(ix)[1] == state(ix)[2]
    assert len(search("bridges", index_dir=ix, limit=20)) == 5
    with pytest.raises(NoIndexError):
        reindex(tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_whoosh_is_checked_by_ids_not_counts_and_repaired(tmp_path, corpus):
    ix = tmp_path / "ix"
    index_paths([corpus], ix, workers=1)
    with Catalog(ix) as catalog:
        records = list(catalog.all_quotes())
    stray = Quote("a stray quote", 0, 13, None, None, None, None, None, "direct", "test", 0.5)
    gone, dup = records[0], records[1]
    stray_record = article_quotes(Article("ghost", "a stray quote"), [stray])[0]
    index.write(ix, [stray_record, dup], delete_ids=[gone.id])  # one gone, one twice, one stray
    assert len(index.doc_ids(ix)) == 11
    report = index_paths([corpus], ix, workers=1)
    assert report.unchanged == 5 and report.repaired == 3  # gone added; stray deleted; dup deleted, added once
    _, quote_ids, doc_ids = state(ix)
    assert quote_ids == doc_ids and len(doc_ids) == 10
    assert search("stray", index_dir=ix) == []


def test_ctrl_c_while_the_pool_starts_is_the_main_process_alone_to_handle(tmp_path):
    """Ctrl-C reaches every process of the terminal's group: the fork server, still importing the pipeline,
    printed a KeyboardInterrupt traceback of its own. It starts with SIGINT ignored, as do its workers."""
    (tmp_path / "spy.py").write_text("import os, signal\nopen(os.environ['SPY'], 'w').write("
                                     "str(signal.getsignal(signal.SIGINT) == signal.SIG_IGN))\n")
    corpus = write_jsonl(tmp_path / "many.jsonl", range(40))
    code = ("import sys; from quotes import indexer\n"
            "indexer.POOL_PRELOAD = ['spy', *indexer.POOL_PRELOAD]; indexer.POOL_MIN_ARTICLES = 4\n"
            f"indexer.index_paths([{str(corpus)!r}], {str(tmp_path / 'ix')!r}, workers=2)")
    env = {**os.environ, "SPY": str(tmp_path / "spied"),
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert (tmp_path / "spied").read_text() == "True"


def test_the_process_pool_gives_the_same_quotes_as_one_process(tmp_path, monkeypatch):
    corpus = write_jsonl(tmp_path / "many.jsonl", range(40))
    monkeypatch.setattr(indexer, "POOL_MIN_ARTICLES", 4)
    monkeypatch.setattr(indexer, "CHUNK_ARTICLES", 3)
    monkeypatch.setattr(indexer, "BATCH_ARTICLES", 7)
    pooled = index_paths([corpus], tmp_path / "pool", workers=2)
    single = index_paths([corpus], tmp_path / "one", workers=1)
    assert (pooled.new, pooled.quotes_added) == (single.new, single.quotes_added) == (40, 80)
    assert state(tmp_path / "pool") == state(tmp_path / "one")


def test_a_repeated_id_is_reported_and_read_once(tmp_path):
    file = write_jsonl(tmp_path / "a.jsonl", range(3))
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "a1", "text": "Other text."}) + "\n", encoding="utf-8")
    report = index_paths([tmp_path], tmp_path / "ix", workers=1)
    assert (report.new, report.failed) == (3, 1)
    assert report.errors[0].startswith(f"{tmp_path / 'b.jsonl'}:1: the same id 'a1' as {file}:2")


# -- killed runs and concurrent runs, through the real command in subprocesses ------------------------------

KILL_ARTICLES = 2000


def quotes_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "quotes", "index", *args]


def catalog_articles(ix: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{ix / 'catalog.sqlite3'}?mode=ro", uri=True, timeout=1)
        try:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, tuple[list[str], list[str], list[str]]]:
    """A corpus of KILL_ARTICLES articles and the state of its clean build."""
    d = tmp_path_factory.mktemp("big")
    corpus = write_jsonl(d / "big.jsonl", range(KILL_ARTICLES))
    index_paths([corpus], d / "clean", workers=1)
    return corpus, state(d / "clean")


@pytest.mark.parametrize("when", ["extracting", "writing whoosh"])
def test_a_killed_run_is_finished_by_the_next_run_exactly(tmp_path, big, when):
    corpus, clean = big
    ix = tmp_path / "ix"
    proc = subprocess.Popen(quotes_cmd(str(corpus), "--index-dir", str(ix), "--workers", "1", "--json"),
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    done = (lambda n: n > 0) if when == "extracting" else (lambda n: n == KILL_ARTICLES)
    while not done(n := catalog_articles(ix)) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if when == "extracting":
        assert 0 < n < KILL_ARTICLES  # killed half-way: some batches committed, others not
    search("bridges", index_dir=ix)  # search works on what was committed (no error)

    result = subprocess.run(quotes_cmd(str(corpus), "--index-dir", str(ix), "--workers", "1", "--json"),
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["new"] + report["unchanged"] == KILL_ARTICLES and report["failed"] == 0
    assert report["unchanged"] >= n > 0
    if when == "writing whoosh":
        assert report["repaired"] > 0  # the catalog had it all; Whoosh was made whole by id
    assert state(ix) == clean
    assert "Traceback" not in result.stderr


def test_two_writers_at_once_run_one_after_the_other(tmp_path, big):
    corpus, clean = big
    ix = tmp_path / "ix"
    args = quotes_cmd(str(corpus), "--index-dir", str(ix), "--workers", "1", "--json")
    first = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while catalog_articles(ix) == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    second = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err + second.stderr
    one, two = json.loads(out), json.loads(second.stdout)
    assert (one["new"], two["new"], two["unchanged"]) == (KILL_ARTICLES, 0, KILL_ARTICLES)
    assert f"being written by another `quotes index` (process {first.pid})" in second.stderr
    assert state(ix) == clean


def test_a_held_index_is_one_clear_error_after_the_wait(tmp_path, corpus):
    ix = tmp_path / "ix"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from quotes.lock import index_lock\n"
         f"with index_lock(Path({str(ix)!r}), 0):\n    print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = CliRunner().invoke(app, ["index", str(corpus), "--index-dir", str(ix), "--wait", "0.3"])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert result.stderr == (f"error: another `quotes index` (process {holder.pid}) is writing {ix}/ and still "
                             "was after 0.3s: let it finish, or wait longer with --wait SECONDS\n")


# -- the command line -------------------------------------------------------------------------------------


def test_index_json_summary_and_reindex_command(tmp_path, corpus):
    runner = CliRunner()
    ix = tmp_path / "ix"
    result = runner.invoke(app, ["index", str(corpus), "--index-dir", str(ix), "--json", "-w", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"new", "changed", "unchanged", "removed", "failed", "quotes_added", "quotes_removed",
            "seconds"} <= set(report)
    assert (report["new"], report["quotes_added"]) == (5, 10)
    (corpus / "two.txt").unlink()
    result = runner.invoke(app, ["index", str(corpus), "--index-dir", str(ix), "--prune"])
    assert result.exit_code == 0, result.output
    assert "0 new, 0 changed, 4 unchanged, 1 removed, 0 failed articles; 0 quotes added, 2 removed" in result.stdout
    result = runner.invoke(app, ["reindex", "--index-dir", str(ix), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["quotes"] == 8
    result = runner.invoke(app, ["reindex", "--index-dir", str(ix)])
    assert "search index rebuilt from the catalog, 8 quotes" in result.stdout


def test_index_reads_json_lines_on_stdin(tmp_path):
    lines = "".join(json.dumps({"id": f"s{i}", "text": text(i)}) + "\n" for i in range(3)) + "{broken\n"
    result = CliRunner().invoke(app, ["index", "-", "--index-dir", str(tmp_path / "ix"), "--json"], input=lines)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["new"], report["failed"]) == (3, 1) and report["errors"][0].startswith("<stdin>:4: malformed")


@pytest.mark.parametrize(("fault", "fix"), [("a file", "--index-dir DIR"), ("a full disk", "free some space")])
def test_an_index_that_cannot_be_written_is_one_line_naming_it(tmp_path, corpus, monkeypatch, fault, fix):
    ix = tmp_path / "ix"
    if fault == "a file":
        ix.write_text("not a directory")
    else:
        def full(*args, **kwargs):
            raise OSError(28, "No space left on device", str(ix / "whoosh" / "seg.trm"))

        monkeypatch.setattr(index, "write", full)
    result = CliRunner().invoke(app, ["index", str(corpus), "--index-dir", str(ix), "-w", "1"])
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: cannot write the index at {ix}/") and fix in line, line
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("part", "command"), [("*.toc", "index"), ("*.trm", "index"), ("*.pst", "reindex")])
def test_a_damaged_search_index_is_one_line_and_rebuilt_from_the_catalog(tmp_path, corpus, part, command):
    """Whoosh files are derived data: damaged (a disk error, a half copy), they are rebuilt from the catalog,
    by `quotes reindex` as the error says, or by the next `quotes index` where it reads the damaged part."""
    ix = tmp_path / "ix"
    index_paths([corpus], ix, workers=1)
    for file in (ix / "whoosh").glob(part):
        file.write_bytes(os.urandom(64))
    runner = CliRunner()
    result = runner.invoke(app, ["search", "bridges", "--index-dir", str(ix)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: the search index at {ix}/ is damaged") and "quotes reindex" in line, line
    args = ["index", str(corpus)] if command == "index" else ["reindex"]
    result = runner.invoke(app, [*args, "--index-dir", str(ix), "--json", "-w", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["repaired" if command == "index" else "quotes"] == 10
    articles, quote_ids, doc_ids = state(ix)
    assert quote_ids == doc_ids and len(doc_ids) == 10
    assert len(search("bridges", index_dir=ix, limit=50)) == 5
