"""The whole extraction pipeline on one article: sentences -> quotations -> attributed quotes."""

from __future__ import annotations

from quotes.attribution import attribute
from quotes.model import Quote
from quotes.quotations import find_quotations
from quotes.sentences import prepare, split_sentences


def extract(text: str) -> list[Quote]:
    """Every quotation in one article's text, with its speaker, in the order of the text."""
    if not text:
        return []
    sentences = split_sentences(text)
    return attribute(text, sentences, find_quotations(text, sentences))


# whoever imports the pipeline is about to extract: load the sentence tables with the code
prepare()
