#!/usr/bin/env bash
# Runs every test suite against the build in build/ (make test calls this after building).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
JOBS=${JOBS:-$(nproc)}

# npm packages of the JS tests, the JS interop suite and the JS example (committed lock files).
for dir in tests/interop interop/js examples/js-approval; do
  if [[ ! -d $dir/node_modules ]] || [[ $dir/package-lock.json -nt $dir/node_modules ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

(cd "$BUILD" && ctest --output-on-failure -j "$JOBS" -LE conformance)

# The AWS conformance requirements end to end (skips loudly without ../shared/conformance).
# It runs alone, after the unit and e2e tests, because its callback timings race real clocks.
BUILD=$BUILD conformance/run.sh
# Functions written with the official AWS JS durable SDK, on durable serve (interop/js/run.sh).
BUILD=$BUILD interop/js/run.sh
