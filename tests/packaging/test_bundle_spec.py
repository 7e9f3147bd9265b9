"""The PyInstaller spec and what it leaves out of the bundle (packaging/bundle_filter.py).

The bundle itself is built and run by CI (.ci/run: packaging/build.sh, then packaging/smoke.sh runs
the built executable's --self-test and --demo); these tests check the rules on their own, fast.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def _load_filter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_filter", PACKAGING / "bundle_filter.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bf = _load_filter()
Q = "PySide6/Qt"


@pytest.mark.parametrize(
    "dest",
    [
        f"{Q}/plugins/platforms/libqxcb.so",
        f"{Q}/plugins/platforms/libqoffscreen.so",
        f"{Q}/plugins/platforms/libqwayland.so",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/imageformats/qsvg.dll",
        "PySide6/translations/qtbase_de.qm",
        f"{Q}/plugins/imageformats/libqsvg.so",
        f"{Q}/plugins/imageformats/libqico.so",
        f"{Q}/plugins/iconengines/libqsvgicon.so",
        f"{Q}/plugins/platformthemes/libqxdgdesktopportal.so",
        f"{Q}/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        f"{Q}/plugins/wayland-shell-integration/libxdg-shell.so",
        f"{Q}/lib/libQt6Core.so.6",
        f"{Q}/lib/libQt6Widgets.so.6",
        f"{Q}/lib/libQt6Svg.so.6",
        f"{Q}/lib/libQt6OpenGL.so.6",
        f"{Q}/lib/libQt6XcbQpa.so.6",
        f"{Q}/translations/qtbase_de.qm",
        f"{Q}/translations/qt_fr.qm",
        "PySide6/Qt6Core.dll",
        "hmi/resources/styles/light.qss",
        "libpython3.11.so.1.0",
    ],
)
def test_kept(dest: str) -> None:
    assert bf.keep((dest, "src", "BINARY"))


@pytest.mark.parametrize(
    "dest",
    [
        f"{Q}/plugins/platformthemes/libqgtk3.so",
        f"{Q}/plugins/wayland-shell-integration/libwl-shell-plugin.so",
        f"{Q}/plugins/platforms/libqeglfs.so",
        f"{Q}/plugins/platforms/libqvnc.so",
        f"{Q}/plugins/imageformats/libqpdf.so",
        f"{Q}/plugins/imageformats/libqtiff.so",
        f"{Q}/plugins/sqldrivers/libqsqlite.so",
        f"{Q}/plugins/tls/libqopensslbackend.so",
        f"{Q}/plugins/qmltooling/libqmldbg_debugger.so",
        f"{Q}/lib/libQt6Quick.so.6",
        f"{Q}/lib/libQt6Qml.so.6",
        f"{Q}/lib/libQt6Pdf.so.6",
        f"{Q}/lib/libQt6Network.so.6",
        f"{Q}/lib/libQt6WebEngineCore.so.6",
        f"{Q}/lib/libQt6Multimedia.so.6",
        f"{Q}/lib/libQt63DCore.so.6",
        f"{Q}/lib/libQt6Charts.so.6",
        f"{Q}/translations/qtdeclarative_de.qm",
        f"{Q}/translations/qtmultimedia_fr.qm",
        "PySide6\\Qt6Quick.dll",
        "PySide6\\plugins\\imageformats\\qpdf.dll",
        "PySide6/plugins/sqldrivers/qsqlite.dll",
        "PySide6/translations/qtdeclarative_de.qm",
    ],
)
def test_dropped(dest: str) -> None:
    assert not bf.keep((dest, "src", "BINARY"))


def test_unused_qt_modules_are_excluded() -> None:
    for module in ("QtWebEngineCore", "QtWebEngineWidgets", "Qt3DCore", "QtQuick", "QtQml", "QtMultimedia",
                   "QtPdf", "QtCharts", "QtNetwork"):
        assert f"PySide6.{module}" in bf.QT_EXCLUDES
    for used in ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtOpenGL", "QtOpenGLWidgets"):
        assert f"PySide6.{used}" not in bf.QT_EXCLUDES
    assert {"pytest", "tkinter", "PyQt6", "setuptools"} <= set(bf.PY_EXCLUDES)


def test_prune_drops_the_libraries_only_dropped_plugins_needed() -> None:
    links = {
        "/qt/libqgtk3.so": [("libgtk-3.so.0", None), ("libcairo.so.2", "/sys/libcairo.so.2"),
                            ("libQt6Gui.so.6", "/qt/libQt6Gui.so.6")],
        "/sys/libcairo.so.2": [("libpixman-1.so.0", "/sys/libpixman-1.so.0"),
                               ("libfontconfig.so.1", "/sys/libfontconfig.so.1")],
        "/qt/libQt6Gui.so.6": [("libfontconfig.so.1", "/sys/libfontconfig.so.1")],
        "/ext/QtGui.abi3.so": [("libQt6Gui.so.6", "/qt/libQt6Gui.so.6")],
        "/sys/libfontconfig.so.1": [("libexpat.so.1", "/sys/libexpat.so.1")],
    }
    binaries = [
        (f"{Q}/plugins/platformthemes/libqgtk3.so", "/qt/libqgtk3.so", "BINARY"),
        (f"{Q}/lib/libQt6Gui.so.6", "/qt/libQt6Gui.so.6", "BINARY"),
        ("PySide6/QtGui.abi3.so", "/ext/QtGui.abi3.so", "EXTENSION"),
        ("libcairo.so.2", "/sys/libcairo.so.2", "BINARY"),
        ("libpixman-1.so.0", "/sys/libpixman-1.so.0", "BINARY"),
        ("libfontconfig.so.1", "/sys/libfontconfig.so.1", "BINARY"),
        ("libexpat.so.1", "/sys/libexpat.so.1", "BINARY"),
        ("libsqlite3.so.0", "/sys/libsqlite3.so.0", "BINARY"),  # needed by nobody we know of: kept
    ]
    datas = [(f"{Q}/translations/qtdeclarative_de.qm", "x", "DATA"), ("hmi/resources/styles/light.qss", "y", "DATA")]
    kept, kept_datas, n = bf.prune(binaries, datas, lambda path: links.get(path, []))
    names = [e[0] for e in kept]
    assert names == [f"{Q}/lib/libQt6Gui.so.6", "PySide6/QtGui.abi3.so", "libfontconfig.so.1", "libexpat.so.1",
                     "libsqlite3.so.0"]
    assert kept_datas == [("hmi/resources/styles/light.qss", "y", "DATA")]
    assert n == 4


def test_spec_collects_what_the_frozen_app_loads_by_name() -> None:
    """The collections that cannot be found by following imports (see the spec's header)."""
    source = (PACKAGING / "millwatch.spec").read_text()
    ast.parse(source)
    for needed in (
        'collect_data_files("hmi.resources"',
        'collect_data_files("hmi.storage.migrations", include_py_files=True',
        'copy_metadata("millwatch")',
        'copy_metadata("keyring", recursive=True)',
        'collect_submodules("keyring.backends")',
        '"sqlalchemy.dialects.postgresql.psycopg"',
        '"psycopg_binary"',
        "excludes=QT_EXCLUDES + PY_EXCLUDES",
        "millwatch-gui",  # the windowed Windows executable
    ):
        assert needed in source, needed


def test_package_data_reaches_hmi_resources() -> None:
    """The icon and the desktop file are package data of hmi.resources (pyproject's **/*), so the
    installed, editable and frozen app read them through importlib.resources."""
    from importlib.resources import files

    root = files("hmi.resources")
    assert (root / "icons" / "millwatch.svg").is_file()
    assert (root / "desktop" / "millwatch.desktop").is_file()


@pytest.mark.parametrize("script", ["build.sh", "smoke.sh", "install-desktop.sh", "build-deb.sh"])
def test_shell_scripts_parse(script: str) -> None:
    r = subprocess.run(["bash", "-n", str(PACKAGING / script)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_entry_script_is_the_console_script() -> None:
    r = subprocess.run([sys.executable, str(PACKAGING / "millwatch_main.py"), "--version"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("millwatch "), r.stderr
