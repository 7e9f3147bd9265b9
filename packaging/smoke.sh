#!/usr/bin/env bash
# Run the BUILT bundle (not the source): what CI does after packaging/build.sh.
#
#   bash packaging/smoke.sh [BUNDLE_DIR]      (default packaging/dist/millwatch)
#
# 1. the tarball beside it unpacks elsewhere and runs (`--version`: importlib.metadata works frozen);
# 2. `millwatch --self-test` offscreen: resources, fonts, database, drivers, keyring, screens;
# 3. `millwatch --demo --screenshot PNG --exit-after 5` offscreen: the real demo path, window saved.
# 4. The same signed in on the schematic screen (SVG rendering and resources in the bundle).
# Each must exit 0. The run uses a throwaway HOME (XDG dirs), so it never touches the user's
# settings, keyring or databases; the screenshot lands in $MILLWATCH_ARTIFACTS (default artifacts/).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
APP=${1:-packaging/dist/millwatch}
EXE="$APP/millwatch"
[ -x "$EXE" ] || { echo "smoke.sh: no bundle at $APP (run packaging/build.sh first)" >&2; exit 1; }
ARTIFACTS=${MILLWATCH_ARTIFACTS:-$ROOT/artifacts}
mkdir -p "$ARTIFACTS"
SHOT="$ARTIFACTS/bundle_demo.png"
SCRATCH=$(mktemp -d /tmp/millwatch-smoke.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT

# A clean user: no settings, no database, no keyring configuration, offscreen Qt.
run() {
  env -i PATH="/usr/bin:/bin:/usr/sbin:/sbin" LANG=C.UTF-8 HOME="$SCRATCH/home" \
    XDG_CONFIG_HOME="$SCRATCH/home/.config" XDG_DATA_HOME="$SCRATCH/home/.local/share" \
    XDG_STATE_HOME="$SCRATCH/home/.local/state" XDG_CACHE_HOME="$SCRATCH/home/.cache" \
    QT_QPA_PLATFORM=offscreen timeout "$1" "${@:2}"
}
mkdir -p "$SCRATCH/home"

TARBALL=$(ls -t "$(dirname "$APP")"/millwatch-*-linux-*.tar.gz 2>/dev/null | head -n 1 || true)
if [ -n "$TARBALL" ]; then
  echo "smoke: $TARBALL unpacked elsewhere"
  mkdir -p "$SCRATCH/unpacked"
  tar -C "$SCRATCH/unpacked" -xzf "$TARBALL"
  UNPACKED=$(ls -d "$SCRATCH"/unpacked/millwatch-*)
  for f in millwatch install-desktop.sh share/applications/millwatch.desktop share/icons/hicolor/256x256/apps/millwatch.png; do
    [ -e "$UNPACKED/$f" ] || { echo "smoke: $f missing from the tarball" >&2; exit 1; }
  done
  run 30 "$UNPACKED/millwatch" --version
  rm -rf "$SCRATCH/unpacked"
fi

echo "smoke: $EXE --version"
run 30 "$EXE" --version

echo "smoke: $EXE --self-test"
T0=$SECONDS
run 120 "$EXE" --self-test
echo "smoke: self-test took $((SECONDS - T0)) s"

echo "smoke: $EXE --demo --screenshot $SHOT --exit-after 5"
rm -f "$SHOT"
run 120 "$EXE" --demo --screenshot "$SHOT" --exit-after 5 >"$SCRATCH/demo.log" 2>&1 || {
  cat "$SCRATCH/demo.log" >&2
  echo "smoke: the demo failed" >&2
  exit 1
}
[ -s "$SHOT" ] || { echo "smoke: the demo wrote no screenshot" >&2; exit 1; }
grep -q "Demo logins" "$SCRATCH/demo.log" || { cat "$SCRATCH/demo.log" >&2; echo "smoke: no demo logins printed" >&2; exit 1; }
echo "smoke: demo ok, screenshot $SHOT ($(du -k "$SHOT" | cut -f1) KB)"

# 4. The schematic screen (QtSvg, the SVG resources) in the frozen app, signed in.
SCHEMATIC_SHOT="$ARTIFACTS/bundle_schematics.png"
echo "smoke: $EXE --demo --sign-in technician --screen schematics --screenshot $SCHEMATIC_SHOT --exit-after 5"
rm -f "$SCHEMATIC_SHOT"
run 120 "$EXE" --demo --sign-in technician --screen schematics --screenshot "$SCHEMATIC_SHOT" --exit-after 5 \
  >"$SCRATCH/schematics.log" 2>&1 || {
  cat "$SCRATCH/schematics.log" >&2
  echo "smoke: the schematic screen failed" >&2
  exit 1
}
[ "$(du -k "$SCHEMATIC_SHOT" | cut -f1)" -gt 30 ] || { echo "smoke: the schematic screenshot is (nearly) empty" >&2; exit 1; }
echo "smoke: schematics ok, screenshot $SCHEMATIC_SHOT ($(du -k "$SCHEMATIC_SHOT" | cut -f1) KB)"
echo "smoke: the bundle passed"
