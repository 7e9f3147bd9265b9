"""A second full language proves every string is translatable: the real workspace (broker, simulator,
database, services) built in Dutch, signed in as an admin, every screen visited and every dialog
opened, and no English left on screen.

Two nets, so that a string that never went through tr() is caught too, not only one that went
through it too early (a module-level constant):
- no visible text equals an English source of the catalogues whose Dutch differs;
- no visible text holds a word that the English sources use and no Dutch translation does ("the",
  "acknowledge", "sensor" is Dutch too, so it is allowed), once the plant's own names (mills,
  sensors, users: data, not UI) are taken out.
"""

from __future__ import annotations

import html
import importlib.util
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QWidget,
)

from hmi.core.domain import Role
from hmi.services.users import add_user
from hmi.ui.i18n import install_language, remove_language
from tests.support.servers import Mosquitto
from tests.ui.test_workspace_estop import _open_every_dialog
from tests.ui.workspace_rig import PW, Rig, build_rig

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
TAG = re.compile(r"<[^>]+>")
# Words that are the same in both languages or are names, not language (product, protocols, units).
TEST_REASON = "test the prompt"  # the password prompt's reason, given by the dialog walk (test data)
NEUTRAL = {
    "millwatch", "hmi", "mqtt", "mqtts", "modbus", "rtu", "tcp", "tls", "eui", "csv", "png", "svg", "toml", "json",
    "sqlite", "postgresql", "url", "ok", "id", "admin", "demo", "plant", "test", "host", "console", "qos", "utc",
    "hpa", "bar", "kpa", "rpm", "mbar", "ana", "tom", "eva", "broker", "status", "info", "max", "min", "avg", "float",
    "int", "uint", "bool", "hex", "abcd", "cdab", "badc", "dcba", "esc", "ctrl", "shift", "alt", "del", "tab",
    "enter", "return", "space", "backspace", "menu",
}


def _catalogues() -> tuple[dict[str, str], set[str]]:
    """(English source -> Dutch, for every finished message whose Dutch differs; Dutch words)."""
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "packaging" / "translations.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    sources: dict[str, str] = {}
    dutch_words: set[str] = set()
    for group in tool.all_groups():
        for (_ctx, source), msg in tool.messages_of(tool.ts_path(group)).items():
            tr = msg.find("translation")
            texts = [f.text or "" for f in tr.findall("numerusform")] or [tr.text or ""] if tr is not None else []
            for t in texts:
                dutch_words.update(w.lower() for w in WORD.findall(t))
            source = source.split("\x04")[0]
            if texts and texts[0] and texts[0] != source:
                sources[source] = texts[0]
    return sources, dutch_words


def _schematic_file_words() -> set[str]:
    """Ids and slot names written in the shipped schematic binding files: problems with those files
    quote them as written (data, like the plant's names)."""
    words: set[str] = set()
    for path in (ROOT / "resources" / "schematics").glob("*.bindings.toml"):
        words.update(x.lower() for x in WORD.findall(path.name.split(".")[0]))  # the schematic's name
        for bind in tomllib.loads(path.read_text(encoding="utf-8")).get("bind", []):
            words.update(x.lower() for x in WORD.findall(bind.get("id", "")))
            for slot in bind.get("sensors", {}):
                words.update(x.lower() for x in WORD.findall(slot))
    return words


