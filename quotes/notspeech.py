"""Quotations that are not speech: titles, names, terms and pull quotes, dropped before attribution.

News copy puts more than speech between marks. `not_speech` follows these conventions, each with its test
below; the same marks inside reported speech stay a partial quotation of the speaker (`Clinton called
half of Trump's supporters "deplorables"`, `blurted out, "Oh, God,"`):

- a title or a name: every word of more than three letters capitalised ("Face the Nation", "Lyin' Ted"),
  unless a cue leads into it; after a preposition, a possessive or `told` it is a title whatever leads in
  (`said on ABC's "This Week"`, `told "CBS This Morning" co-host Gayle King`);
- a word set inside a name (`Marcia "Cia" Price`);
- words introduced as a name or a work, of any length: `the so-called "experts"`, `a show titled "Sons"`,
  `the book "…"`, `the Swahili nickname "mkono wa damu"`, `a phenomenon called "differential
  nonresponse"`, and a gloss of one of them (`"Schutzverträge," or "protection contracts,"`);
- a short quotation that is a noun phrase of the writer's own sentence: modifying the noun after it
  (`"Parasite" director Bong Joon Ho`, `its "Stage 3" action`), or after a determiner and an adjective
  (`a powerful "super PAC"`) where no cue leads into it;
- a pull quote: a paragraph that is nothing but a quotation whose words the article prints elsewhere.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from quotes.context import ArticleContext
from quotes.model import Quotation
from quotes.names import TITLES
from quotes.phrases import (
    CHARACTERISING_VERBS,
    CONJUNCTIONS,
    DETERMINERS,
    PLACE_PREPOSITIONS,
    PREPOSITIONS,
    RELATIVES,
    REPORTING_VERBS,
    SUBJECT_PRONOUNS,
    Token,
)
from quotes.quotations import SENTENCE_END

# A quotation whose every word of more than three letters is capitalised, of at most this many words,
# is a title or a name (a show, a book, a slogan, a nickname), not speech.
TITLE_MAX_WORDS = 7
# Words that introduce a name or a term, not speech: `the so-called "experts"`, `known as "the Donald"`.
NAMING_WORDS = frozenset({"so-called", "known as", "titled", "entitled", "nicknamed", "hashtag"})
# Nouns of works and names: what follows them between marks is a title or a term, however long (`the
# book "How to …"`, `the Swahili nickname "mkono wa damu"`). Not statement, letter, tweet, post, report
# or memo: what they hold between marks is someone's words.
WORK_NOUNS = frozenset(
    """
    book books novel memoir memoirs biography film films movie movies documentary series sitcom episode
    song songs album play musical opera poem painting exhibition podcast programme column essay chapter
    commentary editorial op-ed article headline
    slogan motto nickname nicknames moniker pseudonym alias codename hashtag catchphrase
    """.split()
)
# Nouns whose "of" names a term or a work (`under the rubric of "security"`, `my list of "best things"`,
# `the author of "The Art of the Deal"`, `season four of "Sherlock"`).
TERM_OF_NOUNS = frozenset(
    """
    rubric list category notion concept idea label banner guise name term
    author authors director directors creator creators host hosts star stars producer editor publisher
    cast season seasons episode episodes edition premiere sequel finale
    """.split()
)
# Nouns of works that are verbs too (`polls show "…"`): a work only after a determiner or a possessive.
SHOW_NOUNS = frozenset("show shows".split())
# Verbs that name a thing after a common noun (`a seller called "E-Life"`); after a person or a pronoun
# they characterise instead (`Trump called them "deplorables"`).
NAMING_VERBS = frozenset("called named dubbed titled nicknamed".split())
# Endings of adjectives (`a powerful "super PAC"`, `a controversial "bathroom bill"`): a noun there is what
# the quotation names (`the phrase "Islamic terrorism"`, the speaker's words).
ADJECTIVE_ENDINGS = ("ful", "ous", "al", "ive", "ic", "ent", "ant", "able", "ible", "less", "ish", "ary")
# Words a title leaves in lower case ("Face the Nation", "Generations with Kevin Swanson").
TITLE_SMALL_WORDS = frozenset("a an the and or nor but of in on at to for with by from as into vs".split())
# How far before a quotation its lead-in is read (in characters): the eight words the tests look at.
LEAD_CHARS = 60
# A quotation of at most this many words can be a noun phrase of the writer's ("Stage 3" action).
TERM_MAX_WORDS = 4
# Words after a quotation that are no noun it modifies: verbs, joiners, adverbs of time.
_NOT_MODIFIED = frozenset(
    """
    is are was were be been being has have had do does did will would can could may might must should
    shall not also then now today yesterday tomorrow again too as than that when while if because
    him them us me you often always never ever recently later earlier already still once twice
    """.split()
) | SUBJECT_PRONOUNS | CONJUNCTIONS | PREPOSITIONS | RELATIVES | REPORTING_VERBS | CHARACTERISING_VERBS
# Words before a naming verb that are no common noun (`he called`, `has called`, `what they called`).
_NOT_NAMED_THING = frozenset("is are was were be been has have had also once who what which that it".split()) \
    | SUBJECT_PRONOUNS | frozenset("him her them us me you we they".split())
_TITLE_LEADS = PREPOSITIONS | {"during", "the", "a", "told"}  # `said on "This Week"`: a title after these
_CUES = REPORTING_VERBS | CHARACTERISING_VERBS
_PHRASE_OPENERS = PREPOSITIONS | PLACE_PREPOSITIONS | {"as"}  # `under the pseudonym`, `in the book`
_WORD = re.compile(r"\w+")
# What the writer says a quoted term is: `"Non-paper" is a diplomatic term`, `"…" has been U.S. policy`.
_DEFINED = re.compile(r"\s+(?:is|was) (?:a|an|the)\b|\s+(?:has been|means|refers to|stands for)\b")


def not_speech(ctx: ArticleContext, q: Quotation) -> bool:
    """Whether a quotation is a title, a name, a term or a pull quote rather than speech (see the module)."""
    words = q.text.rstrip(".,!?").split()
    if not words:
        return True
    lead = ctx.tokens_between(q.open_at - LEAD_CHARS, q.open_at)[-8:]
    if _named(ctx, q, lead) or _inside_a_name(ctx, q, words) or _term_defined(ctx, q):
        return True
    if len(words) <= TITLE_MAX_WORDS and _writers_noun_phrase(ctx, q, words, lead):
        return True
    if q.kind == "direct" and len(words) == 1:
        return False  # `"Unbelievable," he said.`
    if _pull_quote(ctx, q):
        return True
    if len(words) > TITLE_MAX_WORDS:
        return False  # too long for a title (tested first: most quotations are, and then no word is read)
    return _title(words, lead)


def _named(ctx: ArticleContext, q: Quotation, lead: list[Token]) -> bool:
    """Words introduced as a name or a work (`so-called`, `the book`, `a seller called`), or a gloss of
    a quotation that was (`"mkono wa damu," or "the man with the bloody hand"`)."""
    before = [t.low for t in lead if t.text not in ",:"]
    if not before:
        return False
    if before[-1] in NAMING_WORDS or " ".join(before[-2:]) in NAMING_WORDS:
        return True
    words = [t for t in lead if t.text not in ",:"]
    noun = words[-1]
    if (noun.low in WORK_NOUNS or noun.low in SHOW_NOUNS and _a_noun(words)) and not noun.cap \
            and lead[-1].text != ":" and not _cue_before_noun(words):
        # `the book "…"`, `DuVernay's documentary, "13th,"`, `the Netflix show "…"`; not `called the series
        # "a disgrace"`, and a colon leads into speech
        return True
    if before[-1] == "of" and any(w in TERM_OF_NOUNS for w in before[-3:-1]):
        return True  # `under the rubric of "security"`, `season four of "Sherlock"`
    if before[-1] in NAMING_VERBS and _common_noun_before(lead):
        return True  # `a seller called "E-Life"`, not `Trump called "…"` or `what he called "…"`
    if _work_after(ctx, q):
        return True  # `"Chi-Raq," a movie about Chicago`: the quotation is the work's title
    if before[-1] in ("or", "and") or lead[-1].text == ",":
        listed = _quotation_before(ctx, q)  # `"mkono wa damu," or "…"`, `"La Gozadera" and "Madre Tierra"`
        return listed is not None and not_speech(ctx, listed)
    return False


def _cue_before_noun(words: list[Token]) -> bool:
    """`called the series "…"`, `called his new book "…"`: a cue just before the noun phrase makes the
    quotation what someone called it; a preposition between (`wrote under the pseudonym`) does not."""
    for t in reversed(words[-4:-1]):
        if t.low in _CUES:
            return True
        if t.low in _PHRASE_OPENERS:
            return False
    return False


def _work_after(ctx: ArticleContext, q: Quotation) -> bool:
    """`"Chi-Raq," a movie about …`, `"Trumpcare," the ad that …`: an appositive naming a work follows."""
    if q.text.count(" ") >= TITLE_MAX_WORDS:
        return False  # a title's length at most: most quotations are longer, and then no word is read
    if ctx.text[q.close_at - 2 : q.close_at] not in (',"', ",”") and ctx.text[q.close_at : q.close_at + 1] != ",":
        return False
    after = [t.low for t in ctx.tokens_between(q.close_at, q.close_at + 40)[:5] if t.text != ","][:4]
    if not after or after[0] not in DETERMINERS or any(w in _CUES for w in after):
        return False  # `"…," the book said`: the work is the speaker
    return any(w in WORK_NOUNS or w in SHOW_NOUNS for w in after[1:])


def _a_noun(words: list[Token]) -> bool:
    """`the show`, `HBO's show`, `the Netflix show`: a determiner, a possessive or a name after one before
    the last word, which makes it a noun (not the verb of `polls show`, `Obama shows`)."""
    if len(words) < 2:
        return False
    before = words[-2]
    if before.low in DETERMINERS or before.low.endswith(("’s", "'s")) or before.low in {"hit", "new"}:
        return True
    return before.cap and len(words) > 2 and words[-3].low in DETERMINERS


def _common_noun_before(lead: list[Token]) -> bool:
    """`a seller called`, `a new phenomenon called`: a lower-case noun after a determiner (and up to two
    words more) before the naming verb, not a person or a pronoun (`critics called`, `he called`)."""
    toks = [t for t in lead if t.text not in ",:"][:-1]
    if not toks or not toks[-1].text.isalpha() or toks[-1].cap or toks[-1].low in _NOT_NAMED_THING \
            or toks[-1].low in TITLES:
        return False
    return any(t.low in DETERMINERS for t in toks[-4:-1])  # `A German news organization called`


def _term_defined(ctx: ArticleContext, q: Quotation) -> bool:
    """`"Non-paper" is a diplomatic term`, `"Containment" has been U.S. policy`: a short quotation opening
    a sentence, and the writer saying what the words are."""
    if len(q.text.split()) > 3 or ctx.text[q.end : q.close_at - 1].strip():
        return False
    sentence = ctx.sentences[ctx.sentence_index(q.open_at)] if ctx.sentences else None
    if sentence is None or ctx.text[sentence.start : q.open_at].strip():
        return False
    return _DEFINED.match(ctx.text, q.close_at) is not None


def _quotation_before(ctx: ArticleContext, q: Quotation) -> Quotation | None:
    """The quotation just before this one, if only `,`, `or` or `and` stands between them (a list)."""
    k = bisect_right(ctx.quote_ends, q.open_at) - 1
    if k < 0 or ctx.text[ctx.quote_ends[k] : q.open_at].strip(" ,") not in ("or", "and", ""):
        return None
    open_at, close_at = ctx.quote_starts[k], ctx.quote_ends[k]
    words = ctx.text[open_at + 1 : close_at - 1].rstrip(" ,;:")
    return Quotation(open_at + 1, open_at + 1 + len(words), words, open_at, close_at, q.paragraph, "partial")


def _inside_a_name(ctx: ArticleContext, q: Quotation, words: list[str]) -> bool:
    """`Marcia "Cia" Price`: a word or two between a capitalised word and a capitalised word."""
    word_before = ctx.text[max(0, q.open_at - 30) : q.open_at].split()[-1:]
    name_before = bool(word_before) and word_before[0][:1].isupper() and ctx.text[q.open_at - 1] == " "
    ends_sentence = ctx.text[q.close_at - 2 : q.close_at - 1] in SENTENCE_END
    return len(words) <= 2 and name_before and not ends_sentence and ctx.text[q.close_at + 1 : q.close_at + 2].isupper()


def _writers_noun_phrase(ctx: ArticleContext, q: Quotation, words: list[str], lead: list[Token]) -> bool:
    """A term in the writer's noun phrase: modifying the noun after it (`"Parasite" director Bong Joon
    Ho`, `its "Stage 3" action`), or after a determiner and an adjective (`a powerful "super PAC"`)."""
    if q.text[-1:] in ",.;:!?":
        return False
    after = ctx.tokens_between(q.close_at, q.close_at + 40)[:2]
    modifies = bool(after) and _modified_noun(ctx, q, after)
    if modifies and len(after) > 1 and after[1].cap and words[0][:1].isupper() and not (lead and lead[-1].low in _CUES):
        return True  # `"Parasite" director Bong Joon Ho`, `"Orange is the New Black" star Dascha Polanco`
    if len(words) > TERM_MAX_WORDS or q.kind == "direct" and len(words) > 1:
        return False  # the rest is about short terms inside the writer's sentence
    if modifies and (words[0][:1].isupper() or (lead and lead[-1].low in DETERMINERS)):
        return not _cue_in_sentence(ctx, q)  # `its "Stage 3" action`, `the "smart" meter, which`
    if len(lead) >= 2 and lead[-1].text.isalpha() and not lead[-1].cap \
            and lead[-1].low.endswith(ADJECTIVE_ENDINGS) and lead[-2].low in DETERMINERS:
        return not _cue_in_sentence(ctx, q)  # `a powerful "super PAC"`
    return False


def _modified_noun(ctx: ArticleContext, q: Quotation, after: list[Token]) -> bool:
    """Whether the word right after the closing mark is a lower-case noun the quotation modifies,
    followed by a name, a comma or a joiner (`"Parasite" director Bong`, `"Stage 3" action, where`)."""
    if ctx.text[q.end : q.close_at - 1].strip():
        return False  # `"That," he added`: punctuation inside the marks ends a sentence or a clause
    noun = after[0]
    if noun.start != q.close_at + 1 or not noun.text[:1].islower() or noun.low in _NOT_MODIFIED:
        return False
    if not noun.text.replace("-", "").isalpha() or noun.low.endswith(("ly", "ed")):
        return False
    return len(after) < 2 or after[1].cap or after[1].text in ",;:." or after[1].low in _NOT_MODIFIED


def _cue_in_sentence(ctx: ArticleContext, q: Quotation) -> bool:
    """Whether a cue stands in the quotation's sentence, before or after it (`a "good" job, he said`)."""
    sentence = ctx.sentences[ctx.sentence_index(q.open_at)] if ctx.sentences else None
    toks = ctx.tokens_between(sentence.start, sentence.end) if sentence else ctx.tokens_between(0, len(ctx.text))
    return any(t.low in _CUES or t.low == "according" for t in toks if not q.open_at <= t.start < q.close_at)


def _pull_quote(ctx: ArticleContext, q: Quotation) -> bool:
    """A paragraph that is only this quotation, whose words the article prints elsewhere too."""
    start, end = ctx.paragraphs[q.paragraph]
    if ctx.text[start : q.open_at].strip() or ctx.text[q.close_at : end].strip():
        return False
    words = " ".join(_WORD.findall(q.text.lower()))
    if not words:
        return False
    everything = _words_of(ctx.text)  # made once an article; two finds in C, not a copy of the text
    first = everything.find(f" {words} ")
    return first >= 0 and everything.find(f" {words} ", first + 1) >= 0


@lru_cache(maxsize=4)
def _words_of(text: str) -> str:
    """The words of a text, lower-cased, one space between them and one at each end."""
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def _title(words: list[str], lead: list[Token]) -> bool:
    """Every word of more than three letters capitalised, and no cue leading into it."""
    long_words = [w for w in words if w.strip("‘’'\"(),:;").lower() not in TITLE_SMALL_WORDS]
    # a number is a word of a title too ("Apollo 13", "Stage 3")
    title_case = bool(long_words) and all(w[:1].isupper() or w[:1].isdigit() for w in long_words) \
        and words[0][:1].isupper()
    if not title_case:
        return False
    # a name someone gives ("Trump called her “Miss Piggy”") is that person's words; a show named after
    # its network or a preposition ("said on ABC's “This Week”", `told "CBS This Morning"`) is a title still
    if lead and (lead[-1].low.endswith(("’s", "'s")) or lead[-1].low in _TITLE_LEADS):
        return True
    if lead and lead[-1].text in ",:" and any(t.low.endswith("ed") or t.low in _CUES for t in lead[-4:-1]):
        return False  # `blurted out, "Oh, God,"`: a short exclamation after a verb and a comma
    return not any(t.low in _CUES for t in lead)
