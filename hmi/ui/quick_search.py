"""The quick search (Ctrl+K): a line edit and a list of screens, mills and sensors that match.

A frameless panel raised over the main window's screens and shown with `show()`, never modal: the
banner, the stop column and every other window stay usable while it is open. Typing filters (see
hmi/ui/search_index.py for the matching); Up/Down/PageUp/PageDown choose, Enter or a click opens,
Escape or a click elsewhere closes. Opening a mill selects it on the sensor screen
(`millActivated`), a sensor emits `sensorActivated(eui)` (the workspace opens its faceplate), a screen
`screenActivated(index)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from hmi.core.plant import Plant
from hmi.ui.domain_words import word
from hmi.ui.i18n import TrMap, translate
from hmi.ui.search_index import MILL, SCREEN, SENSOR, SearchEntry, SearchIndex, SearchWords
from hmi.ui.theme import theme_colour

Index = QModelIndex | QPersistentModelIndex
EntryRole = int(Qt.ItemDataRole.UserRole) + 1
PANEL_WIDTH = 680
PANEL_HEIGHT = 460
ROW_HEIGHT = 50
KIND_LABELS = TrMap("QuickSearch", {
    SCREEN: QT_TRANSLATE_NOOP("QuickSearch", "SCREEN"),
    MILL: QT_TRANSLATE_NOOP("QuickSearch", "MILL"),
    SENSOR: QT_TRANSLATE_NOOP("QuickSearch", "SENSOR"),
})
HINT = QT_TRANSLATE_NOOP("QuickSearch", "\u2191\u2193 choose \u00b7 Enter open \u00b7 Esc close")


def search_words() -> SearchWords:
    """What the index shows and finds besides names, in the user's language."""

    def sensors(n: int) -> str:
        if n == 1:
            return translate("QuickSearch", "{n} sensor").format(n=n)
        return translate("QuickSearch", "{n} sensors").format(n=n)

    return SearchWords(screen=translate("QuickSearch", "Screen"), mill=translate("QuickSearch", "Mill"),
                       sensors=sensors, sensor_type=word)


class SearchResults(QAbstractListModel):
    """The ranked entries of the current query."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[SearchEntry] = []

    def set_entries(self, entries: Sequence[SearchEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's signature)
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = int(Qt.ItemDataRole.DisplayRole)) -> object:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        e = self.entries[index.row()]
        if role == int(Qt.ItemDataRole.DisplayRole):
            return e.title
        if role == int(Qt.ItemDataRole.ToolTipRole):
            return e.detail
        if role == EntryRole:
            return e
        return None


class ResultDelegate(QStyledItemDelegate):
    """Two lines per result: the name (bold) with its kind on the right, the details below (muted)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry = index.data(EntryRole)
        if not isinstance(entry, SearchEntry):
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        if selected:
            painter.fillRect(opt.rect, opt.palette.color(QPalette.ColorRole.Highlight))
        r = opt.rect.adjusted(14, 5, -14, -5)
        half = r.height() // 2
        kind_font = QFont(opt.font)
        kind_font.setPointSizeF(max(opt.font.pointSizeF() - 3, 7))
        kind_font.setBold(True)
        painter.setFont(kind_font)
        painter.setPen(theme_colour("text-muted"))
        kind_w = 70
        painter.drawText(QRect(r.right() - kind_w, r.top(), kind_w, half), int(Qt.AlignmentFlag.AlignRight
                         | Qt.AlignmentFlag.AlignVCenter), KIND_LABELS.get(entry.kind, entry.kind.upper()))
        title_font = QFont(opt.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        text = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        painter.setPen(text)
        title_rect = QRect(r.left(), r.top(), r.width() - kind_w - 8, half)
        title = painter.fontMetrics().elidedText(entry.title, Qt.TextElideMode.ElideRight, title_rect.width())
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)
        detail_font = QFont(opt.font)
        detail_font.setPointSizeF(max(opt.font.pointSizeF() - 2, 8))
        painter.setFont(detail_font)
        painter.setPen(text if selected else theme_colour("text-muted"))
        detail_rect = QRect(r.left(), r.top() + half, r.width(), r.height() - half)
        detail = painter.fontMetrics().elidedText(entry.detail, Qt.TextElideMode.ElideRight, detail_rect.width())
        painter.drawText(detail_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), detail)
        painter.restore()


