"""Attribution: who said each quotation.

Each rule is a function that follows one convention of news writing and returns a `_Found` (the words
the quotation is attributed to, the cue, the rule's name) or None; `attribute` tries them in order of
how often they are right and resolves what they return (a name, a pronoun or a description) to the
fullest name the article gives. Rules, in order:

1. `cue_after`: the cue follows the quotation in its sentence: `"…," Altman said.` / `"…," said Altman.`
2. `cue_before`: the cue leads into the quotation: `Altman said: "…"` / `Son said that … "…"`.
3. `dash_credit`: a dash after the quotation names its speaker: `"…" — Commissioner Jane Roe`.
4. `colon_lead_in`: the sentence or paragraph before ends with a colon: `He added:` ¶ `"…"`.
5. `continued_paragraph`: a quotation running over paragraphs reopens each paragraph with a mark.
6. `same_paragraph`: a second quotation in a paragraph, without a cue of its own, continues the first.
7. `previous_paragraph`: a paragraph that is only a quotation continues the speaker of the paragraph
   before (a quotation's or a reported statement's).

A quotation no rule keeps `speaker=None`; a short fragment in the writer's own words with no cue
near it (a scare quote, a nickname, the title of a show) is not speech and is dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from quotes.model import Quotation, Quote, Sentence
from quotes.names import (
    NOT_NAMES,
    PRONOUNS_FEMALE,
    PRONOUNS_MALE,
    PRONOUNS_PLURAL,
    SUBJECT_PRONOUNS,
    TITLES,
    People,
    Person,
    gender_of,
    name_runs,
    strip_titles,
)

# Reporting verbs in all the forms news copy uses them; "said" and "says" are most of them.
REPORTING_VERBS = frozenset(
    """
    say says said saying tell tells told telling add adds added adding ask asks asked noted
    write writes wrote tweeted argue argues argued insist insists insisted recall recalls
    recalled warn warns warned explain explains explained continue continues continued state
    stated declare declares declared claims claimed reply replies replied respond responds
    responded answered announce announces announced acknowledge acknowledges
    acknowledged admit admits admitted suggest suggests suggested observe observes observed remark
    remarked joke joked quip quipped concede concedes conceded counter
    countered emphasize emphasizes emphasized emphasise emphasised stress stressed predict
    predicts predicted promised vow vowed exclaim exclaimed shout shouted yell
    yelled posted wonder wondered complain complains complained boast boasts boasted muse mused recount
    recounted charged contend contends contended maintain maintains maintained assert asserts
    asserted conclude concluded testify testified commented reiterate reiterated pledge pledged
    scoff scoffed tout touted reported accuse accused blast blasted slam slams
    slammed mock mocked whisper whispered chimed snapped told
    """.split()
)
# Reporting phrases of more than one word; the speaker follows them ("according to the report").
CUE_PHRASES = (("according", "to"),)

# Words that may stand between a subject and its cue ("Altman also said", "he later told").
ADVERBS = frozenset("also later then again once previously recently earlier further simply only "
                    "has had have would will was is had then quickly even still just frankly".split())
DETERMINERS = frozenset("the a an this that these those his her its their our another one some two "
                        "three several many".split())
PREPOSITIONS = frozenset("of for at with from in on to by".split())
CONJUNCTIONS = frozenset("and but or then so".split())

# Confidence of each rule: the share of its attributions that are right on annotated news (PolNeAR
# train split); calibrated as a set, retune them together with `quotes evaluate`.
CONFIDENCE = {
    "cue_after": 0.95,
    "cue_before": 0.9,
    "dash_credit": 0.85,
    "colon_lead_in": 0.85,
    "continued_paragraph": 0.9,
    "same_paragraph": 0.85,
    "previous_paragraph": 0.7,
    "none": 0.0,
}
# A quotation of at most this many words, in the writer's sentence and with no cue near it, is a scare
# quote, a nickname or a title ("law and order", "Shark Tank"), not speech.
SCARE_QUOTE_MAX_WORDS = 4

_TOKEN = re.compile(r"\w+(?:[’'.\-]\w+)*|[^\w\s]")


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True, slots=True)
class _Found:
    """What a rule found: the mention (token span) and cue, or a speaker carried from another quote."""

    rule: str
    cue: str | None = None
    mention: tuple[int, int] | None = None  # character offsets
    carried: Quote | None = None


class _Context:
    """One article's text, tokens, sentences and people, shared by the rules."""

    def __init__(self, text: str, sentences: Sequence[Sentence], quotations: Sequence[Quotation]) -> None:
        self.text = text
        self.quote_starts = [q.open_at for q in quotations]
        self.quote_ends = [q.close_at for q in quotations]
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.tokens = [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self.token_starts = [t.start for t in self.tokens]
        self.people = People()
        self.mentions: list[tuple[int, Person]] = []  # (offset, person) of every person named, in order
        self._find_people()

    def _find_people(self) -> None:
        # introductions first: a run with a title or a known given name is a person's full name
        runs = name_runs(self.text)
        for _, run in runs:
            name = strip_titles(run)
            if not name:
                continue
            words = run.split()
            titled = len(words) > len(name.split()) and any(
                w.strip(".’'").lower() in TITLES for w in words
            )
            if titled or (len(name.split()) >= 2 and gender_of(name) is not None):
                self.people.add(run)
        subject_at = self._subject_offsets()
        self.subjects: list[tuple[int, Person]] = []  # people named as the subject of a cue or sentence
        for start, run in runs:
            person = self.people.lookup(run)
            if person is None and start in subject_at and not run.isupper():
                person = self.people.add(run)  # "Altman said": whoever speaks is somebody
            if person is not None:
                self.mentions.append((start, person))
                if start in subject_at or self._opens_sentence(start):
                    self.subjects.append((start, person))
        self.mention_starts = [m[0] for m in self.mentions]
        self.subject_starts = [m[0] for m in self.subjects]

    def _subject_offsets(self) -> set[int]:
        """Offsets of the names that are the subject of a reporting verb anywhere in the article."""
        toks, found = self.tokens, set()
        for i, t in enumerate(toks):
            if t.low in REPORTING_VERBS and i > 0:
                span = _np_before(toks, i - 1, max(0, i - 12))
                if span is not None and toks[span[0]].cap:
                    found.add(toks[span[0]].start)
        return found

    def _opens_sentence(self, offset: int) -> bool:
        i = bisect_right(self.sentence_starts, offset) - 1
        return i >= 0 and self.text[self.sentence_starts[i] : offset].strip(" “\"") == ""

    def quoted(self, offset: int) -> bool:
        """Whether `offset` lies inside a quotation (between its marks)."""
        i = bisect_right(self.quote_starts, offset) - 1
        return i >= 0 and offset < self.quote_ends[i]

    def sentence_at(self, offset: int) -> Sentence:
        i = max(0, bisect_right(self.sentence_starts, offset) - 1)
        return self.sentences[i]

    def tokens_between(self, start: int, end: int) -> list[_Tok]:
        i = bisect_right(self.token_starts, start - 1)
        out = []
        while i < len(self.tokens) and self.tokens[i].start < end:
            out.append(self.tokens[i])
            i += 1
        return out


def _is_cue(toks: Sequence[_Tok], i: int) -> int:
    """Length in tokens of the cue starting at toks[i] (0 when there is none)."""
    if toks[i].low in REPORTING_VERBS:
        return 1
    for phrase in CUE_PHRASES:
        if tuple(t.low for t in toks[i : i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _name_span(toks: Sequence[_Tok], j: int, lo: int) -> int:
    """Index of the first token of the capitalised name that ends at toks[j]."""
    k = j
    while k - 1 >= lo:
        prev = toks[k - 1]
        if prev.cap and prev.low not in NOT_NAMES:
            k -= 1
        elif prev.text == "." and k - 2 >= lo and (toks[k - 2].low in TITLES or len(toks[k - 2].text) == 1):
            k -= 2  # "Sen. Ted Cruz", "George H. W. Bush"
        else:
            break
    if k - 1 >= lo and toks[k - 1].low == "the":
        k -= 1  # "the White House said": the article belongs to the mention
    return k


def _np_before(toks: Sequence[_Tok], j: int, lo: int) -> tuple[int, int] | None:
    """Token span of the subject that ends at toks[j] (the word before a cue), or None."""
    while j >= lo and toks[j].low in ADVERBS:
        j -= 1
    if j < lo:
        return None
    if toks[j].text == ")":  # "Sen. Ted Cruz (R-Texas) said"
        k = j
        while k >= lo and toks[k].text != "(":
            k -= 1
        j = k - 1
    if j >= lo and toks[j].text == ",":  # "Hugh Hill, a doctor at X, said": the name before the appositive
        k = j - 1
        while k >= lo and toks[k].text not in ",—–":
            k -= 1
        if k > lo and toks[k].text == "," and toks[k - 1].cap:
            j = k - 1
        else:
            return None
    if j < lo:
        return None
    t = toks[j]
    if t.low in SUBJECT_PRONOUNS:
        return (j, j + 1)
    if t.cap and t.low not in NOT_NAMES:
        return (_name_span(toks, j, lo), j + 1)
    if t.text.isalpha() and t.low not in CONJUNCTIONS | PREPOSITIONS | ADVERBS:
        # a description: back to its determiner ("the CEO", "a spokeswoman for the campaign")
        k = j
        while k - 1 >= lo and j - k < 8 and toks[k - 1].text.isalnum() and toks[k - 1].low not in CONJUNCTIONS:
            k -= 1
            if toks[k].low in DETERMINERS or toks[k].text.endswith(("’s", "'s")):
                return (k, j + 1)
        if t.low.endswith("s") or t.low in ("police", "staff"):  # "officials said", "aides said"
            return (j, j + 1)
    return None


def _np_after(toks: Sequence[_Tok], i: int, hi: int) -> tuple[int, int] | None:
    """Token span of the speaker right after a cue (`said Altman`, `according to the report`)."""
    while i < hi and toks[i].text == ",":
        i += 1
    if i >= hi:
        return None
    t = toks[i]
    if t.low in SUBJECT_PRONOUNS:
        return (i, i + 1)
    if not (t.cap or t.low in DETERMINERS) or t.low in NOT_NAMES - DETERMINERS:
        return None
    k = i + 1
    while k < hi:
        tk = toks[k]
        if tk.text == "." and (toks[k - 1].low in TITLES or len(toks[k - 1].text) == 1):
            k += 1  # "Sen. Ted Cruz", "George W. Bush"
            continue
        if not tk.text[:1].isalnum() or tk.low in PREPOSITIONS | CONJUNCTIONS | {"who", "that", "during"}:
            break
        if t.cap and not tk.cap:
            break  # the name has ended: "said Altman during a fireside chat"
        k += 1
    if t.low in DETERMINERS and k == i + 1:
        return None
    return (i, k)


def _span(toks: Sequence[_Tok], span: tuple[int, int]) -> tuple[int, int]:
    return toks[span[0]].start, toks[span[1] - 1].end


def cue_after(ctx: _Context, q: Quotation, nxt: Quotation | None) -> _Found | None:
    """`"…," Altman said.` / `"…," said Altman.` / `"…," he said, "…"`: the cue right after the
    quotation, before the sentence ends or the next quotation opens."""
    sentence = ctx.sentence_at(max(q.close_at - 1, q.start))
    end = sentence.end if nxt is None else min(sentence.end, nxt.open_at)
    toks = ctx.tokens_between(q.close_at, end)
    if toks and toks[0].text in ",—–-":
        toks = toks[1:]
    hi = min(len(toks), 12)
    for i in range(hi):
        n = _is_cue(toks, i)
        if n == 0:
            continue
        span = _np_before(toks, i - 1, 0) if i > 0 else None
        if span is not None and span[0] <= 1:
            return _Found("cue_after", toks[i].low, _span(toks, span))
        if i == 0:
            after = _np_after(toks, n, len(toks))
            if after is not None:
                return _Found("cue_after", " ".join(t.low for t in toks[:n]), _span(toks, after))
        return None
    return None


def cue_before(ctx: _Context, q: Quotation) -> _Found | None:
    """`Altman said: "…"` / `Son told reporters that … "…"`: the last cue before the quotation in its
    sentence. A participle cue (`he said, adding that … "…"`) has the subject of the cue before it."""
    sentence = ctx.sentence_at(q.open_at)
    toks = ctx.tokens_between(sentence.start, q.open_at)
    cues = [(i, n) for i in range(len(toks)) if (n := _is_cue(toks, i)) and not ctx.quoted(toks[i].start)]
    if not cues:
        return None
    last, n_last = cues[-1]
    cue = " ".join(t.low for t in toks[last : last + n_last])
    for i, n in reversed(cues):
        if n > 1 or (i == 0 and toks[i].cap):  # "According to X, …" / "Said Altman: …"
            span = _np_after(toks, i + n, len(toks))
        else:
            span = _np_before(toks, i - 1, 0) if i > 0 else None
        if span is not None:
            return _Found("cue_before", cue, _span(toks, span))
    span = _sentence_subject(toks, last)  # "The CEO refused …, but said "…""
    return _Found("cue_before", cue, _span(toks, span)) if span else None


def _sentence_subject(toks: Sequence[_Tok], before: int) -> tuple[int, int] | None:
    """The subject that opens the writer's sentence: a name, a pronoun or a determiner phrase."""
    if not toks:
        return None
    if toks[0].low in SUBJECT_PRONOUNS:
        return (0, 1)
    k = 0
    if toks[0].low in DETERMINERS:
        k = 1
    while k < before and (toks[k].cap or toks[k].text == ".") and toks[k].low not in NOT_NAMES - {"the"}:
        k += 1
    if k == 0 or (k == 1 and toks[0].low in DETERMINERS):
        if toks[0].low in DETERMINERS and before > 1 and toks[1].text.isalpha():
            return (0, 2)
        return None
    return (0, k)


def dash_credit(ctx: _Context, q: Quotation) -> _Found | None:
    """`"…" — Commissioner Jane Roe`: a dash and a name after the quotation, ending its line."""
    line_end = ctx.text.find("\n", q.close_at)
    toks = ctx.tokens_between(q.close_at, len(ctx.text) if line_end < 0 else line_end)
    if len(toks) >= 2 and toks[0].text in "—–-" and toks[1].cap and toks[1].low not in NOT_NAMES:
        end = 2
        while end < len(toks) and (toks[end].cap or toks[end].text == "."):
            end += 1
        return _Found("dash_credit", None, _span(toks, (1, end)))
    return None


def colon_lead_in(ctx: _Context, q: Quotation) -> _Found | None:
    """`He added:` or `And from Chairwoman Rosenworcel:` closing the sentence or paragraph before a
    quotation that opens its own."""
    before = ctx.text[: q.open_at].rstrip()
    if not before.endswith(":"):
        return None
    sentence = ctx.sentence_at(len(before) - 1)
    toks = ctx.tokens_between(sentence.start, len(before) - 1)
    for i in range(len(toks) - 1, -1, -1):
        n = _is_cue(toks, i)
        if n:
            span = _np_before(toks, i - 1, 0) if n == 1 else _np_after(toks, i + n, len(toks))
            if span is None and i > 0:
                span = _sentence_subject(toks, i)
            if span:
                return _Found("colon_lead_in", toks[i].low, _span(toks, span))
    # no cue: the last name of the lead-in ("And from Chairwoman Rosenworcel:")
    for j in range(len(toks) - 1, -1, -1):
        if toks[j].cap and toks[j].low not in NOT_NAMES:
            return _Found("colon_lead_in", None, _span(toks, (_name_span(toks, j, 0), j + 1)))
    return None


def _reported_speaker(ctx: _Context, paragraph_start: int, paragraph_end: int) -> _Found | None:
    """The subject of the last reporting verb in a paragraph (`Chung said the two sides …`)."""
    toks = ctx.tokens_between(paragraph_start, paragraph_end)
    for i in range(len(toks) - 1, 0, -1):
        if _is_cue(toks, i) == 1:
            span = _np_before(toks, i - 1, 0)
            if span:
                return _Found("previous_paragraph", toks[i].low, _span(toks, span))
    return None


def attribute(text: str, sentences: Sequence[Sentence], quotations: Sequence[Quotation]) -> list[Quote]:
    """Attribute every quotation to a speaker; drop those that are not speech."""
    ctx = _Context(text, sentences, quotations)
    out: list[Quote] = []
    paragraph_starts = _paragraph_bounds(text)
    prev: Quote | None = None
    prev_q: Quotation | None = None
    for n, q in enumerate(quotations):
        nxt = quotations[n + 1] if n + 1 < len(quotations) and quotations[n + 1].paragraph == q.paragraph else None
        found = _rules(ctx, q, nxt, prev, prev_q, paragraph_starts)
        if found is None:
            if _not_speech(ctx, q):
                continue
            quote = _quote(ctx, q, _Found("none"))
        else:
            quote = _quote(ctx, q, found)
        out.append(quote)
        prev, prev_q = quote, q
    return out


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    from quotes.quotations import paragraph_starts

    starts = paragraph_starts(text)
    return [(s, starts[i + 1] if i + 1 < len(starts) else len(text)) for i, s in enumerate(starts)]


def _rules(
    ctx: _Context,
    q: Quotation,
    nxt: Quotation | None,
    prev: Quote | None,
    prev_q: Quotation | None,
    paragraphs: list[tuple[int, int]],
) -> _Found | None:
    if q.kind == "partial":
        found = cue_before(ctx, q) or cue_after(ctx, q, nxt)
    else:
        found = cue_after(ctx, q, nxt) or cue_before(ctx, q) or dash_credit(ctx, q) or colon_lead_in(ctx, q)
    if found:
        return found
    if prev is None or prev_q is None or prev.speaker_mention is None:
        if prev_q is not None and prev_q.paragraph == q.paragraph:
            return None
        return _previous_paragraph(ctx, q, paragraphs) if q.kind == "direct" else None
    if prev_q.paragraph == q.paragraph:
        return _Found("same_paragraph", carried=prev)
    at_paragraph_start = ctx.text[paragraphs[q.paragraph][0] : q.open_at].strip() == ""
    if prev_q.paragraph == q.paragraph - 1 and prev_q.close_at >= paragraphs[prev_q.paragraph][1] - 2:
        if at_paragraph_start and prev_q.close_at == ctx.text[: paragraphs[prev_q.paragraph][1]].rstrip().__len__():
            return _Found("continued_paragraph", carried=prev)
    if q.kind == "direct" and at_paragraph_start:
        return _previous_paragraph(ctx, q, paragraphs, prev if prev_q.paragraph == q.paragraph - 1 else None)
    return None


def _previous_paragraph(
    ctx: _Context, q: Quotation, paragraphs: list[tuple[int, int]], prev: Quote | None = None
) -> _Found | None:
    """A paragraph that opens with a quotation and names no one continues the paragraph before: its
    reported statement (`Chung said …`) or, failing that, its last quotation's speaker."""
    if q.paragraph == 0:
        return None
    start, end = paragraphs[q.paragraph - 1]
    reported = _reported_speaker(ctx, start, end)
    if reported is not None and (prev is None or (reported.mention or (0, 0))[0] > prev.end):
        return reported
    if prev is not None:
        return _Found("previous_paragraph", carried=prev)
    return None


def _not_speech(ctx: _Context, q: Quotation) -> bool:
    """A short fragment inside the writer's sentence with no cue around it: a scare quote or a title."""
    return q.kind == "partial" and len(q.text.split()) <= SCARE_QUOTE_MAX_WORDS


def _quote(ctx: _Context, q: Quotation, found: _Found) -> Quote:
    if found.carried is not None:
        c = found.carried
        return Quote(q.text, q.start, q.end, c.speaker, c.speaker_mention, c.speaker_start, c.speaker_end,
                     c.cue, q.kind, found.rule, round(min(CONFIDENCE[found.rule], c.confidence), 2))
    if found.mention is None:
        return Quote(q.text, q.start, q.end, None, None, None, None, None, q.kind, found.rule, 0.0)
    ms, me = found.mention
    mention = ctx.text[ms:me]
    speaker = _resolve(ctx, mention, ms)
    confidence = CONFIDENCE[found.rule] * (1.0 if speaker else 0.5)
    return Quote(q.text, q.start, q.end, speaker, mention, ms, me, found.cue, q.kind, found.rule,
                 round(confidence, 2))


def _resolve(ctx: _Context, mention: str, at: int) -> str | None:
    """The fullest name of the person (or organisation) a mention refers to, or None."""
    low = mention.lower()
    if low in SUBJECT_PRONOUNS:
        if low in ("i", "we", "it"):
            return None
        want = "m" if low in PRONOUNS_MALE else "f" if low in PRONOUNS_FEMALE else None
        return _last_person(ctx, at, want, plural=low in PRONOUNS_PLURAL)
    words = mention.split()
    if words[0].lower() in DETERMINERS or not mention[:1].isupper():
        # a description: the person last named who holds its title ("the CEO"), else the words themselves
        titles = {w.strip(".’'").lower() for w in words} & TITLES
        if titles:
            for i in range(bisect_right(ctx.mention_starts, at) - 1, -1, -1):
                person = ctx.mentions[i][1]
                if person.titles & titles and not person.organisation:
                    return person.name
            return mention
        rest = " ".join(words[1:])
        if words[0].lower() == "the" and rest[:1].isupper():
            return rest  # an organisation: "the White House" -> "White House"
        return mention
    person = ctx.people.lookup(mention)
    if person is not None:
        return person.name
    return strip_titles(mention) or mention


# How far back (in characters) a pronoun looks for the person it stands for.
PRONOUN_REACH = 1500


def _last_person(ctx: _Context, at: int, gender: str | None, plural: bool) -> str | None:
    """The person a pronoun at `at` stands for: the last compatible person who was the subject of a
    sentence or a cue (news writing keeps "he" for its current speaker), else the last one named."""
    if plural:
        return None
    for timeline, starts in ((ctx.subjects, ctx.subject_starts), (ctx.mentions, ctx.mention_starts)):
        for i in range(bisect_right(starts, at) - 1, -1, -1):
            offset, person = timeline[i]
            if offset < at - PRONOUN_REACH:
                break
            if not person.organisation and (gender is None or person.gender in (None, gender)):
                return person.name
    return None
