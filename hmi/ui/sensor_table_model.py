"""Item model adapter: the plant's sensors as a table over a Qt-free SensorBoard.

Rows are in plant order and never move; `update` emits dataChanged for the live columns of the
changed rows only (grouped into contiguous runs), never a model reset. Colour comes from the
stylesheet's alarm palette through the standard roles; `AlarmRole` gives the state name to views
and delegates that want to draw it their own way. `SparkRole` hands the sparkline delegate the
sensor's Sparkline (its last hour); `SensorFilterProxy` filters by mill, type and state.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
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
from PySide6.QtGui import QFont

from hmi.core.domain import Reading, Sensor, SensorType
from hmi.ui.i18n import TrMap, fmt_datetime
from hmi.ui.sensor_board import (
    FILTER_OF_STATE,
    QUALITY_LABELS,
    TYPE_LABELS,
    SensorBoard,
    SensorRow,
    SensorState,
    StateFilter,
    age_text,
    number_text,
    value_text,
)
from hmi.ui.theme import AlarmPalette, StateStyle
from hmi.ui.trend_mime import SENSOR_MIME, sensor_mime_data

Index = QModelIndex | QPersistentModelIndex

_USER = int(Qt.ItemDataRole.UserRole)
AlarmRole = _USER + 1  # str: SensorState value ("normal", "warning", "critical", "bad", "stale", "nodata")
SortRole = _USER + 2  # a key that sorts numerically / by urgency
EuiRole = _USER + 3
MillSlugRole = _USER + 4
NumberRole = _USER + 5  # the value without unit (value column)
UnitRole = _USER + 6
SparkRole = _USER + 7  # the row's Sparkline (trend column)
TypeRole = _USER + 8  # SensorType value ("temperature", ...)
StateFilterRole = _USER + 9  # StateFilter value ("normal", "alarm", "bad", "stale", "disabled")


class Column(enum.IntEnum):
    MILL = 0
    SENSOR = 1
    TYPE = 2
    LOCATION = 3
    VALUE = 4
    TREND = 5
    QUALITY = 6
    AGE = 7
    STATE = 8


HEADERS = TrMap("SensorTableModel", {
    Column.MILL: QT_TRANSLATE_NOOP("SensorTableModel", "Mill"),
    Column.SENSOR: QT_TRANSLATE_NOOP("SensorTableModel", "Sensor"),
    Column.TYPE: QT_TRANSLATE_NOOP("SensorTableModel", "Type"),
    Column.LOCATION: QT_TRANSLATE_NOOP("SensorTableModel", "Location"),
    Column.VALUE: QT_TRANSLATE_NOOP("SensorTableModel", "Value"),
    Column.TREND: QT_TRANSLATE_NOOP("SensorTableModel", "Last hour"),
    Column.QUALITY: QT_TRANSLATE_NOOP("SensorTableModel", "Quality"),
    Column.AGE: QT_TRANSLATE_NOOP("SensorTableModel", "Age"),
    Column.STATE: QT_TRANSLATE_NOOP("SensorTableModel", "State"),
})
# The limits named in the State column's tooltip (Thresholds.as_dict keys).
LIMIT_NAMES = TrMap("SensorTableModel", {
    "warning_min": QT_TRANSLATE_NOOP("SensorTableModel", "warning min"),
    "warning_max": QT_TRANSLATE_NOOP("SensorTableModel", "warning max"),
    "critical_min": QT_TRANSLATE_NOOP("SensorTableModel", "critical min"),
    "critical_max": QT_TRANSLATE_NOOP("SensorTableModel", "critical max"),
})
LIVE_FIRST, LIVE_LAST = Column.VALUE, Column.STATE  # the columns a new reading changes
# Cells filled with the alarm colour when abnormal; the rest of the row stays neutral (ISA-101).
ALARM_CELLS = frozenset({Column.VALUE, Column.STATE})
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ROLES_LIVE = [
    _DISPLAY,
    int(Qt.ItemDataRole.ForegroundRole),
    int(Qt.ItemDataRole.BackgroundRole),
    int(Qt.ItemDataRole.FontRole),
    int(Qt.ItemDataRole.ToolTipRole),
    AlarmRole,
    SortRole,
    NumberRole,
    StateFilterRole,
]


def _runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as contiguous (first, last) runs."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


class SensorTableModel(QAbstractTableModel):
    statesChanged = Signal()  # some sensor changed display state: summaries need a refresh

    def __init__(self, board: SensorBoard, palette: AlarmPalette | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.board = board
        self.palette = palette or AlarmPalette.load()
        self._fonts: dict[tuple[bool, bool], QFont] = {}

    # -- updates ---------------------------------------------------------------------------------

    @Slot(object)
    def update(self, changed: Mapping[str, Reading]) -> None:
        rows, states_changed = self.board.apply(changed)
        for first, last in _runs(rows):
            self.dataChanged.emit(self.index(first, LIVE_FIRST), self.index(last, LIVE_LAST), _ROLES_LIVE)
        if states_changed:
            self.statesChanged.emit()

    def set_sensor(self, sensor: Sensor) -> None:
        """A sensor edited at a console: its row repaints with the new limits and state."""
        found = self.board.set_sensor(sensor)
        if found is None:
            return
        row, state_changed = found
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        if state_changed:
            self.statesChanged.emit()

    def seed_history(self, histories: Mapping[str, tuple[Sequence[float], Sequence[float]]]) -> None:
        """Stored last-hour series per EUI into the sparklines (see SensorBoard.seed_history)."""
        rows = sorted(i for eui, (ts, v) in histories.items() if (i := self.board.seed_history(eui, ts, v)) is not None)
        for first, last in _runs(rows):
            self.dataChanged.emit(self.index(first, Column.TREND), self.index(last, Column.TREND))

    @Slot()
    def refresh_ages(self) -> None:
        """Once a second: the Age column moves, and states that depend on time (stale) may change."""
        n = len(self.board)
        if not n:
            return
        changed = self.board.refresh()
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, LIVE_FIRST), self.index(last, LIVE_LAST), _ROLES_LIVE)
        self.dataChanged.emit(self.index(0, Column.AGE), self.index(n - 1, Column.AGE), [_DISPLAY, SortRole])
        if changed:
            self.statesChanged.emit()

    def row_of(self, eui: str) -> int | None:
        return self.board.row_of(eui)

    # -- QAbstractTableModel ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.board)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == _DISPLAY:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if section in (Column.VALUE, Column.AGE) else _LEFT)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Draggable: a sensor dropped on the trend screen becomes a pen (hmi/ui/trend_mime.py).
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [SENSOR_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return sensor_mime_data(str(self.index(r, 0).data(EuiRole)) for r in rows)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self.board.rows[index.row()]
        col = Column(index.column())
        if role == _DISPLAY:
            return self._text(row, col)
        if role == AlarmRole:
            return row.state.value
        if role == Qt.ItemDataRole.ForegroundRole:
            style = self._style(row, col)
            return None if style is None else style.foreground_brush
        if role == Qt.ItemDataRole.BackgroundRole:
            style = self._style(row, col)
            return None if style is None else style.background_brush
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col in (Column.VALUE, Column.AGE) else _LEFT)
        if role == SortRole:
            return self._sort_key(row, col)
        if role == NumberRole:
            return number_text(row.sensor, row.value)
        if role == UnitRole:
            return row.sensor.display_unit
        if role == EuiRole:
            return row.eui
        if role == MillSlugRole:
            return row.mill.slug
        if role == SparkRole:
            return row.spark
        if role == TypeRole:
            return row.sensor.type.value
        if role == StateFilterRole:
            return FILTER_OF_STATE[row.state].value
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        return None

    # -- cell contents ---------------------------------------------------------------------------

    def _text(self, row: SensorRow, col: Column) -> str:
        if col is Column.MILL:
            return row.mill.name
        if col is Column.SENSOR:
            return row.sensor.name
        if col is Column.TYPE:
            return TYPE_LABELS[row.sensor.type]
        if col is Column.LOCATION:
            return row.sensor.location
        if col is Column.VALUE:
            return value_text(row.sensor, row.value)
        if col is Column.TREND:
            return ""
        if col is Column.QUALITY:
            return "" if row.reading is None else QUALITY_LABELS[row.reading.quality]
        if col is Column.AGE:
            return age_text(row.age(self.board.now()))
        return row.state_text

    def _style(self, row: SensorRow, col: Column) -> StateStyle | None:
        if row.state.abnormal:
            return self.palette[row.state] if col in ALARM_CELLS else None
        if row.state is SensorState.NORMAL:
            return self.palette[row.state] if col is Column.STATE else None
        style = self.palette[row.state]  # stale / no data / disabled: the whole row recedes
        if row.state is SensorState.DISABLED and style.foreground is None:
            return self.palette[SensorState.NO_DATA]  # until the stylesheet says how disabled looks
        return style

    def _font(self, row: SensorRow, col: Column) -> QFont | None:
        style = self._style(row, col)
        italic = bool(style and style.italic)
        bold = col is Column.VALUE or bool(style and style.bold)
        if not (italic or bold):
            return None
        font = self._fonts.get((italic, bold))
        if font is None:
            font = QFont()  # only the attributes set here override the view's font
            if italic:
                font.setItalic(True)
            if bold:
                font.setWeight(QFont.Weight.DemiBold)
            self._fonts[(italic, bold)] = font
        return font

    def _sort_key(self, row: SensorRow, col: Column) -> Any:
        if col is Column.VALUE:
            v = row.value
            return -math.inf if v is None or not math.isfinite(v) else v
        if col is Column.AGE:
            age = row.age(self.board.now())
            return math.inf if age is None else age
        if col is Column.STATE:
            return row.state.rank
        if col is Column.TREND:
            return 0
        return self._text(row, col).casefold()

    def _tooltip(self, row: SensorRow, col: Column) -> str | None:
        if col is Column.STATE:
            limits = ", ".join(f"{LIMIT_NAMES.get(k, k)} {number_text(row.sensor, v)}"
                               for k, v in row.sensor.thresholds.as_dict().items())
            return self.tr("{state}; limits: {limits}").format(state=row.state.label,
                                                                limits=limits or self.tr("none"))
        if col in (Column.VALUE, Column.AGE) and row.reading is not None:
            return self.tr("{eui} at {time}").format(eui=row.sensor.eui, time=fmt_datetime(row.reading.ts))
        if col is Column.SENSOR:
            return f"EUI {row.sensor.eui}\n{row.sensor.effective_source()}"  # machine words: EUI and source URL
        if col is Column.TREND:
            span = row.spark.value_range(self.board.now())
            if span is None:
                return self.tr("Last hour: no usable readings yet")
            return self.tr("Last hour: {low} \u2026 {high}").format(low=value_text(row.sensor, span[0]),
                                                                    high=value_text(row.sensor, span[1]))
        return None


class SensorFilterProxy(QSortFilterProxyModel):
    """Sorts by SortRole and shows the sensors of one mill (all when None), of some types (all when
    None) and in some filter states (all when None)."""

    filtersChanged = Signal()  # mill, types or states changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mill: str | None = None
        self._types: frozenset[str] | None = None
        self._states: frozenset[str] | None = None
        self.setSortRole(SortRole)
        # Re-filter on a source change only when a row's filter state may have moved: the once-a-second
        # Age update (DisplayRole, SortRole) then costs no pass over every row.
        self.setFilterRole(StateFilterRole)
        self.setDynamicSortFilter(True)

    @property
    def mill(self) -> str | None:
        return self._mill

    @property
    def types(self) -> frozenset[SensorType] | None:
        return None if self._types is None else frozenset(SensorType(t) for t in self._types)

    @property
    def states(self) -> frozenset[StateFilter] | None:
        return None if self._states is None else frozenset(StateFilter(s) for s in self._states)

    def set_mill(self, slug: str | None) -> None:
        if slug == self._mill:
            return
        self.beginFilterChange()
        self._mill = slug
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filtersChanged.emit()

    def set_types(self, types: Iterable[SensorType | str] | None) -> None:
        """Show only these sensor types; None shows every type."""
        value = None if types is None else frozenset(SensorType(t).value for t in types)
        self._set("_types", value)

    def set_states(self, states: Iterable[StateFilter | str] | None) -> None:
        """Show only sensors in these filter states; None shows every state."""
        value = None if states is None else frozenset(StateFilter(s).value for s in states)
        self._set("_states", value)

    def _set(self, name: str, value: frozenset[str] | None) -> None:
        if getattr(self, name) == value:
            return
        self.beginFilterChange()
        setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filtersChanged.emit()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        src = self.sourceModel()
        if isinstance(src, SensorTableModel):  # the rows themselves: no three data() calls per row
            row = src.board.rows[source_row]
            return ((self._mill is None or row.mill.slug == self._mill)
                    and (self._types is None or row.sensor.type.value in self._types)
                    and (self._states is None or FILTER_OF_STATE[row.state].value in self._states))
        index = src.index(source_row, 0, source_parent)
        if self._mill is not None and src.data(index, MillSlugRole) != self._mill:
            return False
        if self._types is not None and src.data(index, TypeRole) not in self._types:
            return False
        return self._states is None or src.data(index, StateFilterRole) in self._states
