"""`quotes search`, `show` and `speakers` through typer's CliRunner, on a real index of four articles.

The articles (tests/data/search_articles.jsonl) are indexed by `quotes index` with the real extraction:

    wire-1    Wire Service  2016-09-12  "Stargate is meant to be a truly global initiative," Altman said.
                                        "We will build it with partners," he added.            (Sam Altman)
    planet-1  Daily Planet  2016-10-03  the Stargate quotation again ("...initiative!")        (Altman)
                                        Son said the talks covered "updates to the Stargate project"
    times-1   London Times  2016-10-20  "Taxes will fall for working families,"               (no speaker)
                                        "The economy is growing," she added.                    (Theresa May)
    wire-2    Wire Service  2016-11-02  "The economy is rigged," Mr. Sanders said.
                                        "Medicare for all is the answer," he said.              (Bernie Sanders)
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rich.text import Text
from typer.testing import CliRunner

from quotes.cli import _details_rows, app
from quotes.search import show

ARTICLES = Path(__file__).parent / "data" / "search_articles.jsonl"
STARGATE = "Stargate is meant to be a truly global initiative"


@pytest.fixture(scope="module")
def ix(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("search") / "ix"
    result = CliRunner().invoke(app, ["index", str(ARTICLES), "--index-dir", str(path)])
    assert result.exit_code == 0, result.output
    return path


TERMINAL = {"COLUMNS": "200", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}  # rich draws tables as on a terminal
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def run(ix):
    """Run `quotes ARGS --index-dir IX`, its output sent to a pipe (plain lines); returns the result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, [*args, "--index-dir", str(ix)])

    return invoke


@pytest.fixture
def on_terminal(ix):
    """Run `quotes ARGS --index-dir IX` as on a terminal 200 columns wide; returns stdout without styles."""
    runner = CliRunner()

    def invoke(*args: str) -> str:
        result = runner.invoke(app, [*args, "--index-dir", str(ix)], env=TERMINAL)
        assert result.exit_code == 0, result.output
        return ANSI.sub("", result.stdout)

    return invoke


def hits(run, *args: str) -> list[dict]:
    result = run("search", *args, "--json")
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == (0 if found else 1), result.output  # as grep: 1 when nothing matches
    return found


def texts(run, *args: str) -> list[str]:
    return [h["text"].rstrip("!,") for h in hits(run, *args, "--limit", "50")]


# -- query language ----------------------------------------------------------------------------------------


def test_a_phrase_must_be_in_order(run):
    assert texts(run, '"global initiative"') == [STARGATE]
    assert texts(run, '"initiative global"') == []


@pytest.mark.parametrize(("query", "expected"), [
    ("economy AND rigged", {"The economy is rigged"}),
    ("economy rigged", {"The economy is rigged"}),  # words alone: all must occur
    ("taxes OR medicare", {"Taxes will fall for working families", "Medicare for all is the answer"}),
    ("economy NOT rigged", {"The economy is growing"}),
    ("(taxes OR economy) AND NOT growing", {"Taxes will fall for working families", "The economy is rigged"}),
    ('"global initiative" OR medicare', {STARGATE, "Medicare for all is the answer"}),
    ('NOT "economy is" AND (taxes OR medicare)', {"Taxes will fall for working families",
                                                  "Medicare for all is the answer"}),
])
def test_boolean_operators(run, query, expected):
    assert set(texts(run, query)) == expected


def test_fuzzy_and_prefix_words(run):
    assert texts(run, "medicre~") == ["Medicare for all is the answer"]  # one letter missing
    plain = run("search", "medicre")  # a plain word does not forgive it: the correction is searched instead
    assert plain.stderr.startswith("no quotations for 'medicre'; showing those for 'medicare'")
    assert texts(run, "initiat*") == [STARGATE]  # a prefix of the word, not of its stem ("initi")
    (hit,) = hits(run, "partn*")
    assert "«partners»" in hit["highlights"]


@pytest.mark.parametrize(("query", "expected"), [
    ("speaker:sanders", {"The economy is rigged", "Medicare for all is the answer"}),
    ('publisher:"london times"', {"Taxes will fall for working families", "The economy is growing"}),
    ("kind:partial", {"updates to the Stargate project"}),
    ("published:2016-10", {STARGATE, "updates to the Stargate project", "Taxes will fall for working families",
                           "The economy is growing"}),
    ("published:[2016-09-01 to 2016-10-15]", {STARGATE, "We will build it with partners",
                                               "updates to the Stargate project"}),
    ("published:[2016-10-20 to 2016-11]", {"Taxes will fall for working families", "The economy is growing",
                                           "The economy is rigged", "Medicare for all is the answer"}),
    ("economy published:2016-11-02", {"The economy is rigged"}),
    ("article:times-1 economy", {"The economy is growing"}),
])
def test_field_queries(run, query, expected):
    assert set(texts(run, query)) == expected


