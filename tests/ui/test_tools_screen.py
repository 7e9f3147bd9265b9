"""The technician tools screen with qtbot against real servers: pick a live MQTT topic and a JSON leaf
-> bindRequested with its mqtt:// URL; read registers from a pymodbus device, pick a register, type
and order -> the modbus:// URL; the link diagnostics table shows each link's figures. Screenshots of
the three tools go to artifacts/."""

from __future__ import annotations

import gc
import threading
import time
import warnings
from collections.abc import Iterator

import orjson
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from hmi.core.link_diagnostics import LinkDiagnostics, LinkHistory, percentile
from hmi.core.sources import ModbusSource, MqttSource, parse_source
from hmi.drivers.base import LinkState
from hmi.drivers.modbus import DeviceDiagnostics
from hmi.services.register_scanner import DeviceAddress, ScanResult
from hmi.ui.tools_screen import ToolsScreen
from tests.support.modbus_server import ModbusTestServer
from tests.support.servers import free_port

WAIT_MS = 8000
NOW = 1_790_000_000.0


@pytest.fixture
def no_thread_leak() -> Iterator[None]:
    before = {t.ident for t in threading.enumerate()}
    yield
    deadline = time.monotonic() + 3
    extra: list[threading.Thread] = []
    while time.monotonic() < deadline:
        extra = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
        if not extra:
            return
        time.sleep(0.02)
    raise AssertionError(f"threads left running: {[t.name for t in extra]}")


def links_now() -> list[LinkDiagnostics]:
    return []


@pytest.fixture
def make_screen(qtbot, themed_app, no_thread_leak):  # type: ignore[no-untyped-def]
    screens: list[ToolsScreen] = []

    def make(**kwargs: object) -> ToolsScreen:
        kwargs.setdefault("broker", None)
        kwargs.setdefault("link_snapshot", links_now)
        screen = ToolsScreen(**kwargs)  # type: ignore[arg-type]
        screen.resize(1440, 820)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitExposed(screen)
        screens.append(screen)
        return screen

    yield make
    for s in screens:
        s.shutdown()


def click_cell(qtbot, view, index) -> None:  # type: ignore[no-untyped-def]
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def publish(port: int, messages: list[tuple[str, bytes, bool]]) -> None:
    c = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    c.connect("127.0.0.1", port)
    c.loop_start()
    try:
        for info in [c.publish(t, p, qos=1, retain=r) for t, p, r in messages]:
            info.wait_for_publish(timeout=5)
    finally:
        c.loop_stop()
        c.disconnect()


