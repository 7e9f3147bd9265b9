"""Fixtures shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hmi.core.plant import Plant
from tests.ui.demo_feed import demo_plant


class FakeWallClock:
    """Epoch seconds that move only when told to."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture(scope="session")
def plant() -> Plant:
    return demo_plant()


@pytest.fixture
def clock() -> FakeWallClock:
    return FakeWallClock()


@pytest.fixture
def themed_app(qapp) -> Iterator[object]:
    """The application with the Millwatch theme, restored afterwards."""
    from hmi.ui.theme import apply_theme

    style_name = qapp.style().name()
    font = qapp.font()
    palette = apply_theme(qapp)
    yield palette
    qapp.setStyleSheet("")
    qapp.setFont(font)
    qapp.setStyle(style_name)
