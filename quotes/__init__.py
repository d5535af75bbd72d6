"""quotes: who said what, where and when, over a pile of news articles.

    >>> import quotes
    >>> [(q.speaker, q.text) for q in quotes.extract('"We ship it," Altman said.')]
    [('Altman', 'We ship it')]
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The `quotes` command (and `python -m quotes`): see below, and the cyclic garbage collector in quotes.cli.
_COMMAND = Path(sys.argv[0]).name in {"quotes", "quotes.exe", "-m"} if sys.argv else False
if _COMMAND:
    gc.disable()  # while the command's modules load: quotes.cli.main turns it back on (#10)

from quotes.model import Article, Quote, QuotesError  # noqa: E402

__all__ = ["Article", "Quote", "QuotesError", "extract"]
__version__ = "0.1.0"

# Importing NLTK takes about a fifth of a second. A program that imports the library loads the
# extraction pipeline (and NLTK) here, so that its first `quotes.extract` call is as fast as the rest;
# the `quotes` command (and `python -m quotes`) loads it only when a command splits sentences, so that
# `quotes search` answers in a fraction of a second.

if TYPE_CHECKING or not _COMMAND:
    from quotes.pipeline import extract
else:

    def __getattr__(name: str) -> Any:
        if name == "extract":
            from quotes.pipeline import extract

            globals()["extract"] = extract
            return extract
        raise AttributeError(f"module 'quotes' has no attribute {name!r}")
