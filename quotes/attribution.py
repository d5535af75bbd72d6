"""Attribution: who said each quotation.

Each rule is a function that follows one convention of news writing and returns a `_Found` (the words
the quotation is attributed to, the cue, the rule's name) or None; `attribute` tries them in order of
how often they are right, and `ArticleContext.resolve` (quotes/context.py) turns what they return (a
name, a pronoun or a description) into the fullest name the article gives. Rules, in order:

1. `transcript_label`: an interview transcript labels each turn (`WALLACE: …`, `Q: …`).
2. `cue_after`: the cue follows the quotation: `"…," Altman said.` / `"…," said Altman.`
3. `cue_before`: the cue leads into the quotation: `Altman said: "…"` / `Son said that … "…"`.
4. `dash_credit`: a dash after the quotation names its speaker: `"…" — Commissioner Jane Roe`.
5. `colon_lead_in`: the sentence or paragraph before ends with a colon: `He added:` ¶ `"…"`.
6. `continued_paragraph`: a quotation running over paragraphs reopens each paragraph with a mark.
7. `same_paragraph`: a second quotation in a paragraph, without a cue of its own, continues the first.
8. `previous_paragraph`: a paragraph that opens with a quotation continues the paragraph before: its
   reported speaker, its quotation's speaker, or the person its last sentence is about.
9. `previous_sentence`: a quotation standing alone mid-paragraph, the same way.
10. `sentence_subject`: a fragment quoted in the writer's sentence is the words of that sentence's
    subject, where that subject is someone (`Reid has gone after Trump as a "human leech"`).

Quotations that are not speech are dropped before any rule runs (`not_speech`: titles of works and
names, "Face the Nation", `Marcia "Cia" Price`), and a fragment no rule attributes is a scare quote and
dropped after. A whole quotation no rule claims keeps `speaker=None`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

from quotes.context import ArticleContext
from quotes.model import Quotation, Quote, Sentence
from quotes.names import (
    NOT_NAMES,
    TITLES,
)
from quotes.notspeech import not_speech
from quotes.phrases import (
    CHARACTERISING_VERBS,
    CONJUNCTIONS,
    CUE_AFTER_VERBS,
    DASHES,
    INTRODUCERS,
    RELATIVES,
    REPORTING_VERBS,
    SUBJECT_PRONOUNS,
    Token,
    cue_length,
    is_name_word,
    name_start,
    np_after,
    np_before,
    sentence_subject,
    speaker_follows,
)
from quotes.quotations import stripped_end

# Confidence of each rule: the share of its attributions whose speaker is right on annotated news
# (PolNeAR train split, 840 articles, over the quotations whose mention resolves to someone; rounded;
# last retuned after the rule changes of #3's second session). A rule seen fewer than 30 times there
# (dash credit, transcript labels: PolNeAR does not annotate transcripts) has a judged value. Calibrated
# as a set: retune them together, on the train split, whenever a rule changes.
CONFIDENCE = {
    "cue_after": 0.98,
    "same_paragraph": 0.94,
    "cue_before": 0.91,
    "dash_credit": 0.9,
    "continued_paragraph": 0.85,
    "transcript_label": 0.8,
    "colon_lead_in": 0.77,
    "sentence_subject": 0.75,
    "previous_paragraph": 0.68,
    "previous_sentence": 0.64,
    "none": 0.0,
}
# Unions of word lists, made once: `A | B` in a test builds a new set each time it runs.
# Nouns that report a claim: a cue before a partial quotation after a name's possessive only
# (`Donald Trump's claim that there have been "thousands of shootings"`).
CLAIM_NOUNS = frozenset("claim assertion".split())
_OWNER_ENDS = ("’s", "'s")
_PARTIAL_CUE_VERBS = REPORTING_VERBS | CHARACTERISING_VERBS | CLAIM_NOUNS  # the cues before a partial quotation
_NOT_DESCRIBING = NOT_NAMES | INTRODUCERS | CONJUNCTIONS  # lower-case words no description before a name has
# How many tokens after a quotation the cue may stand (`"…," Tulsa police Chief Chuck Jordan said`).
CUE_AFTER_REACH = 30
# How many words a sentence that only credits the quotation before it may have (`"…." Trump said.`).
BARE_CREDIT_WORDS = 4
# Forms of "be" before a participle cue: its subject is before them (`Trump is insisting`).
_PROGRESSIVE = frozenset("is are was were".split())
# How many words of description may stand between "with" and a participle's subject (`with spokesman
# Glen Caplin saying`, `with her longtime aide Huma Abedin saying`).
OWN_SUBJECT_DESCRIPTION = 4
# How close (in characters) a cue's speaker after a fragment closed by a comma stands to be the
# fragment's own cue (`Clinton said the vote was fair, but it was "rigged," Trump said`).
BESIDE = 3
_MARKS = frozenset("“”\"")
_APPOSITIVE_OPENERS = TITLES | {"the", "a", "an"}  # "Director of …", "the head of …", "a spokesman for …"
# How many tokens a name and its appositive after a quotation may have to credit it without a verb.
CREDIT_WORDS = 20
# How many words of description may stand before the speaker's name in a cue after the quotation
# (`"…," White House press secretary Josh Earnest said`).
CUE_AFTER_LEAD = 7
# Words before a participle opening a sentence (`After saying …, she …`).
_OPENERS = frozenset("after before while when since upon".split())
# How many tokens after a quotation the comma closing a sentence's opening phrase may stand.
OPENING_REACH = 12
# Cues that, with an object and "to" after them, ask someone to act rather than report what was said.
_ASKING = frozenset("ask asks asked asking".split())
# How many words the object of a request may have (`asked the county's residents to`).
REQUEST_OBJECT_WORDS = 4
_BLANK = re.compile(r"\s*")  # white space, matched where it starts (see `_blank`)


def _blank(text: str, start: int, end: int) -> bool:
    """`text[start:end].strip() == ""`, without copying: asked after each quotation, up to its sentence's
    or line's end."""
    return end <= start or _BLANK.match(text, start, end).end() == end  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class _Found:
    """What a rule found: the mention (character offsets) and cue, or a speaker carried from a quote."""

    rule: str
    cue: str | None = None
    mention: tuple[int, int] | None = None
    carried: Quote | None = None
    name: str | None = None  # a speaker given outright (a transcript label)


