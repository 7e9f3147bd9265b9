"""The crash handler: tracebacks to the log, and the user told where it is instead of a vanishing
window. Non-modal while the application runs; modal only when it is dying."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

import hmi.crash
from hmi.crash import CrashHandler, report_fatal
from hmi.logging_setup import log_dir
from tests.conftest import cli_env

HEADLESS_SCRIPT = """
import sys, threading
from hmi.logging_setup import setup_logging
from hmi.crash import install_crash_handler
path = setup_logging(console=False)
install_crash_handler(path)
t = threading.Thread(target=lambda: 1 / 0, name="driver-modbus")
t.start(); t.join()
assert "PySide6" not in sys.modules, "Qt loaded by a headless program"
if sys.argv[1] == "segv":
    import faulthandler; faulthandler._sigsegv()
raise ValueError("boom in main; broker mqtt://u:hunter2@b:1883")
"""


def _run_headless(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", HEADLESS_SCRIPT, mode], capture_output=True, text=True,
                          env=cli_env(), timeout=60)


def test_headless_errors_go_to_the_log_and_one_line_to_stderr() -> None:
    r = _run_headless("raise")
    assert r.returncode == 1
    log_file = log_dir() / "millwatch.log"
    lines = r.stderr.strip().splitlines()
    assert lines == [
        f"millwatch: unexpected error: ZeroDivisionError: division by zero; details in {log_file}",
        f"millwatch: unexpected error: ValueError: boom in main; broker mqtt://u:***@b:1883; details in {log_file}",
    ]
    text = log_file.read_text()
    assert "CRITICAL [driver-modbus] millwatch.crash: unhandled exception in thread driver-modbus" in text
    assert text.count("Traceback (most recent call last)") == 2
    assert "hunter2" not in text


def test_a_hard_crash_leaves_every_stack_in_the_fault_log() -> None:
    r = _run_headless("segv")
    assert r.returncode != 0
    faults = (log_dir() / "crash-faults.log").read_text()
    assert "Segmentation fault" in faults and "most recent call first" in faults


class _Pulse(QObject):
    fired = Signal()


@pytest.fixture
def handler(tmp_path: Path) -> Iterator[CrashHandler]:
    h = CrashHandler(tmp_path / "millwatch.log").install()
    yield h
    h.uninstall()
    box = h.dialog
    if box is not None:
        box.close()


def _run_loop_until(qtbot, *actions) -> None:  # type: ignore[no-untyped-def]
    """Run a real event loop (as app.exec() does) while `actions` fire from timers."""
    pulse = _Pulse()
    with qtbot.waitSignal(pulse.fired, timeout=5000):
        for i, action in enumerate(actions):
            QTimer.singleShot(10 * i, action)
        QTimer.singleShot(10 * len(actions) + 200, pulse.fired.emit)


def _boom() -> None:
    raise RuntimeError("slot failed")


@pytest.mark.qt_no_exception_capture
def test_gui_thread_error_shows_a_non_modal_dialog_and_the_app_goes_on(qtbot, handler: CrashHandler,
                                                                       tmp_path: Path) -> None:
    _run_loop_until(qtbot, _boom)
    box = handler.dialog
    assert box is not None and box.isVisible()
    assert not box.isModal() and box.windowModality() == Qt.WindowModality.NonModal
    assert "RuntimeError: slot failed" in box.summary_label.text()
    assert str(tmp_path / "millwatch.log") in box.log_label.text()
    assert "Traceback" in box.details.toPlainText()
    # more errors while it is open are counted on the same dialog, not stacked
    _run_loop_until(qtbot, _boom, _boom)
    assert handler.dialog is box and "2 more unexpected error(s)" in box.summary_label.text()
    assert handler.reported == 3


@pytest.mark.qt_no_exception_capture
def test_worker_thread_error_reaches_the_gui_thread(qtbot, handler: CrashHandler) -> None:
    def start_worker() -> None:
        threading.Thread(target=_boom, name="history-writer").start()

    _run_loop_until(qtbot, start_worker)
    box = handler.dialog
    assert box is not None and box.isVisible() and not box.isModal()
    assert box.thread() is QApplication.instance().thread()  # built and shown on the GUI thread
    assert "RuntimeError: slot failed" in box.summary_label.text()


def test_dying_application_gets_a_modal_dialog(qapp, handler: CrashHandler, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(hmi.crash, "_modal_dialog", lambda summary, _details, where: shown.append((summary, where)))
    try:
        raise KeyError("no event loop runs any more")
    except KeyError as exc:
        handler._sys_hook(type(exc), exc, exc.__traceback__)  # what Python calls as the app dies
    assert shown == [("KeyError: 'no event loop runs any more'", str(handler.log_file))]
    assert handler.dialog is None  # no non-modal dialog on the way out


def test_report_fatal_returns_70(qapp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shown: list[str] = []
    monkeypatch.setattr(hmi.crash, "_modal_dialog", lambda summary, *_: shown.append(summary))
    assert report_fatal(OSError("disk full"), gui=True) == 70
    assert shown == ["OSError: disk full"]