def _visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of what a user can read in `root`: labels, buttons, tabs, group titles,
    placeholders, combo entries, menus and their actions, tooltips, window titles, table headers."""
    out: list[tuple[str, str]] = []

    def add(where: QWidget | Any, text: str) -> None:
        text = html.unescape(TAG.sub(" ", text or "")).replace("&&", "&").replace("&", "")
        text = " ".join(text.split())
        if text:
            name = f"{type(where).__name__}#{where.objectName()}" if isinstance(where, QWidget) else str(where)
            out.append((name, text))

    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisibleTo(root) and w is not root and not isinstance(w, QMenu):
            continue
        if w.isWindow():
            add(w, w.windowTitle())
        add(w, w.toolTip())
        if isinstance(w, QLabel | QAbstractButton):
            add(w, w.text())
        elif isinstance(w, QGroupBox):
            add(w, w.title())
        elif isinstance(w, QLineEdit):
            add(w, w.placeholderText())
        elif isinstance(w, QComboBox) and not w.isEditable() and w.objectName() != "lookInCombo":
            # (an editable combo's entries are search text for data; Qt's "look in" lists folders)
            for i in range(w.count()):
                add(w, w.itemText(i))
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w, w.tabText(i))
                add(w, w.tabToolTip(i))
        elif isinstance(w, QMenu):
            add(w, w.title())
            for a in w.actions():
                add(w, a.text().split("\t")[0])
                add(w, a.toolTip() if a.toolTip() != a.text().replace("&", "") else "")
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            try:
                columns = min(model.columnCount(QModelIndex()), 30)
            except TypeError:  # a list model (its columnCount is private)
                columns = 1
            for c in range(columns):
                add(w, str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
            for r in range(min(model.rowCount(QModelIndex()), 8)):
                for c in range(columns):
                    value = model.index(r, c).data(Qt.ItemDataRole.DisplayRole)
                    if isinstance(value, str):
                        add(w, value)
    for a in root.actions():
        add(root, a.text().split("\t")[0])
    return out


@pytest.fixture
def dutch_rig(qtbot: Any, themed_app: object, tmp_path: Path, mosquitto: Mosquitto) -> Iterator[Rig]:
    install_language("nl")  # before the first widget: widgets fetch their texts when built
    try:
        yield from build_rig(qtbot, tmp_path, mosquitto)
    finally:
        remove_language()


def test_the_whole_workspace_speaks_dutch(qtbot: Any, dutch_rig: Rig, artifacts_dir: Path) -> None:
    rig = dutch_rig
    add_user(rig.engine, "eva", PW, Role.ADMIN, mills=[], audit_key=None)
    rig.sign_in("eva")
    w, ws = rig.window, rig.workspace
    plant_words = {x.lower() for m in w.plant.mills for s in (m, *m.sensors) for x in WORD.findall(s.name)}
    sources, dutch_words = _catalogues()
    english_only: set[str] = set()
    for source in sources:
        english_only.update(x.lower() for x in WORD.findall(TAG.sub(" ", source)))
    english_only -= dutch_words | NEUTRAL | plant_words | _schematic_file_words()

    seen: list[tuple[str, str, str]] = []  # (screen, where, text)
    for index, title in enumerate(list(w.nav.titles)):
        w.show_screen(index)
        qtbot.wait(120)
        seen.extend((title, where, text) for where, text in _visible_texts(w))
        if index == 0:
            assert w.grab().save(str(artifacts_dir / "dutch_overview.png"))
    dialogs = _open_every_dialog(rig, qtbot)
    for name, dialog in dialogs.items():
        seen.extend((name, where, text) for where, text in _visible_texts(dialog))
    w.show_screen(0)
    qtbot.wait(50)
    assert w.grab().save(str(artifacts_dir / "dutch_workspace_dialogs.png"))
    for name, menu in (("session menu", ws.shell.menu_button.menu()),):  # type: ignore[union-attr]
        seen.extend((name, where, text) for where, text in _visible_texts(menu))
        for sub in menu.findChildren(QMenu):
            seen.extend((name, where, text) for where, text in _visible_texts(sub))

    assert len(seen) > 300, "the walk saw hardly any text"
    first: dict[tuple[str, str], str] = {}  # (where, text) -> the first screen or dialog it was seen on
    for screen, where, text in seen:
        first.setdefault((where, text), screen)
    report = []
    for (where, text), screen in sorted(first.items(), key=lambda kv: (kv[1], kv[0])):
        if text in sources:
            report.append(f"{screen} | {where} | {text!r} (nl: {sources[text]!r})")
        elif any(x.lower() in english_only for x in WORD.findall(text.replace(TEST_REASON, ""))):
            report.append(f"{screen} | {where} | {text!r}")
    assert not report, f"{len(report)} English text(s) on the Dutch screens:\n" + "\n".join(report[:120])
