"""Check a claimed quotation against the index: did this person say these words, in what wording, where first.

`verify(claim, speaker=None)` answers with a verdict:

- `exact`: the claim's words are a quotation's words (case, punctuation, quotation marks and accents set
  aside, as `store.text_key` sets them aside), the whole quotation or a contiguous part of it;
- `close`: a quotation says nearly the same: the match carries a word-level diff and a similarity;
- `other_speaker`: the words (exact or close) were said, but not by `speaker`: the matches name who did;
- `not_found`: nothing is close enough: `closest` says what came nearest and how near.

Candidates come from the index (an OR of the claim's content words, ranked by BM25); rapidfuzz aligns the
claim with each candidate (the best window of the quotation, on word boundaries) and the similarity of the
two word strings decides. A claim spliced from two quotations ("A ... B") is checked part by part.
`variants(quote_id)` uses the same alignment to list the other wordings of one quotation.

No whoosh here: candidates come through quotes.search, printings and speakers from the catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, Levenshtein

from quotes import search
from quotes.model import QuotesError
from quotes.paths import resolve_index_dir
from quotes.store import ArticleQuote, Catalog, Occurrence, speaker_key, text_key

VERDICTS = ("exact", "close", "other_speaker", "not_found")

# Similarity (0..1, rapidfuzz's normalized Indel similarity of the claim's words and the aligned words of
# the quotation, as strings) from which a quotation counts as saying the same. Calibrated on the verdict
# test set of tests/bench/verify_bench.py (800 claims from PolNeAR's train split, docs/workbench.md): edited
# quotations score 0.72-1.0 (paraphrased, the lowest: median 0.88), writers' sentences and quotations the
# index does not hold 0.40-0.74 (median 0.52); macro F1 of the verdicts stays within 0.005 of its best from
# 0.65 to 0.80, and 0.75 sits above every unrelated sentence. Calibrated with MIN_CLAIM_WORDS as a set.
CLOSE_SIMILARITY = 0.75
# A claim part shorter than this many words is too short to tell a quotation from common phrasing.
MIN_CLAIM_WORDS = 3
# How many quotations the index is asked for per claim part (twice where a speaker is named: for anyone,
# then for that speaker alone). The right quotation ranks in the first few; more only costs time.
CANDIDATES = 25
# The OR query holds at most this many of the claim's words (its longest: long words are the rare ones),
# so a long pasted paragraph does not walk the postings of every word it has.
MAX_QUERY_WORDS = 14
# After rapidfuzz places the claim in a quotation, each end of the window may move this many words either
# way: partial alignment takes a window as long as the claim, and a claim that drops words needs a longer one.
WINDOW_SLACK = 3
# A part of a quotation printed alone is one of its variants from this many words (fewer is a phrase).
VARIANT_MIN_WORDS = 6
# Matches kept per verdict: the best; the rest are usually reprints of the same quotation reworded.
MAX_MATCHES = 5
# Words that say nothing of which quotation is meant: left out of the candidate query (not of the alignment).
STOP_WORDS = frozenset("""
a about after all also am an and any are as at be been before being but by can could did do does doing
for from had has have having he her here hers him his how i if in into is it its just me more most my no
nor not of on once only or our out over own s same she should so some such t than that the their them
then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your ll re ve d m don didn doesn isn wasn aren weren won
""".split())
# Marks of an omission that splices two quotations into one claim: "...", "…", "[...]", "[…]".
SPLICE = re.compile(r"\s*\[?(?:\.\s*\.\s*\.|…)\]?\s*")
_WORD = re.compile(r"[^\W_]+")
_ORDER = {v: i for i, v in enumerate(VERDICTS)}  # a spliced claim's verdict is its weakest part's


class ClaimError(QuotesError):
    """A claim that cannot be checked: no words, or too few."""


@dataclass(frozen=True, slots=True)
class Change:
    """One step of a word-level diff from the claim to the quotation.

    `op` is "equal", "replace" (the claim's `claim` words where the quotation has `quote`), "insert" (words
    of the quotation the claim leaves out) or "delete" (words of the claim the quotation does not have).
    """

    op: str
    claim: str
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "claim": self.claim, "quote": self.quote}


@dataclass(frozen=True, slots=True)
class Match:
    """A quotation that a claim (or one part of a spliced claim) was aligned with.

    `text` is the aligned words as printed (the whole quotation, or the part of it the claim matches);
    `quotation` the whole quotation. `exact` is "whole" or "part" where the claim's words are the
    quotation's (or a contiguous part of it), else None. `first_printed` is the earliest published article
    printing it; `articles` how many print it; `speakers` the canonical speakers its printings name.
    """

    quote_id: str
    speaker: str | None
    text: str
    quotation: str
    similarity: float
    diff: tuple[Change, ...]
    exact: str | None
    first_printed: Occurrence
    articles: int
    paragraph: str | None
    part: int = 0
    speakers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"quote_id": self.quote_id, "speaker": self.speaker, "text": self.text, "quotation": self.quotation,
                "similarity": round(self.similarity, 3), "exact": self.exact, "diff": render_diff(self.diff),
                "changes": [c.to_dict() for c in self.diff if c.op != "equal"],
                "first_printed": self.first_printed.to_dict(), "articles": self.articles,
                "paragraph": self.paragraph, "part": self.part, "speakers": list(self.speakers)}


@dataclass(frozen=True, slots=True)
class Verification:
    """The answer to a claim: its verdict, the quotations that support it and, if none, the closest one."""

    claim: str
    speaker: str | None
    verdict: str
    matches: tuple[Match, ...]
    closest: Match | None = None  # for `not_found`: what came nearest (None in an index with no candidate)
    parts: tuple[str, ...] = ()  # a spliced claim's parts, in order; the claim alone otherwise

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "speaker": self.speaker, "verdict": self.verdict,
                "matches": [m.to_dict() for m in self.matches],
                "closest": self.closest.to_dict() if self.closest else None, "parts": list(self.parts)}


@dataclass(frozen=True, slots=True)
class Alignment:
    """Where a claim's words sit best in a quotation: words [start, end) of it, how similar, the diff."""

    similarity: float
    start: int
    end: int
    diff: tuple[Change, ...]


