"""The technician tools in Dutch: the MQTT topic explorer, the Modbus register scanner and the link
diagnostics, filled with data (no servers: a topic snapshot, a scan result and link rows are handed to
the views), then every text a user can read is walked and none may be an English source of the tools
catalogue whose Dutch differs. Values follow the Dutch locale (decimal comma, 1.234) while addresses,
hex, topics and source URLs stay machine text. A screenshot of each tool goes to artifacts/."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from hmi.core.link_diagnostics import LinkDiagnostics
from hmi.core.registers import encode_value
from hmi.services.register_scanner import DeviceAddress, ScanError, ScanRequest, ScanResult
from hmi.services.topic_explorer import ExplorerSnapshot, TopicInfo
from hmi.ui.i18n import install_language, remove_language
from hmi.ui.tool_link_diagnostics import LinkDiagnosticsView
from hmi.ui.tool_register_scanner import RegisterScannerView
from hmi.ui.tool_topic_explorer import TopicExplorerView
from hmi.ui.tools_screen import ToolsScreen

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_790_000_000.0
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TOPIC = "site/gateway/silo3/telemetry"
DOC = {"device": "silo3", "meta": {"time": "2026-11-24T09:00:00Z"}, "data": {"level": 71.25, "ok": True},
       "alarms": [0, 0]}


def _tools_catalogue() -> tuple[set[str], list[re.Pattern[str]]]:
    """English sources of tools.ts whose Dutch differs: the plain ones, and the ones with placeholders
    as patterns (a filled-in English sentence must not be on screen either)."""
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "packaging" / "translations.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for (_ctx, source), msg in tool.messages_of(tool.ts_path("tools")).items():
        tr = msg.find("translation")
        dutch = "" if tr is None else tr.text or ""
        assert dutch and tr is not None and tr.get("type") is None, f"untranslated: {source!r}"
        if dutch == source:
            continue
        if PLACEHOLDER.search(source):
            parts = PLACEHOLDER.split(source)
            if sum(len(p.strip(" ·:()/…–.")) for p in parts) >= 3:  # words around the placeholders
                patterns.append(re.compile("^" + "(.+?)".join(re.escape(p) for p in parts) + "$", re.S))
        else:
            plain.add(source)
    return plain, patterns


@pytest.fixture
def dutch(qapp: object) -> Iterator[None]:
    assert install_language("nl") == "nl"
    yield
    remove_language()


def _model_texts(model: QAbstractItemModel, columns: tuple[int, ...] | None = None,
                 parent: QModelIndex | None = None) -> list[str]:
    """Header titles, and the display and tooltip texts of `columns` (all: None) of every row."""
    parent = parent or QModelIndex()
    out: list[str] = []
    if not parent.isValid():
        for c in range(model.columnCount()):
            out.append(str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or ""))
    for r in range(model.rowCount(parent)):
        for c in range(model.columnCount(parent)):
            idx = model.index(r, c, parent)
            if columns is None or c in columns:
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    v = model.data(idx, role)
                    if isinstance(v, str):
                        out.append(v)
        first = model.index(r, 0, parent)
        if model.rowCount(first):
            out.extend(_model_texts(model, columns, first))
    return out


def _widget_texts(root: QWidget) -> list[str]:
    """What a user reads in `root`'s widgets: labels, buttons, tooltips, placeholders, combo entries."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        out.append(w.toolTip())
        out.append(w.windowTitle())
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QLineEdit | QPlainTextEdit):
            out.append(w.placeholderText())
        if isinstance(w, QComboBox):
            out.extend(w.itemText(i) for i in range(w.count()))
    return out


def _english_left(texts: list[str]) -> list[str]:
    plain, patterns = _tools_catalogue()
    left = []
    for text in texts:
        for piece in {text, *re.split(r" · |\n|; ", text)}:
            piece = piece.strip()
            if not piece or not re.search(r"[A-Za-z]{2}", piece):
                continue
            if piece in plain or any(p.match(piece) for p in patterns):
                left.append(piece)
    return sorted(set(left))


def _assert_fits(qtbot, root: QWidget) -> None:  # type: ignore[no-untyped-def]
    """No text cut off: buttons, combos and single-line labels at least as wide as their text asks."""
    qtbot.wait(50)  # the layouts take the new texts
    for w in root.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QAbstractButton | QComboBox) or (isinstance(w, QLabel) and not w.wordWrap() and w.text()):
            assert w.width() >= w.sizeHint().width(), (
                f"{type(w).__name__} {w.objectName()!r} {getattr(w, 'text', lambda: '')()!r} clipped: "
                f"{w.width()} < {w.sizeHint().width()}")


