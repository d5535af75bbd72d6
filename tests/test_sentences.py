"""Sentence splitting: news abbreviations, initials, quotation marks at a sentence's end, paragraphs."""

from __future__ import annotations

import pytest

from quotes import sentences
from quotes.sentences import paragraph_spans, split_sentences

CASES = [
    # abbreviations of titles, states, dates and times do not end a sentence
    ("Mr. Smith said no. He left.", ["Mr. Smith said no.", "He left."]),
    (
        'Sen. John McCain of Ariz. said "x." He left.',
        ['Sen. John McCain of Ariz. said "x."', "He left."],
    ),
    ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
    ("He changed the U.S. They said so.", ["He changed the U.S.", "They said so."]),
    ("The attacks of Sept. 11 changed it. Then war.", ["The attacks of Sept. 11 changed it.", "Then war."]),
    (
        "It began at 9 a.m. Tuesday. It ended at 3 p.m. The crowd left.",
        ["It began at 9 a.m. Tuesday.", "It ended at 3 p.m.", "The crowd left."],
    ),
    ("He works for Acme Corp. The company grew.", ["He works for Acme Corp.", "The company grew."]),
    (
        "Rep. Paul Ryan (R-Wis.) spoke. Gov. Scott Walker agreed.",
        ["Rep. Paul Ryan (R-Wis.) spoke.", "Gov. Scott Walker agreed."],
    ),
    # initials
    ("George W. Bush met J. K. Rowling. They talked.", ["George W. Bush met J. K. Rowling.", "They talked."]),
    ("Donald J. Trump said it.", ["Donald J. Trump said it."]),
    # a closing quotation mark stays with the sentence it closes, curly or straight, double or single
    ('"A," he said. "B."', ['"A," he said.', '"B."']),
    ("“We ship it,” Altman said. “Soon.” He left.", ["“We ship it,” Altman said.", "“Soon.”", "He left."]),
    ("He said: ‘It is over.’ Then he left.", ["He said: ‘It is over.’", "Then he left."]),
    ("She said, \"It's 'done.'\" Then silence.", ["She said, \"It's 'done.'\"", "Then silence."]),
    ("He said “the U.S.” He left.", ["He said “the U.S.”", "He left."]),
    ("He chose “Plan B.” Then he left.", ["He chose “Plan B.”", "Then he left."]),
    # a quotation ending in ? or ! runs on into its attribution
    ("“Why?” he asked. Nobody answered.", ["“Why?” he asked.", "Nobody answered."]),
    ('"Stop!" she shouted. He did.', ['"Stop!" she shouted.', "He did."]),
    ("Is it? Yes! It is.", ["Is it?", "Yes!", "It is."]),
    # paragraphs: a sentence never crosses a blank line, even without a final stop
    ("Headline without stop\n\nBody here. More.", ["Headline without stop", "Body here.", "More."]),
    ("  Spaced.  \n \n\n\tNext one.\n", ["Spaced.", "Next one."]),
    ("One line\nsame paragraph.", ["One line\nsame paragraph."]),
    ("", []),
    (" \n\n \n", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


@pytest.mark.parametrize(("text", "_expected"), CASES)
def test_offsets_round_trip(text: str, _expected: list[str]) -> None:
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_paragraph_numbers() -> None:
    text = "\n\nFirst. Second.\n\n\n“Third,” he said.\n  \nFourth"
    got = [(s.text, s.paragraph) for s in split_sentences(text)]
    assert got == [("First.", 0), ("Second.", 0), ("“Third,” he said.", 1), ("Fourth", 2)]
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["First. Second.", "“Third,” he said.", "Fourth"]


def test_windows_line_ends() -> None:
    text = "One. Two.\r\n\r\nThree."
    assert [(s.text, s.paragraph) for s in split_sentences(text)] == [("One.", 0), ("Two.", 0), ("Three.", 1)]


def test_works_without_nltk_data(tmp_path, monkeypatch) -> None:
    import nltk

    def no_download(*args, **kwargs):
        raise AssertionError("quotes.sentences must not load or download NLTK data")

    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    monkeypatch.setattr(nltk.data, "load", no_download)
    monkeypatch.setattr(nltk, "download", no_download)
    sentences._tokenizer.cache_clear()
    try:
        assert [s.text for s in split_sentences("Mr. Smith left. He went home.")] == [
            "Mr. Smith left.",
            "He went home.",
        ]
    finally:
        sentences._tokenizer.cache_clear()


def test_tables_are_plain_text() -> None:
    names = {p.name for p in sentences.TABLE_DIR.iterdir()}
    assert {
        sentences.ABBREV_FILE,
        sentences.COLLOCATION_FILE,
        sentences.SENT_STARTER_FILE,
        sentences.ORTHO_FILE,
    } <= names
    assert not any(name.endswith((".pickle", ".pkl")) for name in names)
    params = sentences.load_parameters()
    assert {"mr", "sen", "u.s", "sept", "a.m", "ariz", "w"} <= params.abbrev_types


def test_missing_tables_raise_sentence_error(tmp_path) -> None:
    with pytest.raises(sentences.SentenceError, match="reinstall"):
        sentences.load_parameters(tmp_path)
