"""Find the words that stand between quotation marks, before anyone is named as their speaker.

News copy writes quotations with straight (") or curly (“ ”) double marks, and nests a quotation inside a
quotation with single marks (‘ ’ or '), which stay part of the outer quotation's text. Three conventions
shape this module:

- a quotation that runs over several paragraphs opens each paragraph with a mark and closes only at its
  end, so an unclosed quotation ends with its paragraph when the next paragraph opens with a mark;
- typists and feeds get the direction of curly marks wrong (“expedited review“, ”get close to”), so the
  direction of a mark is read from its neighbours (a space before, a letter after: it opens), and the
  glyph decides only where the neighbours do not;
- an unbalanced mark never swallows more than its own paragraph;
- single marks are speech where the page prints its speech in them (British, Irish, Caribbean, Indian and
  Australian outlets: more quotations in single marks than in double ones), and in a headline or a
  paragraph that is one quotation (a deck, a pull quote) without double marks; elsewhere they are
  apostrophes or nested quotations (quotes/singlemarks.py tells the two apart).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from quotes.model import Quotation, Sentence
from quotes.singlemarks import possible_openings, single_marks

# Double quotation marks, in every form that news feeds use. Single marks are searched for at the top
# level only where the page uses them for speech (see the module's docstring): most are apostrophes
# ("Trump's", "’90s"), and US copy keeps single marks for nested quotations and headlines.
DOUBLE_MARKS = '"“”„‟«»'
_MARK = re.compile(f"[{DOUBLE_MARKS}]")
OPENING_GLYPHS = "“„‟«"
CLOSING_GLYPHS = "”»"

# A quotation this short that ends nothing and starts in the middle of the writer's sentence is a
# fragment, a "partial" quotation; a capitalised quotation that opens a sentence (or follows a lead-in
# ending with a colon or comma) is "direct".
SENTENCE_END = ".?!…"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
# Markup left in a feed's text (`<tweet author="@x" id="77">`): its attribute values are not quotations.
_MARKUP = re.compile(r"<[A-Za-z/][^<>\n]{0,500}>")
_TRAILING = " \t\n,;:—–-"  # stripped from a quotation's end: the comma before "he said" is not speech
# A paragraph of at most this many words that does not end a sentence is a headline, a deck or a caption
# title: US and British headlines alike print their quotations in single marks (Schools ‘safe’ amid surge).
HEADLINE_MAX_WORDS = 20
# Quotations in single marks that count towards a page printing its speech in them have this many words
# or more: speech runs longer than the headline words, nicknames and scare quotes of US copy ('Squad').
SINGLE_SPEECH_MIN_WORDS = 4
# `‘We will be back,’ said Jones` / `,’ he said` / `,’ Mick Lynch added`: a single-marked quotation credited
# as speech is, comma inside the marks and the cue right after, on a page that otherwise prints double marks.
_CREDIT_VERBS = "said|says|added|adds|told|tells|explained|insisted|continued|recalled|warned|admitted|replied"
_SINGLE_CREDIT = re.compile(
    rf",[’'] (?:(?:he|she|they|I|we|(?:[A-Z][\w.’'-]*\s){{1,4}})\s?)?(?:{_CREDIT_VERBS})\b")


def stripped_end(text: str, end: int, start: int = 0) -> int:
    """`start + len(text[start:end].rstrip())`, without copying the text: where the white space that
    ends text[start:end] begins. Asked for every quotation, a copy of all the text before it would make
    an article of many quotations quadratic."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def paragraph_starts(text: str) -> list[int]:
    """Offsets where each paragraph (a block separated by blank lines) starts."""
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]


def _is_opening(text: str, i: int, inside: bool) -> bool:
    """Whether the mark at `text[i]` opens a quotation, read from its neighbours before its glyph."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    space_before = before.isspace() or before in "([{—–-/"
    space_after = after.isspace() or after in ",.;:!?)]}"
    if space_before and not space_after:
        return True
    if space_after and not space_before:
        return False
    if text[i] in OPENING_GLYPHS:
        return True
    if text[i] in CLOSING_GLYPHS:
        return False
    return not inside  # straight marks alternate


def _clearly_closing(text: str, i: int) -> bool:
    """A mark glued to the word before it and followed by a space or a line end: `,” added`."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ",.;:!?)")


def _marks(text: str, start: int, end: int) -> list[tuple[int, bool]]:
    """(offset, opens) for every double mark in text[start:end], pairing them as they alternate."""
    out: list[tuple[int, bool]] = []
    inside = False
    markup = set()
    if "<" in text[start:end]:
        markup = {i for m in _MARKUP.finditer(text, start, end) for i in range(m.start(), m.end())}
    for m in _MARK.finditer(text, start, end):
        i = m.start()
        if i not in markup:
            opens = _is_opening(text, i, inside)
            if opens == inside:
                if not inside and _clearly_closing(text, i):
                    continue  # a closing mark with nothing open (an earlier mark was missed): skip it
                # two openers in a row: a mistyped closing mark; trust alternation, since a quotation
                # cannot open inside a quotation at the same level
                opens = not inside
            out.append((i, opens))
            inside = opens
    return out


