"""`quotes verify`, `quotes timeline` and the variants of `quotes show` (#11), on real indexes.

The seed corpus (seeds/) is the acceptance check; tests/data/workbench_articles.jsonl is a small dated
corpus built to have one of everything:

    gazette-1  Harbor Gazette  2016-09-05  Holt: "We will rebuild every bridge in this state before the winter
                                           comes" and "Nobody should pay more for less"
    valley-1   Valley Times    2016-09-20  the bridge quotation reprinted word for word (Sen. Jane Holt)
    herald-1   Coast Herald    2016-10-02  Holt: "We will repair every bridge in the state before winter comes"
                                           (a variant); Reyes: "The budget cannot carry another tax increase ..."
    gazette-2  Harbor Gazette  2016-11-15  Holt on schools; principal Ann Moss: "<script>alert('owned')</script> ..."
    valley-2   Valley Times    2017-01-10  Reyes: "We balanced the budget without cutting a single teacher"
"""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes import claims
from quotes import search as search_api
from quotes.cli import app
from quotes.search import verify
from quotes.timeline import timeline

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = Path(__file__).parent / "data" / "workbench_articles.jsonl"
KOREA = ("AI adoption (in Korea) generally has been quite incredible, and there's so much in Korea that makes AI a "
         "good fit.")
KOREA_CLAIMED = ("AI adoption in Korea has been really incredible, and there is so much in Korea that makes AI a "
                 "great fit")
BRIDGE = "We will rebuild every bridge in this state before the winter comes"


