#!/usr/bin/env bash
# The main job: install the system libraries, build ecgs optimised, run the demo script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product ecgs
.build/release/ecgs run scripts/demo.ecgs