def verify(claim: str, speaker: str | None = None, *, index_dir: search.PathArg = None) -> Verification:
    """Check claimed wording (optionally credited to `speaker`) against the quotations of the index.

    Raises ClaimError for a claim with fewer than MIN_CLAIM_WORDS words, NoIndexError without an index.
    """
    parts = tuple(p for p in (s.strip(" \"'“”‘’") for s in SPLICE.split(claim)) if p)
    parts = tuple(p for p in parts if len(_words(p)) >= MIN_CLAIM_WORDS) or parts
    if not parts or len(_words(" ".join(parts))) < MIN_CLAIM_WORDS:
        raise ClaimError(f"the claim {claim!r} has fewer than {MIN_CLAIM_WORDS} words: paste the words "
                         "claimed, e.g. `quotes verify \"we are going to win\"`")
    path = resolve_index_dir(index_dir)
    answers = [_verify_part(part, i, speaker, path) for i, part in enumerate(parts)]
    verdict = max((v for v, _, _ in answers), key=_ORDER.__getitem__)
    matches = tuple(m for _, found, _ in answers for m in found)  # a spliced claim: each part found
    closest = None
    if verdict == "not_found":
        nearest = [c for v, _, c in answers if v == "not_found" and c is not None]
        closest = min(nearest, key=lambda m: m.similarity) if nearest else None
    return Verification(claim, speaker, verdict, matches, closest, parts)


