#!/usr/bin/env bash
# A Debian/Ubuntu package from the bundle packaging/build.sh made (run that first).
#
#   bash packaging/build-deb.sh        -> packaging/dist/millwatch_<version>_<arch>.deb
#
# Layout: /opt/millwatch (the bundle), /usr/bin/millwatch (a link), the .desktop entry and the
# icons under /usr/share (dpkg's triggers refresh the menu and the icon cache). The bundle carries
# Python, Qt and the libraries it was built with; Depends lists what it takes from the system (GL,
# xcb, fontconfig's configuration and a font). Build on the oldest release you deploy to: the bundle
# needs at least the glibc of the build machine.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=packaging/dist/millwatch
[ -x "$APP/millwatch" ] || { echo "build-deb.sh: no bundle in $APP: run packaging/build.sh first" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "build-deb.sh: dpkg-deb not found (a Debian/Ubuntu machine)" >&2; exit 1; }

VERSION=$("$APP/millwatch" --version | awk '{print $2}')
ARCH=$(dpkg --print-architecture)
STAGE=$(mktemp -d /tmp/millwatch-deb.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT
ROOTFS="$STAGE/millwatch_${VERSION}_${ARCH}"

mkdir -p "$ROOTFS/opt" "$ROOTFS/usr/bin" "$ROOTFS/usr/share/applications" "$ROOTFS/usr/share/icons" "$ROOTFS/DEBIAN"
cp -a "$APP" "$ROOTFS/opt/millwatch"
rm -rf "$ROOTFS/opt/millwatch/share" "$ROOTFS/opt/millwatch/install-desktop.sh"
ln -s ../../opt/millwatch/millwatch "$ROOTFS/usr/bin/millwatch"
cp resources/desktop/millwatch.desktop "$ROOTFS/usr/share/applications/"
cp -r "$APP/share/icons/hicolor" "$ROOTFS/usr/share/icons/"
SIZE_KB=$(du -sk "$ROOTFS" | cut -f1)

cat >"$ROOTFS/DEBIAN/control" <<EOF
Package: millwatch
Version: $VERSION
Architecture: $ARCH
Maintainer: Millwatch <support@millwatch.invalid>
Installed-Size: $SIZE_KB
Section: misc
Priority: optional
Depends: libc6 (>= 2.36), libgl1, libegl1, libxcb1, libx11-6, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3,
 libfontconfig1, fontconfig-config, fonts-dejavu-core | fonts-liberation2 | fonts-noto-core
Recommends: libwayland-client0, libwayland-cursor0, libwayland-egl1, mosquitto
Description: Millwatch HMI: SCADA/HMI for flour and grain mills
 Live values from the mill's MQTT broker and Modbus devices, history in SQLite
 or a shared PostgreSQL database, alarms, users and an emergency-stop request.
 Run "millwatch --self-test" after installing; "millwatch --demo" starts it on
 a simulated plant (mosquitto makes the demo use real MQTT).
EOF

OUT="packaging/dist/millwatch_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$ROOTFS" "$OUT" >/dev/null
echo "build-deb: $OUT ($(du -sm "$OUT" | cut -f1) MB)"
