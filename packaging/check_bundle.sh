#!/usr/bin/env bash
# Check a built bundle the way a user meets it, on a machine with no Python: the bundle
# runs with PATH holding only decoy `python`/`python3` commands and PYTHONPATH only a
# decoy `tensorflow`/`digitpad`, and the check fails if any of them is touched.
#
# Both bundles: the command answers, the CLI predicts a drawn 7, and the window opens (on
# a virtual X server when xvfb-run is installed, else offscreen), reads a drawn 0 and is
# screenshotted. The lean bundle: `--help` marks train/finetune unavailable and `train`
# is refused in one line. The full bundle (packaging/dist/digitpad-full): a short CLI
# training run that `digitpad evaluate` scores, a .keras without its .tflite predicts,
# and from the window a saliency map and a training run that reaches Keep and is kept.
#
# On demand, not in every CI run:
#   ./packaging/check_bundle.sh [BUNDLE_DIR]      (default: packaging/dist/digitpad)
# DIGITPAD_CHECK_MNIST=FILE.npz picks the training data (default: the tests' subset).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$(realpath "${1:-$repo/packaging/dist/digitpad}")"
exe="$bundle/digitpad"
[[ -x "$exe" ]] || { echo "check: no bundle at $bundle (run packaging/build_bundle.sh)" >&2; exit 1; }
mnist="$(realpath "${DIGITPAD_CHECK_MNIST:-$repo/tests/data/mnist-subset.npz}")"
full=0
[[ -d "$bundle/_internal/tensorflow" ]] && full=1

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# A clean user: no saved window layout or models, nothing written to the real home.
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
export XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cd "$scratch"   # nothing may depend on the working directory

# No Python beyond the bundle: decoys that leave a mark if anything reaches for them.
decoys="$scratch/decoys"
mkdir -p "$decoys/bin" "$decoys/site/tensorflow" "$decoys/site/digitpad"
for name in python python3 python3.11; do
    printf '#!/bin/sh\necho "$0 $*" >>"%s/used"\nexit 99\n' "$decoys" >"$decoys/bin/$name"
    chmod +x "$decoys/bin/$name"
done
for package in tensorflow digitpad; do
    printf 'open("%s", "a").write(__file__ + "\\n")\nraise ImportError("decoy")\n' \
        "$decoys/used" >"$decoys/site/$package/__init__.py"
done
bundled() { env PATH="$decoys/bin" PYTHONPATH="$decoys/site" "$exe" "$@"; }

failures=0
pass() { printf '  \033[32mok\033[0m    %s\n' "$*"; }
fail() { printf '  \033[31mFAIL\033[0m  %s\n' "$*"; failures=$((failures + 1)); }
now() { date +%s.%N; }
seconds() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f}")' "$@"; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get(sys.argv[2], ""))' "$@"; }

kind=lean
((full)) && kind=full
echo "checking the $kind bundle $bundle ($(du -sh "$bundle" | cut -f1))"

version="$(bundled --version 2>&1)" && [[ "$version" == "digitpad "* ]] \
    && pass "--version: $version" || fail "--version said: $version"

cat >"$scratch/seven.json" <<'JSON'
{"width": 400, "height": 400, "strokes": [[[120, 90], [290, 90], [190, 330]]]}
JSON
predicts_seven() {  # MODEL_ARGS... : the CLI reads the drawn 7
    local predicted digit
    predicted="$(bundled predict "$@" --json "$scratch/seven.json" 2>"$scratch/predict.err")" \
        && digit="$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["digit"])' <<<"$predicted")" \
        && [[ "$digit" == 7 ]]
}
predicts_seven && pass "CLI predict reads a drawn 7" \
    || fail "CLI predict: $(cat "$scratch/predict.err")"

