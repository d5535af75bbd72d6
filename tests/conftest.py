"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import quotes
from quotes.model import Quote


@pytest.fixture(autouse=True)
def own_working_directory(tmp_path_factory, monkeypatch) -> Path:
    """Every test runs in an empty directory of its own, with no QUOTES_INDEX or QUOTES_BACKEND: nothing a
    test reads or writes by default (./index, ./seeds) is the clone's, so an index built by hand there
    changes no result. Each variable is set, then removed, so that whatever the test sets in it (`quotes
    --backend URL` sets QUOTES_BACKEND for the commands of its process) is removed after it."""
    cwd = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(cwd)
    for name in ("QUOTES_INDEX", "QUOTES_BACKEND"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return cwd


@pytest.fixture
def extract_calls(monkeypatch) -> list[str]:
    """Records every call to quotes.extract in this process (the real one still runs)."""
    calls: list[str] = []
    real = quotes.extract

    def counting(text: str) -> list[Quote]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(quotes, "extract", counting)
    return calls


@pytest.fixture
def unlistable(monkeypatch) -> Callable[[str], None]:
    """Makes folders of a name fail to list with Permission denied, as chmod 000 does for anyone but root."""
    names: set[str] = set()
    listdir = Path.iterdir

    def iterdir(self: Path):
        if self.name in names:
            raise PermissionError(13, "Permission denied", str(self))
        return listdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    return names.add