def find_quotations(text: str, sentences: Sequence[Sentence]) -> list[Quotation]:
    """Every quotation in `text`, in order, one per paragraph it spans."""
    starts = paragraph_starts(text)
    sentence_starts = [s.start for s in sentences]
    spans = [(pstart, stripped_end(text, starts[p + 1] if p + 1 < len(starts) else len(text)))
             for p, pstart in enumerate(starts)]
    doubles = [_marks(text, pstart, pend) for pstart, pend in spans]
    openings = possible_openings(text)  # most texts have none: then no paragraph reads its single marks
    singles = [single_marks(text, pstart, pend, _runs_on(text, spans, p))
               if bisect_left(openings, pstart) < bisect_left(openings, pend) else []
               for p, (pstart, pend) in enumerate(spans)]
    single_page = _prints_speech_in_single_marks(text, spans, doubles, singles)
    found: list[Quotation] = []
    for p, (pstart, pend) in enumerate(spans):
        marks = doubles[p]
        if singles[p] and (single_page or (not marks and _single_marks_speak(text, pstart, pend, singles[p]))):
            marks = singles[p]
        k = 0
        while k < len(marks):
            at, opens = marks[k]
            if not opens:
                k += 1  # a closing mark with nothing open: the end of a quotation begun a paragraph earlier
                continue
            if k + 1 < len(marks):
                close = marks[k + 1][0]
                q = _quotation(text, at, close, close + 1, p, sentences, sentence_starts)
                k += 2
            else:
                # unclosed: news style for a quotation that goes on in the next paragraph; it ends here
                q = _quotation(text, at, pend, pend, p, sentences, sentence_starts)
                k += 1
            if q is not None:
                found.append(q)
    return found


def _runs_on(text: str, spans: list[tuple[int, int]], p: int) -> bool:
    """Whether the paragraph after paragraph p opens with a single mark (a quotation may run on into it)."""
    return p + 1 < len(spans) and text[spans[p + 1][0] : spans[p + 1][0] + 1] in "‘'"


def _prints_speech_in_single_marks(
    text: str, spans: list[tuple[int, int]], doubles: list[list[tuple[int, bool]]],
    singles: list[list[tuple[int, bool]]],
) -> bool:
    """Whether a page prints its speech in single marks: more quotations of speech in single marks (of
    SINGLE_SPEECH_MIN_WORDS words or more: a US page's headlines and scare quotes are shorter) than
    quotations in double marks, leaving out those nested in the other kind."""
    if not any(singles):
        return False
    in_double, in_single = _enclosed(doubles, text), _enclosed(singles, text)
    # two apostrophes ('') are some archives' double marks (the New York Times'): not found as quotations
    # (PolNeAR's gold leaves them out), but they mark the page as one of double marks
    n_double = sum(1 for marks in doubles for i, opens in marks if opens and not in_single(i))
    n_single = 0
    for (_, end), marks in zip(spans, singles, strict=True):
        for k, (i, opens) in enumerate(marks):  # an opening mark to its closing one, or the paragraph's end
            close = marks[k + 1][0] if k + 1 < len(marks) else end
            if opens and not in_double(i) and len(text[i:close].split()) >= SINGLE_SPEECH_MIN_WORDS:
                n_single += 1
    return n_single > n_double + text.count("''") // 2


def _enclosed(marks: list[list[tuple[int, bool]]], text: str) -> Callable[[int], bool]:
    """A test of whether an offset lies inside one of the quotations these marks make."""
    spans = []
    for paragraph in marks:
        start = None
        for i, opens in paragraph:
            if opens:
                start = i
            elif start is not None:
                spans.append((start, i))
                start = None
        if start is not None:
            spans.append((start, len(text)))
    starts = [a for a, _ in spans]  # in order, and never overlapping: one bisection finds the candidate

    def inside(i: int) -> bool:
        k = bisect_right(starts, i - 1) - 1
        return k >= 0 and spans[k][0] < i < spans[k][1]

    return inside


def _single_marks_speak(text: str, start: int, end: int, singles: list[tuple[int, bool]]) -> bool:
    """On a page of double marks, single marks are speech in a headline (a short paragraph that ends no
    sentence), in a paragraph that is one quotation (a deck, a pull quote), and in a paragraph that credits
    one the way speech is credited, its comma inside the marks (`‘We will win,’ he said`: a title keeps its
    comma outside, `the film ‘Pride’, which`): house styles mix on some sites."""
    if singles[0][0] == start and singles[-1][0] == end - 1:
        return True
    if "''" not in text[start:end] and _SINGLE_CREDIT.search(text, start, end):
        return True
    paragraph = text[start:end]
    return len(paragraph.split()) <= HEADLINE_MAX_WORDS and paragraph.rstrip("’'")[-1:] not in SENTENCE_END


def _quotation(
    text: str,
    open_at: int,
    inner_end: int,
    close_at: int,
    paragraph: int,
    sentences: Sequence[Sentence],
    sentence_starts: list[int],
) -> Quotation | None:
    start = open_at + 1
    while start < inner_end and text[start].isspace():
        start += 1
    end = inner_end
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    if end <= start or not any(c.isalnum() for c in text[start:end]):
        return None
    words = text[start:end]
    return Quotation(
        start=start,
        end=end,
        text=words,
        open_at=open_at,
        close_at=close_at,
        paragraph=paragraph,
        kind=_kind(text, open_at, words, sentences, sentence_starts),
    )


def _kind(text: str, open_at: int, words: str, sentences: Sequence[Sentence], starts: list[int]) -> str:
    """"direct" for a sentence or more of speech, "partial" for a fragment in the writer's sentence."""
    i = bisect_right(starts, open_at) - 1
    sentence_start = sentences[i].start if i >= 0 else 0
    lead_end = stripped_end(text, open_at, sentence_start)  # the writer's words before the mark end here
    first = words.lstrip("‘'(…. ")[:1]
    if lead_end == sentence_start or text[lead_end - 1] in ":,—–-" or "\n" in text[lead_end:open_at]:
        return "direct" if first.isupper() or first.isdigit() or not first.isalpha() else "partial"
    if first.isupper() and (words.rstrip("”\"’' ")[-1:] in SENTENCE_END or len(words.split()) >= 8):
        return "direct"  # `The CEO said "AI adoption ... incredible."`: a whole sentence after the cue
    return "partial"
