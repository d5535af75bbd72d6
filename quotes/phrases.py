"""The words around a quotation: reporting cues and the noun phrases that name a speaker.

Attribution rules look at a few tokens before or after a quotation. This module holds what they look
for: the word lists of news reporting (reporting verbs, adverbs that sit between a subject and its verb,
determiners that open a description) and the functions that find the speaker's phrase on either side of
a cue: `np_before` (`Altman said`, `Hugh Hill, a doctor at X, said`) and `np_after` (`said Altman`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from typing import NamedTuple

from quotes.names import NAME_PARTICLES, NOT_NAMES, TITLES, is_person_noun, uncontracted

# Reporting verbs in the forms news copy uses them. Forms that are as often nouns ("reports", "claims",
# "notes", "answers") are left out: a noun taken for a cue turns its neighbours into a false speaker.
REPORTING_VERBS = frozenset(
    """
    say says said saying tell tells told telling add adds added adding ask asks asked asking noted noting
    write writes wrote writing tweeted tweeting argue argues argued arguing insist insists insisted
    insisting recall recalls recalled recalling warn warns warned warning explain explains explained
    explaining continued continuing stated declared declaring claimed claiming replied replying
    responded responding answered announced announcing acknowledged acknowledging admits admitted
    admitting suggested suggesting observed remarked joked quipped conceded conceding countered
    emphasized emphasizing emphasised stressed stressing predicted predicting promised vowed vowing
    exclaimed shouted yelled posted wondered complained complaining boasted mused recounted charged
    contends contended maintains maintained asserts asserted concluded testified commented commenting
    reiterated pledged scoffed reported whispered chimed snapped relating relates
    demanded demanding cautioned cautioning pointed retorted sang sings sighed laughed pleaded begged
    confirmed confirming denied revealed disclosed elaborated reasoned threatened proclaimed
    texted emailed says asks tells writes adds explains recalls warns argues insists assured assures
    exhorted urged urging informed lamented lamenting gushed raged fumed hinted conceded pressed
    continues barked chanted conclude concludes concluded retaliated speculated speculates agreed
    agrees yelling shouting declaring joking quipping remarking stating chanting questioned vows
    responds retweeted confessed echoed groused interjected interjecting asserting pondered affirms admit
    affirmed boomed riffed declares opined opines reacted screamed cried roared
    """.split()
)
# Verbs that report words only after the quotation ("…," the editorial read / it now reads).
# Forms that are as often nouns are cues only here, right after a quotation and its speaker
# ("…," Viguerie notes.).
CUE_AFTER_VERBS = REPORTING_VERBS | {"read", "reads", "notes", "claims", "states", "tweets", "remarks", "reports",
                                     "comments", "jokes", "answers", "counters", "quips", "posts", "explains"}
# Verbs that put a partial quotation in the speaker's mouth without reporting speech: `Clinton called
# half of Trump's supporters "deplorables"`; they count as cues before a partial quotation only. Forms
# that are as often nouns ("calls", "attacks", "cites") are left out.
CHARACTERISING_VERBS = frozenset(
    """
    called calling described describes describing labeled labelled dubbed branded likened
    compared condemned dismissed denounced hailed praised criticized criticised derided decried
    characterized characterised referred deemed blasted slammed mocked touted promising promised
    accused accuses accusing protested protesting alleged alleges alleging blamed attacked
    lambasted ridiculed cited citing quoted quoting invoked invoking referencing referenced
    proclaiming declaring insisting arguing claiming pledging vowing predicting warning
    """.split()
)
# Cues that mean "about" before "to" ("files relating to the case") and "tell" otherwise ("one passage
# relating "…"").
_RELATING = frozenset("relating relates".split())
# Reporting phrases whose speaker follows them ("according to the report").
CUE_PHRASES = (("according", "to"),)
# Reporting verbs of two words: the speaker stands before them as before any verb.
VERB_PHRASES = (
    ("pointed", "out"), ("points", "out"), ("point", "out"), ("shot", "back"), ("fired", "back"), ("went", "on"),
    ("chimed", "in"), ("put", "it"), ("puts", "it"),  # "as The Post's Ruth Marcus puts it, …"
    ("made", "clear"), ("makes", "clear"), ("make", "clear"),  # "The legislation makes clear that …"
)
_PHRASE_STARTS = frozenset(phrase[0] for phrase in CUE_PHRASES + VERB_PHRASES)
LONGEST_CUE = max(len(phrase) for phrase in CUE_PHRASES + VERB_PHRASES)  # in tokens

# Forms of "be" that make a past participle after them passive ("were charged", "was asked").
_PASSIVE = frozenset("be is are was were been being".split())
# Words that may stand between a subject and its cue ("Altman also said", "he later told").
ADVERBS = frozenset(
    "also later then again once previously recently earlier further simply only has had have would will "
    "was is quickly even still just frankly now repeatedly flatly reportedly privately publicly often "
    "bluntly angrily finally separately does did do can could may might should must always never "
    "not".split()
)
DETERMINERS = frozenset("the a an his her its their our my your another one some two three several many".split())
PREPOSITIONS = frozenset("of for at with from in on to by".split())
# Prepositions of a phrase that can stand between a subject and its verb ("Trump at the time said",
# "Protesters marching through the streets chanted").
PLACE_PREPOSITIONS = frozenset("during after before through across into outside inside near around over under".split())
CONJUNCTIONS = frozenset("and but or then so".split())
RELATIVES = frozenset("who which that whose".split())
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it"})
# Unions of the lists above, made once: `A | B` in a test builds a new set each time it runs.
_NOT_DESCRIPTION_HEADS = CONJUNCTIONS | PREPOSITIONS | ADVERBS | RELATIVES  # "the CEO", not "the … and"
_SUBJECT_BEFORE = PREPOSITIONS | PLACE_PREPOSITIONS  # "Trump at the time said": the subject is before
_CLAUSE_JOINERS = CONJUNCTIONS | RELATIVES  # a description stops at "and …", "who …"
_NAME_ENDERS = PREPOSITIONS | CONJUNCTIONS | RELATIVES | {"during"}  # "said Altman during a chat"
# Words that open a sentence before its subject ("However, …", "During the debate, …").
INTRODUCERS = frozenset(
    "however during in on at after before when while although though because despite meanwhile "
    "instead still indeed later earlier once as since following amid among throughout under over "
    "asked speaking last this but and so yet still now then thursday monday tuesday wednesday friday "
    "saturday sunday reportedly separately given nevertheless nonetheless moreover furthermore additionally "
    "besides likewise similarly otherwise".split()
)

# How many words a phrase of time or place between a subject and its verb has without a determiner
# ("in recent days", "over recent weeks").
PHRASE_WORDS = 3
# A phrase of time between a subject and its verb without a preposition ("last year", "this week").
_TIME_NOUNS = frozenset("year week month day night morning evening spring summer fall autumn winter".split())
_TIME_DETERMINERS = frozenset("last this next".split())
# Marks that may close a quotation right after a comma (`"Face the Nation,"`).
_CLOSING_MARKS = frozenset("\"”’'")
# Prepositions that open a phrase of time or place (not "of": "52 percent of registered voters said").
_TIME_OR_PLACE = PLACE_PREPOSITIONS | {"in", "at", "on"}
# Prepositions that tie a described person to an organisation ("a spokesperson for the UCEA").
_OF_AN_ORGANISATION = frozenset("for of at with from".split())
# A party and state after a lawmaker's name: "R-Ky.", "D-N.Y."
_PARTY_STATE = re.compile(r"[RDI]-[A-Z][\w.]*")
# Tokens of a description before a name that are no words: "9/11 widow", "34-year-old mother".
_DESCRIPTION_TOKEN = re.compile(r"\d[\w-]*|/")
# A description's head that is an age: "the 43-year-old", "a 26-year-old".
_AGE = re.compile(r"\d+-year-old")
_TOKEN = re.compile(r"\w+(?:[’'.\-]\w+)*|[^\w\s]")
DASHES = "—–-―"


class Token(NamedTuple):
    """A word or a punctuation mark of the article, with its offsets."""

    text: str
    start: int
    end: int
    low: str  # lower-cased text

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def bare(self) -> str:
        """The word without a contraction ("He’s" -> "he", "I’ve" -> "i")."""
        return uncontracted(self.low)



def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of text[start:end], with offsets in `text`."""
    out: list[Token] = []
    append = out.append
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        word = m.group()
        # tuple.__new__ skips the named tuple's keyword-parsing constructor: a fifth of the time here
        append(_new_tuple(Token, (word, m.start(), m.end(), word.lower())))
    return out