def _span(toks: Sequence[Token], span: tuple[int, int]) -> tuple[int, int]:
    return toks[span[0]].start, toks[span[1] - 1].end


def transcript_label(ctx: ArticleContext, q: Quotation) -> _Found | None:
    """`WALLACE: …` / `Q: …`: a transcript names the speaker of each turn in capitals before a colon."""
    head = ctx.text[q.start : q.start + 40]
    colon = head.find(":")
    label = head[:colon].strip()
    if colon <= 0 or not label.replace(" ", "").replace(".", "").isalpha() or not label.isupper():
        return None
    if len(label.split()) > 3:
        return None
    return _Found("transcript_label", None, (q.start, q.start + len(label)), name=label)


def cue_after(ctx: ArticleContext, q: Quotation, nxt: Quotation | None) -> _Found | None:
    """`"…," Altman said.` / `"…," said Altman.` / `"…," he said, "…"`: the cue right after the
    quotation, before its sentence ends or the next quotation opens. Where the quotation itself ends a
    sentence (`"…?" Graham asked.`), the cue opens the next one."""
    i = ctx.sentence_index(max(q.close_at - 1, q.start))
    end = ctx.sentences[i].end if ctx.sentences else len(ctx.text)
    if _blank(ctx.text, q.close_at, end) and i + 1 < len(ctx.sentences):
        following = ctx.sentences[i + 1]
        # a quotation closed by a full stop is credited by a sentence of its own ("…." Trump said.)
        bare = q.text[-1:] == "." and len(following.text.split()) <= BARE_CREDIT_WORDS
        if following.paragraph == q.paragraph and (q.text[-1:] in "?!" or bare):
            end = following.end
    if nxt is not None:
        end = min(end, nxt.open_at)
    toks = ctx.tokens_between(q.close_at, end)
    if toks and (toks[0].text in "," + DASHES):
        toks = toks[1:]
    for i in range(min(len(toks), CUE_AFTER_REACH)):
        n = cue_length(toks, i, CUE_AFTER_VERBS)
        if n == 0:
            continue
        cue = " ".join(t.low for t in toks[i : i + n])
        if i > 0 and toks[i].cap and toks[i - 1].cap:
            continue  # a word of a name, not a verb: "the United States Court of Appeals said"
        if i > 0 and toks[i - 1].low in RELATIVES:
            continue  # `"…," Alberto Shiguematsu, a resident who tweeted about it, said`: an aside's verb
        if i == 0:
            if toks[0].low.endswith("ing") and n == 1:
                return None  # `"…," adding that …`: the subject is before the quotation
            after = np_after(toks, n, len(toks))
            return _Found("cue_after", cue, _span(toks, after)) if after else None
        if i + n < len(toks) and toks[i + n].low == "that" and (i + n + 1 == len(toks) or not toks[i + n + 1].cap):
            return None  # `"…?" Mr. Cueto responded that …`: the cue reports what follows it, not this
        span = np_before(toks, i - 1, 0)
        if span is None:
            # a name opening the words after the quotation, then an appositive, then the cue (`"…," Bill
            # McInturff, part of the team that runs the poll, told NBC`), else a speaker after the cue
            after = _named_before_appositive(toks, i - 1) if toks[i - 1].text == "," else None
            if after is None and toks[i - 1].text == ",":
                after = np_after(toks, i + n, len(toks))
            return _Found("cue_after", cue, _span(toks, after)) if after else None
        # the speaker's phrase opens the tail (`"…," Tulsa police Chief Chuck Jordan said`), or stands
        # after a comma with a pronoun or name (`"…" to drive up the price, she said`)
        start = 1 if toks[0].low == "as" else 0  # `"…," as a Homeland Security memo put it`
        lead = toks[start : span[0]]
        if len(lead) <= CUE_AFTER_LEAD and all(_describes(t) for t in lead):
            return _Found("cue_after", cue, _span(toks, (start, span[1])))
        if lead and lead[-1].text == "," and (
            toks[span[0]].bare in SUBJECT_PRONOUNS or toks[span[0]].cap or toks[span[0]].low == "the"
        ):
            return _Found("cue_after", cue, _span(toks, span))
        return None
    return _credited_without_verb(ctx, q, toks)


