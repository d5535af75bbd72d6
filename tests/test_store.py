"""The SQLite catalog: hashes, upserts, quote ids, lookups, speakers and stats (quotes.store)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from quotes.model import Article, Quote, QuotesError
from quotes.paths import NoIndexError, resolve_index_dir
from quotes.store import (
    AmbiguousQuoteIdError,
    Catalog,
    QuoteNotFoundError,
    SpeakerCount,
    article_hash,
    name_forms,
    quote_id,
    text_key,
)

TEXT = '"We ship it," Sam Altman said. "Soon," he added. Son called it "a bet".'


def q(text: str, speaker: str | None, kind: str = "direct") -> Quote:
    start = TEXT.index(text)
    return Quote(text, start, start + len(text), speaker, speaker and speaker.split()[-1], None, None,
                 "said", kind, "test", 0.9)


ARTICLE = Article("a1", TEXT, title="Ships", publisher="Daily", published="2025-02-04", url="http://x/a1")
QUOTES = [q("We ship it,", "Sam Altman"), q("Soon,", "Sam Altman"), q("a bet", "Masayoshi Son", "partial")]


@pytest.fixture
def catalog(tmp_path):
    with Catalog(tmp_path / "ix", create=True) as c:
        yield c


def test_opening_a_missing_catalog_names_the_directory_and_the_command(tmp_path):
    with pytest.raises(NoIndexError) as e:
        Catalog(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") + "/" in str(e.value)
    assert "quotes index --index-dir" in str(e.value)
    assert not (tmp_path / "nowhere").exists()


def test_the_default_index_dir_message_needs_no_option(monkeypatch):
    monkeypatch.delenv("QUOTES_INDEX", raising=False)
    assert str(NoIndexError(resolve_index_dir())) == "no index at index/: run `quotes index` first"


def test_index_dir_resolution_order(monkeypatch):
    monkeypatch.setenv("QUOTES_INDEX", "/from/env")
    assert str(resolve_index_dir()) == "/from/env"
    assert str(resolve_index_dir("given")) == "given"
    monkeypatch.delenv("QUOTES_INDEX")
    assert str(resolve_index_dir()) == "index"


def test_catalog_uses_wal(catalog):
    db = sqlite3.connect(catalog.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_hash_changes_with_text_and_metadata_only():
    assert article_hash(ARTICLE) == article_hash(replace(ARTICLE, path="elsewhere.txt"))
    assert article_hash(ARTICLE) != article_hash(replace(ARTICLE, text=TEXT + " "))
    assert article_hash(ARTICLE) != article_hash(replace(ARTICLE, title="Other"))
    assert article_hash(replace(ARTICLE, title=None)) != article_hash(replace(ARTICLE, title=""))


def test_quote_ids_are_short_stable_and_distinct():
    ids = [quote_id("a1", x) for x in QUOTES]
    assert ids == [quote_id("a1", x) for x in QUOTES]
    assert len(set(ids)) == 3 and all(len(i) == 12 for i in ids)
    assert quote_id("a2", QUOTES[0]) != ids[0]


def test_upsert_stores_the_article_and_its_quotes(catalog):
    assert catalog.article_hash("a1") is None
    added, removed = catalog.upsert_article(ARTICLE, QUOTES)
    assert len(added) == 3 and removed == []
    assert catalog.article_hash("a1") == article_hash(ARTICLE)
    stored = catalog.quotes_for("a1")
    assert [s.quote for s in stored] == QUOTES
    assert stored[0].title == "Ships" and stored[0].publisher == "Daily" and stored[0].url == "http://x/a1"
    assert stored[0].to_dict()["article_id"] == "a1"


def test_upsert_again_reports_only_the_difference(catalog):
    catalog.upsert_article(ARTICLE, QUOTES)
    changed = [replace(QUOTES[0], speaker="Someone Else"), QUOTES[1]]
    added, removed = catalog.upsert_article(replace(ARTICLE, title="New"), changed)
    assert added == [] and removed == [quote_id("a1", QUOTES[2])]
    stored = catalog.quotes_for("a1")
    assert [s.quote.speaker for s in stored] == ["Someone Else", "Sam Altman"]
    assert stored[0].title == "New"


def test_get_quote_by_id_and_prefix(catalog):
    catalog.upsert_article(ARTICLE, QUOTES)
    full = quote_id("a1", QUOTES[2])
    assert catalog.get_quote(full).quote == QUOTES[2]
    assert catalog.get_quote(full[:6].upper()).id == full
    with pytest.raises(QuoteNotFoundError):
        catalog.get_quote("zzz")
    with pytest.raises(QuoteNotFoundError):
        catalog.get_quote("*")


def test_an_ambiguous_prefix_is_an_error(catalog):
    many = [Quote(f"w{i}", i, i + 2, None, None, None, None, None, "direct", "test", 0.5) for i in range(17)]
    catalog.upsert_article(replace(ARTICLE, text="w" * 40), many)
    ids = [quote_id("a1", x) for x in many]
    shared = next(i[0] for i in ids if sum(j[0] == i[0] for j in ids) > 1)  # 17 ids, 16 hex digits
    with pytest.raises(AmbiguousQuoteIdError, match="give more"):
        catalog.get_quote(shared)
    with pytest.raises(QuoteNotFoundError):
        catalog.get_quote("")


def test_speakers_are_grouped_case_insensitively(catalog):
    catalog.upsert_article(ARTICLE, QUOTES)
    catalog.upsert_article(replace(ARTICLE, id="a2"), [replace(QUOTES[0], speaker="sam  ALTMAN"),
                                                        replace(QUOTES[1], speaker=None)])
    speakers = catalog.speakers()
    assert [(s.speaker.lower().split(), s.count) for s in speakers] == [
        (["sam", "altman"], 2), (["masayoshi", "son"], 1)]  # a2 reprints a1's quotation: it counts once (#4)
    assert isinstance(speakers[0], SpeakerCount)


def test_stats_and_removal(catalog):
    catalog.upsert_article(ARTICLE, QUOTES)
    catalog.upsert_article(replace(ARTICLE, id="a2", publisher="Other", published="2024-01-01"),
                           [replace(QUOTES[0], speaker=None)])
    s = catalog.stats()
    assert (s.articles, s.quotes, s.attributed, s.speakers, s.publishers) == (2, 4, 3, 2, 2)
    assert (s.first_published, s.last_published) == ("2024-01-01", "2025-02-04")
    assert s.to_dict()["articles"] == 2
    assert len(catalog.remove_article("a1")) == 3
    assert catalog.quote_count() == 1 and catalog.article_hash("a1") is None
    assert len(list(catalog.all_quotes())) == 1


def test_get_quotes_returns_what_exists(catalog):
    catalog.upsert_article(ARTICLE, QUOTES)
    ids = [quote_id("a1", x) for x in QUOTES]
    assert set(catalog.get_quotes([*ids, "000000000000"])) == set(ids)


# -- keys for dedupe and names (#4) ------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("We ship it,", "we ship it"),
    ("“We ship it!”", '"WE SHIP IT"'),
    ("Café  society — now", "cafe society now"),
    ("It's done", "It’s done"),
])
def test_text_key_ignores_case_punctuation_and_marks(a, b):
    assert text_key(a) == text_key(b)


def test_text_key_keeps_words_apart():
    assert text_key("We ship it") != text_key("We shipped it")
    assert text_key("no, more") != text_key("nomore")


def test_name_forms_are_names_not_pronouns_or_descriptions():
    assert name_forms("Sam Altman", ["Altman", "he", "The CEO", "ALTMAN", "Sam Altman", None, "Mr. Altman"]) == (
        "Altman", "Mr. Altman")



@pytest.mark.parametrize(("speaker", "mentions", "forms"), [
    ("Donald Trump", ["Trump", "Donald Trump’s", "Trump’s", "Trump's"], ("Trump",)),  # a possessive is its name
    ("Chris Jones", ["Jones'", "Mr. Jones’s"], ("Jones", "Mr. Jones")),
    ("Sam Altman", ["Altman's"], ("Altman",)),
    ("Sam Altman", ["his"], ()),
    ("Donald Trump", ["Trump, who", "Donald Trump, who", "Trump’s campaign", "warm-and-fuzzy Trump", "the Trump"],
     ("Trump",)),  # the name in a mention: no relative, possessed thing or description
    ("Bernie Sanders", ["The Sanders", "Vermont Sen. Bernie Sanders", "Sanders, who"],
     ("Sanders", "Vermont Sen. Bernie Sanders")),
    ("Hillary Clinton", ["former secretary of state Hillary Clinton", "whether Clinton", "one Clinton aide"],
     ("Clinton",)),  # "one Clinton aide" is the aide
    ("Barack Obama", ["Obama who", "President Barack Obama"], ("Obama", "President Barack Obama")),
])
def test_a_mention_counts_by_the_name_in_it(speaker, mentions, forms):
    assert name_forms(speaker, mentions) == forms


def test_speaker_keys_come_from_the_name_or_any_mention(catalog):
    catalog.upsert_article(ARTICLE, QUOTES)  # mentions: "Altman" for Sam Altman, "Son" for Masayoshi Son
    assert catalog.speaker_keys("ALTMAN") == ["sam altman"]
    assert catalog.speaker_keys("masayoshi son") == ["masayoshi son"]
    assert catalog.speaker_keys("Sam") == []  # words of a name are the index's business (quotes.index)


def test_occurrences_list_every_article_earliest_published_first(catalog):
    catalog.upsert_article(replace(ARTICLE, id="late", published="2025-03-01"), [QUOTES[0]])
    catalog.upsert_article(ARTICLE, QUOTES)
    catalog.upsert_article(replace(ARTICLE, id="undated", published=None), [QUOTES[0]])
    found = catalog.occurrences([text_key(QUOTES[0].text), "nothing"])
    assert [o.article_id for o in found[text_key(QUOTES[0].text)]] == ["a1", "late", "undated"]
    assert found["nothing"] == []
    catalog.upsert_article(replace(ARTICLE, id="late", published="2025-03-01"), [QUOTES[1]])  # changed
    assert [o.article_id for o in catalog.occurrences([text_key(QUOTES[0].text)])[text_key(QUOTES[0].text)]] == [
        "a1", "undated"]


def test_a_catalog_of_schema_1_gets_the_key_columns(tmp_path):
    with Catalog(tmp_path / "ix", create=True) as c:
        c.upsert_article(ARTICLE, QUOTES)
    db = sqlite3.connect(tmp_path / "ix" / "catalog.sqlite3")
    with db:
        db.execute("DROP INDEX quotes_text_key")
        db.execute("DROP INDEX quotes_mention")
        db.execute("DROP INDEX quotes_speaker_quotations")  # schema 3 (#11)
        db.execute("ALTER TABLE quotes DROP COLUMN text_key")
        db.execute("ALTER TABLE quotes DROP COLUMN mention_key")
        db.execute("PRAGMA user_version=1")
    db.close()
    with Catalog(tmp_path / "ix") as c:
        assert c.speaker_keys("Son") == ["masayoshi son"]
        assert len(c.occurrences([text_key("a bet")])[text_key("a bet")]) == 1
    db = sqlite3.connect(tmp_path / "ix" / "catalog.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3  # schema 3 (#11)
    db.close()


def test_a_damaged_catalog_names_the_fix_that_keeps_the_directory(tmp_path):
    with Catalog(tmp_path, create=True):
        pass
    (tmp_path / "catalog.sqlite3").write_bytes(b"garbage" * 200)
    with pytest.raises(QuotesError) as raised:
        Catalog(tmp_path)
    message = str(raised.value)
    assert "not a readable quotes catalog" in message and "quotes index --rebuild" in message
    assert "delete" not in message


def test_a_catalog_in_a_directory_one_cannot_write_is_read(tmp_path, monkeypatch):
    """SQLite cannot open a WAL catalog in a read-only directory (no -shm file can be made) except as
    immutable; a search of a shared, read-only index must still work (#5)."""
    with Catalog(tmp_path, create=True) as catalog:
        catalog.upsert_article(Article("a1", TEXT), [q("We ship it,", "Sam Altman")])
    connect = sqlite3.connect

    def read_only(database, *args, **kwargs):  # as SQLite answers in a directory without write permission
        if "immutable=1" not in str(database):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with Catalog(tmp_path) as catalog:
        assert catalog.stats().quotes == 1
    with pytest.raises(QuotesError, match=r"cannot write the catalog .*: attempt to write a readonly database"):
        Catalog(tmp_path, create=True)


def test_a_catalog_of_schema_2_gets_the_covering_indexes(tmp_path):
    with Catalog(tmp_path / "ix", create=True) as c:
        c.upsert_article(ARTICLE, QUOTES)
    db = sqlite3.connect(tmp_path / "ix" / "catalog.sqlite3")
    with db:
        db.execute("DROP INDEX quotes_speaker_quotations")
        db.execute("DROP INDEX articles_published")
        db.execute("PRAGMA user_version=2")
    db.close()
    with Catalog(tmp_path / "ix") as c:
        names = {r[0] for r in c._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"quotes_speaker_quotations", "articles_published"} <= names
        assert c._db.execute("PRAGMA user_version").fetchone()[0] == 3
        assert c.first_printings(c.speaker_keys("Son")) and c.latest_quotes(c.speaker_quotations(["masayoshi son"]), 5)
