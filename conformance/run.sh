#!/usr/bin/env bash
# Runs the AWS durable-execution conformance requirements against a local `durable serve` hosting
# the C++ conformance handlers (template.yaml), and exits with the runner's code.
#   conformance/run.sh [runner options, e.g. --suites step,wait --ids 1-1]
# Environment: BUILD (build directory, default build), CONFORMANCE_REQUIREMENTS (default
# ../shared/conformance), CONFORMANCE_WORKERS (parallel suites, default 10).
# `make conformance` builds first; this script expects $BUILD/durable and
# $BUILD/conformance/bootstrap to exist.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-build}
REQUIREMENTS=${CONFORMANCE_REQUIREMENTS:-../shared/conformance}
WORKERS=${CONFORMANCE_WORKERS:-10}
REPORT_DIR=$BUILD/conformance-report

if [[ ! -d $REQUIREMENTS ]]; then
  echo "=====================================================================" >&2
  echo "WARNING: conformance SKIPPED: requirements folder $REQUIREMENTS not found." >&2
  echo "=====================================================================" >&2
  exit 0
fi
for binary in "$BUILD/durable" "$BUILD/conformance/bootstrap"; do
  if [[ ! -x $binary ]]; then
    echo "conformance: $binary is missing; run 'make conformance' (or build it) first." >&2
    exit 2
  fi
done

source scripts/lib/serve.sh
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
  serve_stop
  mkdir -p "$REPORT_DIR"
  [[ -f $TMP/server.log ]] && cp "$TMP/server.log" "$REPORT_DIR/server.log"
  rm -rf "$TMP"
  rm -f /tmp/durable-conformance-*.count
}
trap cleanup EXIT INT TERM

# The template points CodeUri at ../build/conformance; serve a copy that points at $BUILD.
TEMPLATE=conformance/template.yaml
BUILD_ABS=$(cd "$BUILD" && pwd)
if [[ $BUILD_ABS != "$ROOT/build" ]]; then
  sed "s#CodeUri: \.\./build/conformance#CodeUri: $BUILD_ABS/conformance#" \
    "$TEMPLATE" >"$TMP/template.yaml"
  SERVE_TEMPLATE=$TMP/template.yaml
else
  SERVE_TEMPLATE=$TEMPLATE
fi

serve_start conformance "$BUILD/durable" "$SERVE_TEMPLATE" "$TMP/conformance.db"
echo "conformance: durable serve at $ENDPOINT (log: $REPORT_DIR/server.log)"

START=$(date +%s)
set +e
python3 -m conformance.runner --endpoint "$ENDPOINT" --template "$TEMPLATE" \
  --requirements "$REQUIREMENTS" --report-dir "$REPORT_DIR" --workers "$WORKERS" "$@"
RC=$?
set -e
echo "conformance: finished in $(($(date +%s) - START)) s (exit $RC); reports in $REPORT_DIR"
exit $RC
