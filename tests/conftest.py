"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest

import quotes
from quotes.model import Quote


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
