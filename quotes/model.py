"""The records that pass between the stages of the pipeline.

Each stage is a plain function in its own module; what it hands to the next stage is one of these frozen
dataclasses, so a stage can be read, tested and replaced on its own:

    read_articles -> Article -> split_sentences -> Sentence[] -> find_quotations -> Quotation[]
        -> attribute -> Quote[] -> (index) -> search -> Hit[]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class QuotesError(Exception):
    """Base class of every error the library raises; the CLI prints its message as one line."""


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as read from a file, a JSON line or a feed entry.

    `text` is the article's body: paragraphs separated by blank lines, without site chrome, headline,
    byline or photo captions. Every offset of a `Quote` refers to this text.
    """

    id: str  # stable: the article's own id or url, else the path it was read from
    text: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None  # ISO date, "2016-09-12"
    url: str | None = None
    path: str | None = None  # the file it was read from (with ":LINE" for a JSON line)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article's text: `text == article_text[start:end]`."""

    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph (blank-line separated block) that holds it


@dataclass(frozen=True, slots=True)
class Quotation:
    """Words between quotation marks, before anyone is named as their speaker.

    `start`/`end` delimit the quoted words without the marks; `open_at`/`close_at` are the offsets of the
    opening mark and just past the closing mark (the closing mark may be missing at a paragraph's end when
    the quotation runs on into the next paragraph, as news style writes it).
    """

    start: int
    end: int
    text: str
    open_at: int
    close_at: int
    paragraph: int
    kind: str  # "direct": a sentence or more of speech; "partial": a fragment inside the writer's sentence


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation with the speaker it is attributed to: the public result of `quotes.extract`."""

    text: str
    start: int
    end: int
    speaker: str | None  # canonical name: the fullest form the article gives, or None where unsure
    speaker_mention: str | None  # the words the quotation is attributed to: "Altman", "he", "The CEO"
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None  # the reporting words: "said", "added", "according to"
    kind: str  # "direct" or "partial"
    rule: str  # the name of the heuristic that chose the speaker
    confidence: float  # 0..1: how often this rule is right on annotated news

    @property
    def unnamed(self) -> bool:
        """Whether the speaker is a description of someone the article never names ("a spokesperson for
        the UCEA"): names and organisations are capitalised, descriptions are not."""
        return self.speaker is not None and not self.speaker[:1].isupper()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # the fields only, so that `Quote(**q.to_dict())` makes the same quote