def _credited_without_verb(ctx: ArticleContext, q: Quotation, toks: Sequence[Token]) -> _Found | None:
    """`"…," Augusto Reyes, Director of the Caribbean Air and Marine Branch.`: a quotation closed by a
    comma, then a name and its appositive ending the sentence, with no verb: the name is its credit."""
    while toks and toks[-1].text in _MARKS:
        toks = toks[:-1]  # a stray mark opening the next paragraph's quotation
    if not toks or len(toks) > CREDIT_WORDS or "," not in ctx.text[q.end - 1 : q.close_at + 1]:
        return None
    comma = next((k for k in range(len(toks)) if toks[k].text == ","), None)
    if comma is None or comma == 0 or not all(is_name_word(t) or t.text == "." for t in toks[:comma]):
        return None
    if comma + 1 >= len(toks) or not (toks[comma + 1].cap or toks[comma + 1].low in _APPOSITIVE_OPENERS):
        return None  # `"…," Trump, who left early, came back`: a clause, not a credit
    if any(t.low in REPORTING_VERBS or t.text in _MARKS or t.text == "," for t in toks[comma + 1 :]):
        return None
    return _Found("cue_after", None, _span(toks, (0, comma)))


def _named_before_appositive(toks: Sequence[Token], comma: int) -> tuple[int, int] | None:
    """`"…," Sarah Warbelow, legal director for the Human Rights Campaign, said`: a name opening the
    words after a quotation, then an appositive of any length closed by the comma before the cue."""
    end = next((k for k in range(comma) if toks[k].text == ","), None)
    if not end or not is_name_word(toks[end - 1]) or not all(_describes(t) for t in toks[:end]):
        return None
    return (0, end)


def _describes(t: Token) -> bool:
    """Whether a word can stand in a description before a name ("Tulsa police Chief")."""
    if t.text == ".":
        return True  # "George W. Bush speechwriter Noam Neusner"
    return t.text[:1].isalnum() and (t.cap or t.low not in _NOT_DESCRIBING)


