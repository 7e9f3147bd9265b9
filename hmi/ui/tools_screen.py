"""Technician tools for commissioning on a laptop: the MQTT topic explorer, the Modbus register scanner
and the link diagnostics panel, as tabs of one screen.

The main window adds this screen to its stack for technicians and admins; that is presentation only:
the tools' services call `guard` (a permission check, see the integration notes) before they touch the
broker or a device. Both pickers emit `bindRequested(source_url)`, forwarded here, for the sensor
editor to open with that source. `shutdown()` stops every thread and client the tools started.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from hmi.core.broker import BrokerUrl
from hmi.services.register_scanner import DeviceAddress
from hmi.services.topic_explorer import DEFAULT_FILTER, Guard
from hmi.ui.theme import bind_stylesheet
from hmi.ui.tool_link_diagnostics import LinkDiagnosticsView, Snapshot
from hmi.ui.tool_register_scanner import RegisterScannerView
from hmi.ui.tool_topic_explorer import TopicExplorerView

# The tools' look, scoped to #toolsScreen. These rules belong in resources/styles/light.qss (the one
# stylesheet); kept here, like TREND_QSS, until that file takes them.
TOOLS_QSS = """
QWidget#toolsScreen { background-color: #e3e3e3; color: #1f2327; }
QTabWidget#toolsTabs::pane { border: none; border-top: 1px solid #b4b4b4; }
QTabWidget#toolsTabs QTabBar::tab {
    background: transparent; color: #4f555b; font-size: 12pt; font-weight: bold;
    padding: 10px 24px; border: none; border-bottom: 4px solid transparent;
}
QTabWidget#toolsTabs QTabBar::tab:hover { color: #1f2327; background-color: #ebebeb; }
QTabWidget#toolsTabs QTabBar::tab:selected { color: #15181b; background-color: #f0f0f0; border-bottom-color: #353a40; }
QLabel#toolValue { font-size: 11pt; color: #1f2327; }
QLabel#toolState {
    font-size: 10pt; font-weight: bold; color: #3a3f45; background-color: #e9eaeb;
    border: 1px solid #9ea3a8; border-radius: 3px; padding: 3px 10px;
}
QLabel#toolState[link="pending"] { background-color: #f2b200; border-color: #f2b200; color: #1a1a1a; }
QLabel#toolState[link="down"] { background-color: #c81e1e; border-color: #c81e1e; color: #ffffff; }
QLineEdit#toolField, QLineEdit#toolUrl {
    background-color: #f7f7f7; color: #1f2327; border: 1px solid #9ea3a8; border-radius: 3px;
    padding: 4px 8px; font-size: 11pt; min-height: 24px; selection-background-color: #c5ccd4;
    selection-color: #101316;
}
QLineEdit#toolUrl { background-color: #ffffff; }
QLineEdit#toolField:focus { border: 2px solid #353a40; padding: 3px 7px; }
/* font and height only: the native (Fusion) frame and arrows stay */
QSpinBox#toolSpin, QDoubleSpinBox#toolSpin, QComboBox#toolCombo { font-size: 11pt; min-height: 28px; }
QPushButton#primaryButton, QPushButton#toolButton {
    font-size: 11pt; padding: 6px 18px; min-height: 24px; border-radius: 3px;
}
QPushButton#primaryButton { background-color: #353a40; color: #ffffff; border: 1px solid #23272b; font-weight: bold; }
QPushButton#primaryButton:hover { background-color: #454b52; }
QPushButton#primaryButton:disabled { background-color: #c8cacc; color: #eef0f1; border-color: #b8babc; }
QPushButton#toolButton { background-color: #e9eaeb; color: #1f2327; border: 1px solid #9ea3a8; }
QPushButton#toolButton:hover { background-color: #f4f4f5; }
QTreeView#toolTable, QTableView#toolTable {
    background-color: #f0f0f0; color: #1f2327; border: none; font-size: 11pt; outline: 0;
    gridline-color: #d2d2d2; selection-background-color: #c5ccd4; selection-color: #101316;
}
QTreeView#toolTable::item { padding: 3px 0; }
QTreeView#toolTable QHeaderView::section, QTableView#toolTable QHeaderView::section { padding: 7px 6px; }
QFrame#toolPanel { background-color: #e9eaeb; border-left: 1px solid #c4c4c4; }
QFrame#toolPanel QLabel { background: transparent; }
QFrame#linkDetail { background-color: #e9eaeb; border-top: 1px solid #c4c4c4; }
QFrame#linkDetail QLabel { background: transparent; }
QFrame#toolPanel QTableView#toolTable { border: 1px solid #c4c4c4; font-size: 10pt; }
QLabel#toolTitle { font-size: 14pt; font-weight: bold; color: #1f2327; }
QLabel#toolHint { font-size: 10pt; color: #5b6167; }
QLabel#toolHint[level="error"] { color: #1f2327; font-weight: bold; }
QLabel#fieldLabel { font-size: 11pt; font-weight: bold; color: #3a3f45; }
QPlainTextEdit#toolPayload { background-color: #f7f7f7; color: #1f2327; border: 1px solid #c4c4c4; font-size: 10pt; }
QLabel#toolStatus {
    background-color: #ebebeb; color: #2b3035; font-size: 11pt; padding: 6px 14px;
    border-bottom: 1px solid #c4c4c4; border-left: 6px solid #ebebeb;
}
QLabel#toolStatus[level="busy"] { font-style: italic; color: #3a3f45; }
QLabel#toolStatus[level="error"] {
    background-color: #f4f4f4; border-left: 6px solid #f2b200; font-weight: bold; color: #1a1a1a;
}
QSplitter#toolSplitter::handle { background-color: #c4c4c4; }
QSplitter#toolSplitter::handle:horizontal { width: 1px; }
QSplitter#toolSplitter::handle:vertical { height: 1px; }
"""
MIN_SIZE = (1160, 620)


class ToolsScreen(QWidget):
    """The three commissioning tools as tabs; `bindRequested(source_url)` from either picker."""

    bindRequested = Signal(str)

    def __init__(
        self,
        *,
        broker: BrokerUrl | str | None,
        link_snapshot: Snapshot,
        guard: Guard | None = None,
        password_lookup: Callable[[BrokerUrl], str | None] | None = None,
        modbus_device: DeviceAddress | None = None,
        topic_filter: str = DEFAULT_FILTER,
        now: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("toolsScreen")
        bind_stylesheet(self, TOOLS_QSS)
        # An explicit minimum: the layout then never changes a torn-off window's size hints after show.
        if parent is None:  # shown on its own (tests, a torn-off window): a size fixed before show()
            self.setMinimumSize(*MIN_SIZE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("toolsTabs")
        self.tabs.setDocumentMode(True)
        self.explorer = TopicExplorerView(broker, guard=guard, password_lookup=password_lookup,
                                          topic_filter=topic_filter, parent=self.tabs)
        self.scanner = RegisterScannerView(guard=guard, device=modbus_device, parent=self.tabs)
        self.links = LinkDiagnosticsView(link_snapshot, now=now, parent=self.tabs)
        self.tabs.addTab(self.explorer, self.tr("MQTT topic explorer"))
        self.tabs.addTab(self.scanner, self.tr("Modbus register scanner"))
        self.tabs.addTab(self.links, self.tr("Link diagnostics"))
        layout.addWidget(self.tabs)
        self.explorer.bindRequested.connect(self.bindRequested)
        self.scanner.bindRequested.connect(self.bindRequested)

    def show_tool(self, name: str) -> None:
        """Bring a tool to the front: "explorer", "scanner" or "links"."""
        self.tabs.setCurrentWidget({"explorer": self.explorer, "scanner": self.scanner, "links": self.links}[name])

    def shutdown(self) -> None:
        """Stop the explorer's client, a running scan and the timers; joins the threads they used."""
        self.links.shutdown()
        self.scanner.shutdown()
        self.explorer.shutdown()
