"""Did you mean, as every backend picks: of the indexed words near a misspelt one, which replaces it.

A backend finds the candidates (indexed words within SPELL_MAX_EDITS of the word, keeping its first
FUZZY_PREFIX letters, with how many documents hold each); `closest` chooses among them. Nothing here
imports a search engine.
"""

from __future__ import annotations

from collections.abc import Iterable


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
