"""Did you mean: a query's words that no quotation or name holds, replaced by the closest indexed words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from whoosh.spelling import ReaderCorrector

from quotes.index.records import FUZZY_PREFIX, OPERATORS, SPELL_MAX_EDITS, SPELL_MIN_CHARS, SPELL_TWO_EDITS_CHARS
from quotes.index.whoosh.reading import Opened, open_index, reads_index
from quotes.index.whoosh.schema import TEXT_ANALYZER


@reads_index
def suggest(index_dir: Path, text: str) -> str | None:
    """The query with each word that no quotation or name holds replaced by the closest indexed word.

    None when every word is indexed or nothing close is. Operators, field names, prefixes (`word*`),
    fuzzy terms (`word~`) and words shorter than SPELL_MIN_CHARS are left as they are.
    """
    opened = open_index(index_dir)
    reader = opened.searcher.reader()
    lexicon = _LexiconReader(reader, opened)  # the reader, but for the word lists it walks
    correctors = [ReaderCorrector(lexicon, f, reader.schema[f]) for f in ("words", "speaker")]
    changed = False

    def correct(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group(0)
        if ":" in word:  # a field's phrase (`publisher:"london times"`): not quoted words nor names
            return word
        lower = word.lower()
        stems = [t.text for t in TEXT_ANALYZER(lower)]
        if (word in OPERATORS or len(word) < SPELL_MIN_CHARS or ("words", lower) in reader
                or ("speaker", lower) in reader or any(("text", stem) in reader for stem in stems)):
            return word
        for corrector in correctors:
            edits = SPELL_MAX_EDITS if len(lower) >= SPELL_TWO_EDITS_CHARS else 1
            found = corrector.suggest(lower, limit=1, maxdist=edits, prefix=FUZZY_PREFIX)
            if found:
                changed = True
                return str(found[0])
        return word

    corrected = _PLAIN_WORD.sub(correct, text)
    return corrected if changed else None


# A word of a query that can be spelt wrong: letters, not a field name (`speaker:`), a field's value, a
# prefix (`stock*`) or a fuzzy term (`stok~`). A field's phrase is matched whole, to be left alone.
_PLAIN_WORD = re.compile(r'\w+:"[^"]*"|(?<![\w:*~\[-])[^\W\d_]+(?![\w:*~])')


class _LexiconReader:
    """An index reader whose `terms_within` is its Opened's (for whoosh's spelling corrector)."""

    def __init__(self, reader: Any, opened: Opened) -> None:
        self._reader = reader
        self.terms_within = opened.terms_within

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)
