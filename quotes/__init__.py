"""quotes: who said what, where and when, over a pile of news articles.

    >>> import quotes
    >>> [(q.speaker, q.text) for q in quotes.extract('"We ship it," Altman said.')]
    [('Altman', 'We ship it,')]
"""

from quotes.model import Article, Quote, QuotesError
from quotes.pipeline import extract

__all__ = ["Article", "Quote", "QuotesError", "extract"]
__version__ = "0.1.0"