_new_tuple = tuple.__new__



def is_name_word(t: Token) -> bool:
    return t.cap and t.low not in NOT_NAMES and t.low not in INTRODUCERS


def particles_at(toks: Sequence[Token], k: int, hi: int) -> int:
    """How many of the tokens from toks[k] are the lower-case words inside a name, one or two of them
    before a capitalised word ("de" of "Bill de Blasio", "von der" of "Ursula von der Leyen"); 0 if none."""
    n = 0
    while n < 2 and k + n < hi and toks[k + n].low in NAME_PARTICLES and not toks[k + n].cap:
        n += 1
    return n if n and k + n < hi and toks[k + n].cap and toks[k + n].low not in NOT_NAMES else 0


def _particles_before(toks: Sequence[Token], k: int, lo: int) -> int:
    """How many tokens right before toks[k] (a capitalised word) are the lower-case words inside a name
    after a capitalised word ("Bill de" before "Blasio"); 0 if none."""
    n = 0
    while n < 2 and k - n - 1 >= lo and toks[k - n - 1].low in NAME_PARTICLES and not toks[k - n - 1].cap:
        n += 1
    return n if n and k - n - 1 >= lo and is_name_word(toks[k - n - 1]) else 0


def cue_length(toks: Sequence[Token], i: int, verbs: frozenset[str] = REPORTING_VERBS) -> int:
    """Length in tokens of the cue starting at toks[i] (0 when there is none)."""
    low = toks[i].low
    if low in verbs:
        if i > 0 and toks[i - 1].low in _PASSIVE and low in REPORTING_VERBS and not low.endswith("ing"):
            return 0  # "buyers were charged", "he was told": the subject did not speak (but a passive
            # characterisation, `is criticized as a "use it or lose it" approach`, is still someone's)
        if low in _RELATING and i + 1 < len(toks) and toks[i + 1].low == "to":
            return 0  # "documents relating to …": about, not telling
        return 1
    if low in _PHRASE_STARTS:
        for phrase in CUE_PHRASES + VERB_PHRASES:
            if tuple(t.low for t in toks[i : i + len(phrase)]) == phrase:
                return len(phrase)
    return 0