@pytest.mark.parametrize(("query", "says"), [
    ('"global initiative', 'unclosed "'),
    ("(taxes OR economy", "unmatched ("),
    ("taxes AND", "AND in 'taxes AND' needs a word on each side"),
    ("colour:red", "unknown field 'colour'"),
    ("published:2016-13", "'2016-13' is not a date"),
])
def test_an_unparsable_query_is_one_line_and_exit_2(run, query, says):
    result = run("search", query)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: ") and says in result.stderr


# -- options --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "speakers"), [
    ("Son", {"Masayoshi Son"}),  # a surname the article uses
    ("altman", {"Sam Altman"}),  # planet-1's "Altman" prints a wire-1 quotation: one hit, the first printing
    ("Sam Altman", {"Sam Altman"}),
    ("Mr. Sanders", {"Bernie Sanders"}),  # a form the article used, not a part of the canonical name
    ("Theresa May", {"Theresa May"}),
])
def test_speaker_option_matches_any_form_of_the_name(run, name, speakers):
    found = hits(run, "*", "--speaker", name, "--limit", "50")
    assert found and {h["speaker"] for h in found} == speakers


@pytest.mark.parametrize("name", ["Sandra", "he", "she"])  # a pronoun is no form of anyone's name
def test_speaker_option_with_a_name_nobody_has(run, name):
    assert hits(run, "*", "--speaker", name) == []


@pytest.mark.parametrize(("name", "says"), [
    # a form of the name, one letter off (planet-1 names only "Altman": a speaker of its own)
    ("Altmann", "no speaker 'Altmann'; did you mean 'Sam Altman' or 'Altman'?"),
    ("sam altmn", "no speaker 'sam altmn'; did you mean 'Sam Altman'?"),
    ("Bernie Sandres", "no speaker 'Bernie Sandres'; did you mean 'Bernie Sanders'?"),
    ("Masayoshi", None),  # a word of a name: a speaker, whose quotations (of this query) are none
    ("Zebedee", "no speaker 'Zebedee' in the index; `quotes speakers` lists them"),
])
def test_an_unknown_speaker_is_named_with_the_nearest_speakers(run, name, says):
    result = run("search", "economy", "--speaker", name)
    assert result.exit_code == 1 and result.stdout == ""
    notes = result.stderr.splitlines()[:-1]  # the last line is the summary
    assert notes == ([says] if says else [])


def test_publisher_since_until_kind_and_article_options(run):
    assert set(texts(run, "economy", "--publisher", "wire")) == {"The economy is rigged"}
    assert set(texts(run, "*", "--since", "2016-10", "--until", "2016-10")) == {
        STARGATE, "updates to the Stargate project", "Taxes will fall for working families",
        "The economy is growing"}
    assert set(texts(run, "*", "--since", "2016-10-21")) == {"The economy is rigged",
                                                            "Medicare for all is the answer"}
    assert texts(run, "stargate", "--kind", "partial") == ["updates to the Stargate project"]
    assert set(texts(run, "*", "--article", "wire-2")) == {"The economy is rigged", "Medicare for all is the answer"}
    bad = run("search", "*", "--since", "last week")
    assert bad.exit_code == 2 and bad.stderr.startswith("error: 'last week' is not a date")
    wrong_kind = run("search", "*", "--kind", "indirect")
    assert wrong_kind.exit_code == 2  # typer refuses the choice


def test_sort_by_date_is_newest_first(run):
    found = hits(run, "*", "--sort", "date", "--limit", "50")
    dates = [h["published"] for h in found]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2016-11-02" and dates[-1] == "2016-09-12"
    by_relevance = hits(run, "stargate", "--sort", "relevance")
    assert by_relevance[0]["score"] >= by_relevance[-1]["score"] > 0


def test_limit_and_page_with_the_total_shown(run, on_terminal):
    every = texts(run, "*", "--sort", "date")
    assert len(every) == 7  # eight quotes, the Stargate quotation printed twice
    page2 = run("search", "*", "--sort", "date", "--limit", "3", "--page", "2", "--json")
    assert page2.exit_code == 0
    assert [json.loads(line)["text"].rstrip("!,") for line in page2.stdout.splitlines()] == every[3:6]
    assert page2.stderr.strip() == "7 quotations for '*', 4-6 (page 2 of 3)"
    table = on_terminal("search", "*", "--limit", "3", "--page", "3")
    assert "7 quotations for '*', 7-7 (page 3 of 3)" in " ".join(table.split())
    past = run("search", "*", "--limit", "3", "--page", "9", "--json")
    assert past.exit_code == 0 and past.stdout == ""
    assert past.stderr.strip() == "7 quotations for '*'; page 9 is past the last page (3)"


