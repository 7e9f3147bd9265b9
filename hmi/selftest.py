"""`millwatch --self-test`: is this installation (source, wheel or frozen bundle) able to run?

Starts the application headless (Qt offscreen), and checks, on throwaway data in a temporary
directory (the user's database, keyring entries and settings are never touched):

    version     the version comes from the package metadata (importlib.metadata works frozen)
    resources   stylesheet, demo plant and Alembic migrations found through importlib.resources;
                the icon drawn through Qt's SVG icon engine (the plugin is in the bundle)
    text        text really renders: a string drawn into a QImage leaves dark pixels, and glyphs,
                not the empty boxes Qt draws when it has no font at all (a bundle or machine
                without fonts shows no text, and a check of font metrics alone misses that)
    database    SQLite: schema created from nothing through every migration, plant applied, a user
                created (argon2), history written and read back
    postgresql  the PostgreSQL driver and its libpq load
    drivers     every built-in driver scheme is registered; Modbus read over loopback from the
                simulator's server; paho MQTT and TLS contexts load
    keyring     keyring's backends were found (in a frozen build only if the bundle carries their
                metadata); which backend is active; none usable on this machine is a warning
    screens     the main window on the demo plant fed by the simulator, each screen (tab) and each
                mill opened, values shown and drawn; the setup wizard opened

Prints one line per check and a summary, returns 0 if nothing failed (warnings pass), else 1.
Also runnable as `python -m hmi.selftest`.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

log = logging.getLogger(__name__)

OK, WARN, FAIL = "ok", "warn", "FAIL"
SAMPLE_TEXT = "Millwatch 0123456789 °C hPa"
EXPECTED_SCHEMES = {"mqtt", "modbus", "modbus+rtu", "sim"}


@dataclass
class Check:
    name: str
    status: str
    detail: str
    seconds: float = 0.0


class _Skip(Exception):
    """Raised by a check that cannot run because an earlier one failed."""


class SelfTest:
    def __init__(self, workdir: Path, *, out: TextIO, feed_seconds: float = 3.0) -> None:
        self.workdir = workdir
        self.out = out
        self.feed_seconds = feed_seconds
        self.checks: list[Check] = []
        self.plant: Any = None
        self.engine: Any = None
        self.app: Any = None

    # -- running -----------------------------------------------------------------------------------------
    def run(self) -> list[Check]:
        steps: list[tuple[str, Callable[[], tuple[str, str]]]] = [
            ("version", self.check_version),
            ("resources", self.check_resources),
            ("text", self.check_text),
            ("language", self.check_language),
            ("database", self.check_database),
            ("postgresql", self.check_postgresql),
            ("drivers", self.check_drivers),
            ("keyring", self.check_keyring),
            ("screens", self.check_screens),
        ]
        for name, fn in steps:
            t0 = time.perf_counter()
            try:
                status, detail = fn()
            except _Skip as exc:
                status, detail = FAIL, f"not run: {exc}"
            except Exception as exc:  # noqa: BLE001 - a check that raises has failed; the rest still run
                log.error("self-test %s failed:\n%s", name, traceback.format_exc())
                status, detail = FAIL, f"{type(exc).__name__}: {exc}".splitlines()[0]
            check = Check(name, status, detail, time.perf_counter() - t0)
            self.checks.append(check)
            self.out.write(f"  {check.status:<5} {check.name:<11} {check.detail}\n")
            self.out.flush()
        if self.engine is not None:
            self.engine.dispose()
        return self.checks

    # -- checks ------------------------------------------------------------------------------------------
    def check_version(self) -> tuple[str, str]:
        from importlib.metadata import version

        import hmi

        v = version("millwatch")
        if hmi.__version__ != v:
            return FAIL, f"hmi.__version__ {hmi.__version__!r} differs from the metadata's {v!r}"
        return OK, f"millwatch {v} from the package metadata"

    def check_resources(self) -> tuple[str, str]:
        from importlib.resources import as_file, files

        from hmi.services.plant_io import read_plant_file
        from hmi.storage.migrate import head_revision

        self._qt_app()
        root = files("hmi.resources")
        qss = (root / "styles" / "light.qss").read_text(encoding="utf-8")
        if "AlarmPalette" not in qss:
            return FAIL, "styles/light.qss has no AlarmPalette rules"
        with as_file(root / "icons" / "millwatch.svg") as icon_path:
            icon_px = icon_pixels(Path(icon_path), 48)
        if icon_px < 48 * 48 // 2:
            return FAIL, f"icons/millwatch.svg does not render ({icon_px} opaque pixels at 48 px: QtSvg missing?)"
        with as_file(root / "plants" / "demo.toml") as path:
            self.plant = read_plant_file(Path(path))
        versions = files("hmi.storage") / "migrations" / "versions"
        scripts = sorted(p.name for p in versions.iterdir() if p.name.endswith(".py"))
        if not scripts:
            return FAIL, "no Alembic revision scripts in hmi/storage/migrations/versions"
        head = head_revision()
        return OK, (
            f"stylesheet ({len(qss) // 1024} KB), icon (SVG drawn at 48 px), demo plant "
            f"({len(self.plant.mills)} mills, {len(self.plant.sensors())} sensors), {len(scripts)} migrations "
            f"(head {head})"
        )

    def _qt_app(self) -> Any:
        if self.app is None:
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance()
            if app is None:
                app = QApplication(sys.argv[:1])
            self.app = app
        return self.app

    def check_text(self) -> tuple[str, str]:
        """Draw text and look at the pixels. Without any font Qt still "draws": an empty box per
        character (its box font engine), so dark pixels alone prove nothing. Real glyphs differ in
        ink: a row of W carries far more than a row of i, while boxes are all alike."""
        from PySide6.QtGui import QFontDatabase, QFontInfo

        from hmi.ui.theme import base_font

        self._qt_app()
        generic = {"Sans Serif", "Serif", "Monospace", "Sans", "Mono"}
        families = [f for f in QFontDatabase.families() if f not in generic]
        font = base_font()
        family = QFontInfo(font).family()
        ink = draw_text_ink(font, SAMPLE_TEXT)
        thin, wide = draw_text_ink(font, "i" * 12), draw_text_ink(font, "W" * 12)
        hint = "install fonts (Debian: fonts-dejavu-core and fontconfig-config; Windows always has them)"
        if ink == 0:
            return FAIL, f"text does not render: nothing drawn; {hint}"
        if not families or not family or wide < 1.5 * thin:
            return FAIL, (
                f"text does not render: no usable font ({len(families)} font families; only empty boxes are "
                f"drawn); {hint}"
            )
        ratio = f"{wide / thin:.1f}" if thin else "inf"
        return OK, f'{len(families)} font families; "{family}" draws glyphs ({ink} dark pixels, W/i ink {ratio})'

    def check_language(self) -> tuple[str, str]:
        """The Dutch catalogues load (ours and Qt's own), and a domain word and a number come out
        Dutch: a bundle that lost resources/i18n or Qt's translations fails here."""
        from PySide6.QtCore import QCoreApplication

        from hmi.core.domain import MillStatus
        from hmi.ui.domain_words import word
        from hmi.ui.i18n import fmt_number, install_language, remove_language

        self._qt_app()
        try:
            if install_language("nl") != "nl":
                return FAIL, "the Dutch catalogue (resources/i18n/millwatch_nl.qm) does not load"
            status, number = word(MillStatus.ERROR), fmt_number(12.5, 1)
            qt_button = QCoreApplication.translate("QPlatformTheme", "Cancel")
        finally:
            remove_language()
        if status == "Error" or number != "12,5":
            return FAIL, f"Dutch installed but not in use: {status!r}, {number!r}"
        qt_note = ("Qt's own catalogue too" if qt_button != "Cancel"
                   else "Qt's own catalogue missing (standard buttons English)")
        return OK, f"Dutch: {status!r}, {number!r}; {qt_note}"

    def check_database(self) -> tuple[str, str]:
        import sqlite3

        from hmi.core.domain import Role
        from hmi.services.users import add_user
        from hmi.storage.database import make_engine
        from hmi.storage.history import latest_per_sensor, write_rows
        from hmi.storage.migrate import current_revision, head_revision, upgrade
        from hmi.storage.plant_repo import apply_plant, load_plant, sensor_ids

        if self.plant is None:
            raise _Skip("the demo plant did not load")
        engine = make_engine(f"sqlite:///{self.workdir / 'selftest.sqlite'}")
        self.engine = engine
        revision = upgrade(engine)
        if revision != head_revision() or current_revision(engine) != revision:
            return FAIL, f"schema at {revision!r} after upgrade, expected {head_revision()!r}"
        report = apply_plant(engine, self.plant)
        if len(load_plant(engine).sensors()) != len(self.plant.sensors()):
            return FAIL, "the plant read back differs from the one applied"
        add_user(engine, "selftest", "self-test-password-1", Role.ADMIN, actor="self-test", audit_key=None)
        # History: one reading per sensor, written and read the way the history writer and trends do.
        ids = sensor_ids(engine)
        now = time.time()
        written = write_rows(engine, [(sid, now, 1.0, 1.0, 0) for sid in ids.values()])
        stored = len(latest_per_sensor(engine))
        if stored != written or written != len(self.plant.sensors()):
            return FAIL, f"{stored} sensors' readings read back, {written} written"
        return OK, (
            f"SQLite {sqlite3.sqlite_version}: schema {revision} built through every migration, "
            f"plant applied ({len(report.created)} rows), user created, {stored} readings written and read"
        )

    def check_postgresql(self) -> tuple[str, str]:
        import psycopg
        from sqlalchemy.dialects.postgresql import psycopg as _dialect  # noqa: F401 - loaded by URL

        impl = psycopg.pq.__impl__
        libpq = psycopg.pq.version()
        return OK, f"psycopg {psycopg.__version__} ({impl}), libpq {libpq // 10000}.{libpq % 10000}"

    def check_drivers(self) -> tuple[str, str]:
        import ssl

        import paho.mqtt.client as mqtt
        from paho.mqtt import __version__ as paho_version
        from paho.mqtt.enums import CallbackAPIVersion

        from hmi.runtime import Runtime, RuntimeConfig, default_registry
        from hmi.services.demo import DEMO_MODBUS_PORT, with_modbus_port
        from hmi.services.local_broker import free_port
        from hmi.services.simulator import Simulator

        if self.plant is None:
            raise _Skip("the demo plant did not load")
        schemes = set(default_registry().schemes())
        if not EXPECTED_SCHEMES <= schemes:
            return FAIL, f"drivers missing: {', '.join(sorted(EXPECTED_SCHEMES - schemes))}"
        mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        ssl.create_default_context()

        port = free_port()
        plant = with_modbus_port(self.plant, DEMO_MODBUS_PORT, port)
        modbus_euis = {s.eui for s in plant.sensors() if s.effective_source().startswith("modbus")}
        seen: set[str] = set()

        def on_readings(readings: list[Any]) -> None:
            seen.update(r.eui for r in readings)

        sim = Simulator(plant, broker_url=None, modbus_port=port)
        runtime = Runtime(RuntimeConfig(plant=plant, engine=None, client_id="millwatch-selftest"))
        runtime.add_readings_listener(on_readings)
        sim.start()
        try:
            runtime.start()
            deadline = time.monotonic() + 10.0
            while time.monotonic() < deadline and not modbus_euis <= seen:
                time.sleep(0.05)
        finally:
            runtime.stop(timeout=5.0)
            sim.stop()
        got = len(modbus_euis & seen)
        detail = (
            f"{', '.join(sorted(schemes))}; Modbus over loopback: {got}/{len(modbus_euis)} sensors read; "
            f"paho-mqtt {paho_version}, {ssl.OPENSSL_VERSION}"
        )
        return (OK if got == len(modbus_euis) else FAIL), detail

    def check_keyring(self) -> tuple[str, str]:
        import keyring
        from keyring.backend import get_all_keyring
        from keyring.backends import chainer, fail
        from keyring.compat.py312 import metadata

        from hmi.storage.secrets import keyring_backend_name

        entry_points = sorted(ep.name for ep in metadata.entry_points(group="keyring.backends"))
        if not entry_points:
            return FAIL, "keyring found none of its backends (its metadata is missing from the bundle)"
        backend = keyring.get_keyring()
        viable = sorted(type(k).__name__ for k in get_all_keyring() if not isinstance(k, fail.Keyring))
        name = f"{type(backend).__module__.removeprefix('keyring.backends.')}.{keyring_backend_name()}"
        usable = not isinstance(backend, fail.Keyring) and not (
            isinstance(backend, chainer.ChainerBackend) and not backend.backends
        )
        found = f"backends found: {', '.join(entry_points)}"
        if not usable:
            why = "; ".join(_unusable_native_backends())
            return WARN, (
                f"no usable keyring on this machine ({name}; {found}{'; ' + why if why else ''}); secrets come "
                "from MILLWATCH_BROKER_PASSWORD / MILLWATCH_DB_PASSWORD"
            )
        return OK, f"{name} (usable: {', '.join(viable) or name}; {found})"

    def check_screens(self) -> tuple[str, str]:
        from PySide6.QtCore import QEventLoop, QTimer
        from PySide6.QtWidgets import QAbstractItemView, QStackedWidget

        from hmi.runtime import Runtime, RuntimeConfig
        from hmi.ui.bridge import LiveBridge
        from hmi.ui.main_window import MainWindow
        from hmi.ui.theme import apply_theme
        from hmi.ui.trend_screen import TrendScreen  # numpy + pyqtgraph: a bundle with broken libraries fails here

        if self.plant is None:
            raise _Skip("the demo plant did not load")
        app = self._qt_app()
        palette = apply_theme(app)
        bridge = LiveBridge()
        trend_probe = TrendScreen(self.plant, bridge=bridge)
        trend_probe.shutdown()
        trend_probe.deleteLater()
        window = MainWindow(self.plant, bridge, plant_name="Demo plant", palette=palette)
        window.setWindowTitle("Millwatch HMI — self-test")
        window.resize(1280, 800)
        runtime = Runtime(
            RuntimeConfig(plant=self.plant, engine=None, simulate_all=True, client_id="millwatch-selftest")
        )
        runtime.add_readings_listener(bridge.submit)
        window.show()
        runtime.start()

        def spin(seconds: float) -> None:
            loop = QEventLoop()
            QTimer.singleShot(int(seconds * 1000), loop.quit)
            loop.exec()

        try:
            deadline = time.monotonic() + max(self.feed_seconds, 0.5)
            while time.monotonic() < deadline and bridge.stats().received == 0:
                spin(0.1)
            spin(0.3)  # one more flush to the table
            received = bridge.stats().received
            tabs = 0  # every page of every stack: the screens (sensors, alarms, journal, trends...)
            for stack in window.findChildren(QStackedWidget):
                current = stack.currentIndex()
                for i in range(stack.count()):
                    stack.setCurrentIndex(i)
                    spin(0.05)  # a screen not opened before is built when first shown
                    tabs += 1
                stack.setCurrentIndex(current)
            views = [v for v in window.findChildren(QAbstractItemView) if v.model() is not None]
            rows = max((v.model().rowCount() for v in views), default=0)
            mills = 0
            mill_list = getattr(window, "mill_list", None)
            if mill_list is not None and hasattr(mill_list, "select_mill"):
                for mill in self.plant.mills:
                    mill_list.select_mill(mill.slug)
                    spin(0.05)
                    mills += 1
                mill_list.select_mill(None)
            spin(0.1)
            shot = window.grab().toImage()
            drawn = dark_pixels(shot)
            wizard_pages = self._open_wizard(spin)
        finally:
            runtime.stop(timeout=5.0)
            bridge.stop()
            window.close()
            window.deleteLater()
            spin(0.05)
        problems = []
        if received == 0:
            problems.append("no values reached the window")
        if rows < len(self.plant.sensors()):
            problems.append(f"{rows} rows shown for {len(self.plant.sensors())} sensors")
        if drawn == 0:
            problems.append("the window drew no text")
        detail = (
            f"main window {shot.width()}x{shot.height()}: {tabs} screens and {mills} mills opened, {rows} sensor rows, "
            f"{received} values received, {drawn} dark pixels drawn; setup wizard ({wizard_pages} pages) opened"
        )
        return (FAIL, "; ".join(problems) + f" ({detail})") if problems else (OK, detail)

    def _open_wizard(self, spin: Callable[[float], None]) -> int:
        from hmi.config import Settings
        from hmi.ui.wizard import SetupWizard

        scratch = Settings(database_url=f"sqlite:///{self.workdir / 'wizard.sqlite'}")  # never the user's
        wizard = SetupWizard(scratch, config_file=self.workdir / "config.toml")
        wizard.show()
        spin(0.05)
        pages = len(wizard.pageIds())
        for _ in range(pages):
            wizard.next()  # stops by itself at the first page whose fields are not complete
            spin(0.02)
        wizard.close()
        wizard.deleteLater()
        return pages


NATIVE_KEYRINGS = {"linux": ("SecretService", "libsecret", "kwallet"), "win32": ("Windows",), "darwin": ("macOS",)}


def _unusable_native_backends() -> list[str]:
    """Why this platform's own keyring backends are not usable (no D-Bus session, no Secret Service...)."""
    from keyring.backend import KeyringBackend

    wanted = NATIVE_KEYRINGS.get(sys.platform, ())
    out = []
    for cls in sorted(KeyringBackend._classes, key=lambda c: c.__module__):  # type: ignore[attr-defined]
        module = cls.__module__.removeprefix("keyring.backends.")
        if module.split(".")[0] not in wanted:
            continue
        try:
            cls.priority  # noqa: B018 - raises when the backend cannot work here
        except Exception as exc:  # noqa: BLE001 - any reason is worth showing
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:100]
            line = f"{module.split('.')[0]}: {reason}"
            if line not in out:
                out.append(line)
    return out


