"""The article around a quotation: its sentences, tokens and quotations, the people it names, and
who a mention (a name, a surname, a pronoun, a description) refers to.

Attribution rules find the words a quotation rests on; this module turns those words into the fullest
name the article gives: a pronoun into the last person of matching sex who was the subject of a cue or
a sentence, a surname into the full name, "the CEO" into the last person named with that title.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from operator import attrgetter

from quotes.model import Quotation, Sentence
from quotes.names import (
    FEMALE_HONORIFICS,
    FEMALE_NAMES,
    MALE_HONORIFICS,
    MALE_NAMES,
    MAX_NAME_WORDS,
    NOT_NAMES,
    ORG_WORDS,
    PRONOUNS_FEMALE,
    PRONOUNS_MALE,
    PRONOUNS_PLURAL,
    TITLES,
    People,
    Person,
    is_organisation,
    is_person_noun,
    name_runs,
    strip_titles,
    uncontracted,
)
from quotes.phrases import (
    CONJUNCTIONS,
    DETERMINERS,
    INTRODUCERS,
    LONGEST_CUE,
    PLACE_PREPOSITIONS,
    PREPOSITIONS,
    RELATIVES,
    REPORTING_VERBS,
    SUBJECT_PRONOUNS,
    Token,
    cue_length,
    np_before,
    sentence_subject,
    tokenize,
)
from quotes.quotations import paragraph_starts, stripped_end
from quotes.sentences import common_word

# A byte table that keeps the letters a-z and makes every other byte a space (see `_verb_runs`).
_LETTERS_ONLY = bytes(c if ord("a") <= c <= ord("z") else ord(" ") for c in range(256))
_VERB_BYTES = frozenset(verb.encode("ascii") for verb in REPORTING_VERBS)
# A possessive inside a speaker's phrase: what follows it is the speaker ("CNBC's Becky Quick").
_OWNER = re.compile(r"['’]s\s+(?=[A-Z])")
# Unions of word lists, made once: `A | B` in a test builds a new set each time it runs.
_PERSONAL_PRONOUNS = SUBJECT_PRONOUNS - {"it"}  # a subject pronoun that stands for someone
_NOT_NAME_HEADS = NOT_NAMES | INTRODUCERS  # capitalised opening words that are no name ("However")
_token_start = attrgetter("start")  # the key that bisects a sentence's tokens by offset
# A pronoun that tells a person's sex.
# Only subject pronouns: an object ("McCaskill scolded him") or a possessive ("for his role") is as
# often someone else.
_GENDERED_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
# Words before a name that make it a place rather than a person (`in New York, he …`).
_PLACE_WORDS = PREPOSITIONS | PLACE_PREPOSITIONS
# How far around a name (in characters) its description is looked for.
DESCRIPTION_REACH = 80
# Honorifics and styles between a description and a name (`…, Dr the Rt. Hon. Keith Mitchell`), and
# how many characters they take at most.
_HONORIFIC = re.compile(r"the|[A-Z][a-z]{0,3}\.?")
HONORIFICS_REACH = 20
# An appositive after a name: the words up to the next comma or stop.
_APPOSITIVE = re.compile(r"[^,.;:()—–\n]+")
# What ends the quotation or clause before an inverted cue (`"…," says Zhang`).
_CUE_PUNCTUATION = frozenset(",”\"'’")
# The word after a name: a verb in lower case makes the name its clause's subject.
_NEXT_WORD = re.compile(r"\s+([\w’']+)")
_NOT_VERBS = CONJUNCTIONS | RELATIVES | PREPOSITIONS | {"and"}  # `, Trump and …`: a list, not a subject


# Words that count people rather than name one: never a speaker ("Thousands said", "one said").
NUMBER_WORDS = frozenset(
    """
    one two three four five six seven eight nine ten dozen dozens hundred hundreds thousand thousands
    million millions both few many several others most some all
    """.split()
)
# Singular nouns for more than one person: "the pair said" is no one speaker.
COLLECTIVES = frozenset("pair couple duo trio people".split())
# A plural noun: "officials", "details" (but not "witness", "campus", "analysis").
_PLURAL = re.compile(r"[^su]s$|ies$")
# Words after the head of a description ("a spokesperson for the UCEA", "an aide who …").
_AFTER_HEAD = PREPOSITIONS | RELATIVES | PLACE_PREPOSITIONS


def description_head(description: str) -> str | None:
    """The noun a description is about: its last word before a preposition or a relative ("a
    spokesperson for the UCEA" -> "spokesperson", "the bespectacled, 71-year-old diplomat" -> "diplomat")."""
    head = None
    for word in description.split():
        low = word.strip(",.’'\"").lower()
        if low in _AFTER_HEAD:
            break
        head = low
    return head


# Title words that qualify the title after them: "the former mayor" is a mayor.
TITLE_MODIFIERS = frozenset("former acting deputy vice assistant associate interim then".split())


def _title_head(words: Sequence[str]) -> str | None:
    """The title a description names its person by: its last title word but a modifier ("the former
    New York mayor" -> "mayor", "the Director" -> "director")."""
    titles = [low for w in words if (low := w.strip(".,’'").lower()) in TITLES]
    heads = [w for w in titles if w not in TITLE_MODIFIERS] or titles
    return heads[-1] if heads else None




def _word_char(c: str) -> bool:
    """A character of a word (letters, digits, apostrophes, hyphens)."""
    return c.isalnum() or c in "’'-"


_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")  # a word a title-case headline has none of


# A word of an organisation's name before its noun ("California’s", "4th", "District"), and the "of …"
# after it ("Court of Appeal", "Ministry of Education").
_ORGANISATION_WORD = re.compile(r"[A-Z][\w’'.-]*|\d+(?:st|nd|rd|th)")
_OF_NAME = re.compile(r"[^\S\n]+of[^\S\n]+(?:the[^\S\n]+)?[A-Z][\w’'-]*(?:[^\S\n]+[A-Z][\w’'-]*)*")


def _cue_before_name(lead: str) -> bool:
    """Whether the words before a name end with a cue that it is the speaker of: an inverted cue after
    a quotation or a clause (`…," says Yunfan Gerry Zhang`), or "according to"."""
    words = lead[-DESCRIPTION_REACH:].split()
    return bool(words) and (
        words[-2:] == ["according", "to"]
        or (words[-1].lower() in REPORTING_VERBS and len(words) > 1 and words[-2][-1:] in _CUE_PUNCTUATION)
    )


def _describes_a_name(word: str) -> bool:
    """A word of a description before a name opening a clause: a title, a determiner, a capitalised or
    hyphenated word, an age ("Presumptive Democratic White House nominee", "32-year-old admirer")."""
    bare = word.strip("“\"‘'(")
    low = bare.lower()
    return not bare or bare[:1].isupper() or low in TITLES or low in DETERMINERS or "-" in bare


_INDEFINITE = frozenset({"a", "an"})  # an unnamed person's description opens with one ("a spokesperson")
# How far before a reporting verb its subject is looked for (in characters).
SUBJECT_WINDOW = 120
# How far back (in characters) a pronoun looks for the person it stands for.
PRONOUN_REACH = 1500


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, as quotations number them."""
    starts = paragraph_starts(text)
    return [(s, starts[i + 1] if i + 1 < len(starts) else len(text)) for i, s in enumerate(starts)]


def _verb_runs(lowered: bytes) -> list[int]:
    """Offsets of the reporting verbs in a text as ASCII bytes (one a character), lower-cased, but not at
    its very start: the runs of letters a-z that are reporting verbs.

    This runs on every article, so all of it is done by C code: with every byte but a-z made a space,
    the text splits into exactly its runs of letters; a set intersection finds which verbs it holds, and
    `bytes.find` locates only those. (A regex `[a-z]+` over the text and a set lookup per word cost about
    twice as much.)
    """
    letters = lowered.translate(_LETTERS_ONLY)
    found = []
    for verb in _VERB_BYTES.intersection(letters.split()):
        at = letters.find(verb, 1)
        while at > 0:
            end = at + len(verb)
            if letters[at - 1 : at] == b" " and letters[end : end + 1] in (b" ", b""):  # a whole word
                found.append(at)
            at = letters.find(verb, end)
    return sorted(found)


class ArticleContext:
    """One article's text, sentences, quotations, tokens and people, shared by the attribution rules."""

    def __init__(self, text: str, sentences: Sequence[Sentence], quotations: Sequence[Quotation]) -> None:
        self.text = text
        self.quote_starts = [q.open_at for q in quotations]
        self.quote_ends = [q.close_at for q in quotations]
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.paragraphs = paragraph_bounds(text)
        self.paragraph_starts = [start for start, _ in self.paragraphs]
        self._sentence_tokens: dict[int, list[Token]] = {}  # tokenized on demand: most sentences never are
        self._cues: dict[tuple[int, frozenset[str]], list[tuple[int, int]]] = {}  # see `cues_before`
        self._verb_starts: list[int] | None = None  # see `may_report`
        self._line_ends: list[int] | None = None  # see `line_end`
        self.people = People()
        self._lower: dict[str, bool] = {}  # word -> whether the text writes it in lower case
        self.mentions: list[tuple[int, Person]] = []  # (offset, person) of every person named, in order
        self.subjects: list[tuple[int, Person]] = []  # people named as the subject of a cue or sentence
        self._unnamed: list[tuple[int, str]] = []  # (offset, description) of unnamed subjects of cues
        self._find_people()

    def _find_people(self) -> None:
        raw = name_runs(self.text)
        opening = [self._opens_sentence(start) for start, _ in raw]
        # words written with a capital inside a sentence somewhere: proper nouns, not just first words
        inside = (run for (_, run), opens in zip(raw, opening, strict=True) if not opens)
        self.proper = {w.lower() for run in inside for w in run.split()}
        runs = [self._name_of_run(start, run, opens) for (start, run), opens in zip(raw, opening, strict=True)]
        # introductions first: a run with a title or a known given name is a person's full name, any
        # other name of two words or more likely one
        for run in dict.fromkeys(run for _, run in runs):  # each name once, in the order met
            self.people.introduce(run)
        self.people.settle()
        subject_at = self._subject_offsets()
        found: list[tuple[int, int, Person, bool]] = []
        known: dict[str, Person | None] = {}  # run -> person, asked once per name (until one is added)
        for (start, run), opens in zip(runs, opening, strict=True):
            person = known[run] if run in known else known.setdefault(run, self.people.lookup(run))
            if person is None and start in subject_at and not run.isupper():
                person = self.people.add(run)  # "Altman said": whoever speaks is somebody
                # a new person of one name can only be found for a run that found no one
                known = {k: v for k, v in known.items() if v is not None}
            elif person is not None and not person.certain and (
                start in subject_at or _cue_before_name(self._lead(start))
            ):
                person.certain = True  # whoever speaks is somebody
            if person is not None:
                found.append((start, start + len(run), person, opens or start in subject_at))
        for n, (start, end, person, subject) in enumerate(found):
            if not person.organisation:
                described = self._described_as(start, end)
                person.titles |= described
                person.certain = person.certain or bool(described)
            if person.gender is None and not person.organisation:
                limit = found[n + 1][0] if n + 1 < len(found) else len(self.text)
                person.gender = self._pronoun_after(start, end, limit)
            if person.certain or person.gender is not None:
                self.mentions.append((start, person))
                if subject or (not person.organisation and self._leads_clause(start, end)):
                    self.subjects.append((start, person))
        self.mention_starts = [m[0] for m in self.mentions]
        self.subject_starts = [m[0] for m in self.subjects]
        for at, description in self._unnamed:
            self.remember_unnamed(at, description[0].lower() + description[1:])

    def written_lower(self, word: str) -> bool:
        """Whether the article writes a word in lower case somewhere, as a whole word (a capitalised one
        of them that opens a sentence is a common word, not a name). Asked of few words: found with
        `str.find`, not a scan of every word of the text."""
        found = self._lower.get(word)
        if found is None:
            text, at, found = self.text, self.text.find(word), False
            while at >= 0 and not found:
                end = at + len(word)
                found = (at == 0 or not _word_char(text[at - 1])) and (end == len(text) or not _word_char(text[end]))
                at = text.find(word, end)
            self._lower[word] = found
        return found

    def _name_of_run(self, start: int, run: str, opens: bool) -> tuple[int, str]:
        """A run of capitalised words without the words that are not the name's: a capitalised word
        that opens a sentence and is written in lower case elsewhere ("Thousands", "Currently"), or
        the place or body that an "of" before a name of three words or more ends ("Secretary of State
        Antony Blinken", "Attorney for the District of Massachusetts Joshua Levy")."""
        if " " not in run and "\n" not in run:
            return start, run  # one word: most runs
        words = run.split()
        drop = 0
        first = words[0].lower()
        if opens and first not in MALE_NAMES and first not in FEMALE_NAMES and (
            (first.endswith(("ing", "ly")) and len(first) > 4)
            or self.written_lower(first)
            # "Although Rubio", not "Ban Ki-moon" (capitalised inside a sentence too) nor "Prince Harry"
            or (common_word(first) and first not in self.proper and first not in TITLES)
        ):
            drop = 1
        elif len(words) >= 3 and self.text[max(0, start - 4) : start] == " of ":
            drop = 1
        if drop == 0:
            return start, run
        at = start + run.index(words[1], len(words[0]))
        return at, self.text[at : start + len(run)]

    def _described_as(self, start: int, end: int) -> set[str]:
        """The titles written in lower case around a name, so that a description later points back to
        it: before it (`billionaire Michael Bloomberg`, `the former New York mayor Michael
        Bloomberg`) and in an appositive after it (`Michael Bloomberg, the former New York mayor,`)."""
        titles: set[str] = set()
        # the words before, when a word ends right before the name ("billionaire Michael Bloomberg")
        word_before = self.text[start - 2 : start - 1].isalpha()
        lead = self.text[max(0, start - DESCRIPTION_REACH) : start] if word_before else ""
        for word in reversed(lead.split()[-6:]):
            low = word.lower()
            if not word.isalpha() or (low in NOT_NAMES and low not in DETERMINERS):
                break
            if low in TITLES:
                titles.add(low)
            if low in DETERMINERS:
                break
        # a description opening the sentence, the name set after it (`Grenada’s Prime Minister and
        # Chairman of the OECS Authority, Dr the Rt. Hon. Keith Mitchell has …`)
        reach = DESCRIPTION_REACH + HONORIFICS_REACH
        lead = self._lead(start) if self.text.rfind(",", max(0, start - reach), start) >= 0 else ""
        if "," in lead and len(lead) <= reach:
            words = lead.split()
            while words and _HONORIFIC.fullmatch(words[-1]):
                words.pop()
            if words and words[-1].endswith(",") and not any("," in w for w in words[:-1]):
                titles.update(low for w in words if (low := w.strip(",.").lower()) in TITLES)
        if self.text[end : end + 2] == ", ":
            appositive = _APPOSITIVE.match(self.text, end + 2, end + 2 + DESCRIPTION_REACH)
            if appositive is not None:
                words = appositive.group().split()
                if words and (words[0].lower() in DETERMINERS or words[0].lower() in TITLES):
                    titles.update(w.lower() for w in words if w.lower() in TITLES)
        return titles

    def _leads_clause(self, start: int, end: int) -> bool:
        """Whether the name at text[start:end] is the subject a later "he" or "she" most likely stands
        for: named after an inverted cue (`…," says Yunfan Gerry Zhang`, `according to Della`), or
        opening a clause behind nothing but a description (`Presumptive Democratic White House nominee
        Joe Biden joined …`, `In 2016, as …, Schwartz disavowed the book`)."""
        lead = self._lead(start)
        if _cue_before_name(lead):
            return True
        comma = lead.rfind(",")
        description = lead[comma + 1 :].split()
        if not all(_describes_a_name(w) for w in description):
            return False
        if comma < 0:
            return True
        after = _NEXT_WORD.match(self.text, end)
        return after is not None and after.group(1).islower() and after.group(1) not in _NOT_VERBS

    def _lead(self, start: int) -> str:
        """The words of the sentence before an offset."""
        return self.text[self.sentence_starts[self.sentence_index(start)] if self.sentences else 0 : start]

    def _pronoun_after(self, start: int, end: int, limit: int) -> str | None:
        """The sex a pronoun gives a person named at text[start:end]: the first "he" or "she" after
        the name in its sentence, before another person is named; not after a preposition
        (`in New York, he …`)."""
        before = self.text[max(0, start - 12) : start].split()
        if before and before[-1].lower() in _PLACE_WORDS:
            return None
        n = self.sentence_index(start)
        stop = min(limit, self.sentences[n].end if self.sentences else len(self.text))
        m = _GENDERED_PRONOUN.search(self.text, end, stop)
        if m is None:
            return None
        return "m" if m.group().lower() in PRONOUNS_MALE else "f"

    def _subject_offsets(self) -> set[int]:
        """Offsets of the names that are the subject of a reporting verb anywhere in the article.

        The subject is looked for in the words just before each verb (a subject with its appositive fits
        in SUBJECT_WINDOW characters), taken from the sentence's tokens, which the rules read again.
        """
        found = set()
        for at in self.verb_starts() if self.sentences else ():
            n = self.sentence_index(at)
            sentence = self.sentences[n]
            if sentence.start < at < sentence.end:  # a verb opening its sentence has no subject before it
                words = self.sentence_tokens(n)
                window = max(sentence.start, at - SUBJECT_WINDOW)
                first = bisect_left(words, window, key=_token_start)
                toks = words[first : bisect_left(words, at, key=_token_start)]
                if len(toks) > 1 and window > sentence.start and (first == 0 or words[first - 1].end <= window):
                    toks = toks[1:]  # the window's first word, which it may have cut in two
                span = np_before(toks, len(toks) - 1, 0) if toks else None
                if span is not None:
                    k = span[0] + (toks[span[0]].low == "the")
                    if toks[k].cap and toks[k].low not in DETERMINERS:
                        found.add(toks[k].start)
                    elif toks[span[0]].low in _INDEFINITE and toks[span[1] - 1].low not in RELATIVES and (
                        span[0] == 0 or toks[span[0] - 1].text != ","  # not an appositive: "Shiguematsu, a resident"
                    ):
                        # `A spokesperson for the trust said it was planned.`: someone the article
                        # never names, whom a later "he said" stands for
                        first, last = toks[span[0]], toks[span[1] - 1]
                        self._unnamed.append((first.start, self.text[first.start : last.end]))
        return found

    def sentence_tokens(self, n: int) -> list[Token]:
        toks = self._sentence_tokens.get(n)
        if toks is None:
            sentence = self.sentences[n]
            toks = self._sentence_tokens[n] = tokenize(self.text, sentence.start, sentence.end)
        return toks

    def _opens_sentence(self, offset: int) -> bool:
        i = bisect_right(self.sentence_starts, offset) - 1
        return i >= 0 and self.text[self.sentence_starts[i] : offset].strip(" “\"") == ""

    def quoted(self, offset: int) -> bool:
        """Whether `offset` lies inside a quotation (between its marks)."""
        i = bisect_right(self.quote_starts, offset) - 1
        return i >= 0 and offset < self.quote_ends[i]

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect_right(self.sentence_starts, offset) - 1)

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """The tokens that start in text[start:end]."""
        if not self.sentences:
            return tokenize(self.text, start, end)
        out: list[Token] = []
        for n in range(self.sentence_index(start), self.sentence_index(max(start, end - 1)) + 1):
            toks = self.sentence_tokens(n)  # in the order of their starts: bisect, not a test per token
            out.extend(toks[bisect_left(toks, start, key=_token_start) : bisect_left(toks, end, key=_token_start)])
        return out

    # Rules ask about the words before and after every quotation. The methods below answer from what is
    # worked out once for the article (a sentence's tokens and cues, the offsets of its lines and verbs)
    # and never copy the text before a quotation: a copy or a scan from the sentence's start for each
    # quotation makes an article of many short quotations quadratic in its length.

    def iter_tokens(self, start: int, end: int) -> Iterator[Token]:
        """The tokens that start in text[start:end], one sentence tokenized at a time, as they are read."""
        if not self.sentences:
            yield from tokenize(self.text, start, end)
            return
        for n in range(self.sentence_index(start), self.sentence_index(max(start, end - 1)) + 1):
            toks = self.sentence_tokens(n)
            first = bisect_left(toks, start, key=_token_start)
            yield from islice(toks, first, bisect_left(toks, end, key=_token_start))

    def sentence_prefix(self, offset: int) -> tuple[list[Token], int]:
        """The tokens of the sentence holding `offset` and how many of them start before it: the first
        `cut` tokens are `tokens_between(sentence.start, offset)`, not copied."""
        if not self.sentences:
            toks = tokenize(self.text, 0, offset)
            return toks, len(toks)
        toks = self.sentence_tokens(self.sentence_index(offset))
        return toks, bisect_left(toks, offset, key=_token_start)

    def cues_before(self, offset: int, verbs: frozenset[str]) -> tuple[list[Token], int, Iterator[tuple[int, int]]]:
        """`sentence_prefix(offset)` and the cues (token index, length) of `verbs` outside quotations in
        those first `cut` tokens, last first, as `cue_length` finds them in the tokens cut there."""
        toks, cut = self.sentence_prefix(offset)
        key = (self.sentence_index(offset), verbs)
        cues = self._cues.get(key) if self.sentences else None
        if cues is None:
            cues = [
                (i, n) for i in range(len(toks)) if (n := cue_length(toks, i, verbs)) and not self.quoted(toks[i].start)
            ]
            if self.sentences:
                self._cues[key] = cues
        # a cue of several words that `offset` cuts is read again in the cut tokens: none, or a shorter one
        edge = max(0, cut - LONGEST_CUE + 1)
        window = toks[edge:cut]
        last = [(edge + i, n) for i in range(len(window) - 1, -1, -1)
                if (n := cue_length(window, i, verbs)) and not self.quoted(window[i].start)]
        return toks, cut, chain(last, map(cues.__getitem__, range(bisect_left(cues, (edge,)) - 1, -1, -1)))

    def verb_starts(self) -> list[int]:
        """The offsets of the reporting verbs of the text, in order, found once for the article."""
        if self._verb_starts is None:
            # every token whose lower case is a verb: its letters are ASCII, or the Kelvin sign (lower case "k")
            ascii_text = self.text.replace("\u212a", "k").encode("ascii", "replace").lower()
            self._verb_starts = _verb_runs(ascii_text)
        return self._verb_starts

    def may_report(self, start: int, end: int) -> bool:
        """Whether text[start:end] may hold a reporting verb: False proves that none of its tokens is one."""
        starts = self.verb_starts()
        i = bisect_left(starts, start)
        return i < len(starts) and starts[i] < end

    def line_end(self, offset: int) -> int:
        """`text.find("\n", offset)`: the offset of the line break ending the line at `offset`, or -1."""
        if self._line_ends is None:
            self._line_ends = [m.start() for m in re.finditer("\n", self.text)]
        i = bisect_left(self._line_ends, offset)
        return self._line_ends[i] if i < len(self._line_ends) else -1

    def at_paragraph_start(self, q: Quotation) -> bool:
        start = self.paragraphs[q.paragraph][0]
        return stripped_end(self.text, q.open_at, start) == start

    def is_someone(self, words: Sequence[Token]) -> bool:
        """Whether a subject names someone who can speak: a pronoun, a person or organisation the article
        names, or a description by title ("the senator"); not "The question" or "Declaring"."""
        if len(words) == 1 and words[0].bare in _PERSONAL_PRONOUNS:
            return True
        if any(t.low in TITLES for t in words):
            return True
        if len(words) == 2 and words[0].low == "the" and not words[1].cap and words[1].low in ORG_WORDS:
            return True  # "the court", "the ministry": the organisation the article names (see `resolve`)
        name = [t for t in words if t.low != "the"]
        if not name or not name[0].cap:
            return False
        if self.people.lookup(" ".join(t.text for t in name)) is not None:
            return True
        # a name the article has not introduced ("Politifact", "Oz"), but not a sentence's opening word
        # that only looks like one ("Declaring", "Ironically", "There’s", "Guns"): a single word must be
        # written with a capital inside a sentence somewhere in the article
        head = name[0].low
        if head.endswith(("ing", "ly")) or "’" in head or "'" in head or head in _NOT_NAME_HEADS:
            return False
        return len(name) > 1 or head in self.proper

    def resolve(self, mention: str, at: int) -> str | None:
        """The fullest name of the person (or organisation) a mention refers to, the description of an
        unnamed speaker ("a spokesperson for the UCEA"), or None: never a plural noun, a number word or
        a common noun capitalised at a sentence's start ("Thousands", "the pair", "Health")."""
        name = self._resolve(mention, at)
        if name is None or not self._can_speak(name):
            return None
        if name.split()[0].lower() in DETERMINERS:
            name = name[0].lower() + name[1:]  # a description keeps its lower case: "a spokeswoman"
        return name

    def remember_unnamed(self, at: int, description: str) -> None:
        """Enter a described speaker with no name (`a spokesperson for the UCEA said`) in the history that
        pronouns look back on, so that a later `he said` is that speaker, not the last person named."""
        head = description_head(description)
        if not head or not is_person_noun(head):
            return
        gender = "m" if head in MALE_HONORIFICS else "f" if head in FEMALE_HONORIFICS else None
        person = Person(name=description, gender=gender)
        for timeline, starts in ((self.subjects, self.subject_starts), (self.mentions, self.mention_starts)):
            i = bisect_right(starts, at)
            starts.insert(i, at)
            timeline.insert(i, (at, person))

    def _can_speak(self, name: str) -> bool:
        words = [w.strip(",.’'\"").lower() for w in name.split()]
        if not words or words[0] in NUMBER_WORDS or (len(words) > 1 and words[0] == "the" and words[1] in NUMBER_WORDS):
            return False  # "Thousands", "One", "the two"
        if name[:1].islower() or words[0] in DETERMINERS:
            head = description_head(name)
            return head is not None and not (
                head in COLLECTIVES
                or (_PLURAL.search(head) is not None and head not in ORG_WORDS)
                or (head.endswith(("ed", "ing", "ly")) and head not in TITLES)  # "An unprecedented"
            )
        if len(words) > MAX_NAME_WORDS and all(w[:1].isupper() for w in name.split()) and not is_organisation(name):
            return False  # a headline in title case: "Veto Power Impedes Peace Efforts"
        if len(words) == 1 and words[0] not in self.proper:
            # a single capitalised word no one is named by in full, capitalised only where it opens a sentence
            # and written in lower case elsewhere: a common noun opening a sentence or a headline
            # ("Health", "Details"; but "Teachers" of "the American Federation of Teachers" is a name)
            return is_organisation(name) or not self.written_lower(words[0])
        return True

    def _resolve(self, mention: str, at: int) -> str | None:
        words = mention.split()
        if len(words) > 1 and words[-1].lower() in RELATIVES:  # "Trump, who" -> "Trump"
            mention = " ".join(words[:-1]).rstrip(",")
        owner = _OWNER.search(mention)
        if owner:
            mention = mention[owner.end() :]  # "The Post's Ruth Marcus" -> "Ruth Marcus"
        low = mention.lower()
        bare = uncontracted(low)
        if bare in SUBJECT_PRONOUNS:
            if bare == "it":
                return self._organisation_subject(at)
            if bare in ("i", "we"):
                return None
            want = "m" if bare in PRONOUNS_MALE else "f" if bare in PRONOUNS_FEMALE else None
            return self._last_person(at, want, plural=bare in PRONOUNS_PLURAL)
        words = mention.split()
        if not mention[:1].isupper() and words[-1][:1].isupper():
            # a description ending in a name: "former George W. Bush speechwriter Noam Neusner"; but a
            # title written with capitals is still a description ("the Director", "the Prime Minister")
            k = len(words)
            while k > 0 and (words[k - 1][:1].isupper() or words[k - 1].endswith(".")):
                k -= 1
            tie = k - 1 - (k > 1 and words[k - 1].lower() == "the")  # (not "a spokesperson for the UCEA")
            tail = " ".join(words[k:])
            group = k == len(words) - 1 and _PLURAL.search(tail.lower()) is not None and not is_organisation(tail)
            if strip_titles(tail) and (k == 0 or words[tie].lower() not in _AFTER_HEAD) and not group:
                return self.resolve(tail, at)  # (but "the Nazis": a group of people, no one speaker)
        if words[0].lower() in DETERMINERS or not mention[:1].isupper():
            # a description: the person last named who holds its title ("the CEO", "the former mayor"),
            # else the words themselves
            head = _title_head(words)
            if head:
                for i in range(bisect_right(self.mention_starts, at) - 1, -1, -1):
                    person = self.mentions[i][1]
                    if head in person.titles and not person.organisation:
                        return person.name
                if words[0].lower() == "the":
                    # a definite description of no one named with it: the person the writing is about,
                    # as "he" would be (`Billionaire Michael Bloomberg returned. The former New York
                    # mayor argued …`)
                    gender = "m" if head in MALE_HONORIFICS else "f" if head in FEMALE_HONORIFICS else None
                    return self._last_person(at, gender, plural=False) or mention
                return mention
            rest = " ".join(words[1:])
            if words[0].lower() == "the" and rest[:1].isupper() and not (
                len(words) == 2 and _PLURAL.search(rest.lower()) and not is_organisation(rest)
            ):
                return rest  # an organisation: "the White House" -> "White House" (but "the Nazis": a group)
            before = mention.split(",")[0]
            head = description_head(before)
            if before != mention and head and (is_person_noun(head) or head in ORG_WORDS):
                return before  # "the world’s largest retailer, last year" (not "the bespectacled, …")
            if words[0].lower() == "the" and len(words) == 2 and rest.isalpha():
                return self._organisation_named(rest, at) or mention  # "the court", "the trust"
            return mention
        if mention in ("Q", "A"):
            return None  # an interview's unnamed questioner, or its answerer: the article names them elsewhere
        if mention.isupper() and len(mention) > 3:
            mention = mention.title()  # a transcript label: "WALLACE" -> "Wallace"
        known = self.people.lookup(mention)
        if known is not None:
            return known.name
        return strip_titles(mention) or mention

    def _organisation_subject(self, at: int) -> str | None:
        """The organisation "it" stands for: the subject of its sentence, or of the sentence before,
        where that subject is an organisation (`The United Nations Security Council … pledged sanctions
        against what it called "…"`); else no one."""
        n = self.sentence_index(at)
        for k in (n, n - 1):
            if k < 0 or not self.sentences:
                return None
            toks = self.tokens_between(self.sentences[k].start, min(at, self.sentences[k].end))
            span = sentence_subject(toks, len(toks)) if toks else None
            if span is not None:
                end = span[1]
                if end + 1 < len(toks) and toks[end].low == "of" and toks[end + 1].cap:
                    end += 2  # "the Ministry of Health"
                    while end < len(toks) and toks[end].cap:
                        end += 1
                name = " ".join(t.text for t in toks[span[0] : end])
                if toks[span[0]].cap and is_organisation(name):
                    return strip_titles(name) or None
        return None

    def _organisation_named(self, noun: str, at: int) -> str | None:
        """The fullest name before `at` of the organisation that "the court" or "the trust" stands for:
        capitalised words ending in the noun ("California’s 4th District Court of Appeal", "Citizens’
        Independent Transportation Trust"), of two words or more. Found with `str.find`: a pattern that
        opens with a repeated group costs a try at every character of the text."""
        text, word = self.text, noun.capitalize()
        best: list[str] | None = None
        at_word = text.find(word, 0, at)
        while at_word >= 0:
            end = at_word + len(word)
            if (at_word == 0 or not _word_char(text[at_word - 1])) and (end >= len(text) or not _word_char(text[end])):
                words = [word]
                for before in reversed(text[max(0, at_word - DESCRIPTION_REACH) : at_word].split(" ")[:-1]):
                    if not _ORGANISATION_WORD.fullmatch(before):
                        break
                    words.insert(0, before)
                tail = _OF_NAME.match(text, end)
                if tail is not None:
                    words += tail.group().split()
                while words and words[0].lower() in NOT_NAMES:
                    del words[0]
                p_start, p_end = self.paragraphs[bisect_right(self.paragraph_starts, at_word) - 1]
                # not a headline in title case ("… Rules CA Appellate Court")
                if len(words) >= 2 and (best is None or len(words) > len(best)) and (
                    len(_LOWER_WORD.findall(text, p_start, p_end)) >= 2
                ):
                    best = words
            at_word = text.find(word, end, at)
        return " ".join(best) if best else None

    def _last_person(self, at: int, gender: str | None, plural: bool) -> str | None:
        """The person a pronoun at `at` stands for: the last compatible person who was the subject of a
        sentence or a cue (news writing keeps "he" for its current speaker), else the last one named."""
        if plural:
            return None
        for timeline, starts in ((self.subjects, self.subject_starts), (self.mentions, self.mention_starts)):
            for i in range(bisect_right(starts, at) - 1, -1, -1):
                offset, person = timeline[i]
                if offset < at - PRONOUN_REACH:
                    break
                if not person.organisation and (gender is None or person.gender in (None, gender)):
                    return person.name
        return None
