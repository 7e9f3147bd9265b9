"""A one-line label for informational text (a count, a status, an address) that shortens its text
with "…" to the width it gets instead of pushing buttons out of a narrow window.

`text()` stays the whole text (tests and callers read it as before); only the painting is elided,
and while it is, the tooltip shows the whole text. The label never gets narrower than its text or
`room` pixels, whichever is less, so something readable always remains.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget

DEFAULT_ROOM = 200  # px an elided label keeps at least (when its text is longer)


class ElidedLabel(QLabel):
    """A QLabel that elides its one line of plain text; see the module's docstring."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        name: str = "",
        room: int = DEFAULT_ROOM,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self._room = room
        self._mode = mode
        self._own_tooltip = False  # the tooltip is ours (the whole text), not one a caller set
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setWordWrap(False)
        self.setText(text)

    def full_text(self) -> str:
        """The whole text (what the label says when it has the room)."""
        return self.text()

    def elided(self) -> bool:
        """Whether the label shows less than its whole text now."""
        return self._shown_text() != self.text()

    def setText(self, text: str) -> None:  # type: ignore[override]
        super().setText(text)
        self._fit()

    def setToolTip(self, tip: str) -> None:  # type: ignore[override]
        self._own_tooltip = False
        super().setToolTip(tip)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._sync_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        QFrame.paintEvent(self, event)  # background and border (style sheet), no text
        painter = QPainter(self)
        rect = self.contentsRect().adjusted(self.margin(), self.margin(), -self.margin(), -self.margin())
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(), self.isEnabled(),
                                  self._shown_text(), self.foregroundRole())

    # -- internals -----------------------------------------------------------------------------------------

    def _text_room(self) -> int:
        return self.contentsRect().width() - 2 * self.margin()

    def _shown_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), self._mode, max(self._text_room(), 0))

    def _fit(self) -> None:
        """Keep room for the whole text, or `room` px of it (the layout may give more)."""
        self.ensurePolished()
        frame = self.width() - self._text_room()
        need = self.fontMetrics().horizontalAdvance(self.text()) + frame + 1
        self.setMinimumWidth(min(need, self._room + frame) if self.text() else 0)
        self._sync_tooltip()
        self.update()

    def _sync_tooltip(self) -> None:
        if self.elided():
            if self._own_tooltip or not self.toolTip():
                super().setToolTip(self.text())
                self._own_tooltip = True
        elif self._own_tooltip:
            super().setToolTip("")
            self._own_tooltip = False
