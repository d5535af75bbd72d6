"""Sentences of an article's text: NLTK's Punkt splitter, one paragraph at a time.

Punkt needs parameters (abbreviations, collocations, frequent sentence starters and the case in which
each word appears). They ship with the package as plain-text tables in `quotes/punkt/`, made by
`tests/tools/train_punkt.py` from the PolNeAR news articles plus a hand list of news abbreviations, so the
splitter works with no NLTK data installed and nothing downloaded. This is the only module that imports
nltk; nothing from nltk leaves it.

    >>> [s.text for s in split_sentences('"We ship it," Sen. Jane Doe said. "Soon."')]
    ['"We ship it," Sen. Jane Doe said.', '"Soon."']
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
)

from quotes.model import QuotesError, Sentence

TABLE_DIR = Path(__file__).with_name("punkt")
"""Where the Punkt tables live: one entry a line, UTF-8, no comments (`##number##` is a word type)."""

ABBREV_FILE = "abbrev_types.txt"  # "u.s": abbreviations, lower-cased, without the final period
COLLOCATION_FILE = "collocations.txt"  # "sept<TAB>##number##": word pairs a period between never splits
SENT_STARTER_FILE = "sent_starters.txt"  # "however": words that, capitalised, start a sentence after "Inc."
ORTHO_FILE = "ortho_context.txt"  # "senate<TAB>38": bit flags of the cases a word was seen in, by position

# A blank line (only spaces or tabs between two newlines), one or more of them, separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")

# Punkt can only split where a sentence-ending mark (maybe followed by closing quotes or brackets) is
# followed by white space and more text; a paragraph without one is one sentence, and skipping Punkt
# for it saves most of the time on news text, where many paragraphs are one sentence.
_CANDIDATE_BREAK = re.compile(r"[.?!][\"'\u2019\u201d\xbb)\]}]*\s+\S")

# News style lets a quotation that ends in "?" or "!" (or, less correctly, ".") run on into its
# attribution: `"Why?" he asked.` Punkt splits there; the attribution must stay with the quotation, so a
# "sentence" starting in lower case after such an ending is joined back to the one before it.
_ENDS_IN_QUOTED_STOP = re.compile(r"(?:[?!][\"'\u2019\u201d\xbb)]*|\.[\"'\u2019\u201d\xbb]+)$")
_STARTS_LOWER = re.compile(r"[a-z]")
_CLOSING_MARKS = frozenset("\"'\u2019\u201d\xbb)]}")
_CLOSERS = re.compile(r"[\"'\u2019\u201d\xbb)\]}]+")


class SentenceError(QuotesError):
    """The Punkt tables are missing or malformed (a broken install: reinstall the package)."""


class NewsLanguageVars(PunktLanguageVars):
    """Punkt's English settings, with curly opening quotes kept off the front of words and stdlib regexes.

    NLTK 3.10 routes every regex through a ReDoS guard (`nltk.redos`) that costs about half of the
    splitting time; these patterns are Punkt's own, fixed and linear, so plain `re` is safe for them.
    Training and splitting must use the same class, or the tables' word types do not match.
    """

    # An opening quotation mark never starts a word: `“We` is the word `We` (Punkt excludes `"` only).
    _re_word_start = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,\u201c\u2018\xab]"
    re_boundary_realignment = re.compile(
        r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)', re.MULTILINE
    )

    # A stop followed by closing quotation marks or brackets is judged on the word after them, so that
    # `said "x." He left.` can split: Punkt's own pattern stops at the mark and never sees "He".
    _period_context_fmt = r"""
        %(SentEndChars)s             # a potential sentence ending
        (?=(?P<after_tok>
            [\"\'\u2019\u201d\xbb)\]}]*\s+(?P<next_tok>\S+)   # closing marks, white space, a token
            |
            %(NonWord)s              # or other punctuation
        ))"""

    def _word_tokenizer_re(self):  # type: ignore[no-untyped-def]
        try:
            return self._re_word_tokenizer
        except AttributeError:
            self._re_word_tokenizer = re.compile(
                self._word_tokenize_fmt
                % {
                    "NonWord": self._re_non_word_chars,
                    "MultiChar": self._re_multi_char_punct,
                    "WordStart": self._re_word_start,
                },
                re.UNICODE | re.VERBOSE,
            )
            return self._re_word_tokenizer

    def period_context_re(self):  # type: ignore[no-untyped-def]
        try:
            return self._re_period_context
        except AttributeError:
            self._re_period_context = re.compile(
                self._period_context_fmt
                % {"NonWord": self._re_non_word_chars, "SentEndChars": self._re_sent_end_chars},
                re.UNICODE | re.VERBOSE,
            )
            return self._re_period_context


class NewsTokenizer(PunktSentenceTokenizer):
    """Punkt, judging a period by the word after any closing quotation marks (`"x." He` splits)."""

    def _annotate_second_pass(self, tokens):  # type: ignore[no-untyped-def]
        tokens = list(tokens)
        for i, token in enumerate(tokens):
            self._annotate_second(tokens, i)
            yield token

    def _annotate_second(self, tokens: list[PunktToken], i: int) -> None:
        """Punkt's second pass on tokens[i], judged by the token after any closing marks."""
        token = tokens[i]
        j = i + 1
        while j < len(tokens) and tokens[j].tok in _CLOSING_MARKS:
            j += 1
        if j > i + 1 and token.abbr and token.is_initial:
            # An initial comes before a name, not before a closing mark: `"Plan B." He left` splits.
            token.abbr, token.sentbreak = False, True
        self._second_pass_annotation(token, tokens[j] if j < len(tokens) else None)

    def text_contains_sentbreak(self, text: str) -> bool:
        """Whether a token of `text` other than the last ends a sentence: NLTK's method, run for every
        candidate break, without its chain of three generators."""
        if "\n" in text:
            tokens = list(self._tokenize_words(text))
        else:  # `_tokenize_words` of one line, without its generator and keyword arguments
            tokens = list(map(NewsToken, self._lang_vars.word_tokenize(text)))
            if tokens:
                tokens[0].parastart, tokens[0].linestart = False, True
        for token in tokens:
            self._first_pass_annotation(token)
        for i in range(len(tokens) - 1):  # a break after the last token is no break inside `text`
            self._annotate_second(tokens, i)
            if tokens[i].sentbreak:
                return True
        return False


class NewsToken(PunktToken):
    """Punkt's token with its fixed property patterns compiled by stdlib `re` (see NewsLanguageVars)."""

    __slots__ = ()

    def __init__(self, tok, **params):  # type: ignore[no-untyped-def]
        # PunktToken.__init__ with its loop of `setattr` calls over the properties written out as plain
        # assignments: a token is made for every word around every candidate break.
        self.tok = tok
        self.type = self._RE_NUMERIC.sub("##number##", tok.lower())  # PunktToken._get_type
        self.period_final = tok.endswith(".")
        self.parastart = self.linestart = self.sentbreak = self.abbr = self.ellipsis = None
        for name, value in params.items():
            setattr(self, name, value)

    _RE_ELLIPSIS = re.compile(r"\.\.+$")
    _RE_NUMERIC = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
    _RE_INITIAL = re.compile(r"[^\W\d]\.$", re.UNICODE)
    _RE_ALPHA = re.compile(r"[^\W\d]+$", re.UNICODE)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of `text`: blank-line separated blocks, stripped, empty ones skipped.

    The index of a span in this list is `Sentence.paragraph`.
    """
    spans = []
    start = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(text)))
    stripped = []
    for begin, end in spans:
        block = text[begin:end]
        lead = len(block) - len(block.lstrip())
        trail = len(block) - len(block.rstrip())
        if begin + lead < end - trail:
            stripped.append((begin + lead, end - trail))
    return stripped


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, in order; none crosses a paragraph (blank line).

    Each is stripped of surrounding white space and keeps exact offsets: `text[s.start:s.end] == s.text`.
    A closing quotation mark after the final stop stays with its sentence (`... he said.”`).
    """
    sentences: list[Sentence] = []
    tokenizer = _tokenizer()
    for number, (p_start, p_end) in enumerate(paragraph_spans(text)):
        paragraph = text[p_start:p_end]
        if _CANDIDATE_BREAK.search(paragraph) is None:
            sentences.append(Sentence(p_start, p_end, paragraph, number))
            continue
        for start, end in _join_run_on_attributions(paragraph, _stripped(paragraph, tokenizer)):
            sentences.append(Sentence(p_start + start, p_start + end, paragraph[start:end], number))
    return sentences


def _stripped(paragraph: str, tokenizer: NewsTokenizer) -> Iterator[tuple[int, int]]:
    for start, end in tokenizer.span_tokenize(paragraph):
        closers = _CLOSERS.match(paragraph, end)  # the marks after a stop belong to its sentence
        if closers:
            end = closers.end()
        chunk = paragraph[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if start + lead < end - trail:
            yield start + lead, end - trail


def _join_run_on_attributions(paragraph: str, spans: Iterator[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if (
            joined
            and _STARTS_LOWER.match(paragraph, start)
            and _ENDS_IN_QUOTED_STOP.search(paragraph, joined[-1][0], joined[-1][1])
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


# Punkt's case flags (nltk.tokenize.punkt's _ORTHO_*): a word seen in lower case, at a sentence's start,
# in its middle or where unknown.
_ORTHO_LOWER = (1 << 4) | (1 << 5) | (1 << 6)


def common_word(word: str) -> bool:
    """Whether the news the tables were made from writes a word in lower case ("although", "given",
    "understated"; but also "bill" and "grant": a caller tells given names apart)."""
    return bool(_tokenizer()._params.ortho_context.get(word.lower(), 0) & _ORTHO_LOWER)


def prepare() -> None:
    """Load the Punkt tables now rather than on the first split (they take some 30 ms)."""
    _tokenizer()


@functools.cache
def _tokenizer() -> NewsTokenizer:
    """The one tokenizer, built from the shipped tables on first use."""
    tokenizer = NewsTokenizer(lang_vars=NewsLanguageVars(), token_cls=NewsToken)
    tokenizer._params = load_parameters()
    return tokenizer


def load_parameters(directory: Path = TABLE_DIR) -> PunktParameters:
    """Punkt parameters from the plain-text tables in `directory`."""
    params = PunktParameters()
    collocations, ortho = directory / COLLOCATION_FILE, directory / ORTHO_FILE
    try:
        params.abbrev_types = set(_rows(directory / ABBREV_FILE))
        params.sent_starters = set(_rows(directory / SENT_STARTER_FILE))
        params.collocations = {_pair(row, collocations) for row in _rows(collocations)}
        params.ortho_context = defaultdict(int)
        for row in _rows(ortho):
            word, flags = _pair(row, ortho)
            params.ortho_context[word] = int(flags)
    except (OSError, ValueError) as exc:
        raise SentenceError(f"cannot read the Punkt tables in {directory}: {exc}; reinstall quotes") from exc
    return params


def save_parameters(params: PunktParameters, directory: Path = TABLE_DIR) -> None:
    """Write `params` as the plain-text tables that `load_parameters` reads (sorted, so diffs are small)."""
    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / ABBREV_FILE, sorted(params.abbrev_types))
    _write(directory / SENT_STARTER_FILE, sorted(params.sent_starters))
    _write(directory / COLLOCATION_FILE, sorted(f"{a}\t{b}" for a, b in params.collocations))
    _write(directory / ORTHO_FILE, sorted(f"{w}\t{f}" for w, f in params.ortho_context.items() if f))


def _rows(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line:
                yield line


def _pair(row: str, path: Path) -> tuple[str, str]:
    first, tab, second = row.partition("\t")
    if not tab:
        raise ValueError(f"{path.name}: expected two tab-separated fields, got {row!r}")
    return first, second


def _write(path: Path, rows: list[str]) -> None:
    path.write_text("".join(f"{row}\n" for row in rows), encoding="utf-8")
