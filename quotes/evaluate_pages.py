"""Measure canonical speakers on saved web pages whose quotations people annotated (the page gold).

The gold is one JSON object (`../shared/webpages/gold.json`, described in the README beside it): for each
saved page, named by its file name relative to the gold file, its `quotes` (text, canonical `speaker`,
`marks`, `unnamed`, `ambiguous`) and `not_speech` (titles, terms, scare quotes). Each page is read as
`quotes index` reads it (quotes.articles, trafilatura) and run through `quotes.extract`. Definitions:

- a predicted quotation *matches* a gold one when at least half the words of the longer of the two are
  words they share in order (case, accents and punctuation aside); each gold entry (speech or not) takes at
  most one prediction, best match first, so a pull quote repeating the body is a prediction of its own;
- *found* = gold quotations of speech matched; *extra* = predictions matching no gold entry at all;
- a named speaker is *right* when every word of the gold name is a word of the predicted speaker and no
  word of another person the page's gold names is ("Judge Neil Ford" for "Neil Ford"; not "Ford" alone,
  not "Neil Ford and Zoe Anderson"); counted over found quotations whose speaker is named and unambiguous,
  and reported over all such gold quotations (a missed quotation's speaker is not right);
- an *unnamed* speaker (the page never names them) is *sensible* when the prediction declines (None) or is
  a description with the gold's head noun ("the spokesperson" for "a spokesperson for the UCEA", not
  "Transport" for "a spokesperson for the Department for Transport") and no person's name;
- *non-speech given a speaker*: gold titles and scare quotes that came out with a speaker.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from quotes.articles import read_file
from quotes.evaluate import ratio
from quotes.model import Quote, QuotesError
from quotes.pipeline import extract

# A prediction and a gold quotation are one when they share at least this share of the longer one's words:
# the PolNeAR scorer's "half of the characters", in words, so a quotation cut at a dash still counts.
MATCH_SHARE = 0.5
# Words that end a description's head ("a spokesperson | for the UCEA", "the man | who said").
_AFTER_HEAD = frozenset("of for at in on to from with by who that which whose and or".split())
_WORD = re.compile(r"\w+")


class PageGoldError(QuotesError):
    """A page gold file that cannot be read."""


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, accents and punctuation dropped: what matching compares."""
    plain = unicodedata.normalize("NFKD", text)
    return _WORD.findall("".join(c for c in plain if not unicodedata.combining(c)).lower())


def is_page_gold(path: str | Path) -> bool:
    """Whether a file is meant as a page gold: one JSON object of pages (objects), not PolNeAR's lines of
    articles (objects with a "text"). `read_page_gold` says what is wrong with one that is malformed."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and bool(data) and "text" not in data and all(
        isinstance(v, dict) for v in data.values())


@dataclass
class PageEvaluation:
    """The figures of one page-gold run, and one record per miss (`errors`)."""

    pages: int = 0
    quotes: int = 0
    found: int = 0
    predicted: int = 0
    extra: int = 0
    named: int = 0  # gold quotations with a named, unambiguous speaker
    named_found: int = 0
    named_right: int = 0
    unnamed: int = 0
    unnamed_found: int = 0
    unnamed_sensible: int = 0
    not_speech: int = 0
    not_speech_unambiguous: int = 0
    not_speech_given_speaker: int = 0
    not_speech_unambiguous_given_speaker: int = 0
    seconds: float = 0.0
    errors: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, Any]:
        return {
            "pages": self.pages, "gold_quotes": self.quotes, "found": self.found,
            "found_share": ratio(self.found, self.quotes), "predicted": self.predicted, "extra": self.extra,
            "named": self.named, "named_right": self.named_right,
            "speaker_right_share": ratio(self.named_right, self.named),
            "speaker_right_of_found": ratio(self.named_right, self.named_found),
            "unnamed": self.unnamed, "unnamed_found": self.unnamed_found,
            "unnamed_sensible": self.unnamed_sensible,
            "not_speech": self.not_speech, "not_speech_given_speaker": self.not_speech_given_speaker,
            "not_speech_unambiguous": self.not_speech_unambiguous,
            "not_speech_unambiguous_given_speaker": self.not_speech_unambiguous_given_speaker,
            "pages_per_s": round(self.pages / self.seconds, 1) if self.seconds else None,
        }


def read_page_gold(path: str | Path) -> dict[str, dict[str, Any]]:
    p = Path(path)
    if not p.is_file():
        raise PageGoldError(f"no gold file at {p}: give gold.json of saved pages or a PolNeAR .jsonl")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PageGoldError(f"{p}: not a page gold ({e}); see ../shared/webpages/README.md for the format") from e
    if not is_page_gold(p):
        raise PageGoldError(f"{p}: not a page gold: it must be one object mapping each page's file name to "
                            '{"quotes": [...], "not_speech": [...]}')
    for page, gold in data.items():
        for key in ("quotes", "not_speech"):
            entries = gold.get(key, [] if key == "not_speech" else None)
            if not isinstance(entries, list):
                raise PageGoldError(f'{p}: page {page}: "{key}" must be a list of {{"text": ...}} objects')
            for n, entry in enumerate(entries, 1):
                if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
                    raise PageGoldError(f'{p}: page {page}: {key} entry {n} needs "text", the quoted words')
    return dict(data)


def _share(a: list[str], b: list[str]) -> float:
    """The share of the longer word list that the two have in common, in order."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    same = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return same / max(len(a), len(b))


