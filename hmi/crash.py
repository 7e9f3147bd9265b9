"""The crash handler: an unhandled exception is written to the log with its traceback, and the
user is shown what happened and where the log is, instead of the window vanishing.

- `sys.excepthook`: the GUI thread (PySide6 routes exceptions raised in slots here and carries on)
  and the main thread of headless programs.
- `threading.excepthook`: driver, writer and worker threads.
- `faulthandler`: a hard crash (segfault in a native library) dumps every thread's stack to
  ``crash-faults.log`` beside the log.

While the Qt event loop runs, the dialog is NON-modal (`show()`): the application keeps running, so
the e-stop and the alarm banner stay usable, and more errors while it is open are counted on it, not
stacked. Only when the application is dying (no event loop runs any more, or `report_fatal` is
called on the way out) is the dialog modal, since then nothing else is left to block. Without a
QApplication (the collector, the CLI) a one-line reason naming the log goes to stderr.

Qt is imported only when a QApplication already exists (or a dying GUI program asks for a dialog),
so headless programs never load it.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from hmi.logging_setup import redact

log = logging.getLogger("millwatch.crash")
TITLE = "Millwatch: unexpected error"
FAULT_LOG_NAME = "crash-faults.log"
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()[0] if str(exc) else type(exc).__name__
    return redact(text if len(text) <= 300 else text[:297] + "...")


class CrashHandler:
    """Installs the hooks; `report` is what they call. One per process (install_crash_handler)."""

    def __init__(self, log_file: Path | None, *, verbose: bool = False) -> None:
        self.log_file = log_file
        self.verbose = verbose
        self.reported = 0
        self._lock = threading.Lock()
        self._presenter: Any = None  # _DialogPresenter, created on first use
        self._previous: tuple[Any, Any] | None = None
        self._fault_file: IO[str] | None = None

    # -- hooks --------------------------------------------------------------------------------------
    def install(self) -> CrashHandler:
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self._sys_hook
            threading.excepthook = self._thread_hook
        if self.log_file is not None and self._fault_file is None:
            try:
                self._fault_file = open(self.log_file.parent / FAULT_LOG_NAME, "a", encoding="utf-8")  # noqa: SIM115
                faulthandler.enable(self._fault_file, all_threads=True)
            except OSError:
                self._fault_file = None
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None
        if self._fault_file is not None:
            faulthandler.disable()
            self._fault_file.close()
            self._fault_file = None

    def _sys_hook(self, etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        self.report((etype, value, tb), thread_name=threading.current_thread().name)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        self.report((args.exc_type, args.exc_value, args.exc_traceback), thread_name=name)

    # -- reporting ------------------------------------------------------------------------------------
    def where(self) -> str:
        return str(self.log_file) if self.log_file is not None else "stderr (no log file could be written)"

    def report(self, exc_info: ExcInfo, *, thread_name: str = "", fatal: bool = False) -> None:
        """Log the traceback and tell the user (dialog or stderr). Never raises."""
        try:
            with self._lock:
                self.reported += 1
            etype, value, tb = exc_info
            log.critical(
                "unhandled exception%s%s",
                f" in thread {thread_name}" if thread_name else "",
                " (the program stops)" if fatal else "",
                exc_info=exc_info,
            )
            summary = _one_line(value)
            details = redact("".join(traceback.format_exception(etype, value, tb)))
            if not self._tell_gui(summary, details, fatal=fatal):
                self._tell_stderr(summary, details)
        except Exception:  # noqa: BLE001 - the last line of defence must not raise itself
            sys.__excepthook__(*exc_info)

    def _tell_stderr(self, summary: str, details: str) -> None:
        stream = sys.stderr
        if stream is None:  # a windowed build: the log is all there is
            return
        try:
            stream.write(f"millwatch: unexpected error: {summary}; details in {self.where()}\n")
            if self.verbose or self.log_file is None:
                stream.write(details)
            stream.flush()
        except (OSError, ValueError):
            pass

    def _tell_gui(self, summary: str, details: str, *, fatal: bool) -> bool:
        if "PySide6.QtWidgets" not in sys.modules:
            return False
        from PySide6.QtCore import QThread
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return False
        on_gui_thread = QThread.currentThread() is app.thread()
        if on_gui_thread and (fatal or QThread.currentThread().loopLevel() == 0):
            # The application is dying (or not yet running): nothing else is left to block.
            _modal_dialog(summary, details, self.where())
            return True
        presenter = self._ensure_presenter(app)
        presenter.request.emit(summary, details, self.where())  # queued to the GUI thread when off it
        return True

    def _ensure_presenter(self, app: Any) -> Any:
        with self._lock:
            if self._presenter is None:
                presenter = _make_presenter()
                if presenter.thread() is not app.thread():
                    presenter.moveToThread(app.thread())  # push it to the GUI thread from its own thread
                self._presenter = presenter
            return self._presenter

    @property
    def dialog(self) -> Any:
        """The non-modal dialog currently shown, if any (for tests)."""
        return None if self._presenter is None else self._presenter.box


_handler: CrashHandler | None = None


def install_crash_handler(log_file: Path | None, *, verbose: bool = False) -> CrashHandler:
    """Install (once per process) the hooks; a second call updates the log file and verbosity."""
    global _handler
    if _handler is None:
        _handler = CrashHandler(log_file, verbose=verbose).install()
    else:
        _handler.log_file, _handler.verbose = log_file, verbose
    return _handler


def uninstall_crash_handler() -> None:
    global _handler
    if _handler is not None:
        _handler.uninstall()
        _handler = None


def report_fatal(exc: BaseException, *, gui: bool = False) -> int:
    """For the top of `main`: an exception that ends the program. Logs it, shows a MODAL dialog if
    this is (or was about to be) a GUI session and a screen exists, else one line on stderr.
    Returns the exit code to use (70, EX_SOFTWARE)."""
    handler = _handler or CrashHandler(None)
    exc_info = (type(exc), exc, exc.__traceback__)
    if gui and "PySide6.QtWidgets" not in sys.modules and _display_available():
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is None:
            QApplication(sys.argv[:1])
    handler.report(exc_info, fatal=True)
    return 70


def _display_available() -> bool:
    if os.name == "nt" or sys.platform == "darwin":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


# -- Qt side (imported only when a QApplication exists) -------------------------------------------------
DIALOG_SIZE = (640, 420)
DIALOG_MIN_SIZE = (520, 320)


def translate(context: str, text: str) -> str:
    """The crash dialog in the user's language (the translator is installed by then, when the window
    is up; the log and stderr stay English). Named `translate` so that lupdate collects the texts."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(context, text)