def speaker_follows(toks: Sequence[Token], i: int) -> bool:
    """Whether the cue at toks[i] puts its speaker after it ("according to X", "Said Altman: …")."""
    # (a participle opening the sentence is no inverted cue: `Calling the plan "…," Trump left`)
    return toks[i].low == "according" or (i == 0 and toks[i].cap and not toks[i].low.endswith("ing"))


def name_start(toks: Sequence[Token], j: int, lo: int) -> int:
    """Index of the first token of the capitalised name that ends at toks[j]."""
    k = j
    while k - 1 >= lo:
        prev = toks[k - 1]
        if prev.cap and prev.low not in NOT_NAMES:
            k -= 1
        elif particles := _particles_before(toks, k, lo):
            k -= particles  # "Bill de Blasio"
        elif prev.text == "." and k - 2 >= lo and (toks[k - 2].low in TITLES or len(toks[k - 2].text) == 1):
            k -= 2  # "Sen. Ted Cruz", "George H. W. Bush"
        else:
            break
    if k - 1 >= lo and toks[k - 1].low == "the":
        k -= 1  # "the White House said": the article belongs to the mention
    return k


def np_before(toks: Sequence[Token], j: int, lo: int) -> tuple[int, int] | None:
    """Token span of the subject that ends at toks[j] (the word before a cue), or None."""
    while j >= lo and toks[j].low in ADVERBS:
        j -= 1
    if j - 1 > lo and toks[j].low in _TIME_NOUNS and toks[j - 1].low in _TIME_DETERMINERS:
        j -= 2  # "Amazon, the largest online retailer, last year pledged": the subject is before
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
        chunk = toks[k + 1 : j]
        party_state = bool(_PARTY_STATE.fullmatch("".join(t.text for t in chunk)))  # "McConnell, R-Ky., said"
        if k > lo and toks[k].text == "," and chunk and not party_state and all(
            is_name_word(t) or t.text == "." for t in chunk
        ):
            return (k + 1, j)  # "the presumptive nominee, Donald Trump, tweeted": the name is the appositive
        m = k - 1
        if m > lo and toks[m].text == ")":  # "Rep. Jim Jordan (R-Ohio), an oversight panel member, said"
            while m > lo and toks[m].text != "(":
                m -= 1
            m -= 1
        if k > lo and toks[k].text == "," and toks[m].cap and (party_state or _opens_appositive(toks[k + 1])):
            j = m
        else:
            return None
    relative = None
    if j >= lo and toks[j].low in RELATIVES:  # "an architect who said": the person before "who"
        relative = j
        j -= 1
        if j >= lo and toks[j].text == ",":
            j -= 1
    if j < lo:
        return None
    span = _subject_span(toks, j, lo)
    if span is not None and relative is not None:
        return (span[0], relative + 1)  # the mention runs to the relative pronoun: "Trump, who"
    return span


