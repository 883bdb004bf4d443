#!/usr/bin/env bash
# Builds "dist/Coffreo Desktop.app" with PyInstaller; optionally signs, notarizes and staples it, and
# wraps it in a .dmg.
#
#   packaging/build_macos.sh
#
# Environment (all optional):
#   PYTHON               interpreter that creates the build venv (default: python3, must be >= 3.11;
#                        python.org's universal2 build gives an app for the Mac it is built on)
#   COFFREO_BUILD_VENV   build venv, created if missing (default: build/venv); never the dev .venv
#   COFFREO_DIST_DIR     output folder (default: dist)
#   COFFREO_WORK_DIR     PyInstaller's work folder (default: build/pyinstaller)
#
# Signing and notarization (each step runs only when its variable is set):
#   COFFREO_CODESIGN_IDENTITY  "Developer ID Application: Name (TEAMID)" from the login keychain. The spec
#                              hands it to PyInstaller, which signs every binary and then the .app with the
#                              hardened runtime, a secure time-stamp and packaging/entitlements.plist.
#   COFFREO_NOTARY_PROFILE     a notarytool keychain profile, made once with
#                              `xcrun notarytool store-credentials PROFILE --apple-id ... --team-id ...`;
#                              the .app (and the .dmg) are then notarized and the tickets stapled.
#   COFFREO_DMG=1              also build "dist/Coffreo Desktop-VERSION.dmg" (signed when an identity is set)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${COFFREO_BUILD_VENV:-$REPO/build/venv}"
DIST="${COFFREO_DIST_DIR:-$REPO/dist}"
WORK="${COFFREO_WORK_DIR:-$REPO/build/pyinstaller}"
APP_NAME="Coffreo Desktop"
APP="$DIST/$APP_NAME.app"

step() { printf '\n==> %s\n' "$*"; }

step "venv: $VENV"
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
PY="$VENV/bin/python"
"$PY" -m pip install -q --upgrade pip
# A regular (not editable) install: PyInstaller then sees exactly the dependencies a user gets.
"$PY" -m pip install -q "$REPO" pyinstaller

cd "$REPO"
if [ -f packaging/build_ui.py ]; then
    step "forms and translations"
    "$PY" packaging/build_ui.py
fi
if [ ! -f packaging/icons/coffreo.icns ]; then
    step "icons"
    QT_QPA_PLATFORM=offscreen "$PY" packaging/icons/make_icons.py
fi

step "pyinstaller -> $APP"
# COFFREO_CODESIGN_IDENTITY, when set, is read by the spec: signing happens inside this step.
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" packaging/coffreo_desktop.spec

BIN="$APP/Contents/MacOS/$APP_NAME"
[ -x "$BIN" ] || { echo "missing executable: $BIN" >&2; exit 1; }
echo "size: $(du -sh "$APP" | cut -f1)"

step "smoke test"
"$BIN" --version  # the frozen interpreter starts and imports the GUI package; Qt does not start

VERSION="$("$BIN" --version | awk '{print $2}')"

if [ -n "${COFFREO_CODESIGN_IDENTITY:-}" ]; then
    step "verify the signature"
    codesign --verify --deep --strict --verbose=2 "$APP"
    codesign --display --verbose=2 "$APP" 2>&1 | grep -E "Authority|TeamIdentifier|Runtime" || true
else
    echo "not signed (set COFFREO_CODESIGN_IDENTITY to sign): Gatekeeper will refuse it on other Macs"
fi

if [ -n "${COFFREO_NOTARY_PROFILE:-}" ]; then
    [ -n "${COFFREO_CODESIGN_IDENTITY:-}" ] || { echo "notarization needs a signed app" >&2; exit 1; }
    step "notarize the app"
    zip_path="$DIST/$APP_NAME-$VERSION.zip"
    # ditto keeps the bundle's symlinks and extended attributes, which a plain zip would break.
    ditto -c -k --sequesterRsrc --keepParent "$APP" "$zip_path"
    xcrun notarytool submit "$zip_path" --keychain-profile "$COFFREO_NOTARY_PROFILE" --wait
    xcrun stapler staple "$APP"
    rm -f "$zip_path"
    spctl --assess --type execute --verbose "$APP"
fi

if [ "${COFFREO_DMG:-0}" = "1" ]; then
    step "dmg"
    dmg="$DIST/$APP_NAME-$VERSION.dmg"
    rm -f "$dmg"
    hdiutil create -volname "$APP_NAME" -srcfolder "$APP" -fs HFS+ -format UDZO -ov "$dmg"
    if [ -n "${COFFREO_CODESIGN_IDENTITY:-}" ]; then
        codesign --sign "$COFFREO_CODESIGN_IDENTITY" --timestamp "$dmg"
    fi
    if [ -n "${COFFREO_NOTARY_PROFILE:-}" ]; then
        xcrun notarytool submit "$dmg" --keychain-profile "$COFFREO_NOTARY_PROFILE" --wait
        xcrun stapler staple "$dmg"
    fi
    echo "dmg: $dmg"
fi

echo
echo "built: $APP"
