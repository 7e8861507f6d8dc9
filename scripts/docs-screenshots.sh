#!/usr/bin/env bash
# Regenerates docs/score-figure.png and docs/report.png: real CPSC 2018 records scored by the published
# CAE (shared/data/seed/best_cae_model.pth), drawn by `plot` and `report` (the Swift test
# DocsFigureWriter writes the SVG and HTML), photographed by headless Chromium, reduced by ImageMagick.
# Needs chromium and ImageMagick (scripts/setup-test-tools.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ECGS_DOCS_DIR="$work" swift test --filter DocsFigureWriter >"$work/test.log" 2>&1 || { tail -n 30 "$work/test.log"; exit 1; }
[ -f "$work/score-figure.svg" ] && [ -f "$work/report.html" ] || { echo "docs-screenshots: figures were not written" >&2; exit 1; }

chromium=$(command -v chromium || command -v chromium-browser)
shoot() {  # shoot PAGE PNG WIDTH HEIGHT
    "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$work/profile" \
        --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null 2>&1
}
# The figure at its own size (read from the SVG's root element).
read -r width height < <(grep -o '<svg[^>]*>' "$work/score-figure.svg" | head -n 1 \
    | sed -E 's/.*width="([0-9.]+)".*height="([0-9.]+)".*/\1 \2/' | awk '{ printf "%d %d\n", $1 + 0.5, $2 + 0.5 }')
shoot "$work/score-figure.svg" "$work/score-figure.png" "$width" "$height"
shoot "$work/report.html" "$work/report.png" 1280 1700

# 8-bit palettes keep each image well under 300 KB without visible loss on these flat-colour drawings.
for name in score-figure report; do
    convert "$work/$name.png" -strip -colors 128 "PNG8:docs/$name.png"
    echo "docs/$name.png: $(du -k "docs/$name.png" | cut -f1) KB"
done
