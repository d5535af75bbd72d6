"""Did you mean: a query's words that no quotation or name holds, replaced by the closest indexed words."""

from __future__ import annotations

import re
from pathlib import Path

from quotes.index.records import (
    FUZZY_PREFIX,
    OPERATORS,
    SPELL_MAX_EDITS,
    SPELL_MIN_CHARS,
    SPELL_TWO_EDITS_CHARS,
    as_query,
)
from quotes.index.spelling import closest
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
    changed = False

    def correct(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group(0)
        if ":" in word:  # a field's phrase (`publisher:"london times"`): not quoted words nor names
            return word
        lower = word.lower()
        stems = [t.text for t in TEXT_ANALYZER(lower)]
        if (word in OPERATORS or len(word) < SPELL_MIN_CHARS or not stems or ("words", lower) in reader
                or ("speaker", lower) in reader or any(("text", stem) in reader for stem in stems)):
            return word
        edits = SPELL_MAX_EDITS if len(lower) >= SPELL_TWO_EDITS_CHARS else 1
        best = closest(lower, [(w, reader.doc_frequency(field, w)) for field in ("words", "speaker")
                               for w in opened.terms_within(field, lower, edits, prefix=FUZZY_PREFIX)])
        if best is None:
            return word
        changed = True
        return best

    corrected = _PLAIN_WORD.sub(correct, as_query(text))
    return corrected if changed else None


# A word of a query that can be spelt wrong: letters, not a field name (`speaker:`), a field's value, a
# prefix (`stock*`) or a fuzzy term (`stok~`). A field's phrase is matched whole, to be left alone.
_PLAIN_WORD = re.compile(r'\w+:"[^"]*"|(?<![\w:*~\[-])[^\W\d_]+(?![\w:*~])')