def _subject_span(toks: Sequence[Token], j: int, lo: int) -> tuple[int, int] | None:
    """Token span of a name, pronoun or description that ends at toks[j]."""
    t = toks[j]
    if t.bare in SUBJECT_PRONOUNS or (t.low in ("one", "another") and (j == lo or not toks[j - 1].text.isalpha())):
        return (j, j + 1)  # "he said", `"…," one said`: one of the people the writer just described
    if is_name_word(t):
        start = name_start(toks, j, lo)
        if start - 2 >= lo and toks[start - 1].low == "for" and is_name_word(toks[start - 2]):
            start = name_start(toks, start - 2, lo)  # "the Department for Transport": one organisation
        if start - 2 >= lo and toks[start - 1].low == "of" and is_name_word(toks[start - 2]):
            return (name_start(toks, start - 2, lo), start - 1)  # "Mr. Morgan of the Sierra Club said"
        if start - 2 >= lo and toks[start - 1].low in _OF_AN_ORGANISATION and is_person_noun(toks[start - 2].low):
            described = _subject_span(toks, start - 2, lo)  # "a spokesperson for the UCEA said"
            if described is not None:
                return (described[0], j + 1)
        return (start, j + 1)
    if (t.text.isalpha() or _AGE.fullmatch(t.text)) and t.low not in _NOT_DESCRIPTION_HEADS:
        # a description: back to its determiner ("the CEO", "a spokeswoman for the campaign")
        k = j
        while k - 1 >= lo and j - k < 10 and _in_description(toks[k - 1]):
            k -= 1
            if toks[k].low in DETERMINERS or toks[k].text.endswith(("’s", "'s")):
                if toks[k].low not in DETERMINERS and k - 1 >= lo and toks[k - 1].low in DETERMINERS:
                    k -= 1  # "the ad’s narrator"
                if k - 2 >= lo and toks[k - 1].low in ("of", "for") and is_person_noun(toks[k - 2].low):
                    described = _subject_span(toks, k - 2, lo)  # "the CEO of the grid operator said"
                    if described is not None:
                        return (described[0], j + 1)
                if k - 1 >= lo and toks[k - 1].low in _SUBJECT_BEFORE:
                    return np_before(toks, k - 2, lo)  # "Trump at the time said": the subject is before
                return (k, j + 1)
        p = j - 1  # a phrase of time or place without a determiner: "Trump in recent days has suggested"
        while p >= lo and j - p <= PHRASE_WORDS and toks[p].text.isalpha() and not toks[p].cap and (
            toks[p].low not in _TIME_OR_PLACE
        ):
            p -= 1
        if p > lo and toks[p].low in _TIME_OR_PLACE and toks[p - 1].text.isalpha():
            return np_before(toks, p - 1, lo)
        if t.low.endswith("s") or t.low in ("police", "staff"):  # "officials said", "aides said"
            return (j, j + 1)
    return None


