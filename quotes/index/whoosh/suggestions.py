"""Did you mean: a query's words that no quotation or name holds, replaced by the closest indexed words."""

from __future__ import annotations

from pathlib import Path

from quotes.index.records import FUZZY_PREFIX
from quotes.index.spelling import respell
from quotes.index.whoosh.reading import open_index, reads_index
from quotes.index.whoosh.schema import TEXT_ANALYZER


@reads_index
def suggest(index_dir: Path, text: str) -> str | None:
    """The query with each word that no quotation or name holds replaced by the closest indexed word.

    None when every word is indexed or nothing close is. Operators, field names, prefixes (`word*`),
    fuzzy terms (`word~`) and words shorter than SPELL_MIN_CHARS are left as they are. The closest word
    wins (fewest edits: "stargte" is "stargate", not the commoner "started"), then the commonest.
    """
    opened = open_index(index_dir)
    reader = opened.searcher.reader()

    def known(word: str) -> bool:  # a stop word (no stem), or a word some quotation or name holds
        stems = [t.text for t in TEXT_ANALYZER(word)]
        return (not stems or ("words", word) in reader or ("speaker", word) in reader
                or any(("text", stem) in reader for stem in stems))

    def candidates(word: str, edits: int) -> list[tuple[str, int]]:
        return [(w, reader.doc_frequency(field, w)) for field in ("words", "speaker")
                for w in opened.terms_within(field, word, edits, prefix=FUZZY_PREFIX)]

    return respell(text, known, candidates)
