#!/usr/bin/env bash
# Installs the tools the browser tests of the HTML report use: headless Chromium and ImageMagick.
# Idempotent; never fails the caller: without network or apt the browser tests skip with a message.
set -uo pipefail

have_chromium() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
# Any `convert` on PATH that says it is ImageMagick (as the tests look for it; a stand-in of that name does not count).
have_imagemagick() {
    local candidate
    for candidate in $(type -ap convert); do
        "$candidate" -version 2>/dev/null | grep -q ImageMagick && return 0
    done
    return 1
}

missing=()
have_chromium || missing+=(chromium)
have_imagemagick || missing+=(imagemagick)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-test-tools: warning: apt-get not available; cannot install ${missing[*]} (browser tests will skip)" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "setup-test-tools: warning: not root and no passwordless sudo; cannot install ${missing[*]} (browser tests will skip)" >&2
        exit 0
    fi
fi

echo "setup-test-tools: installing ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt_install() { DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; }
# A fresh image may have no package lists, and `apt-get install` then finds nothing: update once and retry.
if ! apt_install; then
    if ! $SUDO apt-get update -qq >"$log" 2>&1; then
        echo "setup-test-tools: warning: apt-get update failed (no network?); browser tests will skip" >&2
        tail -n 3 "$log" >&2
        exit 0
    fi
    if ! apt_install; then
        echo "setup-test-tools: warning: apt-get install ${missing[*]} failed; browser tests will skip" >&2
        tail -n 3 "$log" >&2
        exit 0
    fi
fi
exit 0
