#!/usr/bin/env bash
# Runs every test suite against the build in build/ (make test calls this after building): the
# CTest suites (unit, e2e, interop with the official AWS JS client), the AWS conformance
# requirements with our C++ SDK, and the same requirements with the official AWS JS durable SDK.
# Ends with one line `N passed, N failed` over all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
JOBS=${JOBS:-$(nproc)}
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

# npm packages of the JS tests (interop, web UI), the JS interop suite and the JS example
# (committed lock files).
for dir in tests/interop tests/ui interop/js examples/js-approval; do
  if [[ ! -d $dir/node_modules ]] || [[ $dir/package-lock.json -nt $dir/node_modules ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

(cd "$BUILD" && ctest --output-on-failure -j "$JOBS" -LE conformance) | tee "$LOG"

# The AWS conformance requirements end to end (skips loudly without ../shared/conformance).
# It runs alone, after the unit and e2e tests, because its callback timings race real clocks.
BUILD=$BUILD conformance/run.sh | tee -a "$LOG"
# Functions written with the official AWS JS durable SDK, on durable serve (interop/js/run.sh).
BUILD=$BUILD interop/js/run.sh | tee -a "$LOG"

# One closing line over all suites: CTest's "... tests failed out of N" plus the runners' lines.
python3 - "$LOG" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
passed = failed = 0
for f, total in re.findall(r"tests passed, (\d+) tests failed out of (\d+)", text):
    passed += int(total) - int(f)
    failed += int(f)
for p, f in re.findall(r"^(\d+) passed, (\d+) failed$", text, re.M):
    passed += int(p)
    failed += int(f)
print("%d passed, %d failed" % (passed, failed))
PY
