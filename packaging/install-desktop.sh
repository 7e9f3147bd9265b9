#!/usr/bin/env bash
# Desktop integration for an unpacked Millwatch tarball: a menu entry and the icon.
#
#   ./install-desktop.sh            for the current user (~/.local/share, ~/.local/bin/millwatch)
#   sudo ./install-desktop.sh --system   for everyone (/usr/local/share, /usr/local/bin/millwatch)
#   ./install-desktop.sh --uninstall [--system]
#
# Run it from the unpacked folder (it stays where it is: the entry points at this folder's
# `millwatch`, so move the folder first, then run this).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX="${XDG_DATA_HOME:-$HOME/.local/share}"
BIN="$HOME/.local/bin"
UNINSTALL=0
for arg in "$@"; do
  case "$arg" in
    --system) PREFIX=/usr/local/share; BIN=/usr/local/bin ;;
    --uninstall) UNINSTALL=1 ;;
    *) echo "install-desktop.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
ICONS="$PREFIX/icons/hicolor"
APPS="$PREFIX/applications"

if [ "$UNINSTALL" -eq 1 ]; then
  rm -f "$APPS/millwatch.desktop" "$ICONS"/*/apps/millwatch.png "$ICONS/scalable/apps/millwatch.svg"
  [ -L "$BIN/millwatch" ] && rm -f "$BIN/millwatch"
  echo "Millwatch menu entry and icons removed"
  exit 0
fi

[ -x "$HERE/millwatch" ] || { echo "install-desktop.sh: $HERE/millwatch not found" >&2; exit 1; }
mkdir -p "$APPS" "$BIN"
for d in "$HERE"/share/icons/hicolor/*/apps; do
  size=$(basename "$(dirname "$d")")
  mkdir -p "$ICONS/$size/apps"
  cp "$d"/millwatch.* "$ICONS/$size/apps/"
done
# Exec and TryExec name this folder's executable by its absolute path.
sed -e "s|^Exec=millwatch|Exec=\"$HERE/millwatch\"|" -e "s|^TryExec=millwatch|TryExec=$HERE/millwatch|" \
  "$HERE/share/applications/millwatch.desktop" >"$APPS/millwatch.desktop"
chmod 644 "$APPS/millwatch.desktop"
ln -sfn "$HERE/millwatch" "$BIN/millwatch"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true
echo "Millwatch installed: menu entry $APPS/millwatch.desktop, command $BIN/millwatch"
