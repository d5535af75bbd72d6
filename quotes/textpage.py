"""Saved web pages as text: the headline, byline and body of a `.txt` page, without the site's chrome.

    parse_text_article(raw, path) -> Article

A `.txt` file is often a web page saved as text. Its headline, byline and body are found by the shape of
their lines, and the site's chrome (menus, share buttons), photo captions and the author's contact line are
dropped. Reading the file (decoding, reporting) is quotes.articles' job; this module only parses text.
"""

from __future__ import annotations

import re
from pathlib import Path

from quotes.model import Article

# Thresholds for saved web pages, calibrated as a set on the seed page and plain PolNeAR texts; a line is
# a "headline" if it has HEADLINE_WORDS words and no final stop, "chrome" if shorter than CHROME_WORDS
# words with no sentence punctuation at its end.
HEADLINE_WORDS = (2, 25)  # fewest and most words of a headline
CHROME_WORDS = 6  # a body line of fewer words, without a stop or a quotation mark, is navigation
BYLINE_WORDS = 8  # most words in the name part of "By ..."
CONTACT_WORDS = 8  # most words of an author contact line (`Name name@site.com`)

# Bullets that open menu and share-button lines: "• Facebook share button", "▶ More".
_BULLET = re.compile(r"^[•·▪▶►◆■□●○◦‣⁃*+-]\s*")
# Words of site chrome when they make up a short line: share buttons, menus, page furniture.
_CHROME_WORDS = re.compile(
    r"\b(share|share button|tweet|facebook|twitter|kakao|whatsapp|linkedin|email this|print|comments?|"
    r"subscribe|sign (?:up|in)|log ?in|menu|close|settings|font-?size|advertisement|top \d+ stories|"
    r"go top|back to top|read more|related (?:articles|stories)|most (?:read|viewed|popular)|"
    r"copy link|link copied|skip to (?:main )?content)\b",
    re.IGNORECASE,
)
# A photo credit at the end of a caption: "... Tuesday. Korea Times photo by Shim Hyun-chul",
# "... Tuesday. Yonhap", "(AP Photo/Evan Vucci)", "Getty Images", "Photo: Reuters".
_PHOTO_CREDIT = re.compile(
    r"(?:\b(?:photo|photograph|image|picture|file photo)s?\s+(?:by|courtesy of|from)\s+[\w '’-]{2,60}"
    r"|(?:^|[.)]\s+|/)(?:Yonhap|Reuters|AFP|AP|EPA|Xinhua|Newsis|Getty Images|Shutterstock|Bloomberg"
    r"|[\w ]{0,40}\bphoto)"
    r"|^(?:photo|image|picture)(?: credit)?\s*:.*)$",
    re.IGNORECASE,
)
_PHOTO_PAREN = re.compile(r"\((?:[^()]*\b(?:photo|image|file)\b[^()]*|AP|AFP|Reuters|EPA)\)$", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"^(?:https?://|www\.)\S+$")
# "By Nam Hyun-woo", "BY JANE DOE, Reuters", "By Jane Doe and John Roe | Staff writers".
_BYLINE = re.compile(r"^by\s+(?P<name>[^,|•·\n]+?)\s*(?:[,|•·]|\s[-–—]\s|$)", re.IGNORECASE)
_NAME_PARTICLES = {"and", "de", "da", "del", "der", "di", "du", "la", "le", "van", "von", "bin", "al"}
# "© 2025 The Korea Times. All rights reserved." states the publisher; nothing else does.
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?:by\s+)?"
    r"(?P<name>[A-Z][\w&.' -]{1,60}?)\.?(?:\s*All rights reserved\.?)?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.?!:;\"'”’)\]…]$")
_STOP_AT_END = re.compile(r"[.,;:!][\"'”’)]*$")  # a headline has no final stop ("?" is allowed)
_QUOTE_MARKS = re.compile(r"[\"“”‘’«»]")


