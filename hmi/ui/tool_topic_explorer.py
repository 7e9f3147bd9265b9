"""MQTT topic explorer (technician tool): live topics as a tree, the payload of the picked topic, and a
click on a JSON leaf to build the sensor's `mqtt://` source URL.

The broker work is `hmi.services.topic_explorer.TopicExplorer` (paho on its own thread); this view
only polls its snapshot twice a second and applies the changed topics to the tree model (rows are
appended, never moved; a sort proxy orders them), so a busy broker never floods the GUI thread.
Starting (guard, keyring) and stopping (network) run on the view's worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from hmi.core.broker import BrokerUrl
from hmi.core.errors import ValidationError
from hmi.services.topic_explorer import (
    DEFAULT_FILTER,
    ExplorerSnapshot,
    Guard,
    JsonLeaf,
    TopicExplorer,
    TopicInfo,
    json_leaves,
    mqtt_source_url,
    parse_payload,
    pretty_payload,
    timestamp_candidates,
)
from hmi.ui.elided_label import ElidedLabel
from hmi.ui.i18n import TrMap, fmt_int, fmt_number, fmt_time, message_text, translate
from hmi.ui.table_model import HeaderedTableModel
from hmi.ui.theme import set_state_property, theme_brush
from hmi.ui.tool_link_diagnostics import PanelScroll
from hmi.ui.worker import Jobs
from hmi.ui.wrap_layout import WrapLayout

Index = QModelIndex | QPersistentModelIndex
REFRESH_MS = 700
INNER_MIN_HEIGHT = 60  # px of the picked topic's fields table and payload, at least
BROKER_ROOM = 320  # px the broker's address gets at most in the toolbar (longer ones elide, tooltip whole)
MUTED = QBrush(QColor("#6b7075"))
TopicRole = int(Qt.ItemDataRole.UserRole) + 1
SortRole = int(Qt.ItemDataRole.UserRole) + 2
# The JSON types of a payload's entries (hmi.services.topic_explorer JsonLeaf.kind).
KIND_TEXT = TrMap("TopicExplorer", {
    "number": QT_TRANSLATE_NOOP("TopicExplorer", "number"),
    "string": QT_TRANSLATE_NOOP("TopicExplorer", "string"),
    "bool": QT_TRANSLATE_NOOP("TopicExplorer", "bool"),
    "null": QT_TRANSLATE_NOOP("TopicExplorer", "null"),
    "object": QT_TRANSLATE_NOOP("TopicExplorer", "object"),
    "array": QT_TRANSLATE_NOOP("TopicExplorer", "array"),
})
# The explorer's connection states (ExplorerSnapshot.state).
STATE_TEXT = TrMap("TopicExplorer", {
    "connected": QT_TRANSLATE_NOOP("TopicExplorer", "Connected"),
    "connecting": QT_TRANSLATE_NOOP("TopicExplorer", "Connecting"),
    "down": QT_TRANSLATE_NOOP("TopicExplorer", "Not connected"),
    "idle": QT_TRANSLATE_NOOP("TopicExplorer", "Idle"),
    "error": QT_TRANSLATE_NOOP("TopicExplorer", "Cannot connect"),
})


def monospace() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def one_line(payload: bytes, limit: int = 80) -> str:
    text = payload[: limit * 2].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the topic tree -----------------------------------------------------------------------------------------


class _Node:
    __slots__ = ("by_name", "children", "info", "name", "parent", "row", "topic", "topics")

    def __init__(self, name: str, parent: _Node | None, row: int, topic: str) -> None:
        self.name = name
        self.parent = parent
        self.row = row
        self.topic = topic  # the full topic of this level
        self.children: list[_Node] = []
        self.by_name: dict[str, _Node] = {}
        self.info: TopicInfo | None = None
        self.topics = 0  # topics with messages at or below this node


class TopicTreeModel(QAbstractItemModel):
    """Topics split on '/' into a tree. Children are appended in arrival order and never move (the
    row of a node is fixed), so updates are inserts and dataChanged only; sort with a proxy."""

    HEADERS = (
        QT_TRANSLATE_NOOP("TopicTreeModel", "Topic"), QT_TRANSLATE_NOOP("TopicTreeModel", "Msgs"),
        QT_TRANSLATE_NOOP("TopicTreeModel", "Rate/s"), QT_TRANSLATE_NOOP("TopicTreeModel", "QoS"),
        QT_TRANSLATE_NOOP("TopicTreeModel", "Retain"), QT_TRANSLATE_NOOP("TopicTreeModel", "Last"),
        QT_TRANSLATE_NOOP("TopicTreeModel", "Payload"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node("", None, 0, "")
        self._by_topic: dict[str, _Node] = {}

    # -- updates --------------------------------------------------------------------------------------
    def clear(self) -> None:
        self.beginResetModel()
        self._root = _Node("", None, 0, "")
        self._by_topic.clear()
        self.endResetModel()

    def apply(self, infos: tuple[TopicInfo, ...] | list[TopicInfo]) -> None:
        """New topics become rows (one insert per existing parent, or one reset when the tree was empty);
        changed values are signalled once for the whole tree, so a busy broker costs a few signals a refresh."""
        if not infos:
            return
        if not self._by_topic:
            self.beginResetModel()
            for info in infos:
                self._attach(info, None)
            self.endResetModel()
            return
        staged: dict[int, tuple[_Node, dict[str, _Node]]] = {}  # existing parent -> its new children
        changed = False
        for info in infos:
            node = self._by_topic.get(info.topic)
            if node is None:
                self._attach(info, staged)
                continue
            old, node.info = node.info, info
            changed = changed or old is None or old.version != info.version or old.rate != info.rate
        for parent, children in staged.values():
            first = len(parent.children)
            self.beginInsertRows(self._index_of_node(parent), first, first + len(children) - 1)
            for i, child in enumerate(children.values()):
                child.row = first + i
                parent.children.append(child)
                parent.by_name[child.name] = child
            self.endInsertRows()
        if changed or staged:
            # One signal over the top level's value columns. A tree view repaints its whole viewport for a
            # multi-cell change anyway, and a signal per topic costs about a millisecond each through the
            # sort proxy: 5000 busy topics would hold the GUI thread for seconds. Branch counts move too.
            top = self._root.children
            self.dataChanged.emit(self.createIndex(0, 1, top[0]), self.createIndex(len(top) - 1, len(self.HEADERS) - 1,
                                                                                    top[-1]))

    def _index_of_node(self, node: _Node) -> QModelIndex:
        return QModelIndex() if node is self._root else self.createIndex(node.row, 0, node)

    def _attach(self, info: TopicInfo, staged: dict[int, tuple[_Node, dict[str, _Node]]] | None) -> None:
        """Create the nodes of a new topic. Children of nodes already in the view are staged (inserted
        later with one signal per parent); deeper new nodes hang directly under their new parents."""
        cur = self._root
        levels = info.topic.split("/")
        for i, level in enumerate(levels):
            nxt = cur.by_name.get(level)
            if nxt is None and staged is not None and id(cur) in staged:
                nxt = staged[id(cur)][1].get(level)
            if nxt is None:
                nxt = _Node(level, cur, len(cur.children), "/".join(levels[: i + 1]))
                if staged is not None and self._visible(cur):
                    staged.setdefault(id(cur), (cur, {}))[1][level] = nxt
                else:
                    cur.children.append(nxt)
                    cur.by_name[level] = nxt
            cur = nxt
        cur.info = info
        self._by_topic[info.topic] = cur
        p: _Node | None = cur
        while p is not None:
            p.topics += 1
            p = p.parent

    def _visible(self, node: _Node) -> bool:
        """Whether the view knows this node (it is the root or reachable through known children)."""
        while node is not self._root:
            parent = node.parent
            if parent is None or parent.by_name.get(node.name) is not node:
                return False
            node = parent
        return True

    def index_of(self, topic: str) -> QModelIndex:
        node = self._by_topic.get(topic)
        return QModelIndex() if node is None else self.createIndex(node.row, 0, node)

    def info(self, topic: str) -> TopicInfo | None:
        node = self._by_topic.get(topic)
        return None if node is None else node.info

    @property
    def topic_count(self) -> int:
        return len(self._by_topic)

    # -- Qt model -------------------------------------------------------------------------------------
    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root  # type: ignore[return-value]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if 0 <= row < len(node.children) and 0 <= column < len(self.HEADERS):
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()  # type: ignore[assignment]
        p = node.parent
        if p is None or p is self._root:
            return QModelIndex()
        return self.createIndex(p.row, 0, p)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate("TopicTreeModel", self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()  # type: ignore[assignment]
        col = index.column()
        info = node.info
        if role == TopicRole:
            return node.topic
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            sort = role == SortRole
            if col == 0:
                return node.name.lower() if sort else (node.name or self.tr("(empty)"))
            if info is None:
                if col == 1:
                    if sort:
                        return node.topics
                    return self.tr("1 topic") if node.topics == 1 else self.tr("{n} topics").format(n=node.topics)
                return None
            if col == 1:
                return info.count
            if col == 2:
                return info.rate if sort else (fmt_number(info.rate, 1) if info.rate else "0")
            if col == 3:
                return info.qos
            if col == 4:
                return info.retained if sort else (self.tr("retained") if info.retained else "")
            if col == 5:
                return info.last_seen if sort else fmt_time(info.last_seen)
            if col == 6:
                return info.size if sort else one_line(info.payload)
        if role == Qt.ItemDataRole.ForegroundRole and ((info is None and col > 0) or col == 6):
            return theme_brush(MUTED.color().name())
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return node.topic
        return None


class TopicSortProxy(QSortFilterProxyModel):
    """Sorts by the model's SortRole and filters on the full topic (parents of matches stay)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setFilterRole(TopicRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(True)