def cue_before(ctx: ArticleContext, q: Quotation) -> _Found | None:
    """`Altman said: "…"` / `Son told reporters that … "…"`: the last cue before the quotation in its
    sentence. A participle cue (`he said, adding that … "…"`) has the subject of the cue before it; a
    partial quotation also takes a characterising verb (`Clinton called them "deplorables"`)."""
    verbs = _PARTIAL_CUE_VERBS if q.kind == "partial" else REPORTING_VERBS
    toks, cut, cues = ctx.cues_before(q.open_at, verbs)  # the sentence's tokens before the quotation: toks[:cut]
    first = next(cues, None)
    if first is None:
        return None
    last, n_last = first
    cue = " ".join(t.low for t in toks[last : last + n_last])
    for i, n in chain((first,), cues):
        if i > 0 and toks[i - 1].low in RELATIVES and not (
            i == last and (_aside(toks, i - 1) or _restrictive(toks, i - 1, cut))
        ):
            # "an architect who said …, saying": a clause about someone else, not the speaker's; but a
            # quotation in an aside about someone is theirs ("said Beck, who said there were …")
            continue
        if _unowned_claim(toks, i):
            continue
        if _request(toks, i + n, cut):
            continue  # "asked them to accompany him": a request of someone else's doing, not speech
        if speaker_follows(toks, i):  # "According to X, …" / "Said Altman: …"
            span = np_after(toks, i + n, cut)
        elif toks[i].low.endswith("ing") and i > 0 and toks[i - 1].low not in SUBJECT_PRONOUNS:
            # a participle's subject is its clause's ("Trump released an ad calling it …"), not the
            # object before it; an earlier cue or the sentence's subject gives it; but a participle
            # has its own subject after "with" (`with spokesman Glen Caplin saying`) or "is" (`Trump
            # is insisting`)
            span = _own_subject(toks, i)
            if span is None:
                continue
        else:
            span = np_before(toks, i - 1, 0) if i > 0 else None
            if span is not None:
                span = _outer_reporter(toks, span, cues) or span
        if span is not None:
            return _Found("cue_before", cue, _span(toks, span))
    if _unowned_claim(toks, last):
        return None
    if toks[last].low.endswith("ing") and (last == 0 or (last == 1 and toks[0].low in _OPENERS)):
        return _subject_after_opening(ctx, q, cue)
    span = sentence_subject(toks, last, ctx.is_someone)  # "The CEO refused …, but said "…""
    return _Found("cue_before", cue, _span(toks, span)) if span else None


def _subject_after_opening(ctx: ArticleContext, q: Quotation, cue: str | None) -> _Found | None:
    """`Calling the plan "a disaster," Trump left.` / `After saying her foot was "so swollen …," she
    was …`: a participle opening the sentence has the subject of the clause after its phrase."""
    n = ctx.sentence_index(q.open_at)
    after = ctx.tokens_between(q.close_at, ctx.sentences[n].end if ctx.sentences else len(ctx.text))
    if "," not in ctx.text[q.end - 1 : q.close_at + 1]:
        comma = next((k for k in range(min(len(after), OPENING_REACH)) if after[k].text == ","), None)
        if comma is None:
            return None
        after = after[comma + 1 :]
    span = sentence_subject(after, len(after)) if after else None
    if span is None or span[0] != 0 or not ctx.is_someone(after[span[0] : span[1]]):
        return None
    return _Found("cue_before", cue, _span(after, span))


def _unowned_claim(toks: Sequence[Token], i: int) -> bool:
    """A claim noun that is no name's (`the claim that …`, `his claim`): no cue; `Trump's claim` is one."""
    return toks[i].low in CLAIM_NOUNS and not (i > 0 and toks[i - 1].cap and toks[i - 1].text.endswith(_OWNER_ENDS))


def _outer_reporter(
    toks: Sequence[Token], span: tuple[int, int], earlier: Iterator[tuple[int, int]]
) -> tuple[int, int] | None:
    """The subject of a reporting verb whose object clause holds the cue of `span` (`She said she
    recalls …`, `Trump said at a rally that Clinton described it as "…"`): the one who reports."""
    outer = next(earlier, None)
    if outer is None:
        return None
    j, m = outer
    if j == 0 or toks[j].low not in REPORTING_VERBS or toks[j].low.endswith("ing") or toks[j - 1].low in RELATIVES:
        return None
    between = toks[j + m : span[0]]
    if between and (between[-1].low != "that" or any(not t.text[:1].isalnum() for t in between)):
        return None
    return np_before(toks, j - 1, 0)