class QuickSearch(QFrame):
    """The panel (see the module docstring). `screens()` gives the screens the user may open now:
    (stack index, title) pairs, asked each time the panel opens."""

    sensorActivated = Signal(str)  # EUI
    millActivated = Signal(str)  # slug
    screenActivated = Signal(int)  # stack index

    def __init__(
        self,
        plant: Plant,
        screens: Callable[[], Sequence[tuple[int, str]]],
        parent: QWidget,
        *,
        anchor: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("quickSearch")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.index = SearchIndex(plant, words=search_words())
        self._screens = screens
        self.anchor = anchor  # the widget the panel is centred over (default: its parent)
        self.visible_mills: set[str] | None = None  # None: every mill

        self.input = QLineEdit(self)
        self.input.setObjectName("quickSearchInput")
        self.input.setPlaceholderText(self.tr("Search mills, sensors (name, EUI, location, type) and screens\u2026"))
        self.input.setClearButtonEnabled(True)
        self.input.setAccessibleName(self.tr("Quick search"))
        self.results = SearchResults(self)
        self.list = QListView(self)
        self.list.setObjectName("quickSearchResults")
        self.list.setModel(self.results)
        self.list.setItemDelegate(ResultDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the line edit
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hint = QLabel(translate("QuickSearch", HINT), self)
        self.hint.setObjectName("quickSearchHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 6)
        layout.setSpacing(6)
        layout.addWidget(self.input)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.resize(PANEL_WIDTH, PANEL_HEIGHT)
        self.hide()

        self.input.textChanged.connect(self._on_text)
        self.input.installEventFilter(self)
        self.list.clicked.connect(self._on_clicked)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    # -- opening and closing -------------------------------------------------------------------------

    @Slot()
    def open(self) -> None:
        """Show the panel over the screens with the previous query selected (type to replace it)."""
        self.index.set_screens(self._screens())
        self._place()
        self._on_text(self.input.text())
        self.show()
        self.raise_()
        self.input.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.input.selectAll()

    @Slot()
    def close_panel(self) -> None:
        self.hide()

    def _place(self) -> None:
        parent = self.parentWidget()
        anchor = self.anchor or parent
        if parent is None or anchor is None:
            return
        top_left = anchor.mapTo(parent, anchor.rect().topLeft()) if anchor is not parent else anchor.rect().topLeft()
        width = min(PANEL_WIDTH, max(anchor.width() - 40, 320))
        height = min(PANEL_HEIGHT, max(anchor.height() - 24, 200))
        self.setGeometry(top_left.x() + (anchor.width() - width) // 2, top_left.y() + 12, width, height)

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A click or Tab elsewhere closes the panel (it never holds the operator)."""
        if self.isVisible() and new is not None and new is not self and not self.isAncestorOf(new):
            self.hide()

    # -- searching -----------------------------------------------------------------------------------

    def set_visible_mills(self, mills: set[str] | None) -> None:
        """Only these mills and their sensors are found (the signed-in user's); None: all."""
        self.visible_mills = None if mills is None else set(mills)
        if self.isVisible():
            self._on_text(self.input.text())

    @Slot(str)
    def _on_text(self, text: str) -> None:
        self.results.set_entries(self.index.search(text, mills=self.visible_mills))
        if self.results.rowCount():
            self.list.setCurrentIndex(self.results.index(0, 0))

    def current_entry(self) -> SearchEntry | None:
        entry = self.list.currentIndex().data(EntryRole)
        return entry if isinstance(entry, SearchEntry) else None

    def _move(self, step: int) -> None:
        rows = self.results.rowCount()
        if rows == 0:
            return
        row = min(max(self.list.currentIndex().row() + step, 0), rows - 1)
        self.list.setCurrentIndex(self.results.index(row, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.input and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            page = max(self.list.viewport().height() // ROW_HEIGHT - 1, 1)
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: page, Qt.Key.Key_PageUp: -page}
            if key in steps:
                self._move(steps[Qt.Key(key)])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.activate(self.current_entry())
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
        return super().eventFilter(watched, event)

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        entry = index.data(EntryRole)
        self.activate(entry if isinstance(entry, SearchEntry) else None)

    def activate(self, entry: SearchEntry | None) -> None:
        """Open what `entry` names and close the panel."""
        if entry is None:
            return
        self.hide()
        if entry.kind == SENSOR:
            self.sensorActivated.emit(str(entry.key))
        elif entry.kind == MILL:
            self.millActivated.emit(str(entry.key))
        elif entry.kind == SCREEN:
            self.screenActivated.emit(int(entry.key))
