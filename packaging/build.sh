#!/usr/bin/env bash
# Build the one-folder bundle of millwatch (PyInstaller) and its tarball, on Linux.
#
#   bash packaging/build.sh [--reuse-venv]
#
# 1. a CLEAN virtualenv (default /tmp/millwatch-build-venv, recreated unless --reuse-venv) with
#    `pip install .` (not editable) and PyInstaller: the bundle takes whatever that environment
#    holds, so never build from the development .venv;
# 2. the icon rendered with Qt (PNG 16..256, ICO) from resources/icons/millwatch.svg;
# 3. pyinstaller packaging/millwatch.spec -> packaging/dist/millwatch/ (millwatch + _internal/);
# 4. desktop integration beside it (share/applications, share/icons/hicolor, install-desktop.sh);
# 5. packaging/dist/millwatch-<version>-linux-x86_64.tar.gz.
# Prints the build time and the sizes. packaging/smoke.sh then runs the built executable.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$(date +%s)

REUSE=0
for arg in "$@"; do
  case "$arg" in
    --reuse-venv) REUSE=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-python3}
VENV=${MILLWATCH_BUILD_VENV:-/tmp/millwatch-build-venv}
DIST=$ROOT/packaging/dist
WORK=$ROOT/packaging/build
PYINSTALLER_SPEC=${PYINSTALLER_SPEC:-"pyinstaller>=6.10,<7"}
log() { echo "build: $*"; }

case "$VENV" in
  "$ROOT/.venv"|"$ROOT/.venv/") echo "build.sh: refusing to build from the development venv" >&2; exit 2 ;;
esac

# -- 1. clean virtualenv ---------------------------------------------------------------------------
mkdir -p "$WORK"
pip_install() {
  if ! "$VENV/bin/python" -m pip install -q "$@" >"$WORK/pip.log" 2>&1; then
    tail -n 30 "$WORK/pip.log" >&2
    echo "build.sh: pip install $* failed (log: $WORK/pip.log)" >&2
    exit 1
  fi
}
if [ "$REUSE" -eq 0 ] || [ ! -x "$VENV/bin/python" ]; then
  log "clean virtualenv $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  pip_install --upgrade pip
  REUSE=0
fi
# Not editable: the frozen app must see the installed package (its metadata, hmi.resources).
log "pip install . $PYINSTALLER_SPEC"
pip_install . "$PYINSTALLER_SPEC"
[ "$REUSE" -eq 0 ] || pip_install --force-reinstall --no-deps .
rm -rf "$ROOT/build"  # setuptools' in-tree build directory
VERSION=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("millwatch"))')
ARCH=$(uname -m)
NAME="millwatch-$VERSION-linux-$ARCH"
log "millwatch $VERSION, $("$VENV/bin/pyinstaller" --version | sed 's/^/PyInstaller /'), $("$VENV/bin/python" -V)"

# -- 2. icons --------------------------------------------------------------------------------------
rm -rf "$WORK/icons"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" packaging/render_icons.py "$WORK/icons"

# -- 3. PyInstaller ----------------------------------------------------------------------------------
rm -rf "$DIST/millwatch"
T0=$(date +%s)
# Run from the work directory so nothing resolves `hmi` from the source tree.
if ! (cd "$WORK" && MILLWATCH_ICON_DIR="$WORK/icons" "$VENV/bin/pyinstaller" --noconfirm --clean \
      --distpath "$DIST" --workpath "$WORK/pyinstaller" "$ROOT/packaging/millwatch.spec") \
      >"$WORK/pyinstaller.log" 2>&1; then
  tail -n 40 "$WORK/pyinstaller.log" >&2
  echo "build.sh: PyInstaller failed (full log: $WORK/pyinstaller.log)" >&2
  exit 1
fi
T1=$(date +%s)
grep -E "WARNING: (Hidden import|Library not found|lib not found)" "$WORK/pyinstaller.log" \
  | grep -v -E "win32|pywintypes|_winapi|msvcrt|_overlapped|winreg|nt\b|pythoncom|Security|CoreFoundation|objc" \
  | sed 's/^/build: pyinstaller: /' | head -n 20 || true

# -- 4. desktop integration --------------------------------------------------------------------------
APP="$DIST/millwatch"
mkdir -p "$APP/share/applications" "$APP/share/icons"
cp resources/desktop/millwatch.desktop "$APP/share/applications/"
cp -r "$WORK/icons/hicolor" "$APP/share/icons/"
cp packaging/install-desktop.sh "$APP/install-desktop.sh"
chmod +x "$APP/install-desktop.sh" "$APP/millwatch"

# -- 5. tarball ----------------------------------------------------------------------------------------
TARBALL="$DIST/$NAME.tar.gz"
rm -f "$TARBALL"
tar -C "$DIST" --owner=0 --group=0 --numeric-owner --transform "s,^millwatch,$NAME," -czf "$TARBALL" millwatch
END=$(date +%s)

BUNDLE_MB=$(du -sm "$APP" | cut -f1)
TAR_MB=$(du -sm "$TARBALL" | cut -f1)
log "bundle $APP: ${BUNDLE_MB} MB ($(find "$APP" -type f | wc -l) files)"
log "tarball $TARBALL: ${TAR_MB} MB"
log "time: pyinstaller $((T1 - T0)) s, total $((END - START)) s (venv, install, icons, bundle, tarball)"
