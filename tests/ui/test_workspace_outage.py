"""The GUI never blocks when the broker or the database is down: the real workspace, the broker
stopped and the database made unreachable, every screen visited and every database-backed view
asked for data, while a probe timer measures the event loop's gaps. The stop still acts (over
Modbus, with the broker down) and says which path confirmed."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from hmi.core.estop import EstopState
from tests.support.servers import Mosquitto
from tests.ui.workspace_rig import Rig, build_rig

EUI = "00AA000000000001"
MAX_GAP_S = 1.0  # a frozen GUI shows up as seconds; this leaves room for a loaded CI machine


@pytest.fixture
def rig(qtbot: Any, themed_app: object, tmp_path: Path, mosquitto: Mosquitto) -> Iterator[Rig]:
    yield from build_rig(qtbot, tmp_path, mosquitto)


def test_the_window_keeps_answering_with_the_broker_and_the_database_down(
    qtbot: Any, rig: Rig, mosquitto: Mosquitto, artifacts_dir: Path
) -> None:
    rig.sign_in("ana")
    ws, w = rig.workspace, rig.window
    # Every screen built once first: a screen's first open imports its modules (Trends: pyqtgraph and
    # numpy, over a second on a loaded machine), a cost of the lazy start-up, not of an outage.
    for index in range(len(w.nav.titles)):
        w.show_screen(index)
        qtbot.wait(20)
    w.show_screen(0)
    ticks: list[float] = []
    probe = QTimer()
    probe.timeout.connect(lambda: ticks.append(time.monotonic()))
    probe.start(20)
    mosquitto.stop()
    rig.db_down()
    try:
        for index in range(len(w.nav.titles)):  # every screen
            w.show_screen(index)
            qtbot.wait(60)
        w.journal.load_if_first()
        assert ws.trends is not None
        ws.trends.set_mode("history")
        ws.trends.add_pen(EUI)
        faceplate = ws.open_faceplate(EUI)
        assert faceplate is not None and faceplate.isVisible()
        ws.open_retention()
        rig.hold_stop(qtbot, "north")  # the broker is down: the Modbus path still stops the mill
        rig.wait_state(qtbot, "north", EstopState.CONFIRMED, EstopState.STOPPED, timeout=8000)
        assert "Modbus" in ws.estop_panel.state_text("north")
        qtbot.wait(2500)  # the views' database jobs fail meanwhile, off the GUI thread
        probe.stop()
        assert w.isVisible() and ws.estop_panel.isEnabled()
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        assert len(ticks) > 50, "the probe timer hardly ran"
        assert max(gaps) < MAX_GAP_S, f"the event loop stalled for {max(gaps):.2f} s"
        assert w.grab().save(str(artifacts_dir / "workspace_outage.png"))
    finally:
        rig.db_up()
        mosquitto.start()