def _opens_appositive(t: Token) -> bool:
    """Whether a word can open an appositive: "a doctor at X", "who has four children", "president of
    the union", "39"."""
    return t.low in DETERMINERS or t.low in RELATIVES or t.low in TITLES or t.text.isdigit() or t.low in (
        "former", "also", "one", "now", "then", "himself", "herself", "chief", "senior", "longtime", "after", "in",
        "at", "during", "with", "speaking", "asked", "like")


def _in_description(t: Token) -> bool:
    """A word that can stand inside a description ("the bespectacled, 71-year-old diplomat", "the
    independent Vermont senator and Democratic presidential candidate")."""
    return t.text == "," or t.low == "and" or (t.text[:1].isalnum() and t.low not in _CLAUSE_JOINERS)


def np_after(toks: Sequence[Token], i: int, hi: int) -> tuple[int, int] | None:
    """Token span of the speaker right after a cue (`said Altman`, `according to the report`)."""
    while i < hi and toks[i].text == ",":
        i += 1
    if i >= hi:
        return None
    t = toks[i]
    if t.low in SUBJECT_PRONOUNS:
        return (i, i + 1)
    if t.low in ("another", "one", "others") and (i + 1 >= hi or not toks[i + 1].text[:1].isalnum()):
        return (i, i + 1)  # "…," tweeted another.
    if not (is_name_word(t) or t.low in DETERMINERS):
        # a title before the name: "said former tech executive Carly Fiorina"
        k = i
        while k < min(hi, i + 6) and (_DESCRIPTION_TOKEN.fullmatch(toks[k].text) or toks[k].text.isalpha()) and (
            not toks[k].cap and (toks[k].low not in NOT_NAMES or toks[k].low == "of")
        ):  # "said former secretary of state Hillary Clinton", "said 9/11 widow Terry Strada"
            k += 1
        if k == i or k >= hi or not is_name_word(toks[k]):
            return None
        rest = np_after(toks, k, hi)
        return (i, rest[1]) if rest else None
    k = i + 1
    while k < hi:
        tk = toks[k]
        if tk.text == "." and toks[k - 1].cap and (toks[k - 1].low in TITLES or len(toks[k - 1].text) == 1):
            k += 1  # "Sen. Ted Cruz", "George W. Bush"; not the full stop of `said the manager.`
            continue
        if not tk.text[:1].isalnum() or tk.low in _NAME_ENDERS:
            break
        if t.cap and not tk.cap:
            if particles := particles_at(toks, k, hi):
                k += particles  # "said Mayor Bill de Blasio"
                continue
            break  # the name has ended: "said Altman during a fireside chat"
        k += 1
    if t.low in DETERMINERS and k == i + 1:
        return None
    if t.cap and k < hi and not toks[k].cap:
        # capitalised words that describe the name after them: "said Democratic strategist Hank
        # Sheinkopf", "noted Maryland-based product liability lawyer Jim Dunham"
        m = k
        while m < min(hi, k + 5) and toks[m].text.isalpha() and not toks[m].cap and toks[m].low not in NOT_NAMES:
            m += 1
        if m > k and m < hi and is_name_word(toks[m]) and is_person_noun(toks[m - 1].low):
            rest = np_after(toks, m, hi)
            return (i, rest[1]) if rest else (i, k)
    return (i, k)



