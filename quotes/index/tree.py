"""A parsed query as plain records, for a backend that does not run whoosh's matchers (quotes.index.sphinx).

The query language has one reader, whoosh's parser with the rules of quotes.index.whoosh.parsing;
quotes.index.whoosh.language turns what it reads into these nodes, whose words are already analysed as
the index's fields analyse them (stemmed for `text`, lowercased for names). A backend translates the
nodes into its own query; nothing here imports a search engine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    field: str
    word: str  # as indexed: a stem for `text`, the lowercased word for names, the value for an id field


@dataclass(frozen=True, slots=True)
class Phrase:
    field: str
    words: tuple[str, ...]
    slop: int = 1  # 1: next to each other


@dataclass(frozen=True, slots=True)
class Prefix:
    field: str
    prefix: str


@dataclass(frozen=True, slots=True)
class Wildcard:
    field: str
    pattern: str  # `*` any letters, `?` one


@dataclass(frozen=True, slots=True)
class Fuzzy:
    field: str
    word: str
    maxdist: int  # edits
    prefix: int  # first letters kept


@dataclass(frozen=True, slots=True)
class Days:
    """Published on a day of this range (20161015 numbers, ends included; None: open)."""

    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Everything:
    """`*`: every quotation."""


@dataclass(frozen=True, slots=True)
class Nothing:
    """A query that matches nothing (a fuzzy word close to no indexed word)."""


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


@dataclass(frozen=True, slots=True)
class AndMaybe:
    """`a ANDMAYBE b`: what `a` matches, `b` raising the score."""

    required: Node
    optional: Node


Node = Term | Phrase | Prefix | Wildcard | Fuzzy | Days | Everything | Nothing | And | Or | Not | AndMaybe


def leaves(node: Node) -> list[Node]:
    """The words, phrases, patterns and dates of a query, NOT's among them, left to right."""
    if isinstance(node, And | Or):
        return [leaf for item in node.items for leaf in leaves(item)]
    if isinstance(node, Not):
        return leaves(node.item)
    if isinstance(node, AndMaybe):
        return [*leaves(node.required), *leaves(node.optional)]
    return [node]
