"""What the frozen bundle leaves out: used by millwatch.spec, tested by tests/packaging.

Three layers: Python modules never imported by the app (`QT_EXCLUDES`, `PY_EXCLUDES`, given to
PyInstaller's Analysis), bundle files of unused Qt parts (`DROP`, matched on destination paths after
the analysis), and the system libraries that only those dropped files needed (`prune`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence

# Qt modules the application does not use. PySide6-Essentials has no WebEngine/3D/Multimedia/Charts,
# but listing them keeps the bundle small even where the full PySide6 is installed.
_UNUSED_QT = [
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtBluetooth",
    "QtCanvasPainter", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDesigner", "QtGraphs",
    "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets",
    "QtNetwork", "QtNetworkAuth", "QtNfc", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtQml", "QtQuick",
    "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors",
    "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtTest", "QtTextToSpeech",
    "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets",
    "QtWebView", "QtXml",
]
QT_EXCLUDES = [f"PySide6.{m}" for m in _UNUSED_QT]

# Development tools, other Qt bindings and stdlib parts a desktop app never loads.
PY_EXCLUDES = [
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "pydoc_data", "test", "ensurepip",
    "pip", "setuptools", "pkg_resources", "distutils", "IPython", "matplotlib", "PyQt5", "PyQt6", "PySide2",
    "pytest", "_pytest", "hypothesis", "mypy", "ruff", "importlinter", "grimp", "pygments", "rich",
    "sqlalchemy.testing", "alembic.testing", "keyring.testing", "gi", "gtk",
]

# Bundle entries (destination paths) to drop: Qt plugins, libraries and translations of the modules
# excluded above; platform plugins other than X11, Wayland, offscreen and minimal; image formats the
# app does not read; GTK's platform theme (it would pull the build machine's whole GTK stack); the
# obsolete Wayland wl_shell integration.
DROP = re.compile(
    r"(^|/)PySide6/(Qt/)?plugins/("  # Qt/plugins on Linux, plugins on Windows
    r"designer|qmltooling|qmllint|sqldrivers|tls|networkinformation|egldeviceintegrations|generic|"
    r"printsupport|vectorimageformats|wayland-graphics-integration-server|position|sensors|multimedia|"
    r"platforms/(lib)?q(eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl)|"
    r"imageformats/(lib)?q(pdf|tiff|webp|tga|wbmp|icns)|"
    r"platformthemes/(lib)?qgtk3|"
    r"wayland-shell-integration/(lib)?wl-shell-plugin"  # the obsolete wl_shell: needs Qt6WlShellIntegration
    r")"
    r"|(^|/)(lib)?Qt6(Quick|Qml|Pdf|Designer|Help|Sql|Test|UiTools|WebEngine|Multimedia|3D|Charts|Labs|Lottie|"
    r"Network|WaylandCompositor|WlShellIntegration|EglFS|EglFsKms)[^/]*$"
    r"|(^|/)PySide6/(Qt/)?translations/(?!qtbase_|qt_)[^/]*$"  # keep only Qt's base translations
    r"|(^|/)libpyside6qml",
    re.IGNORECASE,
)

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (destination, source, typecode)
GetImports = Callable[[str], Iterable[tuple[str, str | None]]]  # (name, resolved path or None)


def keep(entry: Sequence[str]) -> bool:
    return not DROP.search(entry[0].replace("\\", "/"))


def link_closure(paths: Iterable[str], get_imports: GetImports) -> set[str]:
    """File names (lower case) of every shared library the binaries at `paths` load, directly or not."""
    names: set[str] = set()
    seen: set[str] = set()
    stack = list(paths)
    while stack:
        path = stack.pop()
        if path in seen:
            continue
        seen.add(path)
        try:
            imports = list(get_imports(path))
        except Exception:  # noqa: BLE001 - not a binary the analysis can read: nothing to follow
            continue
        for name, full in imports:
            names.add(os.path.basename(name).lower())
            if full:
                names.add(os.path.basename(full).lower())
                stack.append(full)
    return names


def is_root(entry: Sequence[str]) -> bool:
    """Extension modules, files inside packages (Qt's libraries and plugins) and libpython: what the
    program loads by itself. Top-level system libraries are only there because a root needs them."""
    dest = entry[0].replace("\\", "/")
    return entry[2] == "EXTENSION" or "/" in dest or dest.lower().startswith(("libpython", "python3"))


def prune(binaries: list[Entry], datas: list[Entry], get_imports: GetImports) -> tuple[list[Entry], list[Entry], int]:
    """Drop the DROP entries, then the system libraries that only they needed (a top-level library no
    kept root loads but a dropped file does). Returns (binaries, datas, number of entries dropped)."""
    dropped = [e for e in binaries if not keep(e)]
    kept = [e for e in binaries if keep(e)]
    needed = link_closure([e[1] for e in kept if is_root(e)], get_imports)
    only_dropped = link_closure([e[1] for e in dropped], get_imports) - needed
    kept = [e for e in kept if is_root(e) or os.path.basename(e[0]).lower() not in only_dropped]
    kept_datas = [e for e in datas if keep(e)]
    return kept, kept_datas, len(binaries) - len(kept) + len(datas) - len(kept_datas)
