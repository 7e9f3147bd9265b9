"""`millwatch --self-test` (hmi.selftest) from the source tree. CI also runs it from the built
bundle (packaging/smoke.sh), where it proves the frozen app finds its resources, fonts, drivers,
keyring backends and metadata."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

import hmi.selftest as st
from tests.conftest import cli_env

CHECKS = ["version", "resources", "text", "language", "database", "postgresql", "drivers", "keyring", "screens"]


def _run(env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hmi.selftest"], capture_output=True, text=True,
                          env=cli_env(env), timeout=180)


def _statuses(stdout: str) -> dict[str, str]:
    out = {}
    for line in stdout.splitlines():
        parts = line.split()
        if line.startswith("  ") and len(parts) >= 2 and parts[1] in CHECKS:
            out[parts[1]] = parts[0]
    return out


def test_self_test_passes_headless(tmp_path: Path) -> None:
    r = _run({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ""})  # forced offscreen whatever is asked for
    assert r.returncode == 0, r.stdout + r.stderr
    statuses = _statuses(r.stdout)
    assert list(statuses) == CHECKS
    # the tests' in-memory keyring (PYTHON_KEYRING_BACKEND) is a usable backend: all ok
    assert set(statuses.values()) == {"ok"}, r.stdout
    assert "self-test passed: 9 ok, 0 warning(s), 0 failed" in r.stdout
    assert r.stdout.startswith("Millwatch self-test: millwatch ")
    assert "Modbus over loopback" in r.stdout and "mills opened" in r.stdout
    # throwaway data only: nothing was created in the user's data or config directories
    home = tmp_path / "home"
    assert not (home / ".local" / "share" / "millwatch").exists()
    assert not (home / ".config" / "millwatch").exists()


def test_a_machine_without_fonts_fails_the_text_check(tmp_path: Path) -> None:
    """Without fonts Qt draws an empty box per character: dark pixels, but no text. The self-test
    must not be fooled by them."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "fc"}</cachedir></fontconfig>\n')
    r = _run({"FONTCONFIG_FILE": str(conf)})
    assert r.returncode == 1, r.stdout
    statuses = _statuses(r.stdout)
    assert statuses["text"] == "FAIL" and statuses["database"] == "ok"
    assert "text does not render" in r.stdout and "fonts-dejavu-core" in r.stdout
    assert "self-test FAILED" in r.stdout


def test_no_usable_keyring_is_a_warning_not_a_failure() -> None:
    r = _run({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert r.returncode == 0, r.stdout
    assert _statuses(r.stdout)["keyring"] == "warn"
    assert "MILLWATCH_BROKER_PASSWORD" in r.stdout


def test_dark_pixels() -> None:
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    assert st.dark_pixels(image) == 0
    image.fill(QColor("black"))
    assert st.dark_pixels(image) == 20 * 10  # every other row and column of 40x20


def test_a_failing_check_fails_the_run_and_the_rest_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def stub(name: str):  # type: ignore[no-untyped-def]
        def check(self: st.SelfTest) -> tuple[str, str]:
            ran.append(name)
            if name == "database":
                raise RuntimeError("disk on fire")
            if name == "drivers":
                raise st._Skip("the demo plant did not load")
            return (st.WARN, "meh") if name == "keyring" else (st.OK, "fine")

        return check

    for name in CHECKS:
        monkeypatch.setattr(st.SelfTest, f"check_{name}", stub(name))
    out = io.StringIO()
    assert st.run_self_test(out=out) == 1
    text = out.getvalue()
    assert ran == CHECKS
    assert "  FAIL  database    RuntimeError: disk on fire" in text
    assert "  FAIL  drivers     not run: the demo plant did not load" in text
    assert "  warn  keyring     meh" in text
    assert "self-test FAILED: 6 ok, 1 warning(s), 2 failed" in text


def test_a_missing_dutch_catalogue_fails_the_language_check(tmp_path: Path, monkeypatch) -> None:
    import hmi.ui.i18n as i18n

    monkeypatch.setattr(i18n, "catalogue_path", lambda language: str(tmp_path / "gone.qm"))
    status, detail = st.SelfTest(tmp_path, out=io.StringIO()).check_language()
    assert status == "FAIL" and "millwatch_nl.qm" in detail
    monkeypatch.undo()
    status, detail = st.SelfTest(tmp_path, out=io.StringIO()).check_language()
    assert status == "ok" and "'Storing'" in detail and "'12,5'" in detail
