"""run_gui: the entry the composition root calls; here in-process with a screenshot and a quick exit."""

from __future__ import annotations

import signal
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from hmi.core.plant import Plant
from hmi.ui.bridge import LiveBridge
from hmi.ui.run import plant_name_from_title, run_gui
from tests.ui.demo_feed import DemoFeeder


def test_run_gui_feeds_saves_a_screenshot_and_exits_0(themed_app, plant: Plant, tmp_path: Path) -> None:
    calls: list[str] = []
    sigint = signal.getsignal(signal.SIGINT)

    def on_started(bridge: LiveBridge):
        assert isinstance(bridge, LiveBridge) and bridge.is_running()
        calls.append("started")
        feeder = DemoFeeder(plant, bridge).start()

        def stop() -> None:
            feeder.stop()
            calls.append("stopped")

        return stop

    shot = tmp_path / "shots" / "run_gui.png"
    title = "Millwatch HMI \u2014 demo plant"
    before = set(QApplication.topLevelWidgets())  # (earlier tests' leftovers are not run_gui's)
    rc = run_gui(plant, LiveBridge, title=title, screenshot=shot, exit_after=0.8, on_started=on_started)
    assert rc == 0
    assert calls == ["started", "stopped"]
    assert signal.getsignal(signal.SIGINT) is sigint
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible() and w not in before]


def test_exit_after_without_screenshot(themed_app, plant: Plant) -> None:
    assert run_gui(plant, title="Millwatch HMI", exit_after=0.2) == 0


def test_plant_name_from_title() -> None:
    assert plant_name_from_title("Millwatch HMI \u2014 demo plant") == "Demo plant"
    assert plant_name_from_title("Millwatch HMI") == ""