def variants(quote_id: str, *, index_dir: search.PathArg = None) -> tuple[Match, ...]:
    """The other wordings of a quotation in the index: quotations of the same speaker that say nearly the
    same (or print a part of it, or it a part of them) with other words, most similar first, with the diff."""
    record = search.get_quote(quote_id, index_dir=index_dir)
    own = text_key(record.quote.text)
    words = _words(record.quote.text)
    if len(words) < MIN_CLAIM_WORDS:
        return ()
    path = resolve_index_dir(index_dir)
    found = []
    for hit in _same_speaker(record, own, words, path):
        other = text_key(hit.quote.text)
        theirs = other.split()
        if other == own or (record.quote.speaker and hit.quote.speaker
                            and speaker_key(record.quote.speaker) != speaker_key(hit.quote.speaker)):
            continue  # the same words, or another person's: neither is another wording of this quotation
        # The two wordings as wholes; or one printed as an exact part of the other, of VARIANT_MIN_WORDS or
        # more ("debate" inside a long quotation is a word, not a printing of it).
        whole = Indel.normalized_similarity(" ".join(words), other)
        if whole >= CLOSE_SIMILARITY:
            found.append((hit, Alignment(whole, 0, len(theirs), _diff(words, theirs))))
        elif min(len(words), len(theirs)) >= VARIANT_MIN_WORDS and (
                _contiguous(theirs, words) is not None or _contiguous(words, theirs) is not None):
            # one printed a part of the other: the same words as far as they go; the diff shows the rest
            found.append((hit, Alignment(1.0, 0, len(theirs), _diff(words, theirs))))
    found.sort(key=lambda pair: -pair[1].similarity)
    return _matches(found, 0, path)


def _same_speaker(record: ArticleQuote, own: str, words: list[str], path: Any) -> list[search.Hit]:
    """The quotations that may be another wording of `record`'s: its speaker's (every one of them, compared in
    one pass by rapidfuzz, from the catalog alone), or for an unattributed one those sharing its words."""
    if not record.quote.speaker:
        return search.search(" OR ".join(_content(words)[:MAX_QUERY_WORDS]), index_dir=path, limit=CANDIDATES)
    with Catalog(path) as catalog:
        ids = {key: quote_id for key, quote_id, _ in catalog.speaker_quotations([speaker_key(record.quote.speaker)
                                                                                 or ""]) if key != own}
        padded = f" {own} "
        near = [key for key, _, _ in process.extract(own, list(ids), scorer=Indel.normalized_similarity,
                                                     score_cutoff=CLOSE_SIMILARITY, limit=None)]
        near += [key for key in ids if len(key.split()) >= VARIANT_MIN_WORDS <= len(words)
                 and (f" {key} " in padded or padded in f" {key} ")]
        near = list(dict.fromkeys(near))[:CANDIDATES]
        records = catalog.get_quotes(ids[key] for key in near)
        printings = catalog.occurrences(near)
    return [search.Hit(r.quote, r.id, r.article_id, r.title, r.publisher, r.published, r.url, 0.0, "",
                       tuple(printings[key])) for key in near if (r := records.get(ids[key]))]


def align(claim_words: list[str], quotation: str) -> Alignment:
    """Where the claim's (normalised) words sit best in `quotation`, and how similar they are there.

    The claim is placed with rapidfuzz's partial alignment, the window snapped to whole words and each end
    moved up to WINDOW_SLACK words to the best similarity; the diff is a word-level Levenshtein of the two.
    """
    tokens = _tokens(quotation)
    words = [w for w, _, _ in tokens]
    if not words or not claim_words:
        return Alignment(0.0, 0, 0, ())
    at = _contiguous(claim_words, words)
    if at is not None:
        n = len(claim_words)
        return Alignment(1.0, at, at + n, (Change("equal", " ".join(claim_words), " ".join(claim_words)),))
    claim_s, quote_s = " ".join(claim_words), " ".join(words)
    if len(claim_s) >= len(quote_s):
        first, last = 0, len(words)
    else:
        placed = fuzz.partial_ratio_alignment(claim_s, quote_s)  # None only below a score_cutoff: none given
        assert placed is not None
        first, last = _word_at(quote_s, placed.dest_start), _word_at(quote_s, max(placed.dest_end - 1, 0)) + 1
    best = (-1.0, first, last)
    for a in range(max(0, first - WINDOW_SLACK), min(len(words), first + WINDOW_SLACK + 1)):
        for b in range(max(a + 1, last - WINDOW_SLACK), min(len(words), last + WINDOW_SLACK) + 1):
            score = Indel.normalized_similarity(claim_s, " ".join(words[a:b]))
            if score > best[0]:
                best = (score, a, b)
    score, a, b = best
    return Alignment(score, a, b, _diff(claim_words, words[a:b]))


