"""Single quotation marks as speech: where a page prints speech between ‘ ’ or ' ', find those marks.

British, Irish, Caribbean, Indian and Australian outlets print speech between single marks (‘We will
win,’ he said) and nest with double ones; US outlets print single marks in headlines ('Rigged' claim) and
for quotations inside quotations. The same glyphs are apostrophes far more often than marks, so a mark is
read from its neighbours:

- it opens after a space, a paragraph start or an opening bracket or dash, before a letter or digit, and
  not as an elision ('em, 'n', 'til, '90s: `ELISIONS`);
- it closes glued to the word or punctuation before it and followed by a space, punctuation or the
  paragraph's end (never between two letters: don't, O'Brien);
- a plural possessive (`the players’ union`) looks like a closing mark; inside an open quotation it closes
  only when no later mark of the paragraph could.

`quotations.find_quotations` decides where single marks are speech (a page that prints more quotations in
single marks than in double ones; a headline or a paragraph that is one quotation) and asks this module
for the marks.
"""

from __future__ import annotations

import re

SINGLE_MARKS = "‘’'‚‛"
_SINGLE = re.compile(f"[{SINGLE_MARKS}]")
# Words that an apostrophe shortens at their front: 'em, rock 'n' roll, 'til, 'tis, 'cause, 'bout.
ELISIONS = frozenset("em n til tis twas cause cos bout round nuff ol ere im er til s".split())
# '90s, ’08, '20s: a year or decade shortened, not a quotation opening with a number.
_DECADE = re.compile(r"\d\d(s\b|\b)(?![,.]?\d)")
_OPENS_AFTER = "([{—–-/\"“„«"  # besides a space or a paragraph start
_CLOSES_BEFORE = ",.;:!?)]}—–-\"”»…"  # besides a space or a paragraph end


def _opens(text: str, i: int, start: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if not (before.isspace() or before in _OPENS_AFTER):
        return False
    if not (after.isalnum() or after in "…“\"(["):
        return False
    word = re.match(r"\w*", text[i + 1 : i + 8]).group(0).lower()  # type: ignore[union-attr]
    if word in ELISIONS and (i + 1 + len(word) >= len(text) or not text[i + 1 + len(word)].isalnum()):
        return False
    return not _DECADE.match(text, i + 1)


def _closes(text: str, i: int, end: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < end else " "
    if before in "nN" and text[i - 2 : i - 1] in SINGLE_MARKS and i >= 2:
        return False  # the second mark of rock 'n' roll
    return not before.isspace() and (after.isspace() or after in _CLOSES_BEFORE)


def _possessive(text: str, i: int, end: int) -> bool:
    """`the players’ union`: an s, the mark, a space and a word that goes on the sentence."""
    return text[i - 1 : i] in ("s", "S") and text[i + 1 : i + 2] == " " and text[i + 2 : i + 3].isalnum() \
        and i + 2 < end


def _doubled(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1] in SINGLE_MARKS) or (i + 1 < len(text) and text[i + 1] in SINGLE_MARKS)


def single_marks(text: str, start: int, end: int, runs_on: bool = False) -> list[tuple[int, bool]]:
    """(offset, opens) of the single marks of text[start:end] that open and close quotations, paired.

    An opening mark left unclosed is kept where the quotation runs on into the next paragraph: at the
    paragraph's start, or anywhere when the next paragraph opens with a mark (`runs_on`); elsewhere it
    was an apostrophe.
    """
    # two apostrophes in a row ('') are a double mark in some archives (the New York Times'), not single
    candidates = [m.start() for m in _SINGLE.finditer(text, start, end) if not _doubled(text, m.start())]
    out: list[tuple[int, bool]] = []
    open_at: int | None = None
    for n, i in enumerate(candidates):
        if open_at is None:
            if _opens(text, i, start):
                open_at = i
            continue
        if not _closes(text, i, end):
            continue
        if _possessive(text, i, end) and any(_closes(text, j, end) for j in candidates[n + 1 :]):
            continue
        out += [(open_at, True), (i, False)]
        open_at = None
    if open_at is not None and (runs_on or not text[start:open_at].strip()):
        out.append((open_at, True))
    return out


def possible_openings(text: str) -> list[int]:
    """Offsets of the single marks that could open a quotation (after a space or a bracket), in order:
    most texts have none, their apostrophes sitting inside words, and then no paragraph is read again."""
    return [i for m in _SINGLE.finditer(text) if (i := m.start()) == 0 or text[i - 1].isspace()
            or text[i - 1] in _OPENS_AFTER]
