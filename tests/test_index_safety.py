"""Other people's index directories (#13): an index directory is data, never code; damage is one line
naming the fix, and the fix works."""

from __future__ import annotations

import json
import os
import pickle
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes.cli import app
from quotes.index.whoosh import safepickle
from quotes.paths import whoosh_path

ARTICLES = [{"id": f"a{i}", "title": f"Bridge {i}", "publisher": "Daily", "published": f"2016-10-1{i}",
             "text": f'"We will build new bridges in district {i}," Mayor Jane Roe said. "Taxes will not rise."'}
            for i in range(6)]


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("an exception reached the command line (a traceback)") from result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    corpus = tmp_path / "a.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    ix = tmp_path / "ix"
    code, _, err = cli("index", str(corpus), "--index-dir", str(ix), "--workers", "1")
    assert code == 0, err
    return corpus, ix


class _Marker:
    """Unpickled, creates a file: the harmless stand-in for someone else's code."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """whoosh's variable-length integer at data[at:] (7 bits a byte, low first): (value, next offset)."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def _as_varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def plant(ix: Path, where: str, marker: Path) -> None:
    """Replace the schema or the segment list pickled in the index's table of contents by a crafted pickle.

    The table of contents: three varints (sizes), two ints (a check and the version), three varints (the
    release), the schema pickle as a string (a varint length and the bytes), two ints (the generation and
    an unused one), then the segments' pickle to the end.
    """
    (toc,) = whoosh_path(ix).glob("*.toc")
    data = toc.read_bytes()
    at = 0
    for _ in range(3):
        _, at = _varint(data, at)
    at += 8
    for _ in range(3):
        _, at = _varint(data, at)
    length, body = _varint(data, at)
    schema, after = data[body:body + length], body + length
    evil = pickle.dumps(_Marker(marker), 2)
    if where == "schema":
        data = data[:at] + _as_varint(len(evil)) + evil + data[after:]
    else:
        data = data[:at] + _as_varint(len(schema)) + schema + data[after:after + 8] + evil
    assert struct.unpack(">i", data[3:7]) == (-12345,)  # the layout is as read above
    toc.write_bytes(data)


# Each command that opens the index, with its arguments after the index directory.
COMMANDS = [
    ("search", ["search", "bridges"]),
    ("search-all", ["search", "--speaker", "Roe"]),
    ("speakers", ["speakers"]),
    ("speakers-query", ["speakers", "bridges"]),
    ("show", ["show", "{quote_id}"]),
    ("stats", ["stats"]),
    ("index", ["index", "{corpus}", "--workers", "1"]),
    ("index-rebuild", ["index", "{corpus}", "--rebuild", "--workers", "1"]),
    ("reindex", ["reindex"]),
]


def test_the_planted_pickle_is_live_code(tmp_path):
    """The control: plain pickle runs it (so a command that does not is refusing it)."""
    pickle.loads(pickle.dumps(_Marker(tmp_path / "ran"), 2))
    assert (tmp_path / "ran").exists()


