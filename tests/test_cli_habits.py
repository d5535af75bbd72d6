"""Command-line habits: version, help, completion, output for pipes and programs, stdin, exit codes, what a
run skips, its progress, and what a search says of an index whose first build was interrupted.

Through typer's CliRunner on temporary indexes, and the real command in subprocesses where a terminal, a
signal or a second process matters.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import quotes
from quotes.cli import app
from quotes.indexer import READING, WRITING, index_paths
from quotes.model import QuotesError
from quotes.search import stats

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_79b1a7c8b752f4f6.txt"
ARTICLES = Path(__file__).parent / "data" / "search_articles.jsonl"
TERMINAL = {"COLUMNS": "200", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
BOX = re.compile("[┏┃━│└┡╇]")  # a rich table's box drawing


def quotes_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "quotes", *args]


@pytest.fixture(scope="module")
def ix(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("habits") / "ix"
    result = CliRunner().invoke(app, ["index", str(ARTICLES), "--index-dir", str(path)])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), input=stdin, env=env)


# -- version, help, completion --------------------------------------------------------------------------


def test_version():
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"quotes {quotes.__version__}\n")


@pytest.mark.parametrize("command", [[], ["search"], ["index"], ["extract"], ["show"]])
def test_dash_h_is_help(command):
    short, long = run(*command, "-h"), run(*command, "--help")
    assert short.exit_code == 0 and short.stdout == long.stdout and "Usage: quotes" in short.stdout


def test_shell_completion_is_offered():
    assert "--install-completion" in run("--help").stdout
    shown = subprocess.run(quotes_cmd("--show-completion", "bash"), capture_output=True, text=True, timeout=60,
                           env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert shown.returncode == 0 and "complete" in shown.stdout


@pytest.mark.parametrize(("args", "asked"), [
    (["search", "x", "--json"], "search"), (["-v", "--backend", "whoosh:", "search"], "search"),
    (["--verbose", "--backend=whoosh:", "stats"], "stats"), (["--backend", "search"], None), ([], None),
    (["--help"], None), (["-h", "search"], None), (["--version", "search"], None), (["serch", "x"], None),
    (["--install-completion"], None), (["--verbos", "search"], None)])
def test_the_command_a_process_runs_is_read_from_its_arguments(args, asked):
    from quotes.cli import _command_asked_for

    assert _command_asked_for(args) == asked


def test_the_console_script_makes_only_the_command_it_runs(monkeypatch, ix, capsys):
    """typer reads every command's signature to make it: `quotes search` makes only the search (#10)."""
    import typer.main

    from quotes import cli

    made: list[str | None] = []
    make = typer.main.get_command_from_info
    monkeypatch.setattr(typer.main, "get_command_from_info",
                        lambda command_info, **kw: made.append(command_info.name) or make(command_info, **kw))
    every = list(app.registered_commands)
    monkeypatch.setattr(sys, "argv", ["quotes", "search", "rigged", "-n", "1", "--index-dir", str(ix)])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert (ended.value.code, made, app.registered_commands) == (0, ["search"], every)
    assert "quotation for 'rigged'" in capsys.readouterr().err
    made.clear()
    monkeypatch.setattr(sys, "argv", ["quotes", "--help"])
    with pytest.raises(SystemExit):
        cli.main()
    assert sorted(made) == sorted(c.name for c in every)


def test_help_is_prose_wrapped_to_the_terminal():
    """A docstring's line breaks are not kept: at 200 columns a paragraph of the index help is one line."""
    wide = run("index", "--help", env={"COLUMNS": "200"}).stdout
    line = next(x for x in wide.splitlines() if "Reads .txt" in x)
    assert "a file that cannot be read is reported" in line  # the docstring breaks after "cannot be"


# -- output: a table for a person, plain lines for a pipe, JSON Lines, CSV, TSV ------------------------------


LISTING = [["search", "economy"], ["speakers"], ["stats"], ["extract", str(SEED)]]


@pytest.mark.parametrize("command", LISTING)
def test_piped_output_is_plain_lines_never_a_box_table(ix, command):
    args = [*command, "--index-dir", str(ix)] if command[0] != "extract" else command
    piped = run(*args)
    assert piped.exit_code == 0, piped.output
    assert piped.stdout and not BOX.search(piped.stdout)
    on_terminal = run(*args, env=TERMINAL)
    assert BOX.search(on_terminal.stdout)


@pytest.mark.parametrize("command", [*LISTING, ["show"]])
@pytest.mark.parametrize("fmt", ["--json", "--csv", "--tsv"])
def test_every_listing_command_speaks_json_lines_csv_and_tsv(ix, command, fmt):
    if command == ["show"]:
        first = json.loads(run("search", "rigged", "--json", "--index-dir", str(ix)).stdout)
        command = ["show", first["id"]]
    args = [*command, fmt, "--index-dir", str(ix)] if command[0] != "extract" else [*command, fmt]
    result = run(*args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    if fmt == "--json":
        rows = [json.loads(line) for line in lines]
    else:
        rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="," if fmt == "--csv" else "\t"))
        assert len(rows) == len(lines) - 1  # a header, then one line a record
    assert rows and all(isinstance(r, dict) and len(r) >= 3 for r in rows)