# -- data ------------------------------------------------------------------------------------------------------


def link_rows() -> list[LinkDiagnostics]:
    return [
        LinkDiagnostics("broker mqtt://10.0.0.2:1883", "mqtt", "up", last_data=NOW - 2, requests=5210,
                        errors={"Keep alive timeout": 1}, reconnects=2, since=NOW - 5400),
        LinkDiagnostics("modbus://10.0.0.8:502", "modbus", "up", last_data=NOW - 1, latency_last_ms=4.2,
                        latency_p99_ms=31.5, requests=3600, errors={"modbus_exception_2": 3, "device_timeout": 1},
                        reconnects=2, since=NOW - 86400 * 3),
        LinkDiagnostics("modbus://10.0.0.7:502", "modbus", "down", "disconnected: cannot connect",
                        errors={"disconnected": 42}, since=NOW - 125),
        LinkDiagnostics("sim", "sim", "degraded", requests=None),
    ]


def scan_result(port: int) -> ScanResult:
    regs: dict[int, int] = {}
    for address, value, data_type, order in ((10, 1234.5, "float32", "cdab"), (12, -7, "int16", "abcd"),
                                             (13, 65000, "uint16", "abcd"), (14, 987654321, "uint32", "abcd"),
                                             (16, 61.25, "float32", "abcd")):
        for i, r in enumerate(encode_value(value, data_type, order)):
            regs[address + i] = r
    req = ScanRequest(DeviceAddress("127.0.0.1", port), "hr", 2, 8, 16)
    values = tuple(None if a == 19 else regs.get(a, 0) for a in range(8, 24))
    return ScanResult(req, values, (ScanError(19, 1, "modbus_exception_2", "illegal data address", 2),), 12.4, 3)


def topic_snapshot() -> ExplorerSnapshot:
    def info(topic: str, payload: bytes, count: int, rate: float, retained: bool, version: int) -> TopicInfo:
        return TopicInfo(topic, count, rate, retained, 1, NOW - 5, payload, len(payload), version)

    topics = (
        info("mills/north/status", b'{"status": "active"}', 1, 0.0, True, 1),
        info("mills/north/sensors/A1B2C3D4E5F60001/reading", b'{"value": 20.5, "ts": 1790000000}', 120, 2.5,
             False, 2),
        info(TOPIC, orjson.dumps(DOC), 7, 0.4, False, 3),
    )
    return ExplorerSnapshot("connected", "mqtt://127.0.0.1:1883", "#", 3, 1234, 3, topics, True, 3)


@pytest.fixture
def tools(qtbot, themed_app, dutch) -> Iterator[ToolsScreen]:  # type: ignore[no-untyped-def]
    screen = ToolsScreen(broker="mqtt://127.0.0.1:1883", link_snapshot=link_rows, now=lambda: NOW,
                         modbus_device=DeviceAddress("127.0.0.1", 5020))
    screen.resize(1440, 820)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    yield screen
    screen.shutdown()


