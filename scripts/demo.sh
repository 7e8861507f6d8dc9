#!/usr/bin/env bash
# The main job: install the system libraries, build ecgs optimised, run the demo script (data/demo,
# the shipped models), then, when ../shared/data is beside the checkout, the evaluation of every
# shipped model on its held-out labelled records (scripts/evaluate.ecgs, the README's table).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product ecgs
.build/release/ecgs run scripts/demo.ecgs
if [ -d ../shared/data/ecg12 ]; then
    .build/release/ecgs run scripts/evaluate.ecgs
else
    echo "(../shared/data not found: skipping scripts/evaluate.ecgs)"
fi
