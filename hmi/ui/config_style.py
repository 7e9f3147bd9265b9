"""The look of the configuration screens and the sensor faceplate (ISA-101: grey, calm, colour only for
an abnormal value), on top of the security views' form look (SECURITY_QSS: fields, buttons, message
strips). Object names select the rules; like TREND_QSS, the rules live beside the views that use them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from hmi.ui.session_controller import SECURITY_QSS
from hmi.ui.theme import bind_stylesheet

CONFIG_QSS = """
QWidget#configScreen, QWidget#sensorFaceplate, QWidget#configPanel { background-color: #e3e3e3; color: #1f2327; }
QTabWidget#configTabs::pane, QTabWidget#faceplateTabs::pane {
    border: 1px solid #c4c4c4; border-top: none; background-color: #e9e9e9;
}
QTabWidget#configTabs > QTabBar::tab, QTabWidget#faceplateTabs > QTabBar::tab {
    font-size: 12pt; font-weight: bold; color: #5b6167; background-color: #d6d6d6;
    border: 1px solid #c4c4c4; border-bottom: none; padding: 8px 18px; margin-right: 2px;
}
QTabWidget#configTabs > QTabBar::tab:selected, QTabWidget#faceplateTabs > QTabBar::tab:selected {
    color: #1f2327; background-color: #e9e9e9; border-top: 3px solid #353a40;
}
QTabWidget#faceplateTabs > QTabBar::tab { font-size: 11pt; padding: 6px 12px; }
QLabel#fieldError { font-size: 11pt; color: #1f2327; font-weight: bold; padding-left: 2px; }
QLineEdit[invalid="true"] { border: 2px solid #353a40; border-left: 6px solid #353a40; padding: 4px 7px 4px 3px; }
QLabel#sectionTitle { font-size: 12pt; font-weight: bold; color: #3a3f45; padding-top: 6px; }
QLabel#readOnlyNotice {
    font-size: 12pt; padding: 8px 12px; background-color: #d6d6d6; color: #1f2327; border: 1px solid #b4b4b4;
}
QFrame#faceplateHeader { background-color: #d6d6d6; border-bottom: 1px solid #bcbcbc; }
QFrame#faceplateHeader QLabel { background: transparent; }
QLabel#faceplateTitle { font-size: 16pt; font-weight: bold; color: #1f2327; }
QLabel#faceplateSubtitle { font-size: 11pt; color: #5b6167; }
QLabel#liveValue {
    font-size: 30pt; font-weight: bold; color: #1f2327; padding: 2px 12px; border-radius: 3px;
    background-color: #f0f0f0; border: 1px solid #c4c4c4;
}
QLabel#liveValue[alarm="warning"]  { color: #1a1a1a; background-color: #f2b200; border-color: #a87a00; }
QLabel#liveValue[alarm="critical"] { color: #ffffff; background-color: #c81e1e; border-color: #c81e1e; }
QLabel#liveValue[alarm="bad"]      { color: #ffffff; background-color: #8e3b9e; border-color: #8e3b9e; }
QLabel#liveValue[alarm="stale"], QLabel#liveValue[alarm="nodata"] { color: #8a9096; font-style: italic; }
QLabel#liveUnit { font-size: 14pt; color: #3a3f45; }
QLabel#liveMeta { font-size: 11pt; color: #5b6167; }
QLabel#stateChip {
    font-size: 11pt; font-weight: bold; padding: 3px 10px; border-radius: 2px; color: #3a3f45;
    background-color: #e9e9e9; border: 1px solid #b4b8bc;
}
QLabel#stateChip[alarm="warning"]  { color: #1a1a1a; background-color: #f2b200; border-color: #a87a00; }
QLabel#stateChip[alarm="critical"] { color: #ffffff; background-color: #c81e1e; border-color: #c81e1e; }
QLabel#stateChip[alarm="bad"]      { color: #ffffff; background-color: #8e3b9e; border-color: #8e3b9e; }
QLabel#stateChip[alarm="disabled"] { color: #5b6167; background-color: #d0d0d0; border-style: dashed; }
QFrame#statBox { background-color: #f0f0f0; border: 1px solid #c4c4c4; border-radius: 3px; }
QFrame#statBox QLabel { background: transparent; }
QLabel#statName { font-size: 10pt; color: #5b6167; font-weight: bold; }
QLabel#statValue { font-size: 14pt; color: #1f2327; font-weight: bold; }
QLabel#proposal {
    font-size: 12pt; padding: 10px 12px; background-color: #f4f4f4; color: #1f2327;
    border: 1px solid #9ea3a8; border-left: 6px solid #353a40;
}
QTableView#configTable, QTableView#faceplateTable {
    background-color: #f0f0f0; color: #1f2327; border: 1px solid #c4c4c4; font-size: 12pt;
    gridline-color: #d2d2d2; selection-background-color: #c5ccd4; selection-color: #101316; outline: 0;
}
QTableView#faceplateTable { font-size: 11pt; }
QTableView#problemTable {
    background-color: #ffffff; color: #1f2327; border: 1px solid #9ea3a8; border-left: 6px solid #353a40;
    font-size: 12pt; gridline-color: #e0e0e0; outline: 0;
}
QProgressBar#importProgress {
    border: 1px solid #9ea3a8; border-radius: 3px; background-color: #f4f4f4; text-align: center;
    font-size: 11pt; color: #1f2327; min-height: 22px;
}
QProgressBar#importProgress::chunk { background-color: #6b7075; }
QLabel#linkResult { font-size: 12pt; padding: 6px 10px; border: 1px solid #c4c4c4; background-color: #f0f0f0; }
QLabel#linkResult[level="ok"] { border-left: 6px solid #6b7075; }
QLabel#linkResult[level="error"] { border-left: 6px solid #353a40; font-weight: bold; background-color: #ffffff; }
QLabel#linkResult[level="busy"] { color: #5b6167; font-style: italic; }
QListView#serialPorts { background-color: #f0f0f0; border: 1px solid #c4c4c4; font-size: 12pt; }
QFrame#formPanel QLabel#fieldLabel { font-size: 11pt; }
QFrame#formPanel QLineEdit, QFrame#formPanel QComboBox { font-size: 12pt; }
"""


def style_config(widget: QWidget) -> None:
    """The configuration look on `widget` and its children."""
    bind_stylesheet(widget, SECURITY_QSS + CONFIG_QSS)
