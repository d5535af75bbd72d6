"""Canonical speakers end to end (#8): annotated articles of our own (tests/data/names/, the page gold's
format) scored by `quotes evaluate`, and `quotes speakers` / `quotes search --speaker` on their index."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes.cli import app
from quotes.evaluate_pages import evaluate_pages

NAMES = Path(__file__).resolve().parent / "data" / "names"
GOLD = json.loads((NAMES / "gold.json").read_text(encoding="utf-8"))


def test_every_annotated_quotation_is_found_with_its_canonical_speaker():
    figures = evaluate_pages(NAMES / "gold.json").metrics()
    assert figures["found"] == figures["gold_quotes"] == 18
    assert figures["named_right"] == figures["named"] == 16
    assert figures["unnamed_sensible"] == figures["unnamed"] == 2
    assert figures["not_speech_given_speaker"] == 0


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    ix = tmp_path_factory.mktemp("names") / "index"
    runner = CliRunner()
    result = runner.invoke(app, ["index", str(NAMES), "--index-dir", str(ix)])
    assert result.exit_code == 0, result.output

    def invoke(*args: str) -> list[dict]:
        result = runner.invoke(app, [*args, "--index-dir", str(ix), "--json"])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]

    return invoke


@pytest.mark.parametrize("speaker", ["Gayle King", "King", "Phoebe Lang", "Prince Harry", "Hank Sheinkopf"])
def test_search_by_speaker_finds_every_quotation_of_theirs(run, speaker):
    full = "Gayle King" if speaker == "King" else speaker
    want = sorted(q["text"] for page in GOLD.values() for q in page["quotes"] if q["speaker"] == full)
    got = sorted(hit["text"] for hit in run("search", "--speaker", speaker, "--limit", "50"))
    assert [w.rstrip(",") for w in want] == [g.rstrip(",") for g in got]


def test_speakers_are_people_organisations_or_descriptions(run):
    listed = {row["speaker"] for row in run("speakers")}
    assert "Gayle King" in listed and "King" not in listed
    assert not listed & {"Thousands", "one", "One", "Harry", "Meghan Markle", "Bloomberg", "the billionaire"}
