#!/usr/bin/env bash
# Measures ecgs start-up to first output: `ecgs -c 'print(1)'` and piped `1 + 1`.
# Uses hyperfine when installed; otherwise times RUNS runs with date +%s%N and prints the median.
# Usage: scripts/bench/startup.sh [path/to/ecgs] (default: .build/release/ecgs, else .build/debug/ecgs)
set -euo pipefail
cd "$(dirname "$0")/../.."
binary="${1:-}"
if [ -z "$binary" ]; then
    if [ -x .build/release/ecgs ]; then binary=.build/release/ecgs; else binary=.build/debug/ecgs; fi
fi
[ -x "$binary" ] || { echo "startup: no ecgs binary at '$binary' (swift build first)" >&2; exit 1; }
runs="${RUNS:-51}"
export ECGS_HISTORY=/dev/null

if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 5 --runs "$runs" -N "$binary -c 'print(1)'"
    exit 0
fi

median_ms() {
    local times=() start end
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$@" >/dev/null
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { m = t[int((NR + 1) / 2)]; printf "%.1f ms (min %.1f, max %.1f, %d runs)\n", m / 1000, t[1] / 1000, t[NR] / 1000, NR }'
}

piped() { echo '1 + 1' | "$binary"; }

"$binary" -c 'print(1)' >/dev/null   # warm the file cache
echo "binary: $binary"
echo -n "ecgs -c 'print(1)':   "; median_ms "$binary" -c 'print(1)'
echo -n "echo '1 + 1' | ecgs:  "; median_ms piped
echo -n "ecgs --version:       "; median_ms "$binary" --version
