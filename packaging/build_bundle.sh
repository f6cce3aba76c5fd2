#!/usr/bin/env bash
# Build a one-folder Linux bundle with PyInstaller and a tarball beside it; the last line
# printed is the bundle's folder. Slow; run packaging/check_bundle.sh FOLDER afterwards.
#
#   ./packaging/build_bundle.sh                  lean: packaging/dist/digitpad/ (LiteRT only)
#   ./packaging/build_bundle.sh --with-training  full: packaging/dist/digitpad-full/
#                                                (+ TensorFlow: training, saliency, .keras)
#
# Uses .venv (creating it with `setup.sh --packaging` if PyInstaller is missing), or the
# virtual environment named by DIGITPAD_VENV.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
dist="$repo/packaging/dist"
name=digitpad
training=0
for arg in "$@"; do
    case "$arg" in
        --with-training) training=1; name=digitpad-full ;;
        -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) printf 'bundle: unknown option: %s\n' "$arg" >&2; exit 2 ;;
    esac
done
work="$repo/packaging/build/$name"
venv="${DIGITPAD_VENV:-$repo/.venv}"
bundle="$dist/$name"

say() { printf '\033[1mbundle:\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mbundle:\033[0m %s\n' "$*" >&2; exit 1; }

[[ "$(uname -s)" == Linux ]] || die "the bundle spec targets Linux"
for file in digitpad-mnist.keras digitpad-mnist.json digitpad-mnist.tflite; do
    [[ -f "trained_models/$file" ]] || die "trained_models/$file is missing"
done
if [[ -z "${DIGITPAD_VENV:-}" && ! -x "$venv/bin/pyinstaller" ]]; then
    ./packaging/setup.sh --packaging
fi
[[ -x "$venv/bin/pyinstaller" ]] || die "no PyInstaller in $venv (setup.sh --packaging)"
if ((training)); then
    "$venv/bin/python" -c 'import importlib.util as u; assert u.find_spec("tensorflow")' \
        2>/dev/null || die "--with-training needs TensorFlow in $venv"
fi

started=$SECONDS
# This checkout's package, whatever else the environment has on its path.
version="$(PYTHONPATH="$repo" "$venv/bin/python" -c 'import digitpad; print(digitpad.__version__)')"
arch="$(uname -m)"
say "building $name $version for linux-$arch"
PYTHONPATH="$repo" DIGITPAD_BUNDLE_TRAINING="$training" "$venv/bin/pyinstaller" \
    --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work" packaging/digitpad.spec

# PyInstaller's own strip option also strips numpy's and Pillow's bundled libraries,
# which breaks them; the interpreter and its C modules strip safely (about 20 MB), and
# so do TensorFlow's libraries, whose symbol tables are a fifth of their size.
if command -v strip >/dev/null; then
    strip --strip-unneeded "$bundle/_internal"/libpython3*.so* \
        "$bundle/_internal"/python3*/lib-dynload/*.so
    if ((training)); then
        find "$bundle/_internal/tensorflow" -name '*.so*' -type f \
            -exec strip --strip-unneeded {} +
    fi
fi

# Desktop integration travels with the bundle.
cp packaging/install_desktop_entry.sh "$bundle/"

tarball="$dist/$name-$version-linux-$arch.tar.gz"
tar -C "$dist" -czf "$tarball" "$name"
say "built in $((SECONDS - started)) s"
say "folder:  $bundle ($(du -sh "$bundle" | cut -f1))"
say "archive: $tarball ($(du -sh "$tarball" | cut -f1))"
echo "$bundle"