def _request(toks: Sequence[Token], k: int, cut: int) -> bool:
    """Whether the cue before toks[k] asks someone to do something (`asked them to accompany him`,
    `asked residents to stay home`): its object, then "to" and a verb, within a few words. Not "urged":
    an urging is reported as what the speaker said (`urged voters not to trust what he called "…"`)."""
    if k == 0 or toks[k - 1].low not in _ASKING:
        return False
    for m in range(k, min(cut - 1, k + REQUEST_OBJECT_WORDS + 1)):
        if toks[m].low == "to":
            return m > k and toks[m + 1].text.isalpha() and not toks[m + 1].cap
        if not toks[m].text.isalnum():
            return False
    return False


def _own_subject(toks: Sequence[Token], i: int) -> tuple[int, int] | None:
    """The subject of a participle cue at toks[i] that has one: after "with" (`with spokesman Glen
    Caplin saying`), or before a form of "be" (`Trump is insisting he is "winning"`)."""
    if toks[i - 1].low in _PROGRESSIVE:
        return np_before(toks, i - 1, 0)
    span = np_before(toks, i - 1, 0)
    if span is None:
        # "with" read as a preposition before a description (`with the prosecution describing`): the
        # description after it, read alone
        w = next((k for k in range(i - 2, max(-1, i - 3 - OWN_SUBJECT_DESCRIPTION), -1) if toks[k].low == "with"), None)
        return np_before(toks, i - 1, w + 1) if w is not None else None
    k = span[0]
    while k > 0 and span[0] - k < OWN_SUBJECT_DESCRIPTION and toks[k - 1].text.isalpha() and not toks[k - 1].cap and (
        toks[k - 1].low != "with"
    ):
        k -= 1
    return span if k > 0 and toks[k - 1].low == "with" else None


def _restrictive(toks: Sequence[Token], relative: int, cut: int) -> bool:
    """Whether toks[relative] opens a clause that names whom it is about and holds the quotation ("the
    Chicago Police Department which reported "…"", "an architect who said"): "who" or "which" with no
    comma before it ("that" is as often a letter's or a report's as the person's), and no colon or
    bracket between it and the quotation (`a candidate who promised deportation: "…"` is someone else's)."""
    if toks[relative].low not in ("who", "which") or relative == 0 or toks[relative - 1].text == ",":
        return False
    return not any(t.text in ":()" for t in toks[relative + 1 : cut])


def _aside(toks: Sequence[Token], relative: int) -> bool:
    """Whether toks[relative] opens an aside about the person before it: ", who" (not "a woman who")."""
    return toks[relative].low == "who" and relative > 0 and toks[relative - 1].text == ","


def dash_credit(ctx: ArticleContext, q: Quotation) -> _Found | None:
    """`"…" — Commissioner Jane Roe`: a dash and a name after the quotation, ending its line, or
    making the next line alone (`"…"` ¶ `- Sanders.`)."""
    text = ctx.text
    line_end = ctx.line_end(q.close_at)
    if line_end >= 0 and _blank(text, q.close_at, line_end):
        start = _BLANK.match(text, line_end).end()  # type: ignore[union-attr]  # the next line with words
        end = ctx.line_end(start)
        if text[start : start + 1] in DASHES and (end if end >= 0 else len(text)) - start <= 80:
            line_end = end
    toks = ctx.iter_tokens(q.close_at, len(text) if line_end < 0 else line_end)  # read only as far as needed
    dash, first = next(toks, None), next(toks, None)
    if dash is None or first is None or dash.text not in DASHES or not is_name_word(first):
        return None
    last = first  # the name runs on over capitalised words and stops, and ends at the last word before a stop
    for t in toks:
        if not (t.cap or t.text == "."):
            break
        if t.text != ".":
            last = t
    return _Found("dash_credit", None, (first.start, last.end))


