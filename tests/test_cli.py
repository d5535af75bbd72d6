"""The `quotes` command line through typer's CliRunner, on a real index in a temporary directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes.cli import app

SEED = Path(__file__).parent.parent / "seeds" / "000_79b1a7c8b752f4f6.txt"
HIT_FIELDS = {"id", "text", "start", "end", "speaker", "speaker_mention", "cue", "kind", "rule", "confidence",
              "article_id", "title", "publisher", "published", "score", "highlights", "occurrences"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seeds(tmp_path) -> Path:
    d = tmp_path / "seeds"
    d.mkdir()
    shutil.copy(SEED, d / SEED.name)
    return d


@pytest.fixture
def ix(runner, seeds, tmp_path) -> Path:
    """A real index of the seed article, built by `quotes index`."""
    path = tmp_path / "ix"
    result = runner.invoke(app, ["index", str(seeds), "--index-dir", str(path)])
    assert result.exit_code == 0, result.output
    return path


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_index_prints_a_summary_and_skips_unchanged_articles(runner, seeds, ix):
    result = runner.invoke(app, ["index", str(seeds), "--index-dir", str(ix), "--json"])
    assert result.exit_code == 0, result.output
    (report,) = json_lines(result.stdout)
    assert (report["new"], report["changed"], report["unchanged"], report["quotes_added"]) == (0, 0, 1, 0)
    result = runner.invoke(app, ["index", str(seeds), "--index-dir", str(ix)])
    assert result.exit_code == 0
    assert "0 new" in result.stdout and "1 unchanged" in result.stdout


def test_index_defaults_to_seeds_in_the_working_directory(runner, seeds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUOTES_INDEX", raising=False)
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.stdout and (tmp_path / "index" / "catalog.sqlite3").exists()


def test_index_without_seeds_is_one_clear_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["index", "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no seeds/ directory") and len(result.stderr.splitlines()) == 1


def test_search_json_returns_altmans_stargate_quotation(runner, ix):
    result = runner.invoke(app, ["search", "global initiative", "--json", "--index-dir", str(ix)])
    assert result.exit_code == 0, result.output
    hits = json_lines(result.stdout)
    assert HIT_FIELDS <= set(hits[0])
    assert hits[0]["speaker"] == "Sam Altman"
    assert hits[0]["text"].startswith("Stargate is meant to be a truly global initiative")
    assert "«global» «initiative»" in hits[0]["highlights"]
    assert hits[0]["article_id"]


def test_search_stargate_finds_altman_and_son(runner, ix):
    result = runner.invoke(app, ["search", "Stargate", "--json", "--index-dir", str(ix)])
    assert {"Sam Altman", "Masayoshi Son"} <= {h["speaker"] for h in json_lines(result.stdout)}


def test_search_by_speaker_surname(runner, ix):
    result = runner.invoke(app, ["search", "Stargate", "--speaker", "Son", "--json", "--index-dir", str(ix)])
    assert result.exit_code == 0
    hits = json_lines(result.stdout)
    assert hits and {h["speaker"] for h in hits} == {"Masayoshi Son"}
    result = runner.invoke(app, ["search", "AI", "--speaker", "altman", "--limit", "2", "--json",
                                 "--index-dir", str(ix)])
    assert [h["speaker"] for h in json_lines(result.stdout)] == ["Sam Altman", "Sam Altman"]


def test_search_table_for_people(runner, ix):
    result = runner.invoke(app, ["search", "Stargate", "--index-dir", str(ix)])
    assert result.exit_code == 0
    assert "Altman" in result.stdout and "«" not in result.stdout  # marks become bold


@pytest.mark.parametrize("command", [["search", "Stargate"], ["speakers"], ["stats"], ["show", "abc"]])
def test_a_missing_index_is_one_line_naming_the_directory_and_the_fix(runner, tmp_path, command):
    missing = tmp_path / "no-index"
    result = runner.invoke(app, [*command, "--index-dir", str(missing)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: no index at {missing}/: run `quotes index --index-dir {missing}` first\n"
    assert "Traceback" not in result.output


def test_a_missing_index_from_the_environment(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTES_INDEX", str(tmp_path / "envix"))
    result = runner.invoke(app, ["search", "x"])
    assert result.exit_code == 1
    assert result.stderr == f"error: no index at {tmp_path / 'envix'}/: run `quotes index` first\n"


@pytest.mark.parametrize("command", [["search", "Stargate"], ["speakers", "Stargate"]])
def test_a_deleted_search_index_with_its_catalog_kept_suggests_reindex(runner, ix, command):
    shutil.rmtree(ix / "whoosh")
    result = runner.invoke(app, [*command, "--index-dir", str(ix)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"error: the search index in {ix}/ is missing but its catalog is there: run "
                             f"`quotes reindex --index-dir {ix}` to rebuild it from the catalog, without "
                             "extracting again\n")


@pytest.mark.parametrize("fix", ["index", "reindex"])
def test_an_index_of_whooshs_own_postings_asks_for_reindex_and_is_rebuilt(runner, ix, seeds, fix):
    """An index written before quotes packed its postings (#10): whoosh's writer and codec, as it was."""
    from whoosh import index as whoosh_index
    writer = whoosh_index.open_dir(str(ix / "whoosh")).writer()
    writer.commit(optimize=True)  # its segments merged into one of whoosh's own codec
    result = runner.invoke(app, ["search", "Stargate", "--index-dir", str(ix)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"error: the index at {ix}/ was made by an older version of quotes: run "
                             "`quotes reindex` to rebuild it from the catalog\n")
    args = ["index", str(seeds)] if fix == "index" else ["reindex"]
    assert runner.invoke(app, [*args, "--index-dir", str(ix)]).exit_code == 0
    result = runner.invoke(app, ["search", "Stargate", "--index-dir", str(ix), "--json"])
    assert result.exit_code == 0 and json_lines(result.stdout), result.output


def test_the_index_dir_comes_from_the_environment(runner, ix, monkeypatch):
    monkeypatch.setenv("QUOTES_INDEX", str(ix))
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    (s,) = json_lines(result.stdout)
    assert s["articles"] == 1 and s["quotes"] >= 2 and s["index_dir"] == str(ix)


def test_speakers_lists_canonical_names_with_counts(runner, ix):
    result = runner.invoke(app, ["speakers", "--json", "--index-dir", str(ix)])
    rows = json_lines(result.stdout)
    assert rows[0]["speaker"] == "Sam Altman" and rows[0]["count"] >= 2
    assert {"Sam Altman", "Masayoshi Son"} <= {r["speaker"] for r in rows}
    table = runner.invoke(app, ["speakers", "--index-dir", str(ix)])
    assert table.exit_code == 0 and "Masayoshi Son" in table.stdout


def test_show_by_id_prefix(runner, ix):
    found = runner.invoke(app, ["search", "global initiative", "--json", "--index-dir", str(ix)])
    hit = json_lines(found.stdout)[0]
    result = runner.invoke(app, ["show", hit["id"][:8], "--json", "--index-dir", str(ix)])
    assert result.exit_code == 0, result.output
    (shown,) = json_lines(result.stdout)
    assert shown["id"] == hit["id"] and hit["text"] in shown["paragraph"]
    table = runner.invoke(app, ["show", hit["id"], "--index-dir", str(ix)])
    assert table.exit_code == 0 and "Sam Altman" in table.stdout
    missing = runner.invoke(app, ["show", "ffffffffffff", "--index-dir", str(ix)])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no quote with id")


def test_stats_table(runner, ix):
    result = runner.invoke(app, ["stats", "--index-dir", str(ix)])
    assert result.exit_code == 0 and "articles" in result.stdout


def test_extract_needs_no_index(runner, seeds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["extract", str(seeds / SEED.name), "--json"])
    assert result.exit_code == 0, result.output
    rows = json_lines(result.stdout)
    assert {"Sam Altman", "Masayoshi Son"} <= {r["speaker"] for r in rows}
    assert HIT_FIELDS - {"score", "highlights", "occurrences"} <= set(rows[0])
    assert not (tmp_path / "index").exists()
    table = runner.invoke(app, ["extract", str(seeds / SEED.name)])
    assert table.exit_code == 0 and "Altman" in table.stdout


def test_extract_a_missing_file(runner, tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.stderr == f"error: no such file or folder: {tmp_path / 'nope.txt'}; check the path\n"


@pytest.mark.parametrize("command", ["index", "reindex", "search", "extract", "speakers", "show", "stats"])
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: quotes " + command in " ".join(result.stdout.split())


def test_ctrl_c_during_index_is_one_line_saying_that_a_rerun_finishes(runner, seeds, tmp_path, monkeypatch):
    from quotes import indexer

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(indexer, "index_paths", interrupted)
    result = runner.invoke(app, ["index", str(seeds), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 130
    assert result.stderr == ("error: interrupted; what was committed is kept (an index run loses at most its last "
                             "batch): run the command again to finish\n")


@pytest.mark.parametrize("args, says", [
    (["search", "x", "--limit", "0"], "error: --limit must be at least 1 (got 0); try --limit 10"),
    (["search", "x", "-n", "abc"], "error: --limit must be a whole number of at least 1 (got 'abc'); try --limit 10"),
    (["search", "x", "--page", "0"], "error: --page must be at least 1 (got 0); try --page 1"),
    (["search", "x", "--kind", "other"],
     "error: --kind must be one of direct, partial (got 'other'); try --kind direct"),
    (["search", "x", "--sort", "best"],
     "error: --sort must be one of relevance, date (got 'best'); try --sort relevance"),
    (["speakers", "--top", "0"], "error: --top must be at least 1 (got 0); try --top 1"),
    (["index", "--workers", "0"], "error: --workers must be at least 1 (got 0); try --workers 1"),
    (["index", "--wait", "-1"], "error: --wait must be at least 0 (got -1.0); try --wait 300.0"),
])
def test_a_bad_option_value_is_one_line_naming_the_rule_and_a_good_value(runner, ix, args, says):
    result = runner.invoke(app, [*args, "--index-dir", str(ix)])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", says + "\n")


@pytest.mark.parametrize("args, says", [
    (["search", "x", "--bogus"], ("no option --bogus", "`quotes search --help` lists the options")),
    (["search", "x", "--limt", "3"], ("no option --limt", "did you mean --limit?")),
    (["search", "x", "--index-dir", "ix", "--limit"], ("'--limit' requires an argument", "search --help`")),
    (["show"], ("show` needs QUOTE_ID", "e.g. `quotes show 3f2a9c`")),
    (["search"], ("search` needs QUERY", "e.g. `quotes search")),
    (["serch", "x"], ("no such command 'serch'", "did you mean 'search'")),  # then 'serve' (#11)
    (["frobnicate"], ("no such command 'frobnicate'", "`quotes --help` lists the commands")),
    (["-v"], ("missing command", "`quotes --help` lists the commands")),
    (["--bogus"], ("no option --bogus for `quotes`",)),
])
def test_a_usage_error_is_one_line_with_the_fix_and_exit_2(runner, ix, args, says):
    with_index = args[0] in ("search", "show") and "--index-dir" not in args
    result = runner.invoke(app, [*args, "--index-dir", str(ix)] if with_index else args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")
    assert all(s in result.stderr for s in says), result.stderr
    assert "Usage:" not in result.stderr and "╭" not in result.stderr


def test_no_command_at_all_still_prints_the_help(runner):
    result = runner.invoke(app, [])
    assert "Usage: quotes" in " ".join(result.output.split()) and "search" in result.output


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (a device that is always full)")
@pytest.mark.parametrize("command", [["stats"], ["search", "Stargate", "--json"], ["speakers", "--json"]])
def test_output_to_a_full_disk_is_one_line_not_a_traceback(ix, command):
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "quotes", *command, "--index-dir", str(ix)], stdout=full,
                             stderr=subprocess.PIPE, text=True, check=False)
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1] == ("error: cannot write the output: No space left on device; free some "
                                           "space or send it elsewhere")
    assert "Traceback" not in run.stderr and len(run.stderr.splitlines()) <= 2  # search adds its summary line
