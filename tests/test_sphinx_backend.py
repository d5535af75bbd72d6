"""The SphinxQL backend against Whoosh: one catalog, two indexes, the same query suite, the same hits.

The test starts its own searchd (Debian's `sphinxsearch`, Sphinx 2.2; Manticore reads the same config)
on a free loopback port with two shards from `quotes server-config`, and stops it at the end. It skips
where searchd or PyMySQL (the `quotes[server]` extra) is missing; .ci/run installs both.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes import index
from quotes.cli import app
from quotes.index import open_backend
from quotes.index.sphinx.local import free_port, searchd
from quotes.indexer import index_paths
from quotes.store import Catalog

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "bench"))
from search_compare import queries  # noqa: E402

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(shutil.which("searchd") is None, reason="no searchd: apt-get install sphinxsearch"),
]
pytest.importorskip("pymysql", reason="no PyMySQL: pip install 'quotes[server]'")
POLNEAR_DEV = ROOT.parent / "shared" / "polnear" / "dev.jsonl"
SHARDS = 2
PUBLISHERS = ("London Times", "Daily Planet", "Wire Service")


@pytest.fixture(autouse=True)
def no_backend_left(monkeypatch):
    """`quotes --backend URL` sets QUOTES_BACKEND for the process: here, for one test only."""
    monkeypatch.delenv(index.BACKEND_ENV, raising=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """searchd with two shards on a free loopback port (the config of `quotes server-config`): its URL."""
    made = CliRunner().invoke(app, ["server-config", "--shards", str(SHARDS), "--data", "d", "--port", "9"])
    assert made.exit_code == 0 and made.output.count("type = rt") == SHARDS + 1  # the shards and the words
    with searchd(tmp_path_factory.mktemp("searchd"), SHARDS) as url:
        yield url


@pytest.fixture(scope="module")
def both(server, tmp_path_factory) -> tuple[Path, str]:
    """One catalog with a Whoosh index and the same quotes on the server: (index dir, backend URL)."""
    ix = tmp_path_factory.mktemp("ix")
    corpus = tmp_path_factory.mktemp("corpus")
    lines = (ROOT / "tests" / "data" / "search_articles.jsonl").read_text(encoding="utf-8").splitlines()
    if POLNEAR_DEV.exists():  # real news: 84 articles of 2016, given dates and outlets here
        lines += [json.dumps({"id": f"dev-{i}", "text": json.loads(line)["text"], "publisher": PUBLISHERS[i % 3],
                              "published": f"2016-{9 + i % 3:02d}-{1 + i % 28:02d}"} if i % 10 else
                             {"id": f"dev-{i}", "text": json.loads(line)["text"]})  # every tenth undated
                  for i, line in enumerate(POLNEAR_DEV.read_text(encoding="utf-8").splitlines())]
    (corpus / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index_paths([corpus, ROOT / "seeds"], ix, workers=1)
    with Catalog(ix) as catalog:
        added = open_backend(ix, server).build(catalog.all_quotes())
        assert added == catalog.quote_count() > 10
    return ix, server


# Every row of README's query table, and the filters.
SUITE = [
    ("global initiative", {}), ('"global initiative"', {}), ("initiatives", {}), ("taxes OR economy NOT growing", {}),
    ("economy AND NOT rigged", {}), ("(stargate OR medicare) AND build", {}), ("medicre~", {}), ("medicre~2", {}),
    ("initiat*", {}), ("glo?al", {}), ("speaker:sanders", {}), ('publisher:"london times"', {}), ("title:stargate", {}),
    ("kind:partial", {}), ("article:wire-1", {}), ("published:2016-10-03", {}), ("published:2016-10", {}),
    ("published:2016", {}), ("published:[2016-09-01 to 2016-10-15]", {}), ("published:[2016-10 to]", {}),
    ("*", {"speaker_keys": ("sam altman",), "speaker": "Altman"}), ("stargate", {"publisher": "daily planet"}),
    ("stargate", {"since": "2016-09", "until": "2016-10-15"}), ("*", {"since": "2016-10", "until": "2016-10"}),
    ("*", {"kind": "partial"}), ("stargate", {"article_id": "wire-1"}), ("NOT stargate", {}),
    ("the best of times", {}), ("a ANDMAYBE stargate", {}),
    ("nosuchwordanywhere", {}), ('"nosuch phrase"', {}),
]


def answers(ix: Path, url: str | None, q: str, filters: dict, sort: str = "relevance"):
    """A search's quotations (text keys), total, each hit's date and snippet; and its speaker counts."""
    backend = open_backend(ix, url)
    f = index.Filters(**filters) if filters else None
    page = backend.search(q, filters=f, sort=sort, limit=10_000)
    with Catalog(ix) as catalog:
        records = catalog.get_quotes([h.id for h in page.hits])
        keys = catalog.text_keys([h.id for h in page.hits])
    hits = {keys[h.id]: (records[h.id].published, h.id, h.snippet) for h in page.hits}
    return page.total, hits, backend.count_speakers(q, filters=f)


def same(a: tuple, b: tuple) -> bool:
    """The same quotations, totals and speaker counts; each hit printed on the same day, with the same
    snippet where it is the same printing (of two printings of one day, either may be shown)."""
    (total_a, hits_a, speakers_a), (total_b, hits_b, speakers_b) = a, b
    return (total_a, hits_a.keys(), speakers_a) == (total_b, hits_b.keys(), speakers_b) and all(
        hits_a[k][0] == hits_b[k][0] and (hits_a[k][1] != hits_b[k][1] or hits_a[k][2] == hits_b[k][2])
        for k in hits_a)


@pytest.mark.parametrize(("q", "filters"), SUITE, ids=[f"{q} {f}" for q, f in SUITE])
def test_the_query_suite_gives_the_same_hits_on_both_backends(both, q, filters):
    ix, url = both
    whoosh = answers(ix, None, q, filters)
    sphinx = answers(ix, url, q, filters)
    assert same(sphinx, whoosh), (sphinx, whoosh)


def test_the_benchmark_query_suite_gives_the_same_hits_on_both_backends(both):
    """The 500-odd queries tests/bench/search_compare.py draws from the index, on both backends."""
    ix, url = both
    differ = []
    asked = queries(ix)
    for q, kw in asked:
        kw = {k: v for k, v in kw.items() if k not in ("page", "speakers")}
        sort = kw.pop("sort", "relevance")
        filters = {"speaker": kw.get("speaker"), "kind": kw.get("kind"),
                   "since": index.date_bound(kw["since"]) if "since" in kw else None,
                   "until": index.date_bound(kw["until"]) if "until" in kw else None}
        filters = {k: v for k, v in filters.items() if v}
        if not same(answers(ix, None, q, filters, sort), answers(ix, url, q, filters, sort)):
            differ.append((q, kw))
    assert len(asked) > 100 and differ == []


def test_the_commands_work_the_same_with_backend(both):
    ix, url = both
    runner = CliRunner()
    with Catalog(ix) as catalog:
        shown = sorted(catalog.quote_ids())[0]
    for args in (["search", "stargate", "--json"], ["search", "--speaker", "Altman", "--sort", "date", "--json"],
                 ["speakers", "--json"], ["stats", "--json"], ["search", "build", "--by", "speaker", "--json"],
                 ["show", shown, "--json"], ["search", "stargte", "--json"]):
        whoosh = runner.invoke(app, [*args, "--index-dir", str(ix)])
        sphinx = runner.invoke(app, ["--backend", url, *args, "--index-dir", str(ix)])
        assert whoosh.exit_code == sphinx.exit_code == 0, sphinx.output
        w, s = ([json.loads(line) for line in r.output.splitlines() if line.startswith("{")] for r in (whoosh, sphinx))
        assert w and [line for line in whoosh.output.splitlines() if not line.startswith("{")] == [
            line for line in sphinx.output.splitlines() if not line.startswith("{")]  # titles, totals
        for row in (*w, *s):
            row.pop("score", None)
        assert sorted(map(json.dumps, s)) == sorted(map(json.dumps, w)), args


def test_index_writes_the_server_and_repairs_it_from_the_catalog(tmp_path):
    with searchd(tmp_path / "searchd", SHARDS) as server:  # its own: the module's server keeps its quotes
        written_and_repaired(server, tmp_path / "ix")


def written_and_repaired(server: str, tmp_path: Path) -> None:
    runner = CliRunner()
    corpus = ROOT / "tests" / "data" / "search_articles.jsonl"
    first = runner.invoke(app, ["--backend", server, "index", str(corpus), "--index-dir", str(tmp_path), "--rebuild"])
    assert first.exit_code == 0, first.output
    backend = open_backend(tmp_path, server)
    with Catalog(tmp_path) as catalog:
        assert sorted(backend.doc_ids()) == sorted(catalog.quote_ids())
        lost = sorted(catalog.quote_ids())[:2]
    backend.write([], delete_ids=lost)  # as a server that lost documents
    again = runner.invoke(app, ["--backend", server, "index", str(corpus), "--index-dir", str(tmp_path), "--json"])
    assert json.loads(again.output)["repaired"] == 2
    assert set(lost) <= set(backend.doc_ids())


def test_an_unreachable_server_is_one_line_naming_the_fix(tmp_path):
    url = f"sphinx://127.0.0.1:{free_port()}/quotes"
    index_paths([ROOT / "seeds"], tmp_path, workers=1)
    result = CliRunner().invoke(app, ["--backend", url, "search", "stargate", "--index-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "cannot reach the search server" in result.output and "quotes server-config" in result.output


@pytest.mark.parametrize("q", ["medicre", "stargte", "initiatve globl", "trumpp", "obamma said", "zzzzzzqx",
                               "stargate", "spekaer:x", "publisher:plnet", "tax~", "stargat*"])
def test_did_you_mean_suggests_what_whoosh_suggests(both, q):
    ix, url = both
    assert open_backend(ix, url).suggest(q) == open_backend(ix).suggest(q)


@pytest.mark.parametrize(("q", "partial"), [
    ("(stargate OR medicare) AND build", True),  # no quotation holds both parts: those holding one
    ("stargate medicare", True),
    ("stargate global", False),  # a quotation holds both
    ("stargate NOT stargate", False),  # NOT means it: no fallback, no hits
])
def test_the_fallback_to_most_words_is_the_same_on_both_backends(both, q, partial):
    ix, url = both
    whoosh, sphinx = (open_backend(ix, u).search(q, limit=10_000) for u in (None, url))
    assert whoosh.partial == sphinx.partial == partial
    assert whoosh.total == sphinx.total and (whoosh.total > 0) == (q != "stargate NOT stargate")


def test_a_pasted_quotation_is_its_own_first_hit_on_both_backends(both):
    ix, url = both
    with Catalog(ix) as catalog:
        text = catalog.get_quotes([sorted(catalog.quote_ids())[0]]).popitem()[1].quote.text
    for u in (None, url):
        first = open_backend(ix, u).search(f"“{text},” she said.").hits[0]
        with Catalog(ix) as catalog:
            assert catalog.get_quotes([first.id])[first.id].quote.text == text, u


@pytest.mark.parametrize("q", ["s*", "c*", "t?e*", "speaker:a*", "initiat*", "medicre~2"])
def test_patterns_past_the_expansion_cap_are_refused_on_both_backends(both, q):
    ix, url = both
    outcomes = []
    for u in (None, url):
        try:
            outcomes.append(open_backend(ix, u).search(q).total)
        except index.QuerySyntaxError as e:
            outcomes.append(str(e))
    assert outcomes[0] == outcomes[1]
    assert ("MAX_EXPANSION" in str(outcomes[0])) == (q in ("s*", "c*")), outcomes