def test_urls_are_never_cut(ix):
    long_url = "http://wire.example/2"
    for args in (["search", "rigged"], ["search", "rigged", "--tsv"]):
        assert long_url in run(*args, "--index-dir", str(ix)).stdout
    hit = json.loads(run("search", "rigged", "--json", "--index-dir", str(ix)).stdout)
    shown = run("show", hit["id"], "--index-dir", str(ix), env={**TERMINAL, "COLUMNS": "40"})
    assert f"url: {long_url}" in shown.stdout.splitlines()


def test_two_formats_at_once_is_a_usage_error(ix):
    result = run("speakers", "--csv", "--tsv", "--index-dir", str(ix))
    assert (result.exit_code, result.stderr) == (2, "error: --csv and --tsv go one at a time: choose one\n")


# -- extract: stdin, folders, nothing found ----------------------------------------------------------------


def test_extract_reads_plain_text_from_stdin():
    result = run("extract", "-", "--json", stdin='City news.\n\n"We will ship it in May," Ann Lee said.\n')
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["text"], row["speaker"], row["path"]) == ("We will ship it in May", "Ann Lee", "<stdin>")


def test_extract_reads_json_lines_from_stdin_when_it_looks_like_them():
    lines = "".join(json.dumps({"id": f"a{i}", "text": f'"Plan {i} works," Bo Park said.'}) + "\n" for i in (1, 2))
    result = run("extract", "-", stdin=lines)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ['<stdin>:1: Bo Park: "Plan 1 works" (said, cue_after)',
                                          '<stdin>:2: Bo Park: "Plan 2 works" (said, cue_after)']


def test_extract_a_folder_names_the_article_of_each_quotation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text('"Taxes will fall," Ann Lee said.', encoding="utf-8")
    (tmp_path / "news" / "b.txt").write_text("Nobody said anything quotable today.", encoding="utf-8")
    (tmp_path / "news" / "c.txt").write_text('"Rates will rise," Bo Park said.', encoding="utf-8")
    result = run("extract", "news")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ['news/a.txt: Ann Lee: "Taxes will fall" (said, cue_after)',
                                          'news/c.txt: Bo Park: "Rates will rise" (said, cue_after)']
    assert result.stderr == "no quotations in 1 of 3 articles: news/b.txt\n"
    tsv = run("extract", "news", "--tsv").stdout.splitlines()
    assert tsv[0].split("\t")[0] == "path" and tsv[1].split("\t")[0].endswith("news/a.txt")


def test_a_file_with_no_quotation_says_so_in_one_line(tmp_path):
    empty = tmp_path / "calm.txt"
    empty.write_text("Nothing happened in the city today. The weather was mild.", encoding="utf-8")
    result = run("extract", str(empty))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"no quotations in {empty}\n")


# -- index: exit codes, skipped kinds, URLs, progress ---------------------------------------------------------


