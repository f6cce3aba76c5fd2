#!/usr/bin/env bash
# Put DigitPad in the desktop's application menu: the .desktop entry, the icon set and the
# AppStream metainfo, pointing at a `digitpad` command of your choice.
#
#   ./install_desktop_entry.sh                  for you (~/.local/share)
#   ./install_desktop_entry.sh --system         for everyone (/usr/local/share; needs root)
#   ./install_desktop_entry.sh --exec PATH      launch this digitpad instead of the default
#   ./install_desktop_entry.sh --uninstall      remove what an earlier run installed
#
# Works from a clone (packaging/, default command: `digitpad` on PATH, else .venv's) and
# from the unpacked bundle (next to the `digitpad` executable, which is the default).
set -euo pipefail

APP_ID="io.github.digitpad.DigitPad"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
die() { printf 'install_desktop_entry: %s\n' "$*" >&2; exit 1; }

prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
command=""
uninstall=0
while (($#)); do
    case "$1" in
        --system) prefix="/usr/local/share" ;;
        --exec) shift; (($#)) || die "--exec needs a path"; command="$1" ;;
        --uninstall) uninstall=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
    shift
done

if [[ -d "$here/_internal/digitpad/resources" ]]; then   # the PyInstaller bundle
    resources="$here/_internal/digitpad/resources"
    default_command="$here/digitpad"
else                                                      # a clone of the repository
    resources="$(cd "$here/.." && pwd)/resources"
    default_command="$(command -v digitpad || echo "$(cd "$here/.." && pwd)/.venv/bin/digitpad")"
fi
[[ -f "$resources/$APP_ID.desktop" ]] || die "cannot find $APP_ID.desktop beside this script"

refresh_caches() {
    command -v update-desktop-database >/dev/null \
        && update-desktop-database -q "$prefix/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null \
        && gtk-update-icon-cache -q -t "$prefix/icons/hicolor" 2>/dev/null || true
}

installed_files() {
    echo "$prefix/applications/$APP_ID.desktop"
    echo "$prefix/metainfo/$APP_ID.metainfo.xml"
    echo "$prefix/icons/hicolor/scalable/apps/$APP_ID.svg"
    local size
    for size in 16 24 32 48 64 128 256 512; do
        echo "$prefix/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
    done
}

if ((uninstall)); then
    installed_files | while read -r file; do rm -f "$file"; done
    refresh_caches
    echo "Removed DigitPad's menu entry from $prefix"
    exit 0
fi

command="${command:-$default_command}"
[[ -x "$command" ]] || die "$command is not an executable digitpad (use --exec PATH)"
command="$(cd "$(dirname "$command")" && pwd)/$(basename "$command")"

install -d "$prefix/applications" "$prefix/metainfo" "$prefix/icons/hicolor/scalable/apps"
# Exec takes a quoted path (spaces are legal in it); TryExec takes it verbatim.
sed -e "s|^Exec=.*|Exec=\"$command\"|" -e "s|^TryExec=.*|TryExec=$command|" \
    "$resources/$APP_ID.desktop" >"$prefix/applications/$APP_ID.desktop"
install -m 644 "$resources/$APP_ID.metainfo.xml" "$prefix/metainfo/"

shopt -s nullglob
for svg in "$resources"/icons/*.svg; do
    install -m 644 "$svg" "$prefix/icons/hicolor/scalable/apps/$APP_ID.svg"
    break
done
for png in "$resources"/icons/*-[0-9]*.png; do
    size="${png##*-}"
    size="${size%.png}"
    install -d "$prefix/icons/hicolor/${size}x${size}/apps"
    install -m 644 "$png" "$prefix/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
refresh_caches
echo "DigitPad is in the application menu (launches $command)"
