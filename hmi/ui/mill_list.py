"""Navigation list of the mills ("All mills" first): name, status, sensor count, and a badge
counting abnormal sensors in the colour of the worst one. Selecting an entry emits its slug."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from hmi.core.domain import Mill, MillStatus
from hmi.ui.i18n import translate
from hmi.ui.sensor_board import MILL_STATUS_LABELS, MillSummary, SensorBoard, SensorState
from hmi.ui.theme import AlarmPalette

Index = QModelIndex | QPersistentModelIndex

_USER = int(Qt.ItemDataRole.UserRole)
SlugRole = _USER + 1  # str, or None for "All mills"
SubtitleRole = _USER + 2
AlarmRole = _USER + 3  # the worst abnormal SensorState value, or "normal"
AlarmCountRole = _USER + 4
ALL_MILLS = QT_TRANSLATE_NOOP("MillListModel", "All mills")  # English: `all_mills()` in the user's language


def all_mills() -> str:
    """"All mills" in the user's language."""
    return translate("MillListModel", ALL_MILLS)


def _sensor_count(n: int) -> str:
    if n == 1:
        return translate("MillListModel", "{n} sensor").format(n=n)
    return translate("MillListModel", "{n} sensors").format(n=n)


class MillListModel(QAbstractListModel):
    def __init__(self, board: SensorBoard, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.board = board
        self._entries: list[Mill | None] = [None, *board.plant.mills]
        self._summaries: list[MillSummary] = []
        self._recount()

    def _recount(self) -> None:
        per_mill = self.board.summaries()  # one pass over the sensors, not one per entry
        total: dict[SensorState, int] = {}
        for s in per_mill.values():
            for state, n in s.counts.items():
                total[state] = total.get(state, 0) + n
        everything = MillSummary(sum(s.sensor_count for s in per_mill.values()), total)
        self._summaries = [everything if m is None else per_mill[m.slug] for m in self._entries]

    @Slot()
    def refresh(self) -> None:
        """Sensor states changed: recount and repaint every entry (a handful of rows)."""
        self._recount()
        self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1))

    def row_of(self, slug: str | None) -> int:
        for i, m in enumerate(self._entries):
            if (m.slug if m is not None else None) == slug:
                return i
        raise KeyError(slug)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = int(Qt.ItemDataRole.DisplayRole)) -> Any:
        if not index.isValid():
            return None
        mill = self._entries[index.row()]
        summary = self._summaries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return all_mills() if mill is None else mill.name
        if role == SlugRole:
            return None if mill is None else mill.slug
        if role == SubtitleRole:
            return self._subtitle(mill, summary)
        if role == AlarmRole:
            worst = summary.worst
            return worst.value if worst.abnormal else SensorState.NORMAL.value
        if role == AlarmCountRole:
            return summary.abnormal_count
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [translate("MillListModel", "{n} {state}").format(n=n, state=s.label.lower())
                     for s, n in sorted(summary.counts.items(), key=lambda kv: -kv[0].rank)]
            return ", ".join(parts)
        return None

    def _subtitle(self, mill: Mill | None, summary: MillSummary) -> str:
        # ISA-101: the status is said only when it is not the normal one ("Active")
        parts = [] if mill is None or mill.status is MillStatus.ACTIVE else [MILL_STATUS_LABELS[mill.status]]
        parts.append(_sensor_count(summary.sensor_count))
        quiet = summary.counts.get(SensorState.STALE, 0) + summary.counts.get(SensorState.NO_DATA, 0)
        if quiet:
            parts.append(translate("MillListModel", "{n} stale").format(n=quiet))
        return " \u00b7 ".join(parts)


class MillItemDelegate(QStyledItemDelegate):
    """Two lines (name, subtitle) and an alarm-count badge; a dark bar marks the selection."""

    PAD = 14

    def __init__(self, palette: AlarmPalette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.palette = palette

    def _fonts(self, base: QFont) -> tuple[QFont, QFont]:
        name = QFont(base)
        name.setPointSizeF(base.pointSizeF() + 1)
        name.setWeight(QFont.Weight.DemiBold)
        sub = QFont(base)
        sub.setPointSizeF(max(base.pointSizeF() - 1.5, 8))
        return name, sub

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        name, sub = self._fonts(option.font)
        h = QFontMetrics(name).height() + QFontMetrics(sub).height() + 2 * self.PAD + 4
        return QSize(200, h)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        r = option.rect
        pal = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.fillRect(r, pal.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base))
        if selected:
            painter.fillRect(QRect(r.left(), r.top(), 5, r.height()), pal.color(QPalette.ColorRole.Dark))
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.drawLine(r.bottomLeft(), r.bottomRight())

        name_font, sub_font = self._fonts(option.font)
        text = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        inner = r.adjusted(self.PAD + 4, self.PAD, -self.PAD, -self.PAD)

        name_h = QFontMetrics(name_font).height()
        count = int(index.data(AlarmCountRole) or 0)
        badge_w = 0
        if count:  # on the name line, so the subtitle below gets the full width
            style = self.palette[SensorState(index.data(AlarmRole))]
            fm = QFontMetrics(name_font)
            label = str(count)
            badge_h = fm.height() + 4
            badge_w = max(fm.horizontalAdvance(label) + 16, badge_h)
            badge = QRect(inner.right() - badge_w + 1, inner.top() + (name_h - badge_h) // 2, badge_w, badge_h)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.background or QColor("#5a5a5a"))
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(style.foreground or QColor("#ffffff"))
            painter.setFont(name_font)
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), label)
            badge_w += 10

        name_rect = QRect(inner.left(), inner.top(), inner.width() - badge_w, name_h)
        painter.setPen(text)
        painter.setFont(name_font)
        name = QFontMetrics(name_font).elidedText(index.data() or "", Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)
        painter.setFont(sub_font)
        muted = QColor(text)
        muted.setAlphaF(0.72)
        painter.setPen(muted)
        # the subtitle runs on to the cell's edge (no badge on its line): room for longer words
        sub_rect = QRect(inner.left(), inner.top() + name_h + 4, r.right() - 4 - inner.left(),
                         inner.height() - name_h - 4)
        sub = QFontMetrics(sub_font).elidedText(
            index.data(SubtitleRole) or "", Qt.TextElideMode.ElideRight, sub_rect.width()
        )
        painter.drawText(sub_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), sub)
        painter.restore()


class MillListView(QListView):
    millSelected = Signal(object)  # slug (str) or None for all mills

    def __init__(self, model: MillListModel, palette: AlarmPalette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("millList")
        self.mills = model
        self.setModel(model)
        self.setItemDelegate(MillItemDelegate(palette, self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.selectionModel().currentChanged.connect(self._on_current_changed)

    def select_mill(self, slug: str | None) -> None:
        index = self.mills.index(self.mills.row_of(slug), 0)
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.millSelected.emit(current.data(SlugRole))
