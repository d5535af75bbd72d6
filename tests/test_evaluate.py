"""Evaluation: the metrics on hand-made gold, the CLI command, and the gate on the PolNeAR dev split."""

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes.cli import app
from quotes.evaluate import GoldError, evaluate

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
DEV = SHARED / "polnear" / "dev.jsonl"
SCORER = SHARED / "bench" / "score_attribution.py"
needs_dev = pytest.mark.skipif(not DEV.is_file(), reason="../shared/polnear/dev.jsonl is absent")

# Floors pinned just under what the rules reach on the dev split (extraction F1 0.9605, speaker
# accuracy 0.9533, end-to-end F1 0.9175); a change that drops below them is a regression.
DEV_FLOORS = {"extraction_f1": 0.96, "speaker_accuracy": 0.953, "e2e_f1": 0.917}


def gold_article(text, attributions):
    return {"id": "a", "text": text, "attributions": attributions}


def span(text, words):
    start = text.index(words)
    return [start, start + len(words)]


@pytest.fixture
def gold_file(tmp_path):
    text = ('"We ship it," Altman said.\n\n"It works," said Jane Roe.\n\n'
            'Nobody knew the "real" reason. Bob Smith said the deal "was fine."')
    attributions = [
        {"direct": True, "content": [span(text, "We ship it")], "source": [span(text, "Altman")],
         "source_text": "Altman"},
        {"direct": True, "content": [span(text, "It works")], "source": [span(text, "Jane Roe")],
         "source_text": "Jane Roe"},
        {"direct": True, "content": [span(text, "the deal \"was fine.\"")], "source": [span(text, "Bob Smith")],
         "source_text": "Bob Smith"},
        {"direct": False, "content": [span(text, "Nobody knew")], "source": [], "source_text": ""},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold_article(text, attributions)) + "\n", encoding="utf-8")
    return path


def test_metrics_on_hand_made_gold(gold_file):
    m = evaluate(gold_file).metrics()
    # three gold quotations, all found with the right speaker; "real" is a scare quote, not reported
    assert (m["gold_quotes"], m["predicted"]) == (3, 3)
    assert m["extraction_f1"] == m["speaker_accuracy"] == m["e2e_f1"] == 1.0


def test_a_wrong_speaker_counts_against_accuracy_not_extraction(tmp_path):
    text = '"We ship it," Altman said.'
    attributions = [{"direct": True, "content": [span(text, "We ship it")], "source": [[0, 1]],
                     "source_text": "Jane Roe"}]
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(gold_article(text, attributions)), encoding="utf-8")
    m = evaluate(path).metrics()
    assert m["extraction_f1"] == 1.0
    assert m["speaker_accuracy"] == m["e2e_f1"] == 0.0


def test_bad_gold_is_one_clear_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "no attributions"}\n', encoding="utf-8")
    with pytest.raises(GoldError, match="bad.jsonl:1"):
        evaluate(path)
    with pytest.raises(GoldError, match="no gold file"):
        evaluate(tmp_path / "missing.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(GoldError, match="no gold article in .*empty.jsonl: it is empty"):
        evaluate(tmp_path / "empty.jsonl")  # not a table of zeros


def test_cli_evaluate(gold_file):
    result = CliRunner().invoke(app, ["evaluate", str(gold_file), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["e2e_f1"] == 1.0
    assert {row[0] for row in out["rules"]} == {"cue_after", "cue_before"}
    table = CliRunner().invoke(app, ["evaluate", str(gold_file)])
    assert "extraction_f1" in table.stdout and "speaker accuracy by rule" in table.stdout


def test_cli_evaluate_missing_file(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: no gold file at")


@pytest.mark.parametrize("line, problem", [
    ('{"text": "x"}', 'no "attributions"'),
    ('{"text": 5, "attributions": []}', '"text" must be a string'),
    ('{"text": "x", "attributions": 5}', '"attributions" must be a list'),
    ('{"text": "x", "attributions": [5]}', 'attribution 1 must be an object'),
    ('{"text": "x", "attributions": [{"direct": true, "content": 5}]}',
     'attribution 1: "content" must be a list of [start, end] spans'),
    ('{"text": "x", "attributions": [{"direct": true, "content": [[0, 1]], "source": [3]}]}',
     'attribution 1: "source" must be a list of [start, end] spans'),
    ('[1, 2]', "a JSON object a line, not an array"),
])
def test_a_malformed_gold_line_is_one_line_naming_what_is_wrong(tmp_path, line, problem):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(path)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"error: {path}:1: not a gold article ({problem}): each line needs `text` and "
                             "`attributions` as PolNeAR's gold files have them\n")


@pytest.fixture(scope="module")
def dev_metrics():
    return evaluate(DEV).metrics()


@needs_dev
@pytest.mark.parametrize("metric", sorted(DEV_FLOORS))
def test_dev_floor(dev_metrics, metric):
    assert dev_metrics[metric] >= DEV_FLOORS[metric]


@needs_dev
@pytest.mark.skipif(not SCORER.is_file(), reason="../shared/bench/score_attribution.py is absent")
def test_agrees_with_the_shared_scorer(dev_metrics, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    spec = importlib.util.spec_from_file_location("score_attribution", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    theirs = scorer.score(str(DEV))
    for key in ("extraction_f1", "speaker_accuracy", "e2e_f1"):
        assert abs(theirs[key] - dev_metrics[key]) <= 0.01, key