def render_diff(diff: tuple[Change, ...]) -> str:
    """The diff as one line: words only the claim has as [-words-], words only the quotation has as {+words+}."""
    out = []
    for c in diff:
        if c.op == "equal":
            out.append(c.claim)
        else:
            out.append((f"[-{c.claim}-]" if c.claim else "") + (f"{{+{c.quote}+}}" if c.quote else ""))
    return " ".join(out)


def printed(quotation: str, alignment: Alignment) -> str:
    """The aligned words of `quotation` as printed (its own case and punctuation)."""
    tokens = _tokens(quotation)
    if not tokens or alignment.end <= alignment.start:
        return ""
    return quotation[tokens[alignment.start][1]:tokens[alignment.end - 1][2]]


# -- one part of a claim ---------------------------------------------------------------------------------


def _verify_part(part: str, index: int, speaker: str | None, path: Any) -> tuple[str, tuple[Match, ...],
                                                                                  Match | None]:
    aligned, scored, keys = score_part(part, speaker, path)
    verdict, chosen = decide(scored, keys, CLOSE_SIMILARITY)
    matches = _matches([aligned[i] for i in chosen], index, path)
    if verdict == "not_found":
        return verdict, (), matches[0] if matches else None
    return verdict, matches, None


@dataclass(frozen=True, slots=True)
class Scored:
    """What a verdict is decided on, per candidate: similarity, exact or not, its printings' speaker keys."""

    similarity: float
    exact: bool
    speakers: frozenset[str]


def score_part(part: str, speaker: str | None, path: Any) -> tuple[list[tuple[search.Hit, Alignment]],
                                                                      list[Scored], set[str] | None]:
    """The candidates of one claim part aligned (most similar first), their Scored, and the speaker keys
    that `speaker` names (None where no speaker is named).

    The quotations holding every content word of the claim are asked for first: a cheap intersection that
    finds exact, shortened and reordered claims; only where none of them decides the verdict are the
    quotations holding any of its longest words asked for too (a claim with words changed, or none).
    """
    words = _words(part)
    content = _content(words)
    with Catalog(path) as catalog:
        keys = {*catalog.speaker_keys(speaker), speaker_key(speaker) or ""} - {""} if speaker is not None else None
    hits: dict[str, search.Hit] = {}
    for query in (" AND ".join(content), " OR ".join(content[:MAX_QUERY_WORDS])):
        hits.update((h.id, h) for h in _candidates(query, speaker, path))
        aligned = sorted(((hit, align(words, hit.quote.text)) for hit in hits.values()),
                         key=lambda pair: -pair[1].similarity)
        scored = _scored(aligned, path)
        if decide(scored, keys, CLOSE_SIMILARITY)[0] in ("exact", "close") or len(content) == 1:
            break
    return aligned, scored, keys


def _scored(aligned: list[tuple[search.Hit, Alignment]], path: Any) -> list[Scored]:
    """Scored for aligned hits: the speakers come from every printing of each (a reprint may name them)."""
    with Catalog(path) as catalog:
        printings = catalog.get_quotes(o.quote_id for hit, _ in aligned for o in hit.occurrences)
    scored = []
    for hit, al in aligned:
        names = {hit.quote.speaker, *(printings[o.quote_id].quote.speaker for o in hit.occurrences
                                      if o.quote_id in printings)}
        scored.append(Scored(al.similarity, al.similarity >= 1.0,
                             frozenset(k for k in map(speaker_key, names) if k)))
    return scored