def _index(path: Path, *sources: Path) -> Path:
    result = CliRunner().invoke(app, ["index", *map(str, sources), "--index-dir", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    return _index(tmp_path_factory.mktemp("seeds") / "ix", ROOT / "seeds")


@pytest.fixture(scope="module")
def ix(tmp_path_factory) -> Path:
    return _index(tmp_path_factory.mktemp("workbench") / "ix", ARTICLES)


def run(index_dir: Path, *args: str):
    return CliRunner().invoke(app, [*args, "--index-dir", str(index_dir)], env={"COLUMNS": "200"})


# -- acceptance on the seed corpus -------------------------------------------------------------------------


@pytest.mark.parametrize(("claim", "speaker", "verdict", "who"), [
    (KOREA_CLAIMED, None, "close", "Sam Altman"),
    (KOREA, None, "exact", "Sam Altman"),
    (KOREA, "Sam Altman", "exact", "Sam Altman"),
    (KOREA, "Altman", "exact", "Sam Altman"),  # any form of the name
    (KOREA, "Masayoshi Son", "other_speaker", "Sam Altman"),
    (KOREA_CLAIMED, "Masayoshi Son", "other_speaker", "Sam Altman"),
    ("there's so much in Korea that makes AI a good fit", None, "exact", "Sam Altman"),  # a part of it
    ("The weather in Paris is lovely at this time of the year", None, "not_found", None),
    ("Korea makes the best kimchi in the whole wide world", None, "not_found", None),
    ("Our quarterly revenue grew faster than any analyst expected", "Sam Altman", "not_found", None),
])
def test_verdicts_on_the_seed_corpus(seeds, claim, speaker, verdict, who):
    result = verify(claim, speaker, index_dir=seeds)
    assert result.verdict == verdict
    if who:
        assert result.matches and result.matches[0].speaker == who
    else:
        # the closest, where any quotation shares a word with the claim, and how far it is
        assert not result.matches and (result.closest is None or result.closest.similarity < 0.75)


def test_a_close_claim_gets_the_word_diff(seeds):
    match = verify(KOREA_CLAIMED, index_dir=seeds).matches[0]
    changes = {(c.op, c.claim, c.quote) for c in match.diff if c.op != "equal"}
    assert changes == {("insert", "", "generally"), ("replace", "really", "quite"), ("replace", "is", "s"),
                       ("replace", "great", "good")}
    assert 0.75 <= match.similarity < 1 and match.exact is None
    assert match.text == KOREA.rstrip(".")  # the words as printed, marks and case kept
    assert "{+generally+}" in claims.render_diff(match.diff)


def test_an_exact_part_says_which_part(seeds):
    match = verify("so much in Korea that makes AI a good fit", index_dir=seeds).matches[0]
    assert (match.exact, match.text, match.similarity) == ("part", "so much in Korea that makes AI a good fit", 1.0)
    assert verify(KOREA, index_dir=seeds).matches[0].exact == "whole"


def test_verify_json_has_what_a_script_needs(seeds):
    result = run(seeds, "verify", KOREA_CLAIMED, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["verdict"] == "close"
    match = out["matches"][0]
    for key in ("speaker", "text", "similarity", "diff", "first_printed", "articles", "quote_id", "paragraph"):
        assert key in match
    assert match["speaker"] == "Sam Altman" and match["articles"] == 1
    assert match["first_printed"]["article_id"].endswith("000_79b1a7c8b752f4f6.txt")
    assert KOREA in match["paragraph"]


def test_verify_table_names_the_other_speaker(seeds):
    result = run(seeds, "verify", KOREA, "--speaker", "Masayoshi Son")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("verdict: other_speaker") and "(Sam Altman, not Masayoshi Son)" in result.stdout


@pytest.mark.parametrize(("claim", "says"), [("", "fewer than 3 words"), ("hi there", "fewer than 3 words"),
                                             ("... ...", "fewer than 3 words")])
def test_a_claim_too_short_is_one_line_and_exit_1(seeds, claim, says):
    result = run(seeds, "verify", claim)
    assert result.exit_code == 1 and says in result.stderr and len(result.stderr.splitlines()) == 1


def test_verify_without_an_index_names_the_fix(tmp_path):
    result = run(tmp_path / "none", "verify", KOREA)
    assert result.exit_code == 1 and "quotes index" in result.stderr


# -- the dated corpus: splices, first printings, timeline, variants ---------------------------------------


def test_a_spliced_claim_finds_both_quotations(ix):
    result = verify("We will rebuild every bridge in this state ... our schools deserve better than promises",
                    index_dir=ix)
    assert result.verdict == "exact" and len(result.parts) == 2
    assert {m.part for m in result.matches} == {0, 1}
    assert {m.quotation.split()[0] for m in result.matches} == {"We", "Our"}


def test_a_splice_with_one_invented_half_is_not_found_but_keeps_the_half_found(ix):
    result = verify("We will rebuild every bridge in this state … and the budget moon is made of green cheese",
                    index_dir=ix)
    assert result.verdict == "not_found"
    assert [m.part for m in result.matches] == [0] and result.closest is not None


def test_a_match_names_its_first_printing_and_how_many_print_it(ix):
    match = verify(BRIDGE, "Holt", index_dir=ix).matches[0]
    assert (match.first_printed.publisher, match.first_printed.published) == ("Harbor Gazette", "2016-09-05")
    assert match.articles == 2 and match.speaker == "Jane Holt"


def test_a_reworded_claim_of_the_other_speaker_names_who_said_it(ix):
    result = verify("The budget can not carry one more tax increase this year", "Jane Holt", index_dir=ix)
    assert result.verdict == "other_speaker" and result.matches[0].speaker == "Tom Reyes"


@pytest.mark.parametrize(("by", "buckets"), [
    ("month", [("2016-09", 2), ("2016-10", 1), ("2016-11", 1)]),
    ("year", [("2016", 4)]),
    ("week", [("2016-W36", 2), ("2016-W37", 0), ("2016-W38", 0), ("2016-W39", 1), ("2016-W40", 0),
              ("2016-W41", 0), ("2016-W42", 0), ("2016-W43", 0), ("2016-W44", 0), ("2016-W45", 0),
              ("2016-W46", 1)]),
])
def test_timeline_counts_a_reprint_once_at_its_first_printing(ix, by, buckets):
    line = timeline(speaker="Holt", by=by, index_dir=ix)
    assert [(b.period, b.count) for b in line.buckets] == buckets
    assert (line.total, line.first, line.last, line.undated) == (4, "2016-09-05", "2016-11-15", 0)


def test_timeline_of_a_query_and_a_speaker(ix):
    assert [(b.period, b.count) for b in timeline("budget", by="year", index_dir=ix).buckets] == [
        ("2016", 1), ("2017", 1)]
    assert timeline("budget", speaker="Holt", index_dir=ix).total == 0
    assert timeline("bridge", speaker="Holt", by="day", index_dir=ix).buckets[0].period == "2016-09-05"


def test_timeline_json_and_csv(ix):
    out = json.loads(run(ix, "timeline", "--speaker", "Reyes", "--by", "year", "--json").stdout)
    assert [(b["period"], b["count"]) for b in out["buckets"]] == [("2016", 1), ("2017", 1)]
    rows = list(csv.reader(io.StringIO(run(ix, "timeline", "--by", "year", "--csv").stdout)))
    assert rows == [["period", "start", "count"], ["2016", "2016-01-01", "6"], ["2017", "2017-01-01", "1"]]
    lines = run(ix, "timeline", "--speaker", "Holt").stdout.splitlines()
    assert lines[0] == "4 quotations by Holt, first 2016-09-05, last 2016-11-15"
    assert lines[1:] == ["2016-09\t2\t" + "█" * 40, "2016-10\t1\t" + "█" * 20, "2016-11\t1\t" + "█" * 20]
    tsv = run(ix, "timeline", "--speaker", "Holt", "--tsv").stdout.splitlines()
    assert tsv[:2] == ["period\tstart\tcount", "2016-09\t2016-09-01\t2"]


def test_timeline_errors_are_one_line(ix):
    both = run(ix, "timeline", "--json", "--csv")
    assert both.exit_code == 2 and "one at a time" in both.stderr
    assert run(ix, "timeline", "--by", "decade").exit_code == 2


def test_undated_quotations_are_counted_apart(seeds):
    out = json.loads(run(seeds, "timeline", "--speaker", "Altman", "--json").stdout)
    assert out["buckets"] == [{"period": "undated", "start": None, "count": 10}]
    assert (out["undated"], out["total"], out["first"]) == (10, 10, None)
    dated = json.loads(run(seeds, "timeline", "--speaker", "Elena Ruiz", "--json").stdout)
    assert [b["count"] for b in dated["buckets"]] and dated["undated"] == 0


def test_show_lists_a_variant_with_its_diff(ix):
    first = verify(BRIDGE, index_dir=ix).matches[0].quote_id
    out = json.loads(run(ix, "show", first, "--json").stdout)
    [variant] = out["variants"]
    assert variant["quotation"].startswith("We will repair") and variant["first_printed"]["publisher"] == "Coast Herald"
    assert "[-rebuild-]{+repair+}" in variant["diff"]
    lines = [line for line in run(ix, "show", first).stdout.splitlines() if line.startswith("variant: ")]
    assert len(lines) == 1 and "Coast Herald" in lines[0] and "[-rebuild-]{+repair+}" in lines[0]
    table = CliRunner().invoke(app, ["show", first, "--index-dir", str(ix)],
                               env={"COLUMNS": "200", "TTY_COMPATIBLE": "1"}).stdout
    assert "1 variant: the same quotation in other words" in table and "Coast Herald" in table


def test_another_persons_similar_words_are_no_variant(ix):
    reyes = verify("We balanced the budget without cutting a single teacher", index_dir=ix).matches[0]
    assert claims.variants(reyes.quote_id, index_dir=ix) == ()


# -- quotes serve's command line (the pages themselves: tests/test_web.py, tests/test_browser.py) ----------


def test_serve_without_flask_says_how_to_install_it(seeds):
    code = ("import sys; sys.modules['flask'] = None; from quotes.cli import main; "
            f"sys.argv = ['quotes', 'serve', '--index-dir', {str(seeds)!r}]; main()")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr == (
        "error: the web page needs Flask (flask is not installed): pip install 'quotes[web]'\n")


def test_serve_without_an_index_is_one_line(tmp_path):
    result = run(tmp_path / "none", "serve")
    assert result.exit_code == 1 and "quotes index" in result.stderr and len(result.stderr.splitlines()) == 1


def test_serve_on_a_port_in_use_names_the_fix(seeds):
    pytest.importorskip("flask", reason="the web page needs the extra: pip install -e '.[web]'")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run(seeds, "serve", "--port", str(busy.getsockname()[1]))
    assert result.exit_code == 1 and "try another --port" in result.stderr


@pytest.mark.parametrize(("speaker", "total"), [
    ("Grace Whitfield", 3),  # the canonical name
    ("Whitfield", 3),  # a word of the name the articles never use alone: found as `search --speaker` finds it
    ("union president Grace Whitfield", 3),  # a form an article used
    ("Whitfeld", 0),  # no such speaker
])
def test_timeline_finds_a_speaker_as_search_does(seeds, speaker, total):
    assert timeline(speaker=speaker, index_dir=seeds).total == total
    assert search_api.find("*", speaker=speaker, index_dir=seeds, limit=50).total == total