# -- the picked payload's fields ----------------------------------------------------------------------------


class JsonFieldModel(HeaderedTableModel):
    """The entries of one JSON payload (json_leaves), indented by depth; numbers reachable by the source
    contract are the ones a sensor can be bound to."""

    HEADERS = (QT_TRANSLATE_NOOP("JsonFieldModel", "Field"), QT_TRANSLATE_NOOP("JsonFieldModel", "Value"),
               QT_TRANSLATE_NOOP("JsonFieldModel", "Type"))
    HEADERS_CONTEXT = "JsonFieldModel"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._leaves: list[JsonLeaf] = []

    def set_leaves(self, leaves: list[JsonLeaf]) -> None:
        if [(lf.path, lf.kind) for lf in leaves] == [(lf.path, lf.kind) for lf in self._leaves]:
            self._leaves = leaves  # same shape: values only
            if leaves:
                self.dataChanged.emit(self.index(0, 1), self.index(len(leaves) - 1, 1))
            return
        self.beginResetModel()
        self._leaves = leaves
        self.endResetModel()

    def leaf(self, row: int) -> JsonLeaf | None:
        return self._leaves[row] if 0 <= row < len(self._leaves) else None

    def row_of(self, path: str) -> int:
        for i, lf in enumerate(self._leaves):
            if lf.path == path:
                return i
        return -1

    def row_count(self) -> int:
        return len(self._leaves)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        lf = self.leaf(index.row()) if index.isValid() else None
        if lf is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return "    " * max(0, lf.depth - 1) + (lf.key or self.tr("(whole payload)"))
            if col == 1:
                if lf.kind in ("object", "array"):
                    return ""
                return "null" if lf.value is None else str(lf.value).lower() if lf.kind == "bool" else str(lf.value)
            return KIND_TEXT.get(lf.kind, lf.kind)
        if role == Qt.ItemDataRole.ForegroundRole and not lf.bindable and lf.kind not in ("object", "array"):
            return theme_brush(MUTED.color().name())
        if role == Qt.ItemDataRole.FontRole and lf.bindable and col == 0:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            if lf.bindable:
                return self.tr("Bind to {path}").format(path=lf.path) if lf.path else self.tr(
                    "Bind to the payload itself")
            if not lf.reachable:
                return self.tr("Inside a list or under a key with a dot: a source URL cannot reach it")
            return self.tr("Not a number: a sensor reads numbers only")
        return None


