#!/usr/bin/env bash
# Check a built bundle the way a user meets it: the command answers, the CLI predicts, a
# training request is refused in one clear line, and the window opens (on a virtual X
# server when xvfb-run is installed, else offscreen), reads a drawn 0 and is screenshotted.
# On demand, not in every CI run:  ./packaging/check_bundle.sh [BUNDLE_DIR]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$(realpath "${1:-$repo/packaging/dist/digitpad}")"
exe="$bundle/digitpad"
[[ -x "$exe" ]] || { echo "check: no bundle at $bundle (run packaging/build_bundle.sh)" >&2; exit 1; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# A clean user: no saved window layout or models, nothing written to the real home.
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
export XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cd "$scratch"   # nothing may depend on the working directory

failures=0
pass() { printf '  \033[32mok\033[0m    %s\n' "$*"; }
fail() { printf '  \033[31mFAIL\033[0m  %s\n' "$*"; failures=$((failures + 1)); }

echo "checking $bundle ($(du -sh "$bundle" | cut -f1))"

version="$("$exe" --version 2>&1)" && [[ "$version" == "digitpad "* ]] \
    && pass "--version: $version" || fail "--version said: $version"

cat >"$scratch/seven.json" <<'JSON'
{"width": 400, "height": 400, "strokes": [[[120, 90], [290, 90], [190, 330]]]}
JSON
if predicted="$("$exe" predict --json "$scratch/seven.json" 2>"$scratch/predict.err")" \
    && digit="$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["digit"])' <<<"$predicted")" \
    && [[ "$digit" == 7 ]]; then
    pass "CLI predict reads a drawn 7"
else
    fail "CLI predict: ${predicted:-} $(cat "$scratch/predict.err")"
fi

if "$exe" train --arch tutorial --epochs 1 --limit 100 --out "$scratch/m.keras" \
    >"$scratch/train.out" 2>"$scratch/train.err"; then
    fail "training unexpectedly ran inside the lean bundle"
elif [[ "$(wc -l <"$scratch/train.err")" -eq 1 ]] && grep -q "TensorFlow" "$scratch/train.err" \
    && ! grep -q "Traceback" "$scratch/train.err"; then
    pass "train is refused in one line: $(cat "$scratch/train.err")"
else
    fail "train failed untidily: $(head -c 600 "$scratch/train.err")"
fi

screenshot="${DIGITPAD_CHECK_SCREENSHOT:-$repo/packaging/dist/bundle-window.png}"
if command -v xvfb-run >/dev/null; then
    platform="xcb on Xvfb"
    run_gui=(xvfb-run -a -s "-screen 0 1600x1000x24" env -u QT_QPA_PLATFORM)
else
    platform="offscreen"
    run_gui=(env QT_QPA_PLATFORM=offscreen)
fi
if report="$(DIGITPAD_BUNDLE_SELFCHECK="$screenshot" timeout 120 "${run_gui[@]}" "$exe" \
    2>"$scratch/gui.err" | tail -n 1)" && [[ "$report" == *'"ok": true'* ]]; then
    pass "window ($platform) shows and reads a drawn 0: $report"
else
    fail "window ($platform): ${report:-no report} $(tail -n 5 "$scratch/gui.err")"
fi

if ((failures)); then
    echo "bundle check: $failures failed"
    exit 1
fi
echo "bundle check: all passed (window screenshot: $screenshot)"