def match(gold: list[list[str]], predicted: list[list[str]]) -> dict[int, int]:
    """Gold entry -> the prediction it is one with: each of either side at most once, best match first."""
    pairs = sorted(((_share(g, p), -abs(i - j), i, j) for i, g in enumerate(gold)
                    for j, p in enumerate(predicted)), reverse=True)
    taken_gold: dict[int, int] = {}
    taken_pred: set[int] = set()
    for share, _, i, j in pairs:
        if share < MATCH_SHARE:
            break
        if i not in taken_gold and j not in taken_pred:
            taken_gold[i] = j
            taken_pred.add(j)
    return taken_gold


def speaker_right(predicted: str | None, gold_name: str, others: set[str]) -> bool:
    """Every word of the gold name is in the predicted speaker, and no word of another person's name is."""
    said = set(words(predicted or ""))
    name = words(gold_name)
    return bool(name) and all(w in said for w in name) and not (said - set(name)) & others


def unnamed_sensible(predicted: str | None, description: str, names: set[str]) -> bool:
    """Declined, or a description holding the gold description's head noun, naming no person of the page."""
    if predicted is None:
        return True
    said = set(words(predicted))
    described = words(description)
    cut = next((i for i, w in enumerate(described) if w in _AFTER_HEAD and i), len(described))
    return not said & names and bool(described) and described[cut - 1] in said


def evaluate_pages(path: str | Path, limit: int | None = None) -> PageEvaluation:
    """Read every page of a page gold as `quotes index` would, extract, and compare with the annotations.

    A page that cannot be read is listed in `unreadable` and the run goes on.
    """
    gold_path = Path(path)
    ev = PageEvaluation()
    problems: list[str] = []
    for page, gold in list(read_page_gold(gold_path).items())[:limit]:
        problems.clear()
        articles = list(read_file(gold_path.parent / page, lambda where, why: problems.append(f"{where}: {why}")))
        if not articles:
            ev.unreadable.append("; ".join(problems) or f"{page}: no article")
            continue
        ev.pages += 1
        t0 = time.perf_counter()
        predicted = extract(articles[0].text)
        ev.seconds += time.perf_counter() - t0
        _score_page(ev, page, gold, predicted)
    if not ev.pages:
        raise PageGoldError(f"no page of {gold_path} could be read: " + "; ".join(ev.unreadable[:3]))
    return ev


def _score_page(ev: PageEvaluation, page: str, gold: dict[str, Any], predicted: list[Quote]) -> None:
    speech = [q for q in gold["quotes"] if q["text"].strip()]
    not_speech = [q for q in gold.get("not_speech") or [] if q["text"].strip()]
    entries = speech + not_speech
    pairs = match([words(g["text"]) for g in entries], [words(q.text) for q in predicted])
    names = {w for g in speech if not g.get("unnamed") for w in words(g.get("speaker") or "")}
    ev.predicted += len(predicted)
    matched = set(pairs.values())
    for j, extra in enumerate(predicted):
        if j not in matched:
            ev.extra += 1
            ev.errors.append(_error(page, "extra", None, extra))
    for i, g in enumerate(entries):
        q = predicted[pairs[i]] if i in pairs else None
        if i >= len(speech):
            _score_not_speech(ev, page, g, q)
            continue
        ev.quotes += 1
        ev.found += q is not None
        if g.get("unnamed"):
            ev.unnamed += 1
            ok = q is not None and unnamed_sensible(q.speaker, g.get("speaker") or "", names)
            ev.unnamed_found += q is not None
            ev.unnamed_sensible += ok
            if not ok:
                ev.errors.append(_error(page, "missed" if q is None else "unnamed_given_other", g, q))
            continue
        if g.get("ambiguous") or not g.get("speaker"):
            if q is None:
                ev.errors.append(_error(page, "missed", g, q))
            continue
        ev.named += 1
        ev.named_found += q is not None
        others = names - set(words(g["speaker"]))
        ok = q is not None and speaker_right(q.speaker, g["speaker"], others)
        ev.named_right += ok
        if not ok:
            kind = "missed" if q is None else "no_speaker" if q.speaker is None else "wrong_speaker"
            ev.errors.append(_error(page, kind, g, q))


def _score_not_speech(ev: PageEvaluation, page: str, g: dict[str, Any], q: Quote | None) -> None:
    ev.not_speech += 1
    unambiguous = not g.get("ambiguous")
    ev.not_speech_unambiguous += unambiguous
    if q is not None and q.speaker is not None:
        ev.not_speech_given_speaker += 1
        ev.not_speech_unambiguous_given_speaker += unambiguous
        ev.errors.append(_error(page, "not_speech_given_speaker", g, q))


def _error(page: str, kind: str, g: dict[str, Any] | None, q: Quote | None) -> dict[str, Any]:
    """One line of `--errors`: the page, the gold entry and what was predicted for it."""
    record: dict[str, Any] = {"page": page, "kind": kind}
    if g is not None:
        record.update(gold_text=g["text"], gold_speaker=g.get("speaker"), unnamed=bool(g.get("unnamed")),
                      ambiguous=bool(g.get("ambiguous")), note=g.get("note"))
    if q is not None:
        record.update(text=q.text, speaker=q.speaker, mention=q.speaker_mention, cue=q.cue, rule=q.rule,
                      quote_kind=q.kind, confidence=q.confidence)
    return record


def write_errors(ev: PageEvaluation, path: str | Path) -> None:
    """Write every miss to a file as JSON Lines (`--errors FILE`)."""
    try:
        with Path(path).open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in ev.errors)
    except OSError as e:
        raise PageGoldError(f"cannot write {path} ({e.strerror}); give --errors a file in a folder you can "
                            "write") from e
