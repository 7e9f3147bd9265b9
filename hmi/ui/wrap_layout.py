"""A layout that lays its items out left to right and wraps onto another row when the width runs out,
for filter bars and footers: a 1024 px panel PC (or a language with longer words) gets a second row
instead of widgets squeezed on top of each other.

Plain widgets (a toolbar of buttons) each get their size hint; it also takes groups and stretch:
- keep what belongs together (a label and its combo, a pair of buttons) on one row by adding it as
  one sub-layout;
- a *stretch* item (a count, a status text, a search field) is placed where its minimum width fits
  and then takes the room left in its row;
- with `align_right`, a row without a stretch item ends at the right edge (a footer's buttons).
The layout has a height for each width, so the QVBoxLayout above it gives it the rows it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget, QWidgetItem


@dataclass
class _Entry:
    item: QLayoutItem
    stretch: bool = False  # takes the room left in its row (placed where its minimum fits)
    gap: int = 0  # extra space before the item when it is not the first of its row


class WrapLayout(QLayout):
    """Items in rows, wrapping when the next one does not fit; see the module's docstring."""

    def __init__(
        self, parent: QWidget | None = None, *, spacing: int = 8, row_spacing: int = 6, align_right: bool = False
    ) -> None:
        super().__init__(parent)
        self._entries: list[_Entry] = []
        self._h_spacing = spacing
        self._v_spacing = row_spacing
        self._align_right = align_right
        self._hfw: tuple[int, int] | None = None  # (width, height) of the last heightForWidth

    # -- adding ------------------------------------------------------------------------------------------

    def add_widget(self, widget: QWidget, *, stretch: bool = False, gap: int = 0) -> None:
        """Add `widget`; a `stretch` one takes the room its row has left."""
        self.addChildWidget(widget)
        self._entries.append(_Entry(QWidgetItem(widget), stretch, gap))
        self.invalidate()

    def add_layout(self, layout: QLayout, *, stretch: bool = False, gap: int = 0) -> None:
        """Add a sub-layout as one item: its widgets always stay on one row, side by side."""
        self.addChildLayout(layout)
        self._entries.append(_Entry(layout, stretch, gap))
        self.invalidate()

    def rows(self, width: int) -> list[list[QLayoutItem]]:
        """The items of each row at a layout width of `width` (how the bar wraps; for tests)."""
        m = self.contentsMargins()
        return [[e.item for e, _w in row] for row in self._rows(width - m.left() - m.right())]

    # -- QLayout -----------------------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._entries.append(_Entry(item))
        self.invalidate()

    def count(self) -> int:
        return len(self._entries)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._entries[index].item if 0 <= index < len(self._entries) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        if not 0 <= index < len(self._entries):
            return None
        entry = self._entries.pop(index)
        self.invalidate()
        return entry.item

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if self._hfw is None or self._hfw[0] != width:
            self._hfw = (width, self._arrange(QRect(0, 0, width, 0), apply=False))
        return self._hfw[1]

    def invalidate(self) -> None:
        self._hfw = None
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        """Everything on one row."""
        shown = self._shown()
        width = sum(self._want(e) for e in shown) + sum(self._h_spacing + e.gap for e in shown[1:])
        height = max((e.item.sizeHint().height() for e in shown), default=0)
        return self._with_margins(QSize(width, height))

    def minimumSize(self) -> QSize:
        """The widest single item (every item on a row of its own); the height is one row's: the
        real one comes from heightForWidth."""
        shown = self._shown()
        width = max((self._want(e) for e in shown), default=0)
        height = max((e.item.minimumSize().height() for e in shown), default=0)
        return self._with_margins(QSize(width, height))

    # -- arranging ---------------------------------------------------------------------------------------

    def _shown(self) -> list[_Entry]:
        return [e for e in self._entries if not e.item.isEmpty()]

    @staticmethod
    def _want(entry: _Entry) -> int:
        """The width an item needs to be placed in a row: its minimum for a stretch item, else its
        size hint (never below its minimum: a box's hint leaves out an elided label's minimum)."""
        minimum = entry.item.minimumSize().width()
        return minimum if entry.stretch else max(entry.item.sizeHint().width(), minimum)

    def _with_margins(self, size: QSize) -> QSize:
        m = self.contentsMargins()
        return QSize(size.width() + m.left() + m.right(), size.height() + m.top() + m.bottom())

    def _rows(self, inner: int) -> list[list[tuple[_Entry, int]]]:
        rows: list[list[tuple[_Entry, int]]] = []
        x = 0
        for entry in self._shown():
            want = self._want(entry)
            if rows and x + self._h_spacing + entry.gap + want <= inner:
                x += self._h_spacing + entry.gap + want
                rows[-1].append((entry, want))
            else:
                rows.append([(entry, want)])
                x = want
        return rows

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place the items in `rect` (when `apply`); return the height they take."""
        m = self.contentsMargins()
        inner = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = inner.y()
        rows = self._rows(inner.width())
        for n, row in enumerate(rows):
            height = max(e.item.sizeHint().height() for e, _w in row)
            if apply:
                self._place_row(row, inner, y, height)
            y += height + (self._v_spacing if n < len(rows) - 1 else 0)
        return y - inner.y() + m.top() + m.bottom()

    def _place_row(self, row: list[tuple[_Entry, int]], inner: QRect, y: int, height: int) -> None:
        used = sum(w for _e, w in row) + sum(self._h_spacing + e.gap for e, _w in row[1:])
        stretchers = [e for e, _w in row if e.stretch]
        extra = max(inner.width() - used, 0)
        x = inner.x() + (extra if self._align_right and not stretchers else 0)
        for i, (entry, width) in enumerate(row):
            if i:
                x += self._h_spacing + entry.gap
            if entry.stretch:
                share = extra // len(stretchers)
                if entry is stretchers[-1]:
                    share = extra - share * (len(stretchers) - 1)
                width += share
            item = entry.item
            h = min(max(item.sizeHint().height(), item.minimumSize().height()), height)
            if item.expandingDirections() & Qt.Orientation.Vertical:
                h = height  # e.g. a button under a stretch: on the fields' line
            item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(width, h)))
            x += width