def _shot(qtbot, screen: QWidget, artifacts_dir: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(50)  # the layouts take the new texts
    screen.grab().save(str(artifacts_dir / name))


# -- the tools ------------------------------------------------------------------------------------------------


def test_topic_explorer_in_dutch(qtbot, tools, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    ex: TopicExplorerView = tools.explorer
    assert ex.connect_button.text() == "Verbinden" and ex.clear_button.text() == "Wissen"
    assert ex.search_edit.placeholderText() == "Topic zoeken"
    assert ex.filter_edit.toolTip().startswith("MQTT-topicfilter")
    assert ex.state_label.text() == "Inactief" and ex.bind_hint.text().startswith("Kies een topic")

    ex.apply_snapshot(topic_snapshot())
    assert ex.state_label.text() == "Verbonden"
    assert ex.count_label.text() == "3 topics · 1.234 berichten · 3/s · 3 niet gevolgd (limiet)"
    m = ex.model
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Topic", "Ber.", "Ber./s"]
    reading = m.index_of("mills/north/sensors/A1B2C3D4E5F60001/reading")
    assert m.data(m.index(reading.row(), 2, reading.parent())) == "2,5"  # rate: decimal comma
    assert m.data(m.index(m.index_of("mills/north/status").row(), 4, m.index_of("mills/north/status").parent())) \
        == "bewaard"
    north = m.index_of("mills/north/status").parent()
    assert m.data(m.index(north.row(), 1, north.parent())) == "2 topics"

    assert ex.select_topic(TOPIC)
    assert ex.topic_title.text() == TOPIC  # a topic is machine text
    meta = ex.topic_meta.text()
    assert "live" in meta and "7 berichten" in meta and "0,4/s" in meta and "laatste " in meta
    assert [ex.fields.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Veld", "Waarde", "Type"]
    level = ex.fields.row_of("data.level")
    assert ex.fields.data(ex.fields.index(level, 1)) == "71.25"  # a JSON value is shown as the payload has it
    assert ex.fields.data(ex.fields.index(level, 2)) == "getal"
    assert ex.fields.data(ex.fields.index(level, 0), Qt.ItemDataRole.ToolTipRole) == "Koppelen aan data.level"
    assert ex.select_field("data.level")
    ex.ts_box.setCurrentIndex(ex.ts_box.findData("meta.time"))
    ex.ts_box.activated.emit(ex.ts_box.currentIndex())
    assert ex.source_url == f"mqtt://{TOPIC}?path=data.level&ts=meta.time"
    assert ex.bind_hint.text() == "Opent de sensoreditor met deze bron."
    assert ex.bind_button.text() == "Aan sensor koppelen…"
    assert [ex.ts_box.itemText(i) for i in (0, ex.ts_box.count() - 1)] == ["ts (standaard)", "aankomsttijd"]
    ex.tree.expandAll()
    _shot(qtbot, tools, artifacts_dir, "i18n_tools_topic_explorer_nl.png")
    _assert_fits(qtbot, ex)

    ex.select_field("alarms[0]")
    assert "lijstelementen" in ex.bind_hint.text()

    texts = _widget_texts(ex) + _model_texts(ex.model, (1, 4)) + _model_texts(ex.fields, (2,))
    texts += [ex.fields.data(ex.fields.index(r, 0), Qt.ItemDataRole.ToolTipRole) or "" for r in
              range(ex.fields.rowCount())]
    assert _english_left(texts) == []


def test_topic_explorer_without_broker_says_so_in_dutch(qtbot, themed_app, dutch) -> None:  # type: ignore[no-untyped-def]
    ex = TopicExplorerView(None)
    qtbot.addWidget(ex)
    assert ex.broker_text.text() == "niet ingesteld"
    qtbot.mouseClick(ex.connect_button, Qt.MouseButton.LeftButton)
    assert ex.state_label.text() == "Kan niet verbinden"
    assert ex.state_label.toolTip() == "er is geen broker ingesteld (Configuratie > Verbindingen)"
    ex.shutdown()


def test_register_scanner_in_dutch(qtbot, tools, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    tools.show_tool("scanner")
    sc: RegisterScannerView = tools.scanner
    assert sc.read_button.text() == "Lezen" and sc.status.text().startswith("Voer het apparaat")
    assert sc.transport.itemText(1) == "Modbus RTU (serieel)"
    assert [sc.parity_box.itemText(i) for i in range(3)] == ["Even", "Geen", "Oneven"]
    assert sc.table_box.itemText(0) == "Holdingregisters (hr)" and sc.table_box.itemText(3) == "Discrete ingangen (di)"
    assert sc.order_box.itemText(1) == "cdab  woorden gewisseld"
    assert sc.start_spin.toolTip().startswith("Protocoladres vanaf 0")
    assert sc.timeout_spin.text() == "0,5 s"  # the spin box writes the locale's decimal comma
    assert sc.bind_hint.text() == "Lees een bereik en kies dan een register en hoe het gelezen wordt."

    result = scan_result(5020)
    sc.show_result(result)
    assert sc.status.text() == ("127.0.0.1:5020 unit 2 · holdingregisters 8..23 · 15 van 16 gelezen in 12 ms "
                                "(3 verzoeken) · apparaat weigerde 19: uitzondering 2 (ongeldig data-adres)")
    regs = sc.registers
    assert [regs.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["Adres", "Ref.", "Hex", "int16"]
    assert regs.data(regs.index(19 - 8, 2)) == "uitzondering 2"
    assert regs.data(regs.index(19 - 8, 3), Qt.ItemDataRole.ToolTipRole) == "19: uitzondering 2 (ongeldig data-adres)"
    assert regs.data(regs.index(12 - 8, 2)) == "0xFFF9"  # hex stays hex
    float_col = 3 + list(regs.types).index("float32")
    sc.order_box.setCurrentIndex(sc.order_box.findData("cdab"))
    assert regs.data(regs.index(10 - 8, float_col)) == "1234,5"
    assert regs.data(regs.index(16 - 8, float_col)) != "61,25"  # written abcd: garbage under cdab
    sc.order_box.setCurrentIndex(sc.order_box.findData("abcd"))
    assert regs.data(regs.index(16 - 8, float_col)) == "61,25"

    sc.pick_register(10, "float32", "cdab")
    assert sc.pick_title.text() == "Adres 10 · hr/10 · unit 2"
    assert sc.raw_label.text().startswith("Registers 10–13:")
    grid = sc.interpretations
    assert grid.data(grid.index(grid.types.index("float32"), 1)) == "1234,5"
    assert sc.source_url == "modbus://127.0.0.1:5020/hr/10?unit=2&type=float32&order=cdab"
    assert sc.bind_hint.text() == "Leest nu 1234,5"
    sc.pick_register(12, "int16")
    int16 = grid.types.index("int16")
    assert grid.data(grid.index(int16, 1), Qt.ItemDataRole.ToolTipRole) == (
        "int16 abcd: -7 (één register: alleen de bytewissel telt)")  # the cdab column is abcd for 16 bits
    sc.scale_spin.setValue(0.1)
    assert sc.bind_hint.text() == "Leest nu -7 → -0,7 na schaal/offset"
    assert sc.source_url.endswith("/hr/12?unit=2&type=int16&scale=0.1")  # a URL keeps its decimal point
    _shot(qtbot, tools, artifacts_dir, "i18n_tools_register_scanner_nl.png")
    _assert_fits(qtbot, sc)

    texts = _widget_texts(sc) + _model_texts(regs, (2,)) + _model_texts(grid)
    texts += [regs.data(regs.index(19 - 8, c), Qt.ItemDataRole.ToolTipRole) or "" for c in range(regs.columnCount())]
    assert _english_left(texts) == []

    # a scan the device did not answer, and a stopped one
    req = ScanRequest(DeviceAddress("127.0.0.1", 5020), "coil", 1, 0, 10, 0.3)
    sc.show_result(ScanResult(req, (None,) * 10, (ScanError(0, 10, "device_timeout", "No response received"),),
                              310.0, 1, "device_timeout"))
    assert sc.status.text().endswith("· geen antwoord binnen 0,3 s (No response received); device_timeout")
    assert regs.data(regs.index(0, 2)) == "geen antwoord"
    assert regs.headerData(2, Qt.Orientation.Horizontal) == "Waarde"
    sc.show_result(ScanResult(req, (1, 0) + (None,) * 8, (), 5.0, 2, "", True))
    assert sc.status.text() == "127.0.0.1:5020 unit 1 · coils 0..9 · 2 van 10 gelezen in 5 ms (2 verzoeken) · gestopt"
    assert sc.raw_label.text() == "Bit 1"
    assert _english_left(_widget_texts(sc) + _model_texts(regs, (2,)) + _model_texts(grid)) == []


def test_link_diagnostics_in_dutch(qtbot, tools, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    tools.show_tool("links")
    view: LinkDiagnosticsView = tools.links
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=2000)
    m = view.model
    rows = {r.name: i for i, r in enumerate(m.rows)}

    def cell(name: str, col: int, role: Any = Qt.ItemDataRole.DisplayRole) -> Any:
        return m.data(m.index(rows[name], col), role)

    broker, plc, dead = "broker mqtt://10.0.0.2:1883", "modbus://10.0.0.8:502", "modbus://10.0.0.7:502"
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())] == [
        "Verbinding", "Soort", "Toestand", "Laatste data", "Latentie", "p99", "Polls / ber.", "Fouten",
        "Herverb.", "Detail"]
    assert cell(broker, 1) == "MQTT-broker" and cell(broker, 2) == "Verbonden · 1,5 u"
    assert cell(broker, 3) == "2 s geleden" and cell(broker, 6) == "5.210"  # Dutch groups thousands with a dot
    assert cell(broker, 7) == "Keep alive timeout ×1"  # the library's own words stay as they came
    assert cell(plc, 2) == "Verbonden · 3 d" and cell(plc, 4) == "4,2 ms" and cell(plc, 5) == "31,5 ms"
    assert cell(plc, 7) == "uitzondering 2 ×3 · geen antwoord ×1"
    assert cell(dead, 2) == "Verbroken · 2 min" and cell(dead, 3) == "nooit" and cell(dead, 7) == \
        "verbinding verbroken ×42"
    assert cell("sim", 1) == "Simulator" and cell("sim", 2) == "Beperkt" and cell("sim", 7) == "geen"
    assert view.summary.text() == "4 verbindingen · 1 verbroken · 1 beperkt of bezig met verbinden"
    assert view.copy_button.text() == "Tabel kopiëren"
    assert view.copy_button.toolTip() == "De tabel als tekst kopiëren, voor een supportmelding"
    # the first link in trouble is detailed until one is picked
    assert view.detail_title.text() == f"{dead} · Verbroken · 2 min"
    assert view.detail_text.text().splitlines() == [
        "Oorzaak: disconnected: cannot connect",
        "Laatste data: nooit · latentie — (p99 —) · — polls/berichten · 0 herverbindingen",
        "Fouten per soort: verbinding verbroken (disconnected) ×42",
    ]
    assert m.as_text().splitlines()[0].startswith("Verbinding\tSoort\tToestand")
    view.table.selectRow(rows[plc])
    assert "latentie 4,2 ms (p99 31,5 ms) · 3.600 polls/berichten · 2 herverbindingen" in view.detail_text.text()
    _shot(qtbot, tools, artifacts_dir, "i18n_tools_link_diagnostics_nl.png")
    _assert_fits(qtbot, view)

    texts = _widget_texts(view) + _model_texts(m, (1, 2, 3, 4, 5, 6, 7, 8))
    assert _english_left(texts) == []


def test_link_diagnostics_unavailable_in_dutch(qtbot, themed_app, dutch) -> None:  # type: ignore[no-untyped-def]
    def broken() -> list[LinkDiagnostics]:
        raise RuntimeError("runtime stopped")

    view = LinkDiagnosticsView(broken, now=lambda: NOW)
    qtbot.addWidget(view)
    view.refresh()
    assert view.error.text() == "Diagnose niet beschikbaar: RuntimeError: runtime stopped"
    assert view.detail_title.text() == "Kies een verbinding voor de details"
    view.shutdown()


def test_dutch_fits_the_smallest_tools_window(qtbot, tools) -> None:  # type: ignore[no-untyped-def]
    """At the screen's minimum size, with data in every tool, no Dutch label, button or combo is cut off."""
    from hmi.ui.tools_screen import MIN_SIZE

    tools.resize(*MIN_SIZE)
    tools.explorer.apply_snapshot(topic_snapshot())
    assert tools.explorer.select_topic(TOPIC)
    tools.scanner.show_result(scan_result(5020))
    for name, view in (("explorer", tools.explorer), ("scanner", tools.scanner), ("links", tools.links)):
        tools.show_tool(name)
        _assert_fits(qtbot, view)


def test_the_english_net_catches_english(qtbot, themed_app) -> None:  # type: ignore[no-untyped-def]
    """Without the Dutch catalogue the same walk finds the English (so an empty finding above means Dutch)."""
    view = LinkDiagnosticsView(link_rows, now=lambda: NOW)
    qtbot.addWidget(view)
    view.refresh()
    left = _english_left(_widget_texts(view) + _model_texts(view.model, (1, 2, 3, 7)))
    assert {"Copy table", "Links", "Link", "Kind", "MQTT broker", "never"} <= set(left)
    assert {"2 s ago", "4 links", "1 down"} <= set(left)  # filled-in sentences, caught by their patterns
    view.shutdown()


def test_common_pieces_in_dutch(dutch) -> None:  # type: ignore[no-untyped-def]
    """The theme names the Theme menu shows, and a HeaderedTableModel's titles, follow the language."""
    from hmi.ui.table_model import HeaderedTableModel
    from hmi.ui.theme import THEME_TITLES

    assert THEME_TITLES["dark"] == "Donker (nachtdienst)" and THEME_TITLES.source("dark") == "Dark (night shift)"
    assert dict(THEME_TITLES.items()) == {"light": "Licht (controlekamer)", "dark": "Donker (nachtdienst)"}

    class Fields(HeaderedTableModel):
        HEADERS = ("Field", "Value", "Type")
        HEADERS_CONTEXT = "JsonFieldModel"

    class Plain(HeaderedTableModel):
        HEADERS = ("Field",)

    assert [Fields().headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["Veld", "Waarde", "Type", None]
    assert Plain().headerData(0, Qt.Orientation.Horizontal) == "Field"  # no context: shown as written