def test_index_exits_1_when_no_input_could_be_read(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.jsonl").write_text("{broken\n", encoding="utf-8")
    (tmp_path / "bad" / "b.txt").write_bytes(b"")
    result = run("index", str(tmp_path / "bad"), "--index-dir", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (f"error: no article could be read from {tmp_path / 'bad'}: 2 failed "
                                             "(see the lines above); fix them and run it again")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("index", str(empty), "--index-dir", str(tmp_path / "ix"))
    assert result.exit_code == 1 and "error: no article found in" in result.stderr


def test_pruning_a_folder_emptied_on_purpose_is_no_failure(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text('"Taxes will fall," Ann Lee said.', encoding="utf-8")
    assert run("index", str(news), "--index-dir", str(tmp_path / "ix")).exit_code == 0
    (news / "a.txt").unlink()
    result = run("index", str(news), "--prune", "--index-dir", str(tmp_path / "ix"))
    assert result.exit_code == 0, result.output
    assert "1 removed" in result.stdout


def test_a_run_that_skipped_some_files_exits_0_counting_its_failures(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "good.txt").write_text('"Taxes will fall," Ann Lee said.', encoding="utf-8")
    (tmp_path / "news" / "bad.jsonl").write_text("{broken\n", encoding="utf-8")
    result = run("index", str(tmp_path / "news"), "--index-dir", str(tmp_path / "ix"))
    assert result.exit_code == 0, result.output
    assert "1 new" in result.stdout and "1 failed" in result.stdout


def test_files_of_other_kinds_in_a_folder_are_counted_in_one_line(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "good.txt").write_text('"Taxes will fall," Ann Lee said.', encoding="utf-8")
    for name in ("a.pdf", "b.pdf", "c.docx", "photo.JPG", "notes"):
        (news / name).write_bytes(b"%PDF-1.4 not an article")
    result = run("index", str(news), "--index-dir", str(tmp_path / "ix"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["skipped"] == {".docx": 1, ".jpg": 1, ".pdf": 2, "no extension": 1}
    (line,) = result.stderr.splitlines()
    assert line.startswith("skipped 5 files of kinds quotes does not read: 2 .pdf, 1 .docx, 1 .jpg, "
                           "1 no extension; articles are .txt, .html")


@pytest.mark.parametrize("url", ["https://example.com/news/story.html", "http://example.com/a"])
def test_a_url_given_as_a_path_says_urls_are_not_fetched(tmp_path, url):
    for command in (["index", url, "--index-dir", str(tmp_path / "ix")], ["extract", url]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.stderr == (f"error: {url} is a URL, and quotes reads no network: save the page first (your "
                                 f"browser's Save Page As, or `curl -o page.html '{url}'`) and give the file\n")


def test_progress_covers_reading_in_bytes_then_writing_the_index(tmp_path):
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": f'"Plan {i} works," Bo Park said.'}) + "\n"
                              for i in range(30)), encoding="utf-8")
    (tmp_path / "one.txt").write_text('"Taxes will fall," Ann Lee said.', encoding="utf-8")
    told: list[tuple[str, int, int | None, int]] = []
    index_paths([corpus, tmp_path / "one.txt"], tmp_path / "ix", workers=1, progress=lambda *a: told.append(a))
    reading = [t for t in told if t[0] == READING]
    size = corpus.stat().st_size + (tmp_path / "one.txt").stat().st_size
    assert {t[2] for t in reading} == {size}  # the total is known: the bytes of the input
    done = [t[1] for t in reading]
    assert done == sorted(done) and done[-1] == size and reading[-1][3] == 31
    assert all(t[0] in (READING, WRITING) for t in told)
    stdin = CliRunner().invoke(app, ["index", "-", "--index-dir", str(tmp_path / "ix2")],
                               input=corpus.read_text(encoding="utf-8"))
    assert stdin.exit_code == 0  # no size known: no total, no error


def test_the_progress_bar_is_drawn_on_a_terminal_only(tmp_path):
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": f'"Plan {i} works," Bo Park said.'}) + "\n"
                              for i in range(5)), encoding="utf-8")
    piped = run("index", str(corpus), "--index-dir", str(tmp_path / "a"))
    assert piped.exit_code == 0 and "reading and extracting" not in piped.stderr
    drawn = run("index", str(corpus), "--index-dir", str(tmp_path / "b"), env={**TERMINAL, "TTY_INTERACTIVE": "1"})
    assert drawn.exit_code == 0 and "reading and extracting" in drawn.stderr


# -- a first build interrupted: searches say the index is incomplete -------------------------------------------

INTERRUPTED_ARTICLES = 1500  # batches of 200: killed after the first commits, long before the end


def committed_articles(ix: Path) -> int:
    """Articles the catalog has committed so far (0 before its first commit)."""
    try:
        return stats(ix).articles
    except QuotesError:  # no catalog yet, or one being made
        return 0


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_an_interrupted_first_build_makes_searches_say_so_until_the_next_run(tmp_path, how):
    corpus = tmp_path / "big.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": f'"We will build {i} bridges," Ann Lee said.'})
                              + "\n" for i in range(INTERRUPTED_ARTICLES)), encoding="utf-8")
    ix = tmp_path / "ix"
    args = quotes_cmd("index", str(corpus), "--index-dir", str(ix), "--workers", "1")
    # Ctrl-C as at a terminal, even where this test runs in the background (which ignores SIGINT, and so
    # would the run, inheriting it)
    proc = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while committed_articles(ix) == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (-signal.SIGKILL if how == signal.SIGKILL else 130), err

    stats = subprocess.run(quotes_cmd("stats", "--json", "--index-dir", str(ix)), capture_output=True, text=True,
                           timeout=60)
    committed = json.loads(stats.stdout)["quotes"]
    assert 0 < committed < INTERRUPTED_ARTICLES
    search = subprocess.run(quotes_cmd("search", "bridges", "--index-dir", str(ix)), capture_output=True,
                            text=True, timeout=60)
    assert (f"index incomplete: {committed} quotations of the catalog are not searchable yet: run `quotes "
            "index` to finish") in search.stderr.splitlines()

    finished = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    search = subprocess.run(quotes_cmd("search", "bridges", "-n", "1", "--index-dir", str(ix)),
                            capture_output=True, text=True, timeout=60)
    assert search.returncode == 0 and "incomplete" not in search.stderr
    assert search.stderr.splitlines()[-1].startswith(f"{INTERRUPTED_ARTICLES} quotations for 'bridges'")