def parse_text_article(raw: str, path: str | Path) -> Article:
    """An article from a text file: headline, byline and body, without chrome or photo captions.

    The body runs from after the byline (or the headline, without a byline) to the end, one paragraph per
    blank-line separated block, joined by blank lines. A plain text whose first line is a headline keeps
    every other line as its body.
    """
    blocks = _blocks(raw.replace("\r\n", "\n"))
    lines = [line for block in blocks for line in block]
    title_at = _find_title(lines)
    byline_at, author = _find_byline(lines, title_at)
    body_from = max(i for i in (title_at, byline_at, -1) if i is not None) + 1

    paragraphs: list[str] = []
    seen: set[str] = set()
    index = 0
    for block in blocks:
        kept = []
        for line in block:
            if index >= body_from and not _is_chrome(line) and not _is_contact(line):
                kept.append(line)
            index += 1
        paragraph = " ".join(kept)
        if not paragraph or _is_caption(paragraph):
            continue
        if paragraph in seen:  # a caption repeated below its image; drop its first copy too
            if paragraphs and paragraphs[-1] == paragraph:
                paragraphs.pop()
            continue
        seen.add(paragraph)
        paragraphs.append(paragraph)

    publisher = next((m["name"].strip() for line in lines if (m := _COPYRIGHT.match(line))), None)
    paragraphs = [p for p in paragraphs if not _COPYRIGHT.match(p)]
    return Article(
        id=str(path),
        text="\n\n".join(paragraphs),
        title=lines[title_at] if title_at is not None else None,
        author=author,
        publisher=publisher,
        path=str(path),
    )


def _blocks(raw: str) -> list[list[str]]:
    """Blank-line separated blocks of stripped, non-empty lines."""
    blocks: list[list[str]] = [[]]
    for line in raw.split("\n"):
        line = " ".join(line.split())
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _words(line: str) -> int:
    return len(line.split())


def _is_chrome(line: str) -> bool:
    """Site furniture: bullets, share buttons, menus, short lines that are no sentence."""
    if _BULLET.match(line) and (_words(line) < CHROME_WORDS or _CHROME_WORDS.search(line)):
        return True  # menu and share-button lists; a bullet point of several words is content
    if _URL.match(line):
        return True
    short = _words(line) < CHROME_WORDS
    return short and not _SENTENCE_END.search(line) and not _QUOTE_MARKS.search(line)


def _is_contact(line: str) -> bool:
    """An author's contact line, `Nam Hyun-woo namhw@koreatimes.co.kr`, or a bare address."""
    return bool(_EMAIL.search(line)) and _words(line) <= CONTACT_WORDS


def _is_caption(paragraph: str) -> bool:
    """A photo caption: a paragraph ending in a photo credit.

    A paragraph with quotation marks is kept whatever its end: losing a caption costs less than a quote.
    """
    if _QUOTE_MARKS.search(paragraph):
        return False
    return bool(_PHOTO_CREDIT.search(paragraph) or _PHOTO_PAREN.search(paragraph))


def _looks_like_headline(line: str) -> bool:
    low, high = HEADLINE_WORDS
    return (
        low <= _words(line) <= high
        and not _STOP_AT_END.search(line)
        and not _BULLET.match(line)
        and not line.startswith(('"', "“", "‘", "'"))
        and not _CHROME_WORDS.search(line)
        and not _EMAIL.search(line)
        and not _BYLINE.match(line)
        and not _is_caption(line)
    )


def _is_prose(line: str) -> bool:
    """A body paragraph: long, ending like a sentence."""
    return _words(line) > HEADLINE_WORDS[1] or (_words(line) >= 8 and line.endswith((".", "”", '"')))


def _find_title(lines: list[str]) -> int | None:
    """Index of the headline: the first headline-like line before the first paragraph of prose."""
    for i, line in enumerate(lines):
        if _looks_like_headline(line):
            return i
        if _BYLINE.match(line) or (_STOP_AT_END.search(line) and not _is_caption(line)):
            return None  # the body began, or a byline, before any headline
    return None


def _find_byline(lines: list[str], title_at: int | None) -> tuple[int | None, str | None]:
    """Index and name of a "By ..." line above the body (within a few lines after the headline)."""
    start = title_at + 1 if title_at is not None else 0
    for i in range(start, min(len(lines), start + 12)):
        match = _BYLINE.match(lines[i])
        if match and _is_name(match["name"]):
            return i, match["name"]
        if _is_prose(lines[i]) and not _is_caption(lines[i]):
            break
    return None, None


def _is_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= BYLINE_WORDS and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)
