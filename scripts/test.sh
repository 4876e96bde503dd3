#!/usr/bin/env bash
# Runs every test suite against the build in build/ (make test calls this after building).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
JOBS=${JOBS:-$(nproc)}
cd "$BUILD"
ctest --output-on-failure -j "$JOBS"