def colon_lead_in(ctx: ArticleContext, q: Quotation) -> _Found | None:
    """`He added:` or `And from Chairwoman Rosenworcel:` closing the sentence or paragraph before a
    quotation that opens its own."""
    colon = stripped_end(ctx.text, q.open_at) - 1
    if colon < 0 or ctx.text[colon] != ":":
        return None
    sentence = ctx.sentences[ctx.sentence_index(colon)]
    toks = ctx.tokens_between(sentence.start, colon)
    for i in range(len(toks) - 1, -1, -1):
        n = cue_length(toks, i)
        if n:
            span = np_after(toks, i + n, len(toks)) if speaker_follows(toks, i) else np_before(toks, i - 1, 0)
            if span is None and i > 0:
                span = sentence_subject(toks, i)
            if span:
                return _Found("colon_lead_in", toks[i].low, _span(toks, span))
    # no cue: a name that ends the lead-in after a dash or a title ("IOWA POLLS NOT WRONG - Mark
    # Blumenthal:", "doesn't surprise Republican pollster Daron Shaw:"), else its subject ("She then
    # addressed the supporters:"), else its last name ("And from Chairwoman Rosenworcel:")
    if toks and is_name_word(toks[-1]):
        k = name_start(toks, len(toks) - 1, 0)
        if k > 0 and (toks[k - 1].text in DASHES or toks[k - 1].low in TITLES):
            return _Found("colon_lead_in", None, _span(toks, (k, len(toks))))
    span = sentence_subject(toks, len(toks))
    if span is not None:
        return _Found("colon_lead_in", None, _span(toks, span))
    for j in range(len(toks) - 1, -1, -1):
        if is_name_word(toks[j]):
            return _Found("colon_lead_in", None, _span(toks, (name_start(toks, j, 0), j + 1)))
    return None


def _reported_speaker(ctx: ArticleContext, start: int, end: int, rule: str) -> _Found | None:
    """The subject of the last reporting verb in text[start:end] (`Chung said the two sides …`)."""
    if not ctx.may_report(start, end):
        return None  # no verb: no need to read the words (a paragraph of many quotations would be, for each)
    toks = ctx.tokens_between(start, end)
    for i in range(len(toks) - 1, 0, -1):
        if cue_length(toks, i) == 1 and not ctx.quoted(toks[i].start):
            span = np_before(toks, i - 1, 0)
            if span:
                return _Found(rule, toks[i].low, _span(toks, span))
    return None


def subject_of_sentence(ctx: ArticleContext, q: Quotation) -> _Found | None:
    """A fragment quoted in the writer's sentence, with no cue: the words of the sentence's subject."""
    toks, cut = ctx.sentence_prefix(q.open_at)
    span = sentence_subject(toks, cut)
    if span is None and cut and toks[0].cap and toks[0].low.endswith("ing"):
        # a participle opening the sentence (`Bemoaning the "phony system," Trump accused …`)
        found = _subject_after_opening(ctx, q, None)
        return _Found("sentence_subject", None, found.mention) if found else None
    if span is None or not ctx.is_someone(toks[span[0] : span[1]]):
        return None
    return _Found("sentence_subject", None, _span(toks, span))


def attribute(text: str, sentences: Sequence[Sentence], quotations: Sequence[Quotation]) -> list[Quote]:
    """Attribute every quotation to a speaker; drop those that are not speech."""
    if not quotations:
        return []  # the people of an article are the costly part of its reading: none are needed
    ctx = ArticleContext(text, sentences, quotations)
    out: list[Quote] = []
    prev: Quote | None = None
    prev_q: Quotation | None = None
    quotations = [q for q in quotations if not not_speech(ctx, q)]
    waiting: list[Quotation] = []  # fragments before this one in its sentence that no rule attributed
    for n, q in enumerate(quotations):
        following = quotations[n + 1] if n + 1 < len(quotations) else None
        nxt = following if following is not None and following.paragraph == q.paragraph else None
        found = _rules(ctx, q, nxt, prev, prev_q)
        sentence = ctx.sentence_index(q.open_at)
        waiting = [w for w in waiting if ctx.sentence_index(w.open_at) == sentence]
        if found is None and q.kind == "partial":
            waiting.append(q)  # a fragment no one is said to have said: a scare quote, unless …
            continue
        if found is not None and found.rule == "cue_after" and q.kind == "partial":
            # … the sentence's credit after its last fragment covers them all (`A "booming" ring of
            # "high-end" escorts was busted, the feds announced.`)
            out.extend(_quote(ctx, w, found) for w in waiting)
        waiting = []
        quote = _quote(ctx, q, found or _Found("none"))
        out.append(quote)
        prev, prev_q = quote, q
    return out