# -- results --------------------------------------------------------------------------------------------------


def test_a_quotation_printed_twice_is_one_hit_listing_both_articles(run):
    (hit,) = hits(run, "global initiative")
    assert [o["article_id"] for o in hit["occurrences"]] == ["wire-1", "planet-1"]  # first published first
    assert [o["publisher"] for o in hit["occurrences"]] == ["Wire Service", "Daily Planet"]
    assert all(len(o["quote_id"]) == 12 for o in hit["occurrences"])
    # filtered to the reprint, the hit is the reprint's, still listing both
    (reprint,) = hits(run, "global initiative", "--publisher", "daily planet")
    assert reprint["article_id"] == "planet-1" and reprint["text"].endswith("initiative!")
    assert len(reprint["occurrences"]) == 2
    table = run("search", "global initiative")
    assert "Wire Service (+1 more)" in table.stdout


def test_json_hits_carry_quote_article_score_and_highlights(run):
    (hit,) = hits(run, "rigged")
    assert hit["text"] == "The economy is rigged" and hit["speaker"] == "Bernie Sanders"
    assert (hit["speaker_mention"], hit["cue"], hit["kind"]) == ("Mr. Sanders", "said", "direct")
    assert (hit["article_id"], hit["title"], hit["publisher"], hit["published"], hit["url"]) == (
        "wire-2", "Sanders attacks deal", "Wire Service", "2016-11-02", "http://wire.example/2")
    assert hit["highlights"] == "The economy is «rigged»" and hit["score"] > 0


def test_csv_has_a_header_and_a_row_per_hit(run):
    result = run("search", "economy", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["id", "text", "speaker"] and "highlights" in rows[0] and "occurrences" in rows[0]
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert {r["text"] for r in body} == {"The economy is rigged", "The economy is growing"}
    assert {r["speaker"] for r in body} == {"Bernie Sanders", "Theresa May"}
    assert {r["occurrences"] for r in body} == {"wire-2", "times-1"}
    both = run("search", "economy", "--csv", "--json")
    assert both.exit_code == 2


def test_the_table_shows_speaker_outlet_date_and_a_short_id(run, on_terminal):
    table = on_terminal("search", "rigged")
    (hit,) = hits(run, "rigged")
    flat = " ".join(table.split())
    assert "1 quotations for 'rigged'" not in flat and "1 quotation for 'rigged'" in flat
    assert all(x in flat for x in ("Bernie Sanders", "Wire Service", "2016-11-02", hit["id"][:8], "┃"))
    assert "«" not in table  # the marks become bold


def test_piped_output_is_a_plain_line_a_hit_with_the_url_whole(run):
    result = run("search", "rigged")
    (hit,) = hits(run, "rigged")
    assert result.stdout == (f'{hit["id"][:8]}  Bernie Sanders: "The economy is rigged"  '
                             "(Wire Service, 2016-11-02, http://wire.example/2)\n")
    assert result.stderr == "1 quotation for 'rigged'\n"  # the summary is for the person, not the pipe


# -- did you mean ---------------------------------------------------------------------------------------------


def test_a_misspelt_query_with_no_hits_searches_the_suggestion(run):
    result = run("search", "Stargte", "--json")
    assert result.exit_code == 0
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert {h["text"].rstrip("!") for h in found} == {STARGATE, "updates to the Stargate project"}
    assert result.stderr.splitlines()[0] == "no quotations for 'Stargte'; showing those for 'stargate'"


def test_a_query_with_few_hits_gets_a_suggestion_only(run):
    result = run("search", "economy OR medicre", "--json")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2  # the economy quotes, not searched again
    assert result.stderr.splitlines()[0] == "did you mean 'economy OR medicare'?"


def test_nothing_close_means_no_suggestion(run):
    result = run("search", "xylophone", "--json")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == "0 quotations for 'xylophone'"


def test_a_filter_alone_lists_everything_it_keeps(run):
    found = hits(run, "--speaker", "Altman", "--sort", "date")
    assert len(found) == 2 and all(h["speaker"].endswith("Altman") for h in found)
    assert found == hits(run, "*", "--speaker", "Altman", "--sort", "date")


def test_no_hits_is_one_line_on_stderr_and_exit_1_as_grep(run, ix):
    result = run("search", "xylophone")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "0 quotations for 'xylophone'\n")
    table = CliRunner().invoke(app, ["search", "xylophone", "--index-dir", str(ix)], env=TERMINAL)
    assert (table.exit_code, table.stdout) == (1, "")  # no empty table on a terminal either


