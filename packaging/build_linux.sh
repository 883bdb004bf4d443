#!/usr/bin/env bash
# Builds the one-folder Linux app "dist/Coffreo Desktop/" with PyInstaller, then smoke-tests it headless.
#
#   packaging/build_linux.sh
#
# Environment (all optional):
#   PYTHON               interpreter that creates the build venv (default: python3, must be >= 3.11)
#   COFFREO_BUILD_VENV   build venv, created if missing (default: build/venv); never the dev .venv
#   COFFREO_DIST_DIR     output folder (default: dist)
#   COFFREO_WORK_DIR     PyInstaller's work folder (default: build/pyinstaller)
#   COFFREO_SMOKE=0      skip the smoke test (it needs the Qt system libraries listed in .ci/run)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${COFFREO_BUILD_VENV:-$REPO/build/venv}"
DIST="${COFFREO_DIST_DIR:-$REPO/dist}"
WORK="${COFFREO_WORK_DIR:-$REPO/build/pyinstaller}"
APP_NAME="Coffreo Desktop"

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
if [ ! -f packaging/icons/coffreo.png ]; then
    step "icons"
    QT_QPA_PLATFORM=offscreen "$PY" packaging/icons/make_icons.py
fi

step "pyinstaller -> $DIST/$APP_NAME"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" packaging/coffreo_desktop.spec

BIN="$DIST/$APP_NAME/$APP_NAME"
[ -x "$BIN" ] || { echo "missing executable: $BIN" >&2; exit 1; }
echo "size: $(du -sh "$DIST/$APP_NAME" | cut -f1)"

if [ "${COFFREO_SMOKE:-1}" != "0" ]; then
    step "smoke test (headless)"
    # 1. the frozen interpreter starts and imports the GUI package (argparse answers before Qt starts)
    "$BIN" --version
    # 2. "Mode local": the app starts the embedded server (FastAPI, uvicorn, Alembic migrations from the
    #    bundled scripts) in a throw-away home and reaches the login dialog; then this script ends it.
    home="$(mktemp -d)"
    trap 'rm -rf "$home"' EXIT
    log_file="$home/logs/coffreo-desktop.log"
    COFFREO_DESKTOP_HOME="$home" QT_QPA_PLATFORM=offscreen "$BIN" --local >"$home/out.txt" 2>&1 &
    app_pid=$!
    started=0
    # The first start builds the demo group (thousands of PDFs, one process when frozen): allow minutes.
    for _ in $(seq 1 "${COFFREO_SMOKE_TIMEOUT:-300}"); do
        if grep -q "Serveur local démarré" "$log_file" 2>/dev/null; then started=1; break; fi
        kill -0 "$app_pid" 2>/dev/null || break
        sleep 1
    done
    sleep 2  # let the GUI reach the login dialog
    alive=0
    kill -0 "$app_pid" 2>/dev/null && alive=1
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    if [ "$started" -ne 1 ] || [ "$alive" -ne 1 ] || grep -q "Traceback" "$home/out.txt" "$log_file"; then
        echo "smoke test failed (server started: $started, app still running: $alive)" >&2
        cat "$home/out.txt" "$log_file" >&2 || true
        exit 1
    fi
    echo "ok: embedded server started, database migrated, no traceback"
fi