@pytest.mark.parametrize("where", ["schema", "segments"])
@pytest.mark.parametrize(("name", "args"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_planted_pickle_in_the_table_of_contents_is_never_run(tmp_path, built, where, name, args):
    corpus, ix = built
    _, out, _ = cli("search", "bridges", "--index-dir", str(ix), "--json")
    quote_id = json.loads(out.splitlines()[0])["id"]
    marker = tmp_path / "ran"
    plant(ix, where, marker)
    args = [a.format(quote_id=quote_id, corpus=corpus) for a in args]
    code, out, err = cli(*args, "--index-dir", str(ix))
    assert not marker.exists(), f"`quotes {' '.join(args)}` ran code from the index directory"
    assert "Traceback" not in out + err
    if args[0] in ("index", "reindex"):  # the writers rebuild the search index from the catalog
        assert code == 0, err
        code, out, err = cli("search", "bridges", "--index-dir", str(ix), "--json")
        assert code == 0 and len(out.splitlines()) == 6
    elif name in ("speakers", "stats", "show") and code == 0:
        pass  # answered from the catalog alone, without opening whoosh's files
    else:
        assert code == 1
        assert err.count("\n") == 1 and "damaged" in err and "quotes reindex" in err
    assert not marker.exists()


def test_no_whoosh_module_keeps_pickles_own_reading():
    import whoosh.spelling  # noqa: F401  (the modules a search, a suggestion and a write load)
    import whoosh.writing  # noqa: F401

    from quotes.index.whoosh import reading, writing  # noqa: F401

    assert safepickle.unrestricted() == []


@pytest.mark.parametrize(("module", "name", "allowed"), [
    ("whoosh.fields", "Schema", True),
    ("whoosh.codec.whoosh3", "W3Segment", True),
    ("builtins", "eval", False),
    ("os", "system", False),
    ("subprocess", "Popen", False),
    ("builtins", "open", False),
    ("whoosh.util.loading", "RenamingUnpickler", False),
])
def test_the_unpickler_finds_only_an_index_s_classes(module, name, allowed):
    evil = b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\n."
    if allowed:
        assert safepickle.loads(evil) is getattr(__import__(module, fromlist=[name]), name)
    else:
        with pytest.raises(pickle.UnpicklingError, match=f"{module}.{name}"):
            safepickle.loads(evil)


@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_the_data_whoosh_pickles_reads_back(protocol):
    """A posting of whoosh's external sort (a large build), a stored document, a set of deleted documents."""
    for value in [("text", b"bridge", 7, 1.5, b"\x00\x01"), {"id": "ab12", "n": [1, 2.5, None, True]},
                  frozenset({3, 5}), {7, 8}, bytearray(b"x"), (1 + 2j,)]:
        assert safepickle.loads(pickle.dumps(value, protocol)) == value


def test_an_older_table_of_contents_format_is_refused_not_read_by_whoosh_s_renaming_unpickler():
    from whoosh import index

    assert index.toc_loaders == {}


def test_the_index_still_opens_after_a_build_in_two_processes(tmp_path, monkeypatch):
    """The multi-process writer's job files and segments unpickle with the restricted unpickler."""
    from quotes.index.whoosh import writing

    monkeypatch.setattr(writing, "MP_WRITER_MIN_DOCS", 2)
    corpus = tmp_path / "a.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    ix = tmp_path / "ix"
    code, _, err = cli("index", str(corpus), "--index-dir", str(ix), "--workers", "2")
    assert code == 0, err
    code, out, err = cli("search", "bridges", "--index-dir", str(ix), "--json")
    assert code == 0 and len(out.splitlines()) == 6, err
    assert not os.environ.get("QUOTES_BACKEND")


# -- damage: one line naming it and its fix, and the fix works ---------------------------------------------


@pytest.mark.parametrize("command", [["stats"], ["search", "bridges"], ["search", "--speaker", "Roe"]])
def test_a_damaged_catalog_is_one_line_and_index_rebuild_makes_it_again(tmp_path, built, command):
    corpus, ix = built
    with open(ix / "catalog.sqlite3", "r+b") as f:  # pages overwritten
        f.seek(4096)
        f.write(b"\xff" * 8192)
    code, out, err = cli(*command, "--index-dir", str(ix))
    assert (code, len(err.splitlines())) == (1, 1), err
    assert "catalog" in err and "damaged" in err and "quotes index --rebuild" in err and "Traceback" not in err
    code, _, err = cli("index", str(corpus), "--rebuild", "--index-dir", str(ix), "--workers", "1")
    assert code == 0, err
    code, out, err = cli("search", "bridges", "--index-dir", str(ix), "--json")
    assert code == 0 and len(out.splitlines()) == 6, err


@pytest.mark.parametrize("kind", ["published.col", "text_key.col", "speaker_key.col", "_text_len.col",
                                  "_stored.col", ".pst", ".trm"])
@pytest.mark.parametrize("fix", ["index", "reindex"])
def test_a_missing_whoosh_file_is_damage_and_index_or_reindex_repairs_it(tmp_path, built, kind, fix):
    corpus, ix = built
    (gone,) = whoosh_path(ix).glob(f"MAIN_*{kind}")
    gone.unlink()
    for query in (["bridges"], ["bridges", "--since", "2016"], ["--speaker", "Roe"]):
        code, out, err = cli("search", *query, "--index-dir", str(ix))
        assert code == 1 and len(err.splitlines()) == 1, (query, out, err)  # never a quiet wrong answer
        assert gone.name in err and "damaged" in err and "quotes reindex" in err
    args = ["index", str(corpus), "--workers", "1"] if fix == "index" else ["reindex"]
    code, _, err = cli(*args, "--index-dir", str(ix))
    assert code == 0, err
    code, out, err = cli("search", "bridges", "--index-dir", str(ix), "--json")
    assert code == 0 and len(out.splitlines()) == 6, err


# A `quotes index --rebuild` whose every extraction takes a while, so that searches run during it.
SLOW_REBUILD = """
import sys, time
import quotes
from quotes.indexer import index_paths

real = quotes.extract
def slow(text):
    time.sleep(0.05)
    return real(text)
quotes.extract = slow
index_paths([sys.argv[1]], sys.argv[2], workers=1, rebuild=True)
"""


def test_searches_during_a_rebuild_see_the_old_index_or_the_new_never_a_mix(tmp_path):
    import subprocess
    import sys

    from quotes.search import find

    corpus = tmp_path / "a.jsonl"
    articles = [{"id": f"b{i}", "text": f'"We will build bridge number {i}," Mayor Jane Roe said.'} for i in range(60)]
    corpus.write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    ix = tmp_path / "ix"
    assert cli("index", str(corpus), "--index-dir", str(ix), "--workers", "1")[0] == 0
    rebuild = subprocess.Popen([sys.executable, "-c", SLOW_REBUILD, str(corpus), str(ix)])
    seen = []
    while rebuild.poll() is None:
        results = find("bridge", index_dir=ix, limit=100)
        seen.append((results.total, len(results.hits)))
    assert rebuild.wait() == 0
    assert len(seen) > 5  # searched throughout the rebuild
    assert set(seen) == {(60, 60)}, f"mixed states: {sorted(set(seen))}"


# -- costly queries are bounded ------------------------------------------------------------------------------

WORDY = [{"id": f"w{i}", "text": f'"The {w} is ready," Mayor Jane Roe said.'}
         for i, w in enumerate(["bridge", "bride", "brick", "bring", "brief", "bridges"])]


@pytest.fixture
def wordy(tmp_path, monkeypatch) -> Path:
    for where in ("quotes.index.records", "quotes.index.whoosh.parsing"):  # the bound, and how far it counts
        monkeypatch.setattr(f"{where}.MAX_EXPANSION", 3)
    corpus = tmp_path / "w.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in WORDY) + "\n")
    ix = tmp_path / "ix"
    assert cli("index", str(corpus), "--index-dir", str(ix), "--workers", "1")[0] == 0
    return ix


@pytest.mark.parametrize(("query", "says"), [
    ("bri*", "'bri*' stands for more than 3 indexed words"),
    ("b?i*", "stands for more than 3 indexed words"),
    ("brixx~2", "'brixx~2' stands for more than 3 indexed words"),
    ("ab~9", "at most 2 edits away, not 9"),
    (" OR ".join(f"word{i}" for i in range(3_000)), "the query is too long (5,999 words"),
    (" ".join(f"word{i}" for i in range(1_000)), "the query is too long (1,000 words"),
])
def test_a_costly_query_is_refused_in_one_line_and_never_called_damage(wordy, query, says):
    code, out, err = cli("search", query, "--index-dir", str(wordy))
    assert (code, out) == (2, "") and len(err.splitlines()) == 1, err
    assert says in err and "damaged" not in err and "Traceback" not in err


@pytest.mark.parametrize(("query", "found"), [
    ("brid*", 3),  # bride, bridge, bridges: within the cap
    ("bric?", 1),
    ("brick~1", 1),
    (" OR ".join(["bridge"] * 50), 2),  # 99 words and operators: answered
    (" ".join(["bridge"] * 100), 2),
])
def test_a_query_within_the_bounds_is_answered(wordy, query, found):
    code, out, err = cli("search", query, "--index-dir", str(wordy), "--json")
    assert code == 0, err
    assert len(out.splitlines()) == found
