#!/usr/bin/env bash
# Set up DigitPad from a clone on Debian/Ubuntu: the system libraries Qt needs, a virtual
# environment in .venv, and the project installed into it (editable, so a `git pull` is
# picked up without reinstalling).
#
#   ./packaging/setup.sh            the app        (then: .venv/bin/digitpad)
#   ./packaging/setup.sh --test     + test tools   (then: .venv/bin/python -m pytest)
#   ./packaging/setup.sh --packaging  + build and PyInstaller (packaging/build_bundle.sh)
#
# Options can be combined. --no-system skips apt (for machines where you install Qt's
# libraries yourself). PYTHON=/path/to/python3.x picks the interpreter (3.11 or newer).
# Safe to re-run: it installs only what is missing and reuses a healthy .venv.
set -euo pipefail

# Qt's xcb platform plugin dlopens these; without them the app dies with "could not load
# the Qt platform plugin xcb". libegl1/libgl1/libfontconfig1 are needed even offscreen.
QT_APT_PACKAGES=(
    libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-render-util0 libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxcb-randr0
    libegl1 libgl1 libfontconfig1 libdbus-1-3
)
MIN_PYTHON="3.11"

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33msetup:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31msetup:\033[0m %s\n' "$*" >&2; exit 1; }

extras=()
install_system=1
for arg in "$@"; do
    case "$arg" in
        --test) extras+=(test) ;;
        --packaging) extras+=(packaging) ;;
        --no-system) install_system=0 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $arg" ;;
    esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
venv="$repo/.venv"

# --- system packages -----------------------------------------------------------------
missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || printf '%s\n' "$pkg"
    done
}

# Installs the given Debian packages if any is missing; returns 1 if it could not.
apt_install() {
    local -a missing
    mapfile -t missing < <(missing_packages "$@")
    ((${#missing[@]} == 0)) && return 0
    if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
        warn "no apt here; install these yourself if Qt complains: ${missing[*]}"
        return 1
    fi
    local -a sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null; then
            sudo=(sudo)
        else
            warn "not root and no sudo; install these yourself: ${missing[*]}"
            return 1
        fi
    fi
    say "installing system packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
        && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${missing[@]}" \
        || { warn "apt-get failed; install these yourself: ${missing[*]}"; return 1; }
}

if ((install_system)); then
    apt_install "${QT_APT_PACKAGES[@]}" || true
fi

# --- Python ----------------------------------------------------------------------------
python_ok() {
    "$1" -c "import sys; sys.exit(sys.version_info < (${MIN_PYTHON/./, }))" 2>/dev/null
}

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null \
            && python_ok "$candidate" && { command -v "$candidate"; return 0; }
    done
    return 1
}

if ! python="$(find_python)"; then
    ((install_system)) && apt_install python3 python3-venv || true
    python="$(find_python)" || die "need Python $MIN_PYTHON or newer (set PYTHON=...)"
fi

venv_healthy() {
    [[ -x "$venv/bin/python" ]] && python_ok "$venv/bin/python" \
        && "$venv/bin/python" -m pip --version >/dev/null 2>&1
}

if ! venv_healthy; then
    say "creating $venv with $python ($("$python" -c 'import platform; print(platform.python_version())'))"
    if ! "$python" -m venv --clear "$venv" 2>/dev/null; then
        # Debian splits ensurepip out of the interpreter package.
        version="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        ((install_system)) && { apt_install "python$version-venv" || apt_install python3-venv || true; }
        "$python" -m venv --clear "$venv" \
            || die "could not create a virtual environment; install python$version-venv"
    fi
fi

# --- the project -----------------------------------------------------------------------
export PIP_DISABLE_PIP_VERSION_CHECK=1
target="."
if ((${#extras[@]})); then
    target=".[$(IFS=,; echo "${extras[*]}")]"
fi
say "installing DigitPad ($target) into .venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e "$target"
say "ready: $("$venv/bin/digitpad" --version)"