@pytest.mark.parametrize(("args", "says"), [
    (["--speaker", "Altmann"], "0 quotations with speaker 'Altmann'"),
    (["--since", "2016-10", "--until", "2016-10-15", "--kind", "partial"],
     "1 quotation with since 2016-10, until 2016-10-15, kind partial"),
    (["stargate", "--publisher", "daily planet"], "2 quotations for 'stargate' with publisher 'daily planet'"),
    (["*"], "7 quotations for '*'"),
])
def test_the_summary_names_the_filters_not_a_star(run, args, says):
    assert run("search", *args).stderr.splitlines()[-1] == says


# -- show, speakers, --by speaker ------------------------------------------------------------------------------


def test_show_gives_the_paragraph_the_attribution_and_the_other_occurrences(run):
    (hit,) = hits(run, "global initiative", "--publisher", "wire")
    result = run("show", hit["id"][:8], "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["paragraph"] == '"Stargate is meant to be a truly global initiative," Altman said.'
    assert (shown["speaker_mention"], shown["cue"], shown["rule"]) == ("Altman", "said", "cue_after")
    assert shown["url"] == "http://wire.example/1" and shown["path"].endswith("search_articles.jsonl:1")
    assert [o["article_id"] for o in shown["occurrences"]] == ["wire-1", "planet-1"]
    table = run("show", hit["id"])
    flat = " ".join(table.stdout.split())
    for words in ("Sam Altman", "cue_after", "0.", "Altman unveils Stargate", "Wire Service", "2016-09-12",
                  "http://wire.example/1", "Daily Planet · 2016-10-03"):
        assert words in flat


def test_show_marks_the_quotation_and_the_words_it_rests_on_in_its_paragraph(run, ix):
    (hit,) = hits(run, "global initiative", "--publisher", "wire")
    values = [value for _, value in _details_rows(show(hit["id"], index_dir=ix))]
    (paragraph,) = [v for v in values if isinstance(v, Text) and v.plain.startswith('"Stargate')]
    marked = {paragraph.plain[span.start:span.end]: str(span.style) for span in paragraph.spans}
    assert marked == {"Stargate is meant to be a truly global initiative": "bold yellow",
                      "Altman": "bold cyan underline"}


def test_speakers_with_counts_and_other_name_forms(run):
    result = run("speakers", "--json")
    assert result.exit_code == 0
    rows = {r["speaker"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert (rows["Sam Altman"]["count"], rows["Sam Altman"]["forms"]) == (2, ["Altman"])
    assert rows["Bernie Sanders"]["forms"] == ["Mr. Sanders"]  # "he" is not a form of a name
    assert rows["Masayoshi Son"]["forms"] == ["Son"]
    top = [json.loads(line)["speaker"] for line in run("speakers", "--top", "2", "--json").stdout.splitlines()]
    assert top == ["Bernie Sanders", "Sam Altman"]  # 2 each, then by name
    table = run("speakers", "--top", "2")
    assert "Mr. Sanders" in table.stdout and "Masayoshi Son" not in table.stdout


def test_speakers_top_larger_than_sqlite_can_hold_lists_them_all(run):
    result = run("speakers", "--top", str(2**64), "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert len(result.stdout.splitlines()) == len(run("speakers", "--json").stdout.splitlines())


def test_speakers_of_a_query(run):
    result = run("speakers", "stargate", "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["speaker"], r["count"]) for r in rows] == [("Altman", 1), ("Masayoshi Son", 1), ("Sam Altman", 1)]


def test_search_by_speaker_counts_hits_per_speaker(run, on_terminal):
    result = run("search", "economy OR medicare OR stargate", "--by", "speaker", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["speaker"], r["count"]) for r in rows] == [
        ("Bernie Sanders", 2), ("Altman", 1), ("Masayoshi Son", 1), ("Sam Altman", 1), ("Theresa May", 1)]
    filtered = run("search", "economy", "--by", "speaker", "--publisher", "wire", "--json")
    assert [json.loads(line)["speaker"] for line in filtered.stdout.splitlines()] == ["Bernie Sanders"]
    table = on_terminal("search", "economy", "--by", "speaker")
    assert "Theresa May" in table and "2 quotations" in table
    piped = run("search", "economy", "--by", "speaker")
    assert piped.stdout == "1\tBernie Sanders (also Mr. Sanders)\n1\tTheresa May (also Theresa)\n"
    assert run("search", "xylophone", "--by", "speaker").exit_code == 1
