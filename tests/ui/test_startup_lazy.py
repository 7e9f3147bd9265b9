"""The window shows before what it does not need yet is loaded (issue #6: "import what a screen needs
when it first opens"): in a real start of the app (a subprocess on a migrated database with the demo
plant), at the moment the sign-in page is saved as a screenshot, none of the drivers' libraries, the
trend and schematic stack, numpy, the ORM or the screens that are built when first opened is loaded.
benchmarks/startup.py measures the time; this keeps the gain from regressing silently."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hmi.app import demo_plant_path
from hmi.services.plant_io import read_plant_file
from hmi.storage.database import make_engine
from hmi.storage.migrate import upgrade
from hmi.storage.plant_repo import apply_plant

ROOT = Path(__file__).resolve().parents[2]

# Runs the app as `python -m hmi ARGS`; when the window is saved (the sign-in page is shown), writes
# the names of the loaded modules to OUT first. Loading hmi.ui.run early only adds modules.
DRIVER = """
import json, sys
import hmi.ui.run as run

out, argv = sys.argv[1], sys.argv[2:]
finish = run._Finisher.finish

def finish_after_listing(self):
    with open(out, "w") as f:
        json.dump(sorted(sys.modules), f)
    finish(self)

run._Finisher.finish = finish_after_listing
from hmi.cli import main
sys.exit(main(argv))
"""

# Loaded only when they are used: the drivers (after the window shows), the screens and their libraries
# (when first opened), the keyring (when a secret is needed), msgspec (with the first gateway payload).
NOT_BEFORE_SIGN_IN = (
    "paho", "pymodbus", "serial", "keyring", "numpy", "pyqtgraph", "sqlalchemy.orm", "alembic", "psycopg", "msgspec",
    "hmi.drivers.mqtt", "hmi.drivers.modbus", "hmi.drivers.sim", "hmi.services.trends",
    "hmi.ui.trend_screen", "hmi.ui.schematic_screen", "hmi.ui.config_screen", "hmi.ui.tools_screen",
    "hmi.ui.user_admin", "hmi.ui.audit_view", "hmi.ui.overview_screen", "hmi.ui.sensor_table",
    "hmi.ui.alarm_summary", "hmi.ui.alarm_journal", "hmi.ui.quick_search", "hmi.ui.faceplate", "hmi.ui.mill_list",
)


def test_the_sign_in_page_shows_before_drivers_and_screens_load(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'plant.sqlite'}"
    engine = make_engine(db)
    upgrade(engine)
    apply_plant(engine, read_plant_file(demo_plant_path()))
    engine.dispose()
    shot, listing = tmp_path / "sign_in.png", tmp_path / "modules.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    args = ["--db", db, "--screenshot", str(shot), "--exit-after", "0"]
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(listing), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert shot.is_file() and shot.stat().st_size > 20_000
    loaded = set(json.loads(listing.read_text()))
    assert {"hmi.ui.sign_in", "hmi.ui.alarm_banner", "hmi.ui.estop_panel"} <= loaded  # the real window
    early = sorted(m for m in loaded if any(m == p or m.startswith(p + ".") for p in NOT_BEFORE_SIGN_IN))
    assert early == [], f"loaded before the sign-in page showed: {early}"
