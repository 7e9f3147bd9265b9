"""Every screen of the real app fits its smallest window: at the declared minimum size (a 1024x768
panel PC) and at 1280x720 (a laptop), in English and in Dutch, no tab, button, combo box or label is
cut off and no two widgets lie on top of each other (`fit_survey.py` says what it checks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hmi.ui.main_window import MIN_WINDOW_SIZE

ROOT = Path(__file__).resolve().parents[2]
SURVEY = Path(__file__).with_name("fit_survey.py")
SIZES = f"{MIN_WINDOW_SIZE[0]}x{MIN_WINDOW_SIZE[1]},1280x720"


def survey(language: str, shots: Path, sizes: str = SIZES, screens: str | None = None) -> dict[str, list[str]]:
    cmd = [sys.executable, str(SURVEY), "--language", language, "--sizes", sizes, "--shots", str(shots)]
    if screens:
        cmd += ["--screens", screens]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_screen_fits_the_smallest_window(language: str, artifacts_dir: Path) -> None:
    shots = artifacts_dir / "fit"
    report = survey(language, shots)
    assert report == {}, "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in report.items())
    assert len(list(shots.glob(f"fit_{language}_{MIN_WINDOW_SIZE[0]}x*_*.png"))) == 10  # every screen seen


def test_the_survey_sees_what_does_not_fit(tmp_path: Path) -> None:
    """At a window far below the minimum the same walk reports cut-off and overlapping widgets (so an
    empty report above means the screens fit, not that the survey looks at nothing)."""
    report = survey("en", tmp_path, "700x500", "alarms")
    found = report.get("700x500 alarms", [])
    assert any(f.startswith("clipped: ") for f in found), report