# -- the view ----------------------------------------------------------------------------------------------


class TopicExplorerView(QWidget):
    """Browse the broker's live topics; pick a topic and a JSON leaf; `bindRequested(source_url)`."""

    bindRequested = Signal(str)

    def __init__(
        self,
        broker: BrokerUrl | str | None,
        *,
        guard: Guard | None = None,
        password_lookup: Callable[[BrokerUrl], str | None] | None = None,
        explorer_factory: Callable[[str], TopicExplorer] | None = None,
        topic_filter: str = DEFAULT_FILTER,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("topicExplorer")
        self._broker = broker
        self._factory = explorer_factory or self._default_factory
        self._guard = guard
        self._password_lookup = password_lookup
        self.explorer: TopicExplorer | None = None
        self._version = -1
        self._fetching = False
        self._topic = ""  # the picked topic
        self._payload_version = -1
        self._value_path = ""
        self.jobs = Jobs("topic-explorer", self)
        self.model = TopicTreeModel(self)
        self.proxy = TopicSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.fields = JsonFieldModel(self)
        self._build(topic_filter)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._on_refresh)
        self._show_state("idle", self.tr("not connected"))
        self._update_binding()

    def _default_factory(self, topic_filter: str) -> TopicExplorer:
        if self._broker is None:
            raise ValidationError("broker", self.tr("no broker is configured (Configuration > Connections)"))
        return TopicExplorer(self._broker, topic_filter=topic_filter, guard=self._guard,
                             password_lookup=self._password_lookup)

    # -- construction ---------------------------------------------------------------------------------
    def _build(self, topic_filter: str) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        bar = QFrame(self)
        bar.setObjectName("screenToolbar")
        # Two groups (the broker and its state; the subscription and the search) that flow onto two
        # rows when the screen is narrow (1024 px, or Dutch at 1280) instead of overlapping.
        flow = WrapLayout(bar, spacing=16, row_spacing=6)
        flow.setContentsMargins(14, 8, 14, 8)
        broker_label = QLabel(self.tr("Broker"), bar)
        broker_label.setObjectName("toolbarLabel")
        self.broker_text = ElidedLabel(self._broker_display(), bar, name="toolValue", room=BROKER_ROOM)
        self.state_label = QLabel(bar)
        self.state_label.setObjectName("toolState")
        filter_label = QLabel(self.tr("Subscribe to"), bar)
        filter_label.setObjectName("toolbarLabel")
        self.filter_edit = QLineEdit(topic_filter, bar)
        self.filter_edit.setObjectName("toolField")
        self.filter_edit.setMinimumWidth(160)
        self.filter_edit.setToolTip(self.tr("MQTT topic filter: # for everything, mills/# for the plant's topics"))
        self.filter_edit.returnPressed.connect(self._on_connect_clicked)
        self.connect_button = QPushButton(self.tr("Connect"), bar)
        self.connect_button.setObjectName("primaryButton")
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.clear_button = QPushButton(self.tr("Clear"), bar)
        self.clear_button.setObjectName("toolButton")
        self.clear_button.clicked.connect(self._on_clear)
        self.search_edit = QLineEdit(bar)
        self.search_edit.setObjectName("toolField")
        self.search_edit.setPlaceholderText(self.tr("Find topic"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(140)
        self.search_edit.setMaximumWidth(240)
        self.search_edit.textChanged.connect(self._on_search)
        self.count_label = QLabel(bar)
        self.count_label.setObjectName("toolbarCount")
        broker = QHBoxLayout()
        broker.setSpacing(8)
        broker.addWidget(broker_label)
        broker.addWidget(self.broker_text, 1)  # stretch: else the box mis-places an Ignored-policy label
        broker.addWidget(self.state_label)
        flow.add_layout(broker)
        subscribe = QHBoxLayout()
        subscribe.setSpacing(8)
        subscribe.addWidget(filter_label)
        subscribe.addWidget(self.filter_edit, 1)
        subscribe.addWidget(self.connect_button)
        subscribe.addWidget(self.clear_button)
        subscribe.addSpacing(8)
        subscribe.addWidget(self.search_edit)
        flow.add_layout(subscribe, stretch=True)
        root.addWidget(bar)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("toolSplitter")
        split.setChildrenCollapsible(False)
        left = QWidget(split)
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.setSpacing(0)
        self.tree = QTreeView(left)
        self.tree.setObjectName("toolTable")
        self.tree.setModel(self.proxy)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((270, 84, 66, 56, 92, 84)):
            self.tree.setColumnWidth(col, width)
        self.tree.selectionModel().currentRowChanged.connect(self._on_topic_picked)
        left_col.addWidget(self.tree, 1)
        # The counts under the tree, not in the toolbar: with a dropped-topics note they need ~400 px.
        footer = QHBoxLayout()
        footer.setContentsMargins(14, 4, 14, 4)
        footer.addWidget(self.count_label, 1)
        left_col.addLayout(footer)

        side = QFrame()
        side.setObjectName("toolPanel")
        PanelScroll(side, split)
        panel = QVBoxLayout(side)
        panel.setContentsMargins(16, 12, 16, 12)
        panel.setSpacing(8)
        self.topic_title = QLabel(self.tr("Pick a topic"), side)
        self.topic_title.setObjectName("toolTitle")
        self.topic_title.setWordWrap(True)
        self.topic_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.topic_meta = QLabel("", side)
        self.topic_meta.setObjectName("toolHint")
        panel.addWidget(self.topic_title)
        panel.addWidget(self.topic_meta)

        inner = QSplitter(Qt.Orientation.Vertical, side)
        inner.setObjectName("toolSplitter")
        inner.setChildrenCollapsible(False)
        self.field_view = QTableView(inner)
        self.field_view.setObjectName("toolTable")
        self.field_view.setModel(self.fields)
        self.field_view.verticalHeader().hide()
        self.field_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.field_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.field_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.field_view.horizontalHeader().setStretchLastSection(True)
        self.field_view.setColumnWidth(0, 220)
        self.field_view.setColumnWidth(1, 220)
        self.field_view.clicked.connect(self._on_field_clicked)
        self.payload_text = QPlainTextEdit(inner)
        self.payload_text.setObjectName("toolPayload")
        self.payload_text.setReadOnly(True)
        self.payload_text.setFont(monospace())
        self.payload_text.setPlaceholderText(self.tr("Payload of the picked topic"))
        self.field_view.setMinimumHeight(INNER_MIN_HEIGHT)  # low windows: the panel scrolls, these stay usable
        self.payload_text.setMinimumHeight(INNER_MIN_HEIGHT)
        inner.setSizes([260, 180])
        panel.addWidget(inner, 1)

        form = QGridLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        value_label = QLabel(self.tr("Value path"), side)
        value_label.setObjectName("fieldLabel")
        self.path_edit = QLineEdit(side)
        self.path_edit.setObjectName("toolField")
        self.path_edit.setPlaceholderText(self.tr("value  (click a number in the fields above)"))
        self.path_edit.textEdited.connect(self._on_path_edited)
        ts_label = QLabel(self.tr("Timestamp"), side)
        ts_label.setObjectName("fieldLabel")
        self.ts_box = QComboBox(side)
        self.ts_box.setObjectName("toolCombo")
        self.ts_box.activated.connect(lambda _i: self._update_binding())
        url_label = QLabel(self.tr("Source URL"), side)
        url_label.setObjectName("fieldLabel")
        self.url_edit = QLineEdit(side)
        self.url_edit.setObjectName("toolUrl")
        self.url_edit.setReadOnly(True)
        self.url_edit.setFont(monospace())
        self.bind_button = QPushButton(self.tr("Bind to sensor…"), side)
        self.bind_button.setObjectName("primaryButton")
        self.bind_button.clicked.connect(self._on_bind)
        self.bind_hint = QLabel("", side)
        self.bind_hint.setObjectName("toolHint")
        self.bind_hint.setWordWrap(True)
        form.addWidget(value_label, 0, 0)
        form.addWidget(self.path_edit, 0, 1)
        form.addWidget(ts_label, 1, 0)
        form.addWidget(self.ts_box, 1, 1)
        form.addWidget(url_label, 2, 0)
        form.addWidget(self.url_edit, 2, 1)
        form.setColumnStretch(1, 1)
        panel.addLayout(form)
        # The hint over the button, not beside it: beside it, a narrow panel (1024 px) left the hint a
        # column of single words, cut off at the bottom in Dutch.
        panel.addWidget(self.bind_hint)
        bind_row = QHBoxLayout()
        bind_row.addStretch(1)
        bind_row.addWidget(self.bind_button)
        panel.addLayout(bind_row)
        split.setSizes([760, 520])
        root.addWidget(split, 1)

    def _broker_display(self) -> str:
        if self._broker is None:
            return self.tr("not configured")
        return self._broker.display() if isinstance(self._broker, BrokerUrl) else str(self._broker)

    # -- connection -----------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self.explorer is not None

    @Slot()
    def _on_connect_clicked(self) -> None:
        if self.explorer is not None and self.sender() is self.connect_button:
            self.disconnect_broker()
            return
        self.connect_broker(self.filter_edit.text())

    def connect_broker(self, topic_filter: str | None = None) -> None:
        """Connect (or re-subscribe with a new filter); the slow part runs on the worker."""
        f = (topic_filter if topic_filter is not None else self.filter_edit.text()).strip()
        if self.explorer is not None:
            try:
                self.explorer.set_filter(f)
            except ValidationError as exc:
                self._show_state("error", message_text(exc))
                return
            self.model.clear()
            self._version = -1
            self._pick_topic("")
            return
        try:
            explorer = self._factory(f)
        except ValidationError as exc:
            self._show_state("error", message_text(exc))
            return
        self.explorer = explorer
        self.model.clear()
        self._version = -1
        self.connect_button.setText(self.tr("Disconnect"))
        self._show_state("connecting", self.tr("connecting…"))
        self.jobs.run(explorer.start, self._on_started, self._on_start_failed)

    def _on_started(self, _result: object) -> None:
        if self.explorer is not None:
            self._timer.start()
            self._on_refresh()

    def _on_start_failed(self, exc: BaseException) -> None:
        self.explorer = None
        self.connect_button.setText(self.tr("Connect"))
        self._show_state("error", message_text(exc) or type(exc).__name__)

    def disconnect_broker(self) -> None:
        explorer, self.explorer = self.explorer, None
        self._timer.stop()
        self.connect_button.setText(self.tr("Connect"))
        self._show_state("idle", self.tr("disconnected"))
        if explorer is not None:
            self.jobs.run(explorer.stop, lambda _r: None, lambda _e: None)

    def shutdown(self) -> None:
        """Stop the timer, the worker and the explorer's client (its thread is joined)."""
        self._timer.stop()
        explorer, self.explorer = self.explorer, None
        self.jobs.close(timeout=3.0)
        if explorer is not None:
            explorer.stop()

    # -- refresh --------------------------------------------------------------------------------------
    @Slot()
    def _on_refresh(self) -> None:
        """Take the snapshot on the worker (thousands of topics cost milliseconds), apply it here."""
        explorer = self.explorer
        if explorer is None or self._fetching:
            return
        self._fetching = True
        self.jobs.run(explorer.snapshot, self._on_snapshot, self._on_snapshot_failed, self._version)

    def _on_snapshot(self, snap: ExplorerSnapshot) -> None:
        self._fetching = False
        if self.explorer is not None:
            self.apply_snapshot(snap)

    def _on_snapshot_failed(self, exc: BaseException) -> None:
        self._fetching = False
        self._show_state("error", f"{type(exc).__name__}: {message_text(exc)}")

    def apply_snapshot(self, snap: ExplorerSnapshot) -> None:
        if snap.full and self.model.topic_count:
            self.model.clear()
        self.model.apply(snap.topics)
        self._version = snap.version
        self._show_state(snap.state, message_text(snap.detail))
        rate = sum(t.rate for t in snap.topics)
        text = self.tr("{topics} topics · {messages} messages · {rate}/s").format(
            topics=fmt_int(snap.topic_count), messages=fmt_int(snap.messages), rate=fmt_number(rate, 0))
        if snap.dropped:
            text = self.tr("{counts} · {n} not tracked (limit)").format(counts=text, n=fmt_int(snap.dropped))
        self.count_label.setText(text)
        if self._topic:
            info = self.model.info(self._topic)
            if info is not None and info.version != self._payload_version:
                self._show_payload(info)

    def _show_state(self, state: str, detail: str) -> None:
        self.state_label.setText(STATE_TEXT.get(state, state))
        self.state_label.setToolTip(detail)
        link = {"connected": "up", "connecting": "pending", "down": "down", "error": "down"}.get(state, "idle")
        set_state_property(self.state_label, "link", link)
        if state in ("down", "error") and detail and not self._topic:
            self.topic_meta.setText(detail)

    @Slot(str)
    def _on_search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.tree.expandAll()

    @Slot()
    def _on_clear(self) -> None:
        if self.explorer is not None:
            self.explorer.clear()
        self.model.clear()
        self._version = -1
        self._pick_topic("")

    # -- picking --------------------------------------------------------------------------------------
    def select_topic(self, topic: str) -> bool:
        """Select `topic` in the tree (as a click would); False when it is not there."""
        src = self.model.index_of(topic)
        if not src.isValid():
            return False
        idx = self.proxy.mapFromSource(src)
        self.tree.expand(idx.parent())
        p = idx.parent()
        while p.isValid():
            self.tree.expand(p)
            p = p.parent()
        self.tree.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.tree.scrollTo(idx)
        return True

    def select_field(self, path: str) -> bool:
        """Pick a JSON leaf by its dotted path (as a click in the fields table would)."""
        row = self.fields.row_of(path)
        if row < 0:
            return False
        idx = self.fields.index(row, 0)
        self.field_view.setCurrentIndex(idx)
        self._on_field_clicked(idx)
        return True

    @Slot(QModelIndex, QModelIndex)
    def _on_topic_picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        topic = str(current.data(TopicRole) or "") if current.isValid() else ""
        self._pick_topic(topic)

    def _pick_topic(self, topic: str) -> None:
        if topic != self._topic:
            self._value_path = ""
            self.path_edit.clear()
        self._topic = topic
        self._payload_version = -1
        info = self.model.info(topic) if topic else None
        if info is None:
            self.topic_title.setText(topic or self.tr("Pick a topic"))
            self.topic_meta.setText(self.tr("No message on this level: pick a topic below it") if topic else "")
            self.fields.set_leaves([])
            self.payload_text.clear()
            self._fill_ts([])
            self._update_binding()
            return
        self._show_payload(info)

    def _show_payload(self, info: TopicInfo) -> None:
        self._payload_version = info.version
        self.topic_title.setText(info.topic)
        flags = [f"QoS {info.qos}", self.tr("retained") if info.retained else self.tr("live"),
                 self.tr("{n} bytes").format(n=fmt_int(info.size)),
                 self.tr("1 message") if info.count == 1 else self.tr("{n} messages").format(n=fmt_int(info.count)),
                 f"{fmt_number(info.rate, 1)}/s", self.tr("last {time}").format(time=fmt_time(info.last_seen))]
        if info.truncated:
            flags.append(self.tr("showing the first {n} bytes").format(n=fmt_int(len(info.payload))))
        self.topic_meta.setText(" · ".join(flags))
        text = pretty_payload(info.payload, info.truncated)
        if text != self.payload_text.toPlainText():
            self.payload_text.setPlainText(text)
        leaves: list[JsonLeaf] = []
        if not info.truncated:
            try:
                leaves = json_leaves(parse_payload(info.payload))
            except ValueError:
                leaves = []
        # The document itself is a row only when it is a bare number (then it is what a sensor reads).
        leaves = [lf for lf in leaves if lf.path or lf.kind not in ("object", "array")]
        self.fields.set_leaves(leaves)
        self._fill_ts(leaves)
        if not self._value_path and leaves:
            # The contract's default ("value"), or the payload itself when it is a bare number.
            row = self.fields.row_of("value")
            if row >= 0 and leaves[row].bindable:
                self._value_path = "value"
                self.path_edit.setText("value")
        row = self.fields.row_of(self._value_path)
        if row >= 0 and leaves[row].bindable:
            self.field_view.selectRow(row)
        self._update_binding()

    def _fill_ts(self, leaves: list[JsonLeaf]) -> None:
        current = self.ts_box.currentData()
        self.ts_box.clear()
        self.ts_box.addItem(self.tr("ts (default)"), "ts")
        for path in timestamp_candidates(leaves):
            if path != "ts" and path != self._value_path:
                self.ts_box.addItem(path, path)
        self.ts_box.addItem(self.tr("arrival time"), "")
        i = self.ts_box.findData(current) if current is not None else 0
        self.ts_box.setCurrentIndex(max(0, i))

    @Slot(QModelIndex)
    def _on_field_clicked(self, index: QModelIndex) -> None:
        lf = self.fields.leaf(index.row())
        if lf is None:
            return
        if not lf.bindable:
            self.bind_hint.setText(
                self.tr("This field is not a number a sensor can read.") if lf.reachable
                else self.tr("A source URL reaches object keys only (no list items, no dots in keys).")
            )
            set_state_property(self.bind_hint, "level", "error")
            return
        self._value_path = lf.path
        self.path_edit.setText(lf.path or "value")
        self._update_binding()

    @Slot(str)
    def _on_path_edited(self, text: str) -> None:
        self._value_path = text.strip()
        self._update_binding()

    @property
    def source_url(self) -> str:
        return self.url_edit.text()

    def _update_binding(self) -> None:
        ts = self.ts_box.currentData()
        url, why = "", ""
        if not self._topic or self.model.info(self._topic) is None:
            why = self.tr("Pick a topic, then the number to read in its payload.")
        else:
            try:
                url = mqtt_source_url(self._topic, self._value_path or "value", "ts" if ts is None else str(ts))
            except ValidationError as exc:
                why = message_text(exc)
        self.url_edit.setText(url)
        self.url_edit.setCursorPosition(0)
        self.url_edit.setToolTip(url)
        self.bind_button.setEnabled(bool(url))
        self.bind_hint.setText(why or self.tr("Opens the sensor editor with this source."))
        set_state_property(self.bind_hint, "level", "error" if why and self._topic else "")

    @Slot()
    def _on_bind(self) -> None:
        if self.url_edit.text():
            self.bindRequested.emit(self.url_edit.text())