def icon_pixels(svg: Path, size: int) -> int:
    """Opaque pixels of the SVG drawn as a window icon (QIcon through Qt's SVG icon engine)."""
    from PySide6.QtGui import QIcon

    image = QIcon(str(svg)).pixmap(size, size).toImage()
    if image.isNull():
        return 0
    return sum(1 for y in range(image.height()) for x in range(image.width()) if image.pixelColor(x, y).alpha() > 200)


def draw_text_ink(font: Any, text: str) -> int:
    """Dark pixels of `text` drawn black on white in `font`."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(480, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), int(Qt.AlignmentFlag.AlignCenter), text)
    painter.end()
    return dark_pixels(image)


def dark_pixels(image: Any) -> int:
    """Pixels of `image` darker than mid-grey (sampled on every other row and column)."""
    from PySide6.QtGui import QImage

    img = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    data = bytes(img.constBits())
    count = 0
    for y in range(0, h, 2):
        row = data[y * bpl : y * bpl + w]
        count += sum(1 for v in row[::2] if v < 128)
    return count


def run_self_test(*, out: TextIO | None = None, feed_seconds: float = 3.0) -> int:
    """Run every check (offscreen), print the results and a summary; 0 if none failed, else 1."""
    import hmi

    out = out or sys.stdout
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless whatever the desktop: no window flashes up
    frozen = " (frozen)" if getattr(sys, "frozen", False) else ""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    out.write(
        f"Millwatch self-test: millwatch {hmi.__version__}{frozen}, Python {platform.python_version()}, "
        f"Qt {qVersion()} (PySide6 {pyside_version}), {platform.system()} {platform.machine()}\n"
    )
    t0 = time.perf_counter()
    # Cleanup errors are not the installation's: a file a closing part writes late must not fail it.
    with tempfile.TemporaryDirectory(prefix="millwatch-selftest-", ignore_cleanup_errors=True) as tmp:
        checks = SelfTest(Path(tmp), out=out, feed_seconds=feed_seconds).run()
    failed = [c for c in checks if c.status == FAIL]
    warned = [c for c in checks if c.status == WARN]
    verdict = "FAILED" if failed else "passed"
    from hmi.logging_setup import current_log_file

    where = current_log_file()
    out.write(
        f"self-test {verdict}: {len(checks) - len(failed) - len(warned)} ok, {len(warned)} warning(s), "
        f"{len(failed)} failed ({time.perf_counter() - t0:.1f} s)"
        + (f"; log: {where}" if where else "")
        + "\n"
    )
    out.flush()
    return 1 if failed else 0


def main() -> int:
    from hmi.logging_setup import setup_logging

    setup_logging(console=False)
    return run_self_test()


if __name__ == "__main__":
    sys.exit(main())
