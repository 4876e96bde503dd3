#!/usr/bin/env bash
# Runs the AWS durable-execution conformance requirements against a local `durable serve` hosting
# our JavaScript handlers, written with the official SDK (@aws/durable-execution-sdk-js), through
# the Node.js runtime support of durable serve. Exits with the runner's code.
#   interop/js/run.sh [runner options, e.g. --suites step --ids 1-1]
# Environment: BUILD (build directory, default build), CONFORMANCE_REQUIREMENTS (default
# ../shared/conformance), INTEROP_WORKERS (parallel suites, default 9).
# Expects $BUILD/durable and interop/js/node_modules (`npm ci` in interop/js). Then runs the
# examples/js-approval test (node --test) too when its node_modules are installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
REQUIREMENTS=${CONFORMANCE_REQUIREMENTS:-../shared/conformance}
WORKERS=${INTEROP_WORKERS:-9}
REPORT_DIR=$BUILD/interop-js-report

if [[ ! -d $REQUIREMENTS ]]; then
  echo "=====================================================================" >&2
  echo "WARNING: interop/js SKIPPED: requirements folder $REQUIREMENTS not found." >&2
  echo "=====================================================================" >&2
  exit 0
fi
if ! command -v node >/dev/null; then
  echo "interop/js: node is not installed" >&2
  exit 2
fi
if [[ ! -x $BUILD/durable ]]; then
  echo "interop/js: $BUILD/durable is missing; build it first (make build)." >&2
  exit 2
fi
if [[ ! -d interop/js/node_modules/@aws/durable-execution-sdk-js ]]; then
  echo "interop/js: run 'npm ci' in interop/js first." >&2
  exit 2
fi

source scripts/lib/serve.sh
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
  serve_stop
  mkdir -p "$REPORT_DIR"
  [[ -f $TMP/server.log ]] && cp "$TMP/server.log" "$REPORT_DIR/server.log"
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# TMPDIR: the handlers' crash counters (lib/common.mjs) live and die with this run.
serve_start interop/js "$BUILD/durable" "interop/js/template.yaml" "$TMP/interop.db"
echo "interop/js: durable serve at $ENDPOINT (log: $REPORT_DIR/server.log)"

# Default: every suite that has a handler folder here.
DEFAULT_SUITES=$(cd interop/js && for s in step wait callback wait_for_callback child \
  wait_for_condition parallel map invoke; do [[ -d $s ]] && printf '%s,' "$s"; done; true)
SUITES=()
[[ " $* " == *" --suites "* || " $* " == *" --ids "* ]] || SUITES=(--suites "${DEFAULT_SUITES%,}")
START=$(date +%s)
set +e
python3 -m conformance.runner --endpoint "$ENDPOINT" --template interop/js/template.yaml \
  --requirements "$REQUIREMENTS" --report-dir "$REPORT_DIR" --workers "$WORKERS" \
  "${SUITES[@]}" "$@"
RC=$?
# The JS approval example's own test (its own server), when its packages are installed.
if [[ -d examples/js-approval/node_modules ]]; then
  BIN=$(cd "$BUILD" && pwd)/durable
  (cd examples/js-approval && DURABLE_BIN=$BIN node --test) || RC=1
else
  echo "interop/js: examples/js-approval skipped (run 'npm ci' there)" >&2
fi
set -e
echo "interop/js: finished in $(($(date +%s) - START)) s (exit $RC); reports in $REPORT_DIR"
exit $RC