def decide(scored: list[Scored], speaker_keys: set[str] | None, threshold: float) -> tuple[str, list[int]]:
    """The verdict on candidates most similar first, and which of them to show (for not_found, the closest).

    A candidate at `threshold` or above says the same; where a speaker is named, one of theirs is needed,
    else the verdict is other_speaker. An exact candidate makes the verdict exact and only exact ones shown.
    """
    good = [i for i, s in enumerate(scored) if s.similarity >= threshold]
    if not good:
        return "not_found", [0] if scored else []
    if speaker_keys is not None:
        theirs = [i for i in good if speaker_keys & scored[i].speakers]
        if not theirs:
            return "other_speaker", good[:MAX_MATCHES]
        good = theirs
    if scored[good[0]].exact:  # the words were said: other quotations merely like them are no answer
        return "exact", [i for i in good if scored[i].exact][:MAX_MATCHES]
    return "close", good[:MAX_MATCHES]


def _content(words: list[str]) -> list[str]:
    """The claim's words that say which quotation is meant, longest (rarest) first; all of them if none."""
    content = list(dict.fromkeys(w for w in words if w not in STOP_WORDS and len(w) > 1)) or list(dict.fromkeys(words))
    return sorted(content, key=len, reverse=True)


def _candidates(query: str, speaker: str | None, path: Any) -> list[search.Hit]:
    """The best quotations for `query`, for anyone and then for `speaker`."""
    hits = {h.id: h for h in search.search(query, index_dir=path, limit=CANDIDATES)}
    if speaker is not None:
        hits.update((h.id, h) for h in search.search(query, index_dir=path, limit=CANDIDATES, speaker=speaker))
    return list(hits.values())


def _matches(pairs: list[tuple[search.Hit, Alignment]], part: int, path: Any) -> tuple[Match, ...]:
    """Matches for aligned hits, in their order: first printing, how many print it, every printing's speaker."""
    if not pairs:
        return ()
    with Catalog(path) as catalog:
        printings = catalog.get_quotes(o.quote_id for hit, _ in pairs for o in hit.occurrences)
    result = []
    for hit, al in pairs:
        first = hit.occurrences[0] if hit.occurrences else Occurrence(hit.id, hit.article_id, hit.title,
                                                                      hit.publisher, hit.published, hit.url)
        names = [printings[o.quote_id].quote.speaker for o in hit.occurrences if o.quote_id in printings]
        speakers = tuple(dict.fromkeys(n for n in [hit.quote.speaker, *names] if n))
        exact = None
        if al.similarity >= 1.0:
            exact = "whole" if al.start == 0 and al.end == len(_tokens(hit.quote.text)) else "part"
        shown = search.show(first.quote_id, index_dir=path)
        quote = shown.record.quote
        result.append(Match(first.quote_id, quote.speaker or hit.quote.speaker, printed(hit.quote.text, al),
                            hit.quote.text, al.similarity, al.diff, exact, first, max(1, len(hit.occurrences)),
                            shown.paragraph, part, speakers))
    return tuple(result)


# -- words -----------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [w for w, _, _ in _tokens(text)]


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """The words of `text` as `text_key` normalises them, each with where it stands in `text`."""
    out = []
    for m in _WORD.finditer(text):
        for word in text_key(m.group()).split():
            out.append((word, m.start(), m.end()))
    return out


def _contiguous(needle: list[str], haystack: list[str]) -> int | None:
    """Where `needle` starts as a run of words in `haystack`, or None."""
    joined = " " + " ".join(haystack) + " "
    at = joined.find(" " + " ".join(needle) + " ")
    return None if at < 0 else joined[:at].count(" ")


def _word_at(joined: str, char: int) -> int:
    """The index of the word of the space-joined words `joined` that character `char` is in (or follows)."""
    return joined[:char].count(" ")


def _diff(claim: list[str], quote: list[str]) -> tuple[Change, ...]:
    return tuple(Change(op.tag, " ".join(claim[op.src_start:op.src_end]), " ".join(quote[op.dest_start:op.dest_end]))
                 for op in Levenshtein.opcodes(claim, quote))
