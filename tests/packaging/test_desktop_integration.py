"""Linux desktop integration: the .desktop entry, the SVG icon and its PNG/ICO renders, and the
installer script shipped in the tarball."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "resources" / "desktop" / "millwatch.desktop"
SVG = ROOT / "resources" / "icons" / "millwatch.svg"
# freedesktop.org menu spec: main categories, and the additional ones we use
MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics", "Network",
                   "Office", "Science", "Settings", "System", "Utility"}


def _desktop() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    return parser


def test_desktop_entry() -> None:
    entry = _desktop()["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Millwatch HMI"
    assert entry["Exec"] == "millwatch" and entry["TryExec"] == "millwatch"
    assert entry["Icon"] == "millwatch"  # themed icon name, installed under hicolor
    assert entry["Terminal"] == "false"
    categories = [c for c in entry["Categories"].split(";") if c]
    assert categories and categories[0] in MAIN_CATEGORIES
    assert entry["Categories"].endswith(";") and entry["Keywords"].endswith(";")
    assert entry["StartupWMClass"] == "Millwatch"  # Qt's WM_CLASS from the application name
    for action in (a for a in entry["Actions"].split(";") if a):
        assert _desktop()[f"Desktop Action {action}"]["Exec"].startswith("millwatch ")


@pytest.mark.parametrize("size", [48, 128, 256])
def test_svg_icon_renders_with_qt(qapp, size: int) -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from render_icons import opaque_fraction, render
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    assert QSvgRenderer(str(SVG)).isValid()
    image = render(SVG, size)
    assert (image.width(), image.height()) == (size, size)
    assert 0.8 < opaque_fraction(image) <= 1.0  # the rounded tile fills almost all of it
    assert image.pixelColor(0, 0).alpha() == 0  # transparent corners
    center = image.pixelColor(size // 2, size // 2)
    assert center.alpha() == 255


def test_render_icons_writes_the_theme_sizes_and_an_ico(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, str(ROOT / "packaging" / "render_icons.py"), str(tmp_path)],
                       capture_output=True, text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    for size in (48, 128, 256):
        png = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "millwatch.png"))
        assert (png.width(), png.height()) == (size, size)
    assert (tmp_path / "hicolor" / "scalable" / "apps" / "millwatch.svg").read_bytes() == SVG.read_bytes()
    assert (tmp_path / "millwatch.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # ICO header


def test_install_desktop_script(tmp_path: Path) -> None:
    """What a user runs in the unpacked tarball: a menu entry pointing at this folder's executable."""
    bundle = tmp_path / "millwatch-0.1.0-linux-x86_64"
    (bundle / "share" / "applications").mkdir(parents=True)
    shutil.copy(DESKTOP, bundle / "share" / "applications")
    icons = bundle / "share" / "icons" / "hicolor"
    for size in ("48x48", "256x256", "scalable"):
        (icons / size / "apps").mkdir(parents=True)
        (icons / size / "apps" / ("millwatch.svg" if size == "scalable" else "millwatch.png")).write_bytes(b"x")
    exe = bundle / "millwatch"
    exe.write_text("#!/bin/sh\necho millwatch 0.1.0\n")
    exe.chmod(0o755)
    shutil.copy(ROOT / "packaging" / "install-desktop.sh", bundle)
    home = tmp_path / "user"
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}

    r = subprocess.run(["bash", str(bundle / "install-desktop.sh")], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    entry = (home / ".local/share/applications/millwatch.desktop").read_text()
    assert f'Exec="{exe}"' in entry and f"TryExec={exe}" in entry
    assert "Exec=millwatch --demo" not in entry  # actions point at the folder too
    assert (home / ".local/share/icons/hicolor/256x256/apps/millwatch.png").exists()
    assert (home / ".local/share/icons/hicolor/scalable/apps/millwatch.svg").exists()
    assert (home / ".local/bin/millwatch").resolve() == exe

    r = subprocess.run(["bash", str(bundle / "install-desktop.sh"), "--uninstall"], capture_output=True, text=True,
                       env=env)
    assert r.returncode == 0, r.stderr
    assert not (home / ".local/share/applications/millwatch.desktop").exists()
    assert not (home / ".local/bin/millwatch").exists()
    assert not (home / ".local/share/icons/hicolor/256x256/apps/millwatch.png").exists()
