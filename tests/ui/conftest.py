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


@pytest.fixture(autouse=True, scope="session")
def english_locale() -> None:
    """Numbers and dates as the app writes them in English (run.py installs the language at start:
    en_GB where the system's locale is not an English one, as under LANG=C), whatever test ran first."""
    from hmi.ui.i18n import remove_language

    remove_language()


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


@pytest.fixture(autouse=True)
def no_leftover_dialogs() -> Iterator[None]:
    """Dialogs a test left open (a password prompt whose window the test never closed) are closed
    after it, so no later test counts or clicks another test's window."""
    from PySide6.QtWidgets import QApplication, QDialog

    before = set(QApplication.topLevelWidgets()) if QApplication.instance() is not None else set()
    yield
    if QApplication.instance() is None:
        return
    for w in QApplication.topLevelWidgets():
        if w not in before and isinstance(w, QDialog) and w.isVisible():
            w.close()


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every GUI test fails if anything opens a modal dialog: an application-modal dialog (exec(), the
    static QMessageBox/QFileDialog/QInputDialog helpers) would block the e-stop column, and so would a
    window-modal one (open(), WindowModal) on the main window. Dialogs must be non-modal `show()`."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    show = QDialog.show

    def guarded_show(self: QDialog) -> None:
        if self.windowModality() != Qt.WindowModality.NonModal:
            raise AssertionError(
                f"{type(self).__name__} {self.windowTitle()!r} shown {self.windowModality().name}: "
                "it would block the e-stop; dialogs must be non-modal"
            )
        show(self)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a modal dialog (exec()/open()/static helper) would block the e-stop")

    monkeypatch.setattr(QDialog, "show", guarded_show)
    for cls, name in ((QDialog, "exec"), (QDialog, "open"), (QDialog, "exec_")):
        if hasattr(cls, name):
            monkeypatch.setattr(cls, name, refuse)
    statics = {
        QMessageBox: ("critical", "warning", "information", "question", "about"),
        QFileDialog: ("getSaveFileName", "getOpenFileName", "getOpenFileNames", "getExistingDirectory"),
        QInputDialog: ("getText", "getInt", "getDouble", "getItem", "getMultiLineText"),
    }
    for cls, names in statics.items():
        for name in names:
            monkeypatch.setattr(cls, name, staticmethod(refuse))
