"""Did you mean, as every backend picks: of the indexed words near a misspelt one, which replaces it.

`respell` walks a query's words; a backend tells it which words it knows and finds the candidates of
the others (indexed words within SPELL_MAX_EDITS of the word, keeping its first FUZZY_PREFIX letters, with
how many documents hold each); `closest` chooses among them. Nothing here imports a search engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from quotes.index.records import OPERATORS, SPELL_MAX_EDITS, SPELL_MIN_CHARS, SPELL_TWO_EDITS_CHARS, as_query

# A word of a query that can be spelt wrong: letters, not a field name (`speaker:`), a field's value, a
# prefix (`stock*`) or a fuzzy term (`stok~`). A field's phrase is matched whole, to be left alone.
PLAIN_WORD = re.compile(r'\w+:"[^"]*"|(?<![\w:*~\[-])[^\W\d_]+(?![\w:*~])')


def respell(text: str, known: Callable[[str], bool],
            candidates: Callable[[str, int], Iterable[tuple[str, int]]]) -> str | None:
    """The query with each word it does not know replaced by the closest candidate; None when every word
    is known or nothing close is. `known(word)` (lower case): the word is indexed, or is no word to
    correct (a stop word). `candidates(word, edits)`: (indexed word, documents holding it) within `edits`.
    Operators, field names and values, prefixes (`word*`), fuzzy terms (`word~`) and words shorter than
    SPELL_MIN_CHARS are left as they are."""
    changed = False

    def correct(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group(0)
        lower = word.lower()
        if ":" in word or word in OPERATORS or len(word) < SPELL_MIN_CHARS or known(lower):
            return word
        best = closest(lower, candidates(lower, SPELL_MAX_EDITS if len(lower) >= SPELL_TWO_EDITS_CHARS else 1))
        if best is None:
            return word
        changed = True
        return best

    corrected = PLAIN_WORD.sub(correct, as_query(text))
    return corrected if changed else None


def closest(word: str, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The candidate (an indexed word, how many documents hold it) fewest edits from `word` ("stargte" is
    "stargate", not the commoner "started"), then the most frequent, then the first alphabetically; None
    where there is none."""
    ranked = [(edit_distance(word, w), -frequency, w) for w, frequency in candidates]
    return min(ranked)[2] if ranked else None


def edit_distance(a: str, b: str) -> int:
    """Edits (a letter inserted, deleted, changed, or two next to each other swapped) from `a` to `b`:
    the distance whoosh's automaton finds words within, which it does not tell."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]
