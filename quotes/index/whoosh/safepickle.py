"""An index directory is data, never code: whoosh's pickles are read by an unpickler that builds only the
classes an index of quotes holds.

Whoosh keeps pickles in its files: the table of contents (`_MAIN_N.toc`: the schema and the segment list),
the stored fields of each document, postings inlined in the term file, the job files of its multi-process
writer. `pickle.load` of a crafted file runs any function it names, so searching a colleague's index
directory would run their code. Every reference that whoosh's modules hold to `pickle`, `pickle.load`
or `pickle.loads` is replaced by one whose unpickler finds only the globals in ALLOWED (a schema's field,
format and analyzer classes, a segment's, a column's, the word-pair filter of quotes), and raises
UnpicklingError, reported as a damaged index, for any other. Tables of contents of whoosh's older formats,
read by an unpickler of their own, are refused.

Written against whoosh-reloaded 2.7.5 like quotes/index/whoosh/internals.py (module attributes are
whoosh's private parts); tests/test_index_safety.py plants a pickle in every file and fails when a
reference is missed.
"""

from __future__ import annotations

import io
import pickle
import sys
import types
from importlib import import_module
from typing import IO, Any

# (module, name) of every global an index of quotes unpickles, found by recording a build (one and two
# processes, and one of 100,000 quotations, whose postings whoosh sorts through pickled runs on disk),
# an update and searches of every kind. A schema whoosh writes with other fields or
# analyzers needs its classes added here, with a test that builds it.
ALLOWED = frozenset({
    # data types (protocol 2 names bytes and sets by their class): constructors that run no code
    *((module, name) for module in ("__builtin__", "builtins") for name in (
        "bytes", "bytearray", "str", "int", "long", "float", "complex", "bool", "list", "tuple", "dict", "set",
        "frozenset")),
    ("collections", "defaultdict"), ("_codecs", "encode"),
    ("re", "_compile"),  # a RegexTokenizer's pattern, compiled (at worst a slow pattern, never code)
    ("quotes.index", "_Pairs"), ("quotes.index.whoosh.internals", "PackedCodec"),
    ("whoosh.analysis.analyzers", "CompositeAnalyzer"), ("whoosh.analysis.filters", "LowercaseFilter"),
    ("whoosh.analysis.filters", "StopFilter"), ("whoosh.analysis.morph", "StemFilter"),
    ("whoosh.analysis.tokenizers", "IDTokenizer"), ("whoosh.analysis.tokenizers", "RegexTokenizer"),
    ("whoosh.codec.whoosh3", "W3Codec"), ("whoosh.codec.whoosh3", "W3Segment"),
    ("whoosh.columns", "VarBytesColumn"), ("whoosh.fields", "FieldType"), ("whoosh.fields", "ID"),
    ("whoosh.fields", "NUMERIC"), ("whoosh.fields", "STORED"), ("whoosh.fields", "Schema"),
    ("whoosh.fields", "TEXT"), ("whoosh.formats", "Existence"), ("whoosh.formats", "Frequency"),
    ("whoosh.formats", "Positions"), ("whoosh.lang.porter", "stem"),
})  # fmt: skip
# Whoosh's modules that hold a reference to pickle's reading functions (or to the module), by name.
WHOOSH_MODULES = ("whoosh.compat", "whoosh.index", "whoosh.codec.whoosh3", "whoosh.columns", "whoosh.formats",
                  "whoosh.filedb.structfile", "whoosh.filedb.compound", "whoosh.filedb.filetables",
                  "whoosh.externalsort", "whoosh.util.loading")
# whoosh.multiproc too, but it imports multiprocessing (and socket), which a search does without: the
# writers that use it call restrict() again once they have imported it (internals._writers).


class Unpickler(pickle.Unpickler):
    """pickle's Unpickler, which finds only the globals in ALLOWED."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"the index's files name {module}.{name}, which no index of quotes "
                                         "holds (a crafted or foreign index directory?); not loaded")
        return super().find_class(module, name)


def load(file: IO[bytes], **kwargs: Any) -> Any:
    return Unpickler(file, **kwargs).load()


def loads(data: bytes, /, **kwargs: Any) -> Any:
    return Unpickler(io.BytesIO(data), **kwargs).load()


# `pickle` as whoosh's modules see it: everything the same, but reading
restricted_pickle = types.ModuleType("pickle", "pickle, whose reading builds only an index's classes (quotes)")
restricted_pickle.__dict__.update({k: v for k, v in vars(pickle).items() if not k.startswith("__")})
restricted_pickle.__dict__.update(load=load, loads=loads, Unpickler=Unpickler, _load=load, _loads=loads,
                                  _Unpickler=Unpickler)
# pickle's reading functions and classes (its C ones, and the pure Python ones under _names), by id
_ORIGINALS = {name: getattr(pickle, name) for name in ("load", "loads", "Unpickler", "_load", "_loads", "_Unpickler")}
_REPLACED: dict[int, Any] = {id(pickle): restricted_pickle,
                             **{id(value): getattr(restricted_pickle, name) for name, value in _ORIGINALS.items()}}


def restrict() -> None:
    """Make every whoosh module loaded (WHOOSH_MODULES first) read pickles with the restricted unpickler.
    Call it again after importing another whoosh module that reads pickles."""
    for name in WHOOSH_MODULES:
        import_module(name)
    # the readers of older tables of contents unpickle with a renaming unpickler of their own: an index of
    # quotes is never in an older format, so none is read (whoosh says "Can't read format N")
    setattr(import_module("whoosh.index"), "toc_loaders", {})  # noqa: B010
    for name, module in list(sys.modules.items()):
        if module is not None and (name == "whoosh" or name.startswith("whoosh.")):
            for attr, value in list(vars(module).items()):
                if id(value) in _REPLACED and value is not _REPLACED[id(value)]:
                    setattr(module, attr, _REPLACED[id(value)])


def unrestricted() -> list[str]:
    """`module.name` of each reference a whoosh module still holds to pickle's own reading (a test's check)."""
    originals = {id(pickle), *(id(value) for value in _ORIGINALS.values())}
    return [f"{name}.{attr}" for name, module in list(sys.modules.items())
            if (name == "whoosh" or name.startswith("whoosh.")) and module is not None
            for attr, value in list(vars(module).items()) if id(value) in originals]