if ((!full)); then
    if "$exe" --help | tr -s ' \n' ' ' | grep -q "train a model on MNIST and save it \[unavailable"; then
        pass "--help marks train unavailable before anyone runs it"
    else
        fail "--help does not say that train is unavailable"
    fi
    if bundled train --arch tutorial --epochs 1 --limit 100 --out "$scratch/m.keras" \
        >"$scratch/train.out" 2>"$scratch/train.err"; then
        fail "training unexpectedly ran inside the lean bundle"
    elif [[ "$(wc -l <"$scratch/train.err")" -eq 1 ]] && grep -q "TensorFlow" "$scratch/train.err" \
        && ! grep -q "Traceback" "$scratch/train.err"; then
        pass "train is refused in one line: $(cat "$scratch/train.err")"
    else
        fail "train failed untidily: $(head -c 600 "$scratch/train.err")"
    fi
else
    started="$(now)"
    if bundled train --arch tutorial --epochs 2 --limit 3000 --data "$mnist" \
        --out "$scratch/m.keras" >"$scratch/train.out" 2>"$scratch/train.err" \
        && [[ -f "$scratch/m.keras" && -f "$scratch/m.tflite" ]]; then
        pass "CLI train (tutorial, 2 epochs, 3,000 images) wrote m.keras and m.tflite in $(seconds "$started" "$(now)") s"
    else
        fail "CLI train: $(tail -c 600 "$scratch/train.err")"
    fi
    if scored="$(bundled evaluate --model "$scratch/m.keras" --data "$mnist" --json 2>"$scratch/eval.err")" \
        && accuracy="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])' <<<"$scored")" \
        && python3 -c 'import sys; sys.exit(not float(sys.argv[1]) > 0.5)' "$accuracy"; then
        pass "digitpad evaluate scores it: accuracy $accuracy on the test images"
    else
        fail "evaluate: ${scored:-} $(tail -c 600 "$scratch/eval.err")"
    fi
    mkdir -p "$scratch/bare" && cp "$scratch/m.keras" "$scratch/bare/"
    predicts_seven --model "$scratch/bare/m.keras" \
        && pass "a .keras without its .tflite opens (TensorFlow) and predicts" \
        || fail "a .keras without its .tflite: $(cat "$scratch/predict.err")"
fi

screenshot="${DIGITPAD_CHECK_SCREENSHOT:-$repo/packaging/dist/$(basename "$bundle")-window.png}"
if command -v xvfb-run >/dev/null; then
    platform="xcb on Xvfb"
    run_gui=(xvfb-run -a -s "-screen 0 1600x1000x24" env -u QT_QPA_PLATFORM)
else
    platform="offscreen"
    run_gui=(env QT_QPA_PLATFORM=offscreen)
fi
selfcheck=(env DIGITPAD_BUNDLE_SELFCHECK="$screenshot")
((full)) && selfcheck+=(DIGITPAD_BUNDLE_SELFCHECK_DATA="$mnist")
launched="$(now)"
if report="$(timeout 1000 "${run_gui[@]}" "${selfcheck[@]}" PATH="$decoys/bin" \
    PYTHONPATH="$decoys/site" "$exe" 2>"$scratch/gui.err" | tail -n 1)" \
    && [[ "$report" == *'"ok": true'* ]]; then
    shown="$(seconds "$launched" "$(field "$report" window_shown_at)")"
    answered="$(seconds "$launched" "$(field "$report" first_prediction_at)")"
    pass "window ($platform) shown in $shown s, reads a drawn 0 at $answered s"
    if ((full)); then
        pass "\"Why this digit?\" map computed in $(seconds "$(field "$report" saliency_requested_at)" "$(field "$report" saliency_at)") s (first: loads TensorFlow)"
        pass "training from the window: first batch $(seconds "$(field "$report" training_requested_at)" "$(field "$report" first_batch_at)") s after Start, Keep after $(seconds "$(field "$report" training_requested_at)" "$(field "$report" keep_ready_at)") s, kept as $(field "$report" kept_path)"
    fi
    echo "        $report"
else
    fail "window ($platform): ${report:-no report} $(tail -n 5 "$scratch/gui.err")"
fi

if [[ -e "$decoys/used" ]]; then
    fail "something outside the bundle was used: $(sort -u "$decoys/used" | tr '\n' ' ')"
else
    pass "no Python, site-packages or PATH command outside the bundle was used"
fi

if ((failures)); then
    echo "bundle check: $failures failed"
    exit 1
fi
echo "bundle check: all passed (window screenshot: $screenshot)"
