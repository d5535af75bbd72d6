"""Paste a quotation, find it: every quotation of a real indexed corpus, pasted as a bare query, is its first
hit (or tied first), and so is a sentence pasted from a page around it.

The corpora are the shipped seeds/ (the seed article and the sample of invented local news) and, where
../shared is there, PolNeAR's dev split: 84 real news articles.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from quotes.indexer import index_paths
from quotes.search import find
from quotes.store import Catalog, text_key

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEV = ROOT.parent / "shared" / "polnear" / "dev.jsonl"


def corpus_index(tmp_path_factory, source: Path) -> Path:
    path = tmp_path_factory.mktemp("paste") / "ix"
    report = index_paths([source], path, workers=1)
    assert report.read and not report.failed
    return path


@pytest.fixture(scope="module")
def seeds_ix(tmp_path_factory) -> Path:
    return corpus_index(tmp_path_factory, SEEDS)


@pytest.fixture(scope="module")
def dev_ix(tmp_path_factory) -> Path:
    if not DEV.is_file():
        pytest.skip("../shared/polnear/dev.jsonl is absent")
    copy = tmp_path_factory.mktemp("dev") / "dev.jsonl"
    with DEV.open(encoding="utf-8") as src, copy.open("w", encoding="utf-8") as out:
        for line in src:  # the articles alone: the gold attributions are not needed here
            item = json.loads(line)
            out.write(json.dumps({"id": item.get("id"), "text": item["text"]}) + "\n")
    return corpus_index(tmp_path_factory, copy)


def quotations(ix: Path) -> list[tuple[str, str | None]]:
    """(text, speaker) of every quotation of an index, once each."""
    with Catalog(ix) as catalog:
        seen = {}
        for record in catalog.all_quotes():
            seen.setdefault(text_key(record.quote.text), (record.quote.text, record.quote.speaker))
    return list(seen.values())


def rank_of(ix: Path, pasted: str, text: str) -> int | None:
    """Where the quotation `text` comes in the answer to `pasted`: 0 for first or tied first."""
    results = find(pasted, index_dir=ix, limit=50)
    keys = [text_key(h.quote.text) for h in results.hits]
    if text_key(text) not in keys:
        return None
    at = keys.index(text_key(text))
    best = results.hits[0].score
    return 0 if abs(results.hits[at].score - best) <= 1e-6 * max(1.0, best) else at


def misses(ix: Path, paste) -> list[str]:
    return [f"{text!r}: rank {rank}" for text, speaker in quotations(ix)
            if (rank := rank_of(ix, paste(text, speaker), text)) != 0]


def bare(text: str, speaker: str | None) -> str:
    return text


def from_a_page(text: str, speaker: str | None) -> str:
    """The quotation as a page prints it: curly marks, a comma, and who said it."""
    return f"“{text},” {speaker or 'the official'} said on Tuesday."


@pytest.mark.parametrize("paste", [bare, from_a_page])
def test_every_seed_quotation_pasted_is_its_first_hit(seeds_ix, paste):
    assert len(quotations(seeds_ix)) >= 30
    assert misses(seeds_ix, paste) == []


@pytest.mark.parametrize("paste", [bare, from_a_page])
def test_every_polnear_dev_quotation_pasted_is_its_first_hit(dev_ix, paste):
    assert len(quotations(dev_ix)) >= 500
    assert misses(dev_ix, paste) == []


STARGATE = "Stargate is meant to be a truly global initiative"


def test_the_words_of_the_issue_find_their_quotations(seeds_ix):
    assert find("a truly global initiative", index_dir=seeds_ix).hits[0].quote.text == STARGATE
    assert find("the AI cost reduction curve", index_dir=seeds_ix).hits[0].quote.text.startswith("So the people")


@pytest.mark.parametrize("pasted", [
    "“Stargate is meant to be a truly global initiative,” Altman said.",
    "stargate is meant to be a truly GLOBAL initiative!!!",
    "Stargate -- meant to be (a truly) global [initiative]",
    "Stargate: a truly global initiative?",
    "Altman said: “Stargate is meant to be a truly global initiative.” He spoke in Seoul.",
])
def test_a_pasted_sentence_finds_the_quotation_first(seeds_ix, pasted):
    results = find(pasted, index_dir=seeds_ix)
    assert results.hits[0].quote.text == STARGATE


def test_a_pasted_paragraph_of_a_hundred_words_finds_its_quotations(seeds_ix):
    paragraph = (SEEDS / "000_79b1a7c8b752f4f6.txt").read_text(encoding="utf-8")
    start = paragraph.index("“So the people talk") if "“So the people talk" in paragraph else paragraph.index(
        '"So the people talk')
    words = paragraph[start:].split()[:100]
    assert len(words) == 100
    results = find(" ".join(words), index_dir=seeds_ix, limit=3)
    assert results.partial  # no quotation holds the words around it too
    assert results.hits[0].quote.text.startswith("So the people talk a lot about the AI capability")


@pytest.mark.parametrize("query", ["the", "of the", "I", "and an", "That"])
def test_stop_words_never_make_a_query_fail(seeds_ix, query):
    assert find(f"{query} stargate", index_dir=seeds_ix).total == 2  # they take nothing away
    alone = find(query, index_dir=seeds_ix)  # no name holds them: the quotations that do
    assert alone.total and all(set(query.lower().split()) & set(text_key(h.quote.text).split()) for h in alone.hits)


def test_a_stop_word_of_a_name_still_ranks_the_name(tmp_path):
    articles = tmp_path / "a.jsonl"
    articles.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate([
        '"Taxes will fall next year," Theresa Smith said.',
        '"Taxes will fall," Theresa May said.'])), encoding="utf-8")
    index_paths([articles], tmp_path / "ix", workers=1)
    found = find("Theresa May taxes", index_dir=tmp_path / "ix")
    assert [h.quote.speaker for h in found.hits] == ["Theresa May", "Theresa Smith"]


def test_did_you_mean_prefers_the_closest_indexed_word_to_the_commonest(tmp_path):
    lines = [{"id": f"s{i}", "text": f'"We started on day {i}," Ann Lee said.'} for i in range(12)]
    lines.append({"id": "g", "text": '"Stargate is big," Bo Park said.'})
    (tmp_path / "a.jsonl").write_text("\n".join(map(json.dumps, lines)), encoding="utf-8")
    index_paths([tmp_path / "a.jsonl"], tmp_path / "ix", workers=1)
    results = find("Stargte", index_dir=tmp_path / "ix")  # one edit from stargate, two from started
    assert (results.suggestion, results.corrected) == ("stargate", True)
    assert [h.quote.speaker for h in results.hits] == ["Bo Park"]
    assert find("strated", index_dir=tmp_path / "ix").suggestion == "started"  # a swap is one edit


def test_a_query_in_the_query_language_keeps_its_meaning(seeds_ix):
    assert find('"global initiative"', index_dir=seeds_ix).total == 1
    assert find('"initiative global"', index_dir=seeds_ix).total == 0  # a phrase: in order, no fallback
    assert find("stargate NOT initiative", index_dir=seeds_ix).total == 1
    assert find("stargate NOT xylophone", index_dir=seeds_ix).total == 2
    assert find("xylophone NOT stargate", index_dir=seeds_ix).total == 0  # NOT means it: no fallback
    most = find("stargate AND xylophone", index_dir=seeds_ix)  # AND is all the words: none hold them
    assert (most.partial, most.total) == (True, 2)


def test_copying_the_seeds_elsewhere_is_the_same_corpus(tmp_path):
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    report = index_paths([copy], tmp_path / "ix", workers=1)
    assert report.read == len(list(SEEDS.glob("*.txt"))) + sum(
        1 for f in SEEDS.glob("*.jsonl") for line in f.open(encoding="utf-8") if line.strip())
