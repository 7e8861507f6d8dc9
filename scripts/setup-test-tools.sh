#!/usr/bin/env bash
# Installs the tools the browser tests of the HTML report use: headless Chromium and ImageMagick.
# Idempotent; never fails the caller: without network or apt the browser tests skip with a message.
set -uo pipefail

have_chromium() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
have_imagemagick() { command -v convert >/dev/null 2>&1 && convert -version 2>/dev/null | grep -q ImageMagick; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
have_chromium || missing+=(chromium)
# The package is checked as well as the command: a `convert` on PATH may be a stand-in, not ImageMagick.
{ have_imagemagick && installed imagemagick; } || installed imagemagick || missing+=(imagemagick)
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
# A fresh image may have no package lists; `apt-get install` then finds nothing, so update first when needed.
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    if ! $SUDO apt-get update -qq >/dev/null 2>&1; then
        echo "setup-test-tools: warning: apt-get update failed (no network?); browser tests will skip" >&2
        exit 0
    fi
    if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
        echo "setup-test-tools: warning: apt-get install ${missing[*]} failed; browser tests will skip" >&2
        exit 0
    fi
fi
exit 0
