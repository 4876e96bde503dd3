#!/usr/bin/env bash
# `make bench`: builds the benchmark targets, runs the micro-benchmarks and the B1–B6 drivers
# (in-process and function-process modes, SQLite synchronous=FULL unless BENCH_ARGS says
# otherwise), runs the peer engines from ../shared/peer-bench (bench/peers.sh; skipped loudly when
# absent), then prints one table and writes bench/results/<date>.json and .png (bench/report.py).
# Env: BUILD (build dir), PEER_BENCH (default ../shared/peer-bench), BENCH_ARGS (extra bench_driver flags, e.g. "--b4-n 2000"),
#      PEERS ("aws restate dbos storage" or "" to skip), PB (peers' scratch dir).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
scripts/install-deps.sh
[[ -f "$BUILD/build.ninja" ]] || cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD" -j "$(nproc)" --target durable bench_driver bench_bootstrap bench_micro
# The build's own output (~100 MB of binaries) is still being written back: every fsync measured
# below would wait behind it.
sync
ABS_BUILD=$(cd "$BUILD" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/durable-bench.XXXXXX")
echo "bench: scratch $WORK"
# bench/template.yaml with CodeUri pointing at this build's bootstrap (written by CMake).
cp "$ABS_BUILD/bench/template.yaml" "$WORK/template.yaml"

# Debian's python3 has python3-matplotlib (scripts/install-deps.sh); a python3 earlier in PATH
# (pyenv, venv) may not.
PY=python3
[[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3

echo "bench: micro-benchmarks"
"$BUILD/bench/bench_micro" --benchmark_min_time=0.2 --benchmark_format=console \
  --benchmark_out="$WORK/micro.json" --benchmark_out_format=json

# The machine's commit-rate limits before our run too (shared disks drift within minutes).
: >"$WORK/limits-before.jsonl"
if [[ " ${PEERS-aws restate dbos storage} " == *" storage "* ]]; then
  PEERS=storage bench/peers.sh "$WORK/limits-before.jsonl"
fi

echo "bench: B1-B6 drivers"
# shellcheck disable=SC2086
"$BUILD/bench/bench_driver" --mode both --template "$WORK/template.yaml" \
  --durable "$BUILD/durable" --bootstrap "$BUILD/bench" --out "$WORK/ours.json" ${BENCH_ARGS:-}

if [[ -n "${PEERS-aws restate dbos storage}" ]]; then
  PEERS=${PEERS-aws restate dbos storage} bench/peers.sh "$WORK/peers.jsonl"
else
  echo "bench: peers SKIPPED (PEERS is empty)" >&2
  : >"$WORK/peers.jsonl"
fi

"$PY" bench/report.py --ours "$WORK/ours.json" --peers "$WORK/peers.jsonl" \
  --micro "$WORK/micro.json" --limits-before "$WORK/limits-before.jsonl" --out-dir bench/results
