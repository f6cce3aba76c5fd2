#!/usr/bin/env bash
# Build the one-folder Linux bundle with PyInstaller: packaging/dist/digitpad/ and a
# tarball beside it. Slow (a few minutes); run packaging/check_bundle.sh afterwards.
#
#   ./packaging/build_bundle.sh
#
# Uses .venv (creating it with `setup.sh --packaging` if PyInstaller is missing).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
dist="$repo/packaging/dist"
work="$repo/packaging/build"

say() { printf '\033[1mbundle:\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mbundle:\033[0m %s\n' "$*" >&2; exit 1; }

[[ "$(uname -s)" == Linux ]] || die "the bundle spec targets Linux"
for file in digitpad-mnist.keras digitpad-mnist.json digitpad-mnist.tflite; do
    [[ -f "trained_models/$file" ]] || die "trained_models/$file is missing"
done
if [[ ! -x .venv/bin/pyinstaller ]]; then
    ./packaging/setup.sh --packaging
fi

version="$(.venv/bin/python -c 'import digitpad; print(digitpad.__version__)')"
arch="$(uname -m)"
say "building DigitPad $version for linux-$arch"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work" packaging/digitpad.spec

# PyInstaller's own strip option also strips numpy's and Pillow's bundled libraries,
# which breaks them; the interpreter and its C modules strip safely (about 20 MB).
if command -v strip >/dev/null; then
    strip --strip-unneeded "$dist/digitpad/_internal"/libpython3*.so* \
        "$dist/digitpad/_internal"/python3*/lib-dynload/*.so
fi

# Desktop integration travels with the bundle.
cp packaging/install_desktop_entry.sh "$dist/digitpad/"

tarball="$dist/digitpad-$version-linux-$arch.tar.gz"
tar -C "$dist" -czf "$tarball" digitpad
say "folder:  $dist/digitpad ($(du -sh "$dist/digitpad" | cut -f1))"
say "archive: $tarball ($(du -sh "$tarball" | cut -f1))"
