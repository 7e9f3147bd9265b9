"""Smoke test on a real X server: `python -m hmi --demo` in a subprocess under Xvfb with the xcb
platform plugin, saving a screenshot through the CLI's `--screenshot`/`--exit-after` options."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
X11_UNIX = Path("/tmp/.X11-unix")
EXIT_AFTER_S = 2.5


def smoke_cmd(screenshot: Path, exit_after: float, screen: str | None = None) -> list[str]:
    """The command under test: the real app on the demo plant, as README tells a newcomer."""
    cmd = [sys.executable, "-m", "hmi", "--demo", "--sign-in", "operator",
           "--screenshot", str(screenshot), "--exit-after", str(exit_after)]
    return [*cmd, "--screen", screen] if screen else cmd


def _display_free(n: int) -> bool:
    return not (X11_UNIX / f"X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists()


def _accepts(n: int) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        try:
            s.connect(str(X11_UNIX / f"X{n}"))
        except OSError:
            return False
        return True


@pytest.fixture
def xvfb_display(tmp_path: Path) -> Iterator[str]:
    """A private Xvfb on a free display number, accepting connections; stopped afterwards."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed: run packaging/bootstrap.sh (apt-get install xvfb xauth)")
    log = (tmp_path / "xvfb.log").open("wb")
    proc = None
    for n in (d for d in range(99, 400) if _display_free(d)):
        proc = subprocess.Popen(
            ["Xvfb", f":{n}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None and not _accepts(n):
            time.sleep(0.05)
        if proc.poll() is None and _accepts(n):
            break
        proc.kill()  # lost a race for the number, or it failed to start: try the next one
        proc.wait()
        proc = None
        if time.monotonic() > deadline:
            break
    if proc is None:
        log.close()
        pytest.fail(f"could not start Xvfb: {(tmp_path / 'xvfb.log').read_text(errors='replace')}")
    try:
        yield f":{n}"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def distinct_colours(image: QImage, step: int = 16) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


# The screen the app opens on (None: the overview, where a signed-in operator starts) and its file.
SCREENS = {
    None: "xvfb_main_window.png", "sensors": "xvfb_sensors.png", "trends": "xvfb_trends.png",
    "schematics": "xvfb_schematics.png",
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_real_window_under_xvfb(screen: str | None, xvfb_display: str, tmp_path: Path, artifacts_dir: Path) -> None:
    shot = artifacts_dir / SCREENS[screen]
    shot.unlink(missing_ok=True)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ)
    env.pop("WAYLAND_DISPLAY", None)
    env.update({"QT_QPA_PLATFORM": "xcb", "DISPLAY": xvfb_display, "XDG_RUNTIME_DIR": str(runtime)})
    wait = 4.0 if screen == "trends" else EXIT_AFTER_S  # the trend's history arrives from its worker
    proc = subprocess.run(smoke_cmd(shot, wait, screen), cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    print(proc.stdout)
    print(proc.stderr, file=sys.stderr)
    assert proc.returncode == 0, proc.stderr
    assert shot.is_file()
    assert shot.stat().st_size > 20_000
    image = QImage(str(shot))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
    assert distinct_colours(image) > 8, "the screenshot is (nearly) a single colour"
    # Our own log lines (INFO from hmi.*) are expected; anything else on stderr is Qt or Python complaining.
    own_info = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ INFO hmi[.\w]*: ")
    warnings = [line for line in proc.stderr.splitlines() if line.strip() and not own_info.match(line)]
    assert not warnings, f"the app printed on stderr: {warnings}"
    assert "Demo logins" in proc.stdout
    print(f"SCREENSHOT: {shot}")


SCHEMATIC_SHOTS = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from hmi.ui.theme import apply_theme
apply_theme(app)
from hmi.core.domain import Quality, Reading
from hmi.core.simulation import SignalModel
from hmi.services.plant_io import read_plant_file
from hmi.ui.schematic_screen import SchematicScreen
plant = read_plant_file(Path(sys.argv[1]))
screen = SchematicScreen(plant)
screen.resize(1600, 900)
screen.show()
now = time.time()
screen.on_values({s.eui: Reading(s.eui, now, SignalModel(s).value_at(now), Quality.GOOD) for s in plant.sensors()})
out = Path(sys.argv[2])
for mill in plant.mills:
    screen.select_mill(mill.slug)
    for loaded in screen.schematics_of(mill.slug):
        assert screen.show_schematic(loaded.name), loaded.name
        for _ in range(30):
            app.processEvents()
            time.sleep(0.01)
        assert screen.grab().save(str(out / f"xvfb_schematic_{loaded.name}.png"))
        print(loaded.name, "problems:", len(loaded.problems))
screen.shutdown()
"""


def test_each_default_schematic_under_xvfb(xvfb_display: str, tmp_path: Path, artifacts_dir: Path) -> None:
    """Every built-in schematic drawn on a real X server (xcb), with live values, saved for review."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ)
    env.pop("WAYLAND_DISPLAY", None)
    env.update({"QT_QPA_PLATFORM": "xcb", "DISPLAY": xvfb_display, "XDG_RUNTIME_DIR": str(runtime)})
    script = tmp_path / "shots.py"
    script.write_text(SCHEMATIC_SHOTS)
    demo = ROOT / "resources" / "plants" / "demo.toml"
    proc = subprocess.run([sys.executable, str(script), str(demo), str(artifacts_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    names = [line.split()[0] for line in proc.stdout.splitlines() if "problems:" in line]
    assert len(names) >= 4 and all(line.endswith("problems: 0") for line in proc.stdout.splitlines() if line)
    for name in names:
        image = QImage(str(artifacts_dir / f"xvfb_schematic_{name}.png"))
        assert (image.width(), image.height()) == (1600, 900) and distinct_colours(image) > 8
    assert not [line for line in proc.stderr.splitlines() if line.strip()], proc.stderr