def test_topic_explorer_picks_topic_and_json_leaf(qtbot, make_screen, mosquitto, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    topic = "site/gateway/silo3/telemetry"
    doc = {"device": "silo3", "meta": {"time": "2026-11-24T09:00:00Z", "fw": "2.1"},
           "data": {"level": 71.25, "temp": 18.4, "ok": True}, "alarms": [0, 0]}
    publish(mosquitto.port, [("mills/north/status", b'{"status": "active"}', True)])
    screen = make_screen(broker=mosquitto.url)
    ex = screen.explorer
    assert not ex.bind_button.isEnabled()
    qtbot.mouseClick(ex.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ex.model.info("mills/north/status") is not None, timeout=WAIT_MS)
    publish(mosquitto.port, [(topic, orjson.dumps(doc), False)]
            + [(f"mills/north/sensors/A1B2C3D4E5F6000{i}/reading",
                orjson.dumps({"value": 20 + i, "ts": 1_790_000_000 + i, "quality": "good"}), False) for i in range(6)]
            + [("mills/north/production", b'{"date": "2026-11-24", "actual": 212.5}', True)])
    qtbot.waitUntil(lambda: ex.model.topic_count == 9, timeout=WAIT_MS)
    assert ex.state_label.text() == "Connected"
    assert "9 topics" in ex.count_label.text()
    assert ex.model.info("mills/north/status").retained  # type: ignore[union-attr]

    assert ex.select_topic(topic)
    assert ex.topic_title.text() == topic
    assert '"level": 71.25' in ex.payload_text.toPlainText()
    row = ex.fields.row_of("data.level")
    click_cell(qtbot, ex.field_view, ex.fields.index(row, 0))
    assert ex.path_edit.text() == "data.level"
    ex.ts_box.setCurrentIndex(ex.ts_box.findData("meta.time"))
    ex.ts_box.activated.emit(ex.ts_box.currentIndex())
    expected = f"mqtt://{topic}?path=data.level&ts=meta.time"
    assert ex.source_url == expected
    ex.tree.setColumnWidth(0, 330)
    screen.grab().save(str(artifacts_dir / "tool_topic_explorer.png"))

    # a leaf a source URL cannot read is refused with a reason, the choice stays
    click_cell(qtbot, ex.field_view, ex.fields.index(ex.fields.row_of("alarms[0]"), 0))
    assert ex.path_edit.text() == "data.level" and "list" in ex.bind_hint.text()
    with qtbot.waitSignal(screen.bindRequested, timeout=2000) as sig:
        qtbot.mouseClick(ex.bind_button, Qt.MouseButton.LeftButton)
    assert sig.args == [expected]
    assert parse_source(sig.args[0]) == MqttSource(topic, "data.level", "meta.time")

    # the plant's own reading topic binds with the contract's defaults
    assert ex.select_topic("mills/north/sensors/A1B2C3D4E5F60003/reading")
    assert ex.path_edit.text() == "value"
    assert ex.source_url == "mqtt://mills/north/sensors/A1B2C3D4E5F60003/reading"

    # disconnect: the client's thread ends (the fixture checks no thread is left)
    qtbot.mouseClick(ex.connect_button, Qt.MouseButton.LeftButton)
    assert ex.connect_button.text() == "Connect" and not ex.connected


def test_topic_explorer_without_broker_says_so(qtbot, make_screen) -> None:  # type: ignore[no-untyped-def]
    screen = make_screen(broker=None)
    qtbot.mouseClick(screen.explorer.connect_button, Qt.MouseButton.LeftButton)
    assert screen.explorer.state_label.text() == "Cannot connect"
    assert "no broker is configured" in screen.explorer.state_label.toolTip()


@pytest.fixture
def device() -> Iterator[ModbusTestServer]:
    with ModbusTestServer(units=(1, 2)) as dev:
        yield dev


def read(qtbot, screen: ToolsScreen, table: str, unit: int, start: int, count: int) -> ScanResult:  # type: ignore[no-untyped-def]
    sc = screen.scanner
    sc.table_box.setCurrentIndex(sc.table_box.findData(table))
    sc.unit_spin.setValue(unit)
    sc.start_spin.setValue(start)
    sc.count_spin.setValue(count)
    with qtbot.waitSignal(sc.scanFinished, timeout=WAIT_MS) as sig:
        qtbot.mouseClick(sc.read_button, Qt.MouseButton.LeftButton)
    return sig.args[0]


def test_register_scanner_picks_register_type_and_order(qtbot, make_screen, device, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    device.set_value(2, "hr", 10, 1234.5, "float32", "cdab")
    device.set_value(2, "hr", 12, -7, "int16")
    device.set_value(2, "hr", 13, 65000, "uint16")
    device.set_value(2, "hr", 14, 987654321, "uint32", "abcd")
    device.set_value(2, "hr", 16, 61.25, "float32", "abcd")
    device.fail(2, "hr", 19, 1, code=2)
    screen = make_screen(modbus_device=DeviceAddress(device.host, device.port))
    screen.show_tool("scanner")
    sc = screen.scanner
    result = read(qtbot, screen, "hr", 2, 8, 16)
    assert result.read == 15 and result.errors[0].code == 2
    assert "exception 2 (illegal data address)" in sc.status.text()
    assert sc.status.property("level") == "error"
    exc_row = 19 - 8
    assert sc.registers.data(sc.registers.index(exc_row, 2)) == "exception 2"

    float_col = 3 + list(sc.registers.types).index("float32")
    sc.order_box.setCurrentIndex(sc.order_box.findData("cdab"))
    assert sc.registers.data(sc.registers.index(10 - 8, float_col)) == "1234.5"
    click_cell(qtbot, sc.table, sc.registers.index(10 - 8, float_col))
    assert sc.interpretations.picked == ("float32", "cdab")
    # the grid shows the register under every type and order: pick float32 abcd, then back to cdab
    types = sc.interpretations.types
    row = types.index("float32")
    assert sc.interpretations.data(sc.interpretations.index(row, 1)) == "1234.5"  # cdab column
    click_cell(qtbot, sc.grid_view, sc.interpretations.index(row, 0))
    assert sc.interpretations.picked == ("float32", "abcd")
    assert sc.source_url.endswith("/hr/10?unit=2&type=float32")
    click_cell(qtbot, sc.grid_view, sc.interpretations.index(row, 1))
    expected = f"modbus://127.0.0.1:{device.port}/hr/10?unit=2&type=float32&order=cdab"
    assert sc.source_url == expected
    assert "Reads 1234.5 now" in sc.bind_hint.text()
    screen.grab().save(str(artifacts_dir / "tool_register_scanner.png"))
    with qtbot.waitSignal(screen.bindRequested, timeout=2000) as sig:
        qtbot.mouseClick(sc.bind_button, Qt.MouseButton.LeftButton)
    assert sig.args == [expected]
    src = parse_source(expected)
    assert isinstance(src, ModbusSource) and (src.unit, src.address, src.data_type, src.order) == (2, 10, "float32",
                                                                                                  "cdab")

    # a 16-bit register: the word-swapped column is the same value and maps to the order that differs
    sc.pick_register(12, "int16")
    assert sc.source_url.endswith("/hr/12?unit=2&type=int16")
    assert "Reads -7 now" in sc.bind_hint.text()
    click_cell(qtbot, sc.grid_view, sc.interpretations.index(types.index("int16"), 3))  # dcba == badc for 16 bits
    assert sc.interpretations.picked == ("int16", "badc")
    sc.scale_spin.setValue(0.1)
    assert sc.source_url.endswith("/hr/12?unit=2&type=int16&order=badc&scale=0.1")

    # coils: one column of bits, bool URLs
    result = read(qtbot, screen, "coil", 2, 0, 8)
    assert result.ok
    sc.pick_register(3)
    assert sc.source_url == f"modbus://127.0.0.1:{device.port}/coil/3?unit=2"


def test_register_scanner_reports_timeout_and_dead_port(qtbot, make_screen, device) -> None:  # type: ignore[no-untyped-def]
    screen = make_screen(modbus_device=DeviceAddress("127.0.0.1", free_port()))
    sc = screen.scanner
    sc.timeout_spin.setValue(0.3)
    t0 = time.monotonic()
    result = read(qtbot, screen, "hr", 1, 0, 10)
    assert result.aborted == "disconnected" and time.monotonic() - t0 < 2.0
    assert "cannot connect" in sc.status.text() and sc.status.property("level") == "error"
    assert not sc.bind_button.isEnabled()

    device.silent = True
    sc.port_spin.setValue(device.port)
    t0 = time.monotonic()
    result = read(qtbot, screen, "hr", 1, 0, 10)
    assert result.aborted == "device_timeout" and time.monotonic() - t0 < 2.5
    assert "no answer within 0.3 s" in sc.status.text()
    assert sc.registers.data(sc.registers.index(0, 2)) == "no answer"
    # The test server does not close its side of a connection dropped while it was silent: collect it
    # here, not in a later test's warning check.
    device.silent = False
    device.stop()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def test_link_diagnostics_table_shows_each_link(qtbot, make_screen, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    history = LinkHistory(clock=lambda: NOW - 30)
    broker = "broker mqtt://10.0.0.2:1883"
    for state, why in ((LinkState.CONNECTING, ""), (LinkState.UP, ""), (LinkState.DOWN, "Unspecified error"),
                       (LinkState.UP, ""), (LinkState.DOWN, "Keep alive timeout"), (LinkState.UP, "")):
        history.on_link(broker, state, why)
    history.on_link("modbus://10.0.0.7:502", LinkState.DOWN, "disconnected: cannot connect")
    history.on_link("modbus://10.0.0.8:502", LinkState.UP, "")
    history.snapshot(message_counts={broker: 0})
    history._clock = lambda: NOW - 2  # type: ignore[method-assign]
    history.snapshot(message_counts={broker: 5210})  # the counter moved: data arrived 2 s before NOW

    plc = DeviceDiagnostics("modbus://10.0.0.8:502", state=LinkState.UP, polls=3600, last_poll=NOW - 1.0,
                            last_latency_ms=4.2, errors={"modbus_exception_2": 3, "device_timeout": 1},
                            reconnects=2, recent_latency_ms=tuple([4.0] * 98 + [9.0, 31.5]))
    dead = DeviceDiagnostics("modbus://10.0.0.7:502", state=LinkState.DOWN, reason="disconnected: cannot connect",
                             errors={"disconnected": 42}, reconnects=0)
    calls: list[float] = []

    def snapshot() -> list[LinkDiagnostics]:
        calls.append(time.monotonic())
        return history.snapshot(modbus={d.device_key: d for d in (plc, dead)}, message_counts={broker: 5210})

    screen = make_screen(link_snapshot=snapshot, now=lambda: NOW)
    screen.show_tool("links")
    view = screen.links
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=2000)
    rows = {r.name: i for i, r in enumerate(view.model.rows)}
    m = view.model

    def cell(name: str, col: int) -> str:
        return str(m.data(m.index(rows[name], col)))

    assert cell(broker, 1) == "MQTT broker" and cell(broker, 2).startswith("Up")
    assert cell(broker, 3) == "2 s ago" and cell(broker, 6) == "5,210"
    assert cell(broker, 8) == "2"  # up three times: two reconnects
    assert cell(broker, 7) == "Keep alive timeout ×1 · Unspecified error ×1"
    assert cell("modbus://10.0.0.8:502", 3) == "1 s ago"
    assert cell("modbus://10.0.0.8:502", 4) == "4.2 ms" and cell("modbus://10.0.0.8:502", 5) == "9.0 ms"
    assert cell("modbus://10.0.0.8:502", 7) == "exception 2 ×3 · device timeout ×1"
    assert cell("modbus://10.0.0.8:502", 8) == "2" and cell("modbus://10.0.0.8:502", 6) == "3,600"
    assert cell("modbus://10.0.0.7:502", 2).startswith("Down") and cell("modbus://10.0.0.7:502", 3) == "never"
    down_bg = m.data(m.index(rows["modbus://10.0.0.7:502"], 2), Qt.ItemDataRole.BackgroundRole)
    assert down_bg is not None and down_bg.color() == QColor("#c81e1e")  # colour only for the abnormal link
    assert m.data(m.index(rows[broker], 2), Qt.ItemDataRole.BackgroundRole) is None
    assert "1 down" in view.summary.text() and "3 links" in view.summary.text()
    assert "modbus://10.0.0.7:502" in m.as_text()
    # the first link in trouble is detailed below the table until one is picked
    assert view.detail_title.text().startswith("modbus://10.0.0.7:502 · Down")
    assert "disconnected (disconnected) ×42" in view.detail_text.text()
    screen.grab().save(str(artifacts_dir / "tool_link_diagnostics.png"))
    click_cell(qtbot, view.table, m.index(rows["modbus://10.0.0.8:502"], 0))
    assert "exception 2 (modbus_exception_2) ×3" in view.detail_text.text()
    assert "p99 9.0 ms" in view.detail_text.text()

    # polled at 1 Hz while visible, not at all while hidden
    n = len(calls)
    qtbot.waitUntil(lambda: len(calls) > n, timeout=2500)
    screen.show_tool("explorer")
    n = len(calls)
    qtbot.wait(1300)
    assert len(calls) == n


def test_link_history_and_percentile() -> None:
    h = LinkHistory(clock=lambda: NOW)
    h.on_link("sim", "up")
    h.on_link("sim", "down", "stopped")  # a stop is not a drop
    assert h.snapshot()[0].errors == {} and h.snapshot()[0].reconnects == 0
    assert percentile([], 99) is None
    assert percentile(range(1, 101), 99) == 99 and percentile([5.0], 99) == 5.0
    with pytest.raises(ValueError):
        percentile([1.0], 120)


def test_bind_picks_only_reachable_values(qtbot, make_screen) -> None:  # type: ignore[no-untyped-def]
    """Clicking elsewhere than a cell changes nothing (no crash on an empty fields table)."""
    screen = make_screen()
    qtbot.mouseClick(screen.explorer.field_view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert screen.explorer.source_url == "" and not screen.explorer.bind_button.isEnabled()


def test_topic_tree_model_grows_consistently(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    """Topics arriving in batches (new branches, new leaves under known branches) keep a valid model."""
    from hmi.services.topic_explorer import TopicInfo
    from hmi.ui.tool_topic_explorer import TopicSortProxy, TopicTreeModel

    def info(topic: str, version: int, count: int = 1) -> TopicInfo:
        return TopicInfo(topic, count, 0.0, False, 1, NOW, b'{"value": 1}', 12, version)

    model = TopicTreeModel()
    proxy = TopicSortProxy()
    proxy.setSourceModel(model)
    proxy.sort(0)
    model.apply([info("mills/north/status", 1), info("mills/north/sensors/A/reading", 2)])
    model.apply([info("mills/north/sensors/B/reading", 3), info("mills/south/sensors/C/reading", 4),
                 info("mills/north/status", 5, count=2), info("site/x", 6)])
    model.apply([info("mills/north/sensors/B/reading/extra", 7)])  # a topic below another topic
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    assert model.topic_count == 6
    north = model.index_of("mills/north/status").parent()
    assert model.data(north, 0) == "north" and model.data(model.index(north.row(), 1, north.parent())) == "4 topics"
    assert model.info("mills/north/status").count == 2  # type: ignore[union-attr]
    b = model.index_of("mills/north/sensors/B/reading")
    assert model.rowCount(b) == 1 and model.data(model.index(0, 0, b)) == "extra"
    names = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert names == ["mills", "site"]