def sentence_subject(
    toks: Sequence[Token], before: int, someone: Callable[[Sequence[Token]], bool] | None = None
) -> tuple[int, int] | None:
    """The subject that opens the writer's clause before toks[before]: a name, a pronoun or a determiner
    phrase, after any introductory phrases ("On Thursday, after a long wait, Warren …"). With `someone`,
    a subject that is no one who can speak ("A month later, he …") gives way to the next clause's; where
    no clause's subject is someone, the first subject found is the answer still."""
    # the clauses' starts, found as they are tried: most calls take the first, and a sentence of many
    # quotations asks once for each of them
    starts: Iterator[int] = chain((0,), (k + 1 for k in range(before) if toks[k].text == ","))
    dash = next((k for k in range(min(before, 8)) if toks[k].text in DASHES), None)
    if dash is not None and toks[0].text.isupper() and all(t.cap or not t.text.isalnum() for t in toks[:dash]):
        starts = chain((dash + 1,), (k for k in starts if k > dash))  # a dateline: "NEW YORK (AP) — Trump said"
    first: tuple[int, int] | None = None  # the subject found first, whoever it is
    for start in starts:
        if 0 < start < before and toks[start].text in _CLOSING_MARKS and toks[start].start == toks[start - 1].end:
            start += 1  # the comma closed a quotation: `On "Face the Nation," Sen. Bernie Sanders …`
        if start >= before:
            return first
        t = toks[start]
        if t.low in INTRODUCERS or (t.cap and t.low.endswith(("ly", "ing")) and len(t.low) > 4):
            nxt = toks[start + 1] if start + 1 < before else None
            if nxt is None or nxt.bare not in SUBJECT_PRONOUNS:
                continue  # "However, …", "Shortly after the call, …", "Holding signs, …"
            span: tuple[int, int] | None = (start + 1, start + 2)  # "Then he cut into Bush, calling him …"
        else:
            span = _clause_subject(toks, start, before)
        if span is None:
            return first
        if someone is None or someone(toks[span[0] : span[1]]):
            return span
        first = first or span
    return first


def _clause_subject(toks: Sequence[Token], start: int, before: int) -> tuple[int, int] | None:
    """The name, pronoun or determiner phrase that opens a clause at toks[start], or None."""
    t = toks[start]
    if t.bare in SUBJECT_PRONOUNS:
        return (start, start + 1)
    k = start + (1 if t.low in DETERMINERS else 0)
    while k < before and (
        (toks[k].cap or toks[k].text == ".") and toks[k].low not in NOT_NAMES
        or (k > start and toks[k - 1].cap and particles_at(toks, k, before))  # "Bill de Blasio"
    ):
        k += 1
    if k > start and toks[k - 1].low.endswith(("’s", "'s")):
        # a possessive opens a description, and a name set beside it is the subject: "Bolger’s
        # lawyer, Jeremy Robinson, had a statement" -> "Jeremy Robinson"
        m = k
        while m < before and m - k < 3 and toks[m].text.isalpha() and not toks[m].cap and toks[m].low not in NOT_NAMES:
            m += 1
        if m > k and m + 1 < before and toks[m].text == "," and is_name_word(toks[m + 1]):
            n = m + 2
            while n < before and (toks[n].cap or toks[n].text == ".") and toks[n].low not in NOT_NAMES:
                n += 1
            if n < before and toks[n].text == ",":
                return (m + 1, n)
    if k > start and not (k == start + 1 and t.low in DETERMINERS):
        return (start, k)
    if t.low in DETERMINERS and before > start + 1 and toks[start + 1].text.isalpha():
        return (start, start + 2)  # "The senator …"
    return None