def _crash_dialog(summary: str, details: str, where: str) -> Any:
    """The dialog: what happened, where the log is (with a button to open its folder), the traceback.

    Its size limits are set once, before it is shown: a message box resizes itself on every text
    change, which some platforms warn about on a shown window."""
    from PySide6.QtCore import Qt, QUrl
    from PySide6.QtGui import QDesktopServices, QFontDatabase
    from PySide6.QtWidgets import (
        QDialog,
        QDialogButtonBox,
        QHBoxLayout,
        QLabel,
        QPlainTextEdit,
        QPushButton,
        QStyle,
        QVBoxLayout,
    )

    dialog = QDialog()
    dialog.setObjectName("crashDialog")
    dialog.setWindowTitle(translate("CrashDialog", "Millwatch: unexpected error"))
    dialog.setMinimumSize(*DIALOG_MIN_SIZE)
    dialog.setMaximumSize(16000, 16000)
    dialog.resize(*DIALOG_SIZE)
    icon = QLabel(dialog)
    icon.setPixmap(dialog.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
    text = QLabel(translate("CrashDialog", "Millwatch hit an unexpected error:\n{summary}").format(summary=summary),
                  dialog)
    text.setObjectName("crashSummary")
    text.setWordWrap(True)
    info = QLabel(translate("CrashDialog", "The details are in the log:\n{where}").format(where=where), dialog)
    info.setObjectName("crashLogPath")
    info.setWordWrap(True)
    for label in (text, info):
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    trace = QPlainTextEdit(details, dialog)
    trace.setObjectName("crashDetails")
    trace.setReadOnly(True)
    trace.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    trace.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    open_folder = QPushButton(translate("CrashDialog", "Open log folder"), dialog)
    buttons.addButton(open_folder, QDialogButtonBox.ButtonRole.ActionRole)
    buttons.rejected.connect(dialog.reject)
    folder = str(Path(where).parent) if where and not where.startswith("stderr") else ""
    open_folder.setEnabled(bool(folder))
    open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(folder)))
    top = QHBoxLayout()
    top.addWidget(icon, 0)
    texts = QVBoxLayout()
    texts.addWidget(text)
    texts.addWidget(info)
    top.addLayout(texts, 1)
    layout = QVBoxLayout(dialog)
    layout.addLayout(top)
    layout.addWidget(trace, 1)
    layout.addWidget(buttons)
    dialog.summary_label, dialog.log_label, dialog.details = text, info, trace  # type: ignore[attr-defined]
    return dialog


def _modal_dialog(summary: str, details: str, where: str) -> None:
    dialog = _crash_dialog(summary, details, where)
    stop = translate("CrashDialog", "Millwatch has to stop. The details are in the log:\n{where}")
    dialog.log_label.setText(stop.format(where=where))
    dialog.exec()  # modal on purpose: only ever shown when the application is dying


def _make_presenter() -> Any:
    from PySide6.QtCore import QObject, Qt, Signal, Slot

    class _DialogPresenter(QObject):
        """Lives on the GUI thread; shows one non-modal dialog and counts further errors on it."""

        request = Signal(str, str, str)

        def __init__(self) -> None:
            super().__init__()
            self.box: Any = None
            self.more = 0
            self._first = ""
            self.request.connect(self._on_request)

        @Slot(str, str, str)
        def _on_request(self, summary: str, details: str, where: str) -> None:
            if self.box is not None and self.box.isVisible():
                self.more += 1
                more = translate("CrashDialog", "({n} more unexpected error(s) since: see the log)").format(n=self.more)
                self.box.summary_label.setText(f"{self._first}\n{more}")
                return
            self.more = 0
            box = _crash_dialog(summary, details, where)
            self._first = box.summary_label.text()
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.setModal(False)
            box.finished.connect(self._on_closed)
            self.box = box
            box.show()

        @Slot()
        def _on_closed(self) -> None:
            box, self.box = self.box, None
            if box is not None:
                box.deleteLater()

    return _DialogPresenter()