def _rules(
    ctx: ArticleContext, q: Quotation, nxt: Quotation | None, prev: Quote | None, prev_q: Quotation | None
) -> _Found | None:
    found = transcript_label(ctx, q)
    if found:
        return found
    if q.kind == "partial":
        # a fragment takes the cue beside it: one right after its closing mark (`"rigged," Trump said`)
        # before one earlier in the sentence
        after = cue_after(ctx, q, nxt)
        beside = (
            after is not None
            and after.mention is not None
            and after.mention[0] - q.close_at <= BESIDE
            and "," in ctx.text[q.end - 1 : q.close_at + 1]  # `"rigged,"` / `"rigged",`
        )
        found = after if beside else cue_before(ctx, q) or after
    else:
        found = cue_after(ctx, q, nxt) or cue_before(ctx, q) or dash_credit(ctx, q) or colon_lead_in(ctx, q)
    if found:
        return found
    if prev is None or prev_q is None or prev.speaker_mention is None:
        prev = prev_q = None  # only an attributed quotation is continued
    same_sentence = prev_q is not None and ctx.sentence_index(prev_q.close_at - 1) == ctx.sentence_index(q.open_at)
    if q.kind == "partial" and not same_sentence:
        found = subject_of_sentence(ctx, q)
        if found:
            return found
    if prev is not None and prev_q is not None and prev_q.paragraph == q.paragraph:
        return _Found("same_paragraph", carried=prev)
    if prev is not None and prev_q is not None and prev_q.paragraph == q.paragraph - 1 and ctx.at_paragraph_start(q):
        prev_end = stripped_end(ctx.text, ctx.paragraphs[prev_q.paragraph][1])
        if prev_q.close_at == prev_end and ctx.text[prev_q.close_at - 1] not in "”\"":
            return _Found("continued_paragraph", carried=prev)  # unclosed: the quotation goes on
    if q.kind == "direct" and ctx.at_paragraph_start(q):
        carried = prev if prev_q is not None and prev_q.paragraph == q.paragraph - 1 else None
        return _previous_paragraph(ctx, q, carried)
    if q.kind == "direct":
        # a quotation standing alone after the writer's sentences: the speaker they last reported
        # (`Or maybe Jeb Bush, consultant Phil Musser says. "Several surveys …"`)
        start = ctx.paragraphs[q.paragraph][0]
        return _reported_speaker(ctx, start, q.open_at, "previous_sentence") or _introduced(
            ctx, start, q.open_at, "previous_sentence"
        )
    return None


def _previous_paragraph(ctx: ArticleContext, q: Quotation, prev: Quote | None) -> _Found | None:
    """A paragraph that opens with a quotation and names no one continues the paragraph before: its
    reported statement (`Chung said …`) or, failing that, its last quotation's speaker."""
    if q.paragraph == 0:
        return None
    start, end = ctx.paragraphs[q.paragraph - 1]
    reported = _reported_speaker(ctx, start, end, "previous_paragraph")
    if reported is not None and (prev is None or (reported.mention or (0, 0))[0] > prev.end):
        return reported
    if prev is not None:
        return _Found("previous_paragraph", carried=prev)
    return _introduced(ctx, start, end, "previous_paragraph")


def _introduced(ctx: ArticleContext, start: int, end: int, rule: str) -> _Found | None:
    """The person the writer's last sentence before a quotation is about (`Viguerie is upbeat about
    Cruz's chances.` ¶ `"Not only can Ted Cruz win …"`): its subject, where that is someone."""
    n = ctx.sentence_index(max(start, end - 1))
    if not ctx.sentences or ctx.sentences[n].start < start:
        return None
    toks = ctx.sentence_tokens(n)
    if ctx.quoted(toks[0].start if toks else start):
        return None
    span = sentence_subject(toks, len(toks))
    if span is None or not ctx.is_someone(toks[span[0] : span[1]]):
        return None
    return _Found(rule, None, _span(toks, span))


def _quote(ctx: ArticleContext, q: Quotation, found: _Found) -> Quote:
    if found.carried is not None:
        c = found.carried
        return Quote(q.text, q.start, q.end, c.speaker, c.speaker_mention, c.speaker_start, c.speaker_end,
                     c.cue, q.kind, found.rule, round(min(CONFIDENCE[found.rule], c.confidence), 2))
    if found.mention is None:
        return Quote(q.text, q.start, q.end, None, None, None, None, None, q.kind, found.rule, 0.0)
    ms, me = found.mention
    mention = ctx.text[ms:me]
    speaker = ctx.resolve(found.name or mention, ms)
    if speaker is not None and speaker[:1].islower():
        ctx.remember_unnamed(ms, speaker)
    confidence = CONFIDENCE[found.rule] * (1.0 if speaker else 0.5)
    return Quote(q.text, q.start, q.end, speaker, mention, ms, me, found.cue, q.kind, found.rule,
                 round(confidence, 2))
