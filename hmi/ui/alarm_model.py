"""Item model adapter: the unfinished alarms as a table over the Qt-free AlarmList.

Rows are the list's rows in arrival order; `apply` inserts, removes and changes single rows (never a
model reset), and `AlarmFilterProxy` filters by mill, priority and state and sorts: by importance
(unacknowledged, priority, newest) until the operator sorts by a column. The priority cell tells
views its `LookRole`: "filled", or "outlined" in the off phase of an unacknowledged alarm's blink.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from types import EllipsisType
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont

from hmi.core.alarms import PRIORITY_RANK, Alarm, AlarmKey, AlarmState
from hmi.core.domain import Severity
from hmi.ui.alarm_list import (
    PRIORITY_LABELS,
    AlarmList,
    AlarmTexts,
    AlarmUpdate,
    Flood,
    importance,
)
from hmi.ui.domain_words import capitalised, word
from hmi.ui.i18n import TrMap
from hmi.ui.theme import theme_brush
from hmi.ui.trend_mime import SENSOR_MIME, sensor_mime_data

__all__ = [
    "AlarmColumn",
    "AlarmFilterProxy",
    "AlarmList",
    "AlarmTableModel",
    "AlarmTexts",
    "AlarmUpdate",
    "Flood",
    "StateFilter",
    "importance",
]

Index = QModelIndex | QPersistentModelIndex

_USER = int(Qt.ItemDataRole.UserRole)
KeyRole = _USER + 1  # AlarmKey
AlarmRole = _USER + 2  # the Alarm record
PriorityRole = _USER + 3  # Severity value: "emergency", "critical", ...
LookRole = _USER + 4  # "filled", "outlined" (blink off phase) or "muted" (shelved, suppressed)
SortRole = _USER + 5
ImportanceRole = _USER + 6
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
MUTED_TEXT = QColor("#7d8389")


class AlarmColumn(enum.IntEnum):
    PRIORITY = 0
    RAISED = 1
    MILL = 2
    SOURCE = 3
    CONDITION = 4
    VALUE = 5
    STATE = 6
    MARK = 7
    ACKED_BY = 8
    SHELVED = 9


HEADERS = TrMap("AlarmTableModel", {
    AlarmColumn.PRIORITY: QT_TRANSLATE_NOOP("AlarmTableModel", "Priority"),
    AlarmColumn.RAISED: QT_TRANSLATE_NOOP("AlarmTableModel", "Raised"),
    AlarmColumn.MILL: QT_TRANSLATE_NOOP("AlarmTableModel", "Mill"),
    AlarmColumn.SOURCE: QT_TRANSLATE_NOOP("AlarmTableModel", "Source"),
    AlarmColumn.CONDITION: QT_TRANSLATE_NOOP("AlarmTableModel", "Condition"),
    AlarmColumn.VALUE: QT_TRANSLATE_NOOP("AlarmTableModel", "Value"),
    AlarmColumn.STATE: QT_TRANSLATE_NOOP("AlarmTableModel", "State"),
    AlarmColumn.MARK: QT_TRANSLATE_NOOP("AlarmTableModel", "1st/flood"),
    AlarmColumn.ACKED_BY: QT_TRANSLATE_NOOP("AlarmTableModel", "Acked by"),
    AlarmColumn.SHELVED: QT_TRANSLATE_NOOP("AlarmTableModel", "Shelved"),
})
_LAST = max(AlarmColumn)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_STATE_ORDER = {
    AlarmState.UNACK_ACTIVE: 0,
    AlarmState.UNACK_RTN: 1,
    AlarmState.LATCHED_UNACK: 2,
    AlarmState.ACK_ACTIVE: 3,
    AlarmState.LATCHED_ACK: 4,
    AlarmState.NORMAL: 5,
}


def look_of(alarm: Alarm, blink_on: bool) -> str:
    if alarm.hidden:
        return "muted"
    if alarm.unacked and not blink_on:
        return "outlined"
    return "filled"


class AlarmTableModel(QAbstractTableModel):
    alarmsUpdated = Signal(object)  # list[AlarmUpdate]: what one applied batch changed

    def __init__(self, alarms: AlarmList, texts: AlarmTexts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.alarms = alarms
        self.texts = texts
        self._blink_on = True
        bold = QFont()
        bold.setWeight(QFont.Weight.DemiBold)
        italic = QFont()
        italic.setItalic(True)
        self._bold, self._italic = bold, italic
        self._muted = QBrush(MUTED_TEXT)

    # -- updates -----------------------------------------------------------------------------------

    @Slot(object)
    def apply(self, batch: Iterable[Alarm]) -> list[AlarmUpdate]:
        """Apply records in order (from the bridge, or an action's result) row by row."""
        updates: list[AlarmUpdate] = []
        root = QModelIndex()
        for alarm in batch:
            if not self.alarms.accepts(alarm):
                continue
            row = self.alarms.row_of(alarm.key)
            if row is None and not alarm.finished:
                n = len(self.alarms)
                self.beginInsertRows(root, n, n)
                update = self.alarms.put(alarm)
                self.endInsertRows()
            elif row is not None and alarm.finished:
                self.beginRemoveRows(root, row, row)
                update = self.alarms.put(alarm)
                self.endRemoveRows()
            else:
                update = self.alarms.put(alarm)
                if row is not None:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, _LAST))
            if update is not None:
                updates.append(update)
        if updates:
            self.alarmsUpdated.emit(updates)
        return updates

    def set_blink(self, on: bool) -> None:
        """The blink phase of unacknowledged alarms: repaints their priority cells only."""
        if on == self._blink_on:
            return
        self._blink_on = on
        rows = [r for r, a in enumerate(self.alarms) if a.unacked and not a.hidden]
        if rows:
            col = AlarmColumn.PRIORITY
            self.dataChanged.emit(self.index(min(rows), col), self.index(max(rows), col), [LookRole])

    @Slot()
    def refresh_times(self) -> None:
        """Texts that depend on the day (times shown with a date once it changed)."""
        if len(self.alarms):
            self.dataChanged.emit(
                self.index(0, AlarmColumn.RAISED), self.index(len(self.alarms) - 1, AlarmColumn.RAISED), [_DISPLAY]
            )

    def alarm_at(self, row: int) -> Alarm:
        return self.alarms.at(row)

    # -- QAbstractTableModel -----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.alarms)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AlarmColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(AlarmColumn):
            return None
        if role == _DISPLAY:
            return HEADERS[AlarmColumn(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._alignment(AlarmColumn(section)))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.alarm_at(index.row()).key.source:
            flags |= Qt.ItemFlag.ItemIsDragEnabled  # a sensor's alarm drags its sensor onto a trend
        return flags

    def mimeTypes(self) -> list[str]:
        return [SENSOR_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The sensors of the dragged alarms, for the trend screen (hmi/ui/trend_mime.py)."""
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return sensor_mime_data(eui for eui in (self.alarm_at(r).key.source for r in rows) if eui)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.alarms):
            return None
        alarm = self.alarms.at(index.row())
        col = AlarmColumn(index.column())
        if role == _DISPLAY:
            return self._text(alarm, col)
        if role == KeyRole:
            return alarm.key
        if role == AlarmRole:
            return alarm
        if role == PriorityRole:
            return alarm.priority.value
        if role == LookRole:
            return look_of(alarm, self._blink_on)
        if role == SortRole:
            return self._sort_key(alarm, col)
        if role == ImportanceRole:
            return importance(alarm)
        if role == Qt.ItemDataRole.FontRole:
            if alarm.hidden:
                return self._italic
            if alarm.unacked and col in (AlarmColumn.SOURCE, AlarmColumn.STATE):
                return self._bold
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return theme_brush(MUTED_TEXT.name()) if alarm.hidden else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._alignment(col))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.texts.tooltip(alarm)
        return None

    def _alignment(self, col: AlarmColumn) -> Qt.AlignmentFlag:
        if col is AlarmColumn.VALUE:
            return _RIGHT
        if col is AlarmColumn.PRIORITY:
            return _CENTER
        return _LEFT

    def _text(self, a: Alarm, col: AlarmColumn) -> str:
        t = self.texts
        if col is AlarmColumn.PRIORITY:
            return PRIORITY_LABELS[a.priority]
        if col is AlarmColumn.RAISED:
            return t.time(a.raised_at)
        if col is AlarmColumn.MILL:
            return t.mill_name(a.mill)
        if col is AlarmColumn.SOURCE:
            return t.source_name(a.key)
        if col is AlarmColumn.CONDITION:
            return capitalised(word(a.kind))
        if col is AlarmColumn.VALUE:
            return t.value(a)
        if col is AlarmColumn.STATE:
            return t.state(a)
        if col is AlarmColumn.MARK:
            return t.marks(a)
        if col is AlarmColumn.ACKED_BY:
            return a.acked_by
        return t.hidden(a)

    def _sort_key(self, a: Alarm, col: AlarmColumn) -> tuple[Any, ...]:
        """The column's order, then importance for ties."""
        if col is AlarmColumn.PRIORITY:
            first: Any = -PRIORITY_RANK[a.priority]
        elif col is AlarmColumn.RAISED:
            first = a.raised_at or 0.0
        elif col is AlarmColumn.VALUE:
            first = -math.inf if a.value is None or not math.isfinite(a.value) else a.value
        elif col is AlarmColumn.STATE:
            first = _STATE_ORDER[a.state]
        elif col is AlarmColumn.MARK:
            first = (not a.first_out, -(a.flood_since or 0.0))
        elif col is AlarmColumn.SHELVED:
            first = a.shelved_until if a.shelved_until is not None else math.inf
        else:
            first = self._text(a, col).casefold()
        return (first, importance(a))


class StateFilter(enum.StrEnum):
    ALL_UNFINISHED = "all"
    UNACKNOWLEDGED = "unacked"
    ACTIVE = "active"
    SHELVED = "shelved"
    SUPPRESSED = "suppressed"

    @property
    def label(self) -> str:
        return STATE_FILTER_LABELS[self]

    def accepts(self, a: Alarm) -> bool:
        if self is StateFilter.UNACKNOWLEDGED:
            return a.unacked
        if self is StateFilter.ACTIVE:
            return a.active
        if self is StateFilter.SHELVED:
            return a.shelved
        if self is StateFilter.SUPPRESSED:
            return a.suppressed or a.out_of_service
        return not a.finished


STATE_FILTER_LABELS = TrMap("StateFilter", {
    StateFilter.ALL_UNFINISHED: QT_TRANSLATE_NOOP("StateFilter", "All unfinished"),
    StateFilter.UNACKNOWLEDGED: QT_TRANSLATE_NOOP("StateFilter", "Unacknowledged"),
    StateFilter.ACTIVE: QT_TRANSLATE_NOOP("StateFilter", "Active"),
    StateFilter.SHELVED: QT_TRANSLATE_NOOP("StateFilter", "Shelved"),
    StateFilter.SUPPRESSED: QT_TRANSLATE_NOOP("StateFilter", "Suppressed / out of service"),
})


class PySortProxy(QSortFilterProxyModel):
    """Sorts by the sort role's Python values (tuples included), which Qt cannot compare itself."""

    def lessThan(self, left: Index, right: Index) -> bool:
        role = self.sortRole()
        src = self.sourceModel()
        a, b = src.data(left, role), src.data(right, role)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


class AlarmFilterProxy(QSortFilterProxyModel):
    """Filters by mill, priority and state; sorts by importance until a column is chosen
    (`sort(-1)`, what a clearable header sends, goes back to importance)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mill: str | None = None
        self._priority: Severity | None = None
        self._state = StateFilter.ALL_UNFINISHED
        self._by_importance = True
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)

    @property
    def mill(self) -> str | None:
        return self._mill

    @property
    def priority(self) -> Severity | None:
        return self._priority

    @property
    def state(self) -> StateFilter:
        return self._state

    def set_filter(
        self,
        *,
        mill: str | EllipsisType | None = ...,
        priority: Severity | EllipsisType | None = ...,
        state: StateFilter | None = None,
    ) -> None:
        """Change any of the filters (a `...` argument keeps that filter)."""
        new_mill = self._mill if mill is ... else mill
        new_priority = self._priority if priority is ... else priority
        new_state = self._state if state is None else state
        if (new_mill, new_priority, new_state) == (self._mill, self._priority, self._state):
            return
        self.beginFilterChange()
        self._mill, self._priority, self._state = new_mill, new_priority, new_state  # type: ignore[assignment]
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        src = self.sourceModel()
        if not isinstance(src, AlarmTableModel) or source_parent.isValid():
            return True
        a = src.alarm_at(source_row)
        if self._mill is not None and a.mill != self._mill:
            return False
        if self._priority is not None and a.priority is not self._priority:
            return False
        return self._state.accepts(a)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._by_importance = column < 0
        if self._by_importance:
            self.invalidate()  # same column as before: make the proxy sort again with the new key
            super().sort(0, Qt.SortOrder.AscendingOrder)
        else:
            super().sort(column, order)

    def lessThan(self, left: Index, right: Index) -> bool:
        role = ImportanceRole if self._by_importance else SortRole
        return self.sourceModel().data(left, role) < self.sourceModel().data(right, role)

    def keys(self) -> list[AlarmKey]:
        """The keys of the rows shown, in view order."""
        return [self.data(self.index(r, 0), KeyRole) for r in range(self.rowCount())]

    def alarms(self) -> list[Alarm]:
        return [self.data(self.index(r, 0), AlarmRole) for r in range(self.rowCount())]
