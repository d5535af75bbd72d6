"""End-to-end gate: the seed article's every quotation, with its speaker, and nothing else."""

import json
from pathlib import Path

import pytest

import quotes

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((Path(__file__).parent / "data" / "seed.expected.json").read_text(encoding="utf-8"))
TEXT = (ROOT / "seeds" / EXPECTED["article"]).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def found():
    return quotes.extract(TEXT)


def test_finds_exactly_the_expected_quotations(found):
    assert len(found) == len(EXPECTED["quotes"])
    for quote, expected in zip(found, EXPECTED["quotes"], strict=True):
        assert quote.text.startswith(expected["begins"])


@pytest.mark.parametrize("expected", EXPECTED["quotes"], ids=lambda e: e["begins"][:30])
def test_each_quotation_has_its_speaker(found, expected):
    (quote,) = [q for q in found if q.text.startswith(expected["begins"])]
    assert quote.speaker == expected["speaker"]
    assert quote.kind == expected.get("kind", "direct")
    if "mention" in expected:
        assert quote.speaker_mention == expected["mention"]
        assert TEXT[quote.speaker_start : quote.speaker_end] == expected["mention"]
    if "cue" in expected:
        assert quote.cue == expected["cue"]


def test_offsets_round_trip(found):
    for quote in found:
        assert TEXT[quote.start : quote.end] == quote.text
        assert 0 < quote.confidence <= 1
        assert quote.rule
