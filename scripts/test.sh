#!/usr/bin/env bash
# The test suite, exactly as CI runs it: system libraries, a build of everything, all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/setup-test-tools.sh
swift build --build-tests
swift test --skip-build
