"""The e-stop control and panel: hold, early release, auto-repeat, double click, arm-then-confirm,
the state line, cross-thread changes and a non-modal dialog open at the same time."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QVBoxLayout, QWidget

from hmi.core.estop import HARDWIRED_MESSAGE, STILL_RUNNING_MESSAGE, EstopChange, EstopState
from hmi.services.estop_service import EstopStatus
from hmi.ui.estop_control import TOOLTIP, EstopButton
from hmi.ui.estop_panel import EstopPanel

HOLD = 0.2
MILLS = [("m1", "Mill 1 – North"), ("m2", "Mill 2 – South")]


def _show(qtbot, widget: QWidget) -> None:
    """Show a top-level with its layout settled first (offscreen cannot take later size hints)."""
    widget.ensurePolished()
    for w in (widget, *widget.findChildren(QWidget)):
        w.ensurePolished()
        if w.layout() is not None:
            w.layout().activate()
    widget.show()
    qtbot.waitExposed(widget)


def _center(button: EstopButton) -> QPoint:
    return button.face_center().toPoint()


def _button(qtbot, **kw) -> tuple[EstopButton, list[str]]:
    kw.setdefault("hold_seconds", HOLD)
    b = EstopButton("m1", "Mill 1", **kw)
    qtbot.addWidget(b)
    _show(qtbot, b)
    sent: list[str] = []
    b.stopRequested.connect(sent.append)
    return b, sent


def _key(button: QWidget, kind: QEvent.Type, auto_repeat: bool) -> None:
    QApplication.sendEvent(button, QKeyEvent(kind, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ",
                                             auto_repeat))


def _status(mill: str, state: EstopState, text: str) -> EstopStatus:
    return EstopStatus(mill, state, None, text)


def _change(mill: str, before: EstopState, after: EstopState) -> EstopChange:
    return EstopChange(mill, "cmd-1", 0.0, before, after, "test")


def test_hold_triggers_exactly_once(qtbot, artifacts_dir: Path) -> None:
    b, sent = _button(qtbot, hold_seconds=0.6)
    assert b.toolTip() == TOOLTIP
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.wait(350)
    assert 0 < b.progress < 1 and sent == []
    assert b.grab().save(str(artifacts_dir / "estop_hold.png"))  # the ring, part filled
    qtbot.waitUntil(lambda: sent == ["m1"], timeout=2000)
    qtbot.wait(800)  # keep holding: still one trigger
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.wait(50)
    assert sent == ["m1"]
    assert b.progress == 0


def test_hold_of_one_second_by_default(qtbot) -> None:
    b, sent = _button(qtbot, hold_seconds=1.0)
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.wait(700)
    assert sent == []
    qtbot.wait(500)
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=_center(b))
    assert sent == ["m1"]


def test_early_release_sends_nothing(qtbot) -> None:
    b, sent = _button(qtbot)
    for _ in range(3):
        qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=_center(b))
        qtbot.wait(int(HOLD * 1000 * 0.4))
        qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.wait(int(HOLD * 1000 * 2))
    assert sent == []
    assert b.progress == 0


def test_presses_off_the_face_are_ignored(qtbot) -> None:
    b, sent = _button(qtbot)
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))
    qtbot.wait(int(HOLD * 1000 * 2))
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))
    assert sent == []


def test_auto_repeat_key_presses_do_not_trigger(qtbot) -> None:
    b, sent = _button(qtbot)
    b.setFocus()
    for _ in range(int(HOLD * 1000 * 3 / 30)):  # auto-repeat only (no first press): nothing
        _key(b, QEvent.Type.KeyPress, True)
        _key(b, QEvent.Type.KeyRelease, True)
        qtbot.wait(30)
    assert sent == [] and b.progress == 0


def test_key_hold_with_auto_repeat_triggers_once(qtbot) -> None:
    b, sent = _button(qtbot)
    b.setFocus()
    _key(b, QEvent.Type.KeyPress, False)
    for _ in range(int(HOLD * 1000 * 3 / 30)):  # the platform's auto-repeat pairs while held
        qtbot.wait(30)
        _key(b, QEvent.Type.KeyRelease, True)
        _key(b, QEvent.Type.KeyPress, True)
    _key(b, QEvent.Type.KeyRelease, False)
    qtbot.wait(50)
    assert sent == ["m1"]


def test_short_key_press_sends_nothing(qtbot) -> None:
    b, sent = _button(qtbot)
    b.setFocus()
    _key(b, QEvent.Type.KeyPress, False)
    qtbot.wait(int(HOLD * 1000 * 0.3))
    _key(b, QEvent.Type.KeyRelease, False)
    qtbot.wait(int(HOLD * 1000 * 2))
    assert sent == []


def test_double_click_does_not_trigger(qtbot) -> None:
    b, sent = _button(qtbot)
    qtbot.mouseDClick(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.wait(int(HOLD * 1000 * 2))
    assert sent == []
    # A double click whose second press is held: still nothing (Qt delivers it as a double click).
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=_center(b))
    QApplication.sendEvent(b, _mouse(b, QEvent.Type.MouseButtonDblClick))
    qtbot.wait(int(HOLD * 1000 * 2))
    QApplication.sendEvent(b, _mouse(b, QEvent.Type.MouseButtonRelease))
    assert sent == []


def _mouse(b: EstopButton, kind: QEvent.Type):
    from PySide6.QtGui import QMouseEvent

    pos = b.face_center()
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
    return QMouseEvent(kind, pos, b.mapToGlobal(pos), Qt.MouseButton.LeftButton, buttons,
                       Qt.KeyboardModifier.NoModifier)


def test_bounce_after_a_trigger_is_ignored(qtbot) -> None:
    b, sent = _button(qtbot, hold_seconds=0.1)
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.waitUntil(lambda: sent == ["m1"], timeout=2000)
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=_center(b))
    # Bounce: a new press right after the trigger, held past the hold time, sends nothing.
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.wait(400)
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=_center(b))
    assert sent == ["m1"]
    # A deliberate new hold later is a new request.
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.waitUntil(lambda: sent == ["m1", "m1"], timeout=2000)
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=_center(b))


def test_never_disabled(qtbot) -> None:
    b, _ = _button(qtbot)
    b.setEnabled(False)
    b.setDisabled(True)
    assert b.isEnabled()


def test_arm_then_confirm(qtbot) -> None:
    b, sent = _button(qtbot, mode="confirm", arm_seconds=0.5)
    assert b.confirm_button is not None and not b.confirm_button.isVisible()
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton, pos=_center(b))
    assert b.armed and b.confirm_button.isVisible() and sent == []
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton, pos=_center(b))  # the face again: no send
    assert sent == []
    qtbot.mouseClick(b.confirm_button, Qt.MouseButton.LeftButton)
    assert sent == ["m1"]
    assert not b.armed and not b.confirm_button.isVisible()


def test_arm_expires(qtbot) -> None:
    b, sent = _button(qtbot, mode="confirm", arm_seconds=0.3)
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton, pos=_center(b))
    assert b.armed
    qtbot.waitUntil(lambda: not b.armed, timeout=2000)
    assert not b.confirm_button.isVisible()
    b.confirm_button.click()  # a stale click (hidden button) sends nothing
    assert sent == []


def test_confirm_double_click_sends_once(qtbot) -> None:
    b, sent = _button(qtbot, mode="confirm", arm_seconds=2.0)
    qtbot.mouseDClick(b, Qt.MouseButton.LeftButton, pos=_center(b))
    assert sent == []  # a double click on the face never sends (at most it arms)
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton, pos=_center(b))
    assert b.armed
    qtbot.mouseClick(b.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(b.confirm_button, Qt.MouseButton.LeftButton)
    b.confirm_button.click()
    assert sent == ["m1"]


def _panel(qtbot, **kw) -> tuple[EstopPanel, list[str], list[str]]:
    triggered: list[str] = []
    stopped: list[str] = []
    kw.setdefault("hold_seconds", HOLD)
    # In a window of a fixed size, as in the app (a state line growing never resizes a shown window).
    host = QWidget()
    host.setFixedSize(760, 480)
    panel = EstopPanel(MILLS, triggered.append, stopped.append, parent=host, **kw)
    QVBoxLayout(host).addWidget(panel)
    qtbot.addWidget(host)
    _show(qtbot, host)
    panel.host = host  # type: ignore[attr-defined]  # kept alive with the panel
    return panel, triggered, stopped


def test_panel_hold_calls_trigger(qtbot) -> None:
    panel, triggered, _ = _panel(qtbot)
    b = panel.button("m2")
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.waitUntil(lambda: triggered == ["m2"], timeout=2000)
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=_center(b))


def test_panel_shows_not_confirmed_and_stop_retrying(qtbot, themed_app, artifacts_dir: Path) -> None:
    panel, _, stopped = _panel(qtbot)
    cell = panel.cells["m1"]
    text = HARDWIRED_MESSAGE + " (re-sending every second)"
    panel.on_estop_change(_change("m1", EstopState.SENT, EstopState.NOT_CONFIRMED),
                          _status("m1", EstopState.NOT_CONFIRMED, text))
    qtbot.waitUntil(lambda: "NOT CONFIRMED" in panel.state_text("m1"), timeout=2000)
    assert "use the hardwired e-stop / local stop" in panel.state_text("m1")
    assert cell.state_label.property("estop") == "alarm"
    assert cell.stop_retrying_button.isVisible()
    # A real status without an attempt is not retrying; a stand-in that is:
    from dataclasses import dataclass

    @dataclass
    class Fake:
        mill: str
        state: EstopState
        text: str
        confirmed_by: object = None
        retrying: bool = True

    panel.on_estop_change(None, Fake("m1", EstopState.NOT_CONFIRMED, text))
    qtbot.waitUntil(lambda: cell.stop_retrying_button.isEnabled(), timeout=2000)
    qtbot.mouseClick(cell.stop_retrying_button, Qt.MouseButton.LeftButton)
    assert stopped == ["m1"]

    panel.on_estop_change(None, Fake("m2", EstopState.NOT_STOPPED, STILL_RUNNING_MESSAGE, retrying=False))
    qtbot.waitUntil(lambda: panel.cells["m2"].state_label.property("estop") == "alarm", timeout=2000)
    assert "use the hardwired e-stop / local stop" in panel.state_text("m2")
    qtbot.wait(50)
    panel.resize(panel.sizeHint())
    assert panel.grab().save(str(artifacts_dir / "estop_panel.png"))


def test_panel_shows_the_confirming_path(qtbot) -> None:
    from hmi.core.estop import Path as EstopPath

    panel, _, _ = _panel(qtbot)

    class Confirmed:
        mill = "m2"
        state = EstopState.STOPPED
        text = "Mill stopped"
        confirmed_by = EstopPath.MODBUS
        retrying = False

    panel.on_estop_change(None, Confirmed())
    qtbot.waitUntil(lambda: "confirmed by Modbus" in panel.state_text("m2"), timeout=2000)
    assert panel.cells["m2"].state_label.property("estop") == "latched"
    assert not panel.cells["m2"].stop_retrying_button.isVisible()


def test_changes_from_another_thread_arrive_in_order(qtbot) -> None:
    panel, _, _ = _panel(qtbot)
    seen: list[str] = []
    panel.estopChanged.connect(lambda c, s: seen.append(s.text), Qt.ConnectionType.QueuedConnection)
    states = [EstopState.SENDING, EstopState.SENT, EstopState.NOT_CONFIRMED, EstopState.CONFIRMED,
              EstopState.STOPPED]
    texts = [f"step {i}" for i in range(len(states))]

    def feed() -> None:
        for st, tx in zip(states, texts, strict=True):
            panel.on_estop_change(_change("m1", EstopState.IDLE, st), _status("m1", st, tx))

    t = threading.Thread(target=feed)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(seen) == len(texts), timeout=2000)
    assert seen == texts  # none coalesced, in order
    assert panel.state_text("m1").startswith("step 4")


def test_button_works_while_a_non_modal_dialog_is_open(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    triggered: list[str] = []
    panel = EstopPanel(MILLS, triggered.append, lambda mill: None, hold_seconds=HOLD)
    host = QWidget()
    lay = QVBoxLayout(host)
    lay.addWidget(QLabel("central stack"), 1)
    lay.addWidget(panel)
    window.setCentralWidget(host)
    _show(qtbot, window)
    dialog = QDialog(window)
    dialog.setWindowTitle("Some app dialog")
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.isVisible()
    b = panel.button("m1")
    qtbot.mousePress(b, Qt.MouseButton.LeftButton, pos=_center(b))
    qtbot.waitUntil(lambda: triggered == ["m1"], timeout=2000)
    qtbot.mouseRelease(b, Qt.MouseButton.LeftButton, pos=_center(b))
    assert dialog.isVisible()
    dialog.close()


def test_bad_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        EstopButton("m1", mode="tap")
