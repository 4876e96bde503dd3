#!/usr/bin/env bash
# Installs and runs the peer engines of ../shared/peer-bench (AWS LocalDurableTestRunner, Restate,
# DBOS on PostgreSQL, and the storage limits) on the workloads of the report, each run capped.
# Every npm install goes into a scratch directory ($PB, default $TMPDIR/durable-peer-bench), never
# into the repository; every server started here is stopped by its PID. Writes one JSON line per
# run to $1 ({"peer","args",...the script's own JSON}). Skips loudly when the folder is missing.
# Usage: bench/peers.sh OUT.jsonl   (env PEER_BENCH=<dir>, PB=<scratch>, PEERS="aws restate dbos storage")
set -u
OUT=${1:?usage: peers.sh OUT.jsonl}
HERE=$(cd "$(dirname "$0")" && pwd)
PEER_BENCH=${PEER_BENCH:-$HERE/../../shared/peer-bench}
export PB=${PB:-${TMPDIR:-/tmp}/durable-peer-bench}
PEERS=${PEERS:-aws restate dbos storage}
: >"$OUT"
if [[ ! -d "$PEER_BENCH" ]]; then
  echo "peers.sh: SKIPPED: no peer benchmarks at $PEER_BENCH (the table will have no peer columns)" >&2
  exit 0
fi
PEER_BENCH=$(cd "$PEER_BENCH" && pwd)
mkdir -p "$PB"
echo "peers.sh: scratch directory $PB"

# run PEER DIR TIMEOUT CMD...: runs a peer script, keeps its last JSON line, tagged.
run() {
  local peer=$1 dir=$2 t=$3
  shift 3
  echo "peers.sh: [$peer] $*"
  local line
  line=$(cd "$dir" && timeout "$t" "$@" 2>"$PB/$peer.err" | grep '^{' | tail -1)
  if [[ -z "$line" ]]; then
    echo "peers.sh: [$peer] $* FAILED: $(tail -3 "$PB/$peer.err" | tr '\n' ' ')" >&2
    return
  fi
  python3 -c 'import json,sys; d=json.loads(sys.argv[3]); d["peer"]=sys.argv[1]; d["args"]=sys.argv[2].replace(sys.argv[4], "$PB"); print(json.dumps(d))' \
    "$peer" "$*" "$line" "$PB" >>"$OUT"
}

source "$HERE/peers_lib.sh"  # port_in_use, wait_port_free

# pg_start: PostgreSQL on its fixed port, tried three times: a connection that takes the port as
# its ephemeral port between the check and the start makes the start fail.
pg_start() {
  local attempt
  for attempt in 1 2 3; do
    sh "$PEER_BENCH/pg-start.sh" && return 0
    echo "peers.sh: PostgreSQL did not start (attempt $attempt, $PB/pg.log)" >&2
    wait_port_free 55432 || return 1
  done
  return 1
}

npm_setup() {  # npm_setup DIR PACKAGES...
  local d=$1
  shift
  mkdir -p "$d"
  if [[ ! -d "$d/node_modules" ]]; then
    (cd "$d" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$@") ||
      { echo "peers.sh: npm install $* FAILED" >&2; return 1; }
  fi
}

if [[ " $PEERS " == *" aws "* ]]; then
  D=$PB/aws
  if npm_setup "$D" @aws/durable-execution-sdk-js @aws/durable-execution-sdk-js-testing; then
    cp "$PEER_BENCH/aws-local-runner.mjs" "$D/"
    A="node aws-local-runner.mjs"
    for n in 10 100 1000; do run aws "$D" 120 $A steps $n 3 noskip; done
    run aws "$D" 120 $A many 20 1 noskip
    run aws "$D" 120 $A many 2000 200 noskip
    run aws "$D" 120 $A callback 5 noskip
    run aws "$D" 120 $A replay 100 noskip
    run aws "$D" 120 $A replay 1000 noskip
    run aws "$D" 120 $A size 100 noskip
  fi
fi

if [[ " $PEERS " == *" restate "* ]]; then
  D=$PB/restate
  if npm_setup "$D" @restatedev/restate-server @restatedev/restate-sdk; then
    cp "$PEER_BENCH/restate-bench.mjs" "$D/"
    rm -rf "$PB/restate-data"
    if ! wait_port_free 8080 9070 9080; then
      echo "peers.sh: SKIPPED restate: its ports are taken" >&2
    elif RPID=$(sh "$PEER_BENCH/restate-start.sh" | head -1) && curl -sf http://127.0.0.1:9070/health >/dev/null; then
      R="node restate-bench.mjs"
      for n in 10 100 1000; do run restate "$D" 120 $R steps $n 3; done
      run restate "$D" 120 $R many 100 1
      run restate "$D" 120 $R many 2000 200
      run restate "$D" 120 $R callback 5 hot
      for k in 0 100 1000; do run restate "$D" 120 $R callback 3 suspend $k; done
    else
      echo "peers.sh: restate-server did not start: $(tail -5 "$PB/restate.log" 2>/dev/null)" >&2
    fi
    [[ -n "${RPID:-}" ]] && kill "$RPID" 2>/dev/null && echo "peers.sh: stopped restate-server pid $RPID"
  fi
fi

if [[ " $PEERS " == *" dbos "* ]]; then
  D=$PB/dbos
  if [[ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    echo "peers.sh: SKIPPED dbos: PostgreSQL 15 is not installed" >&2
  elif npm_setup "$D" @dbos-inc/dbos-sdk; then
    cp "$PEER_BENCH/dbos-bench.mjs" "$D/"
    if ! wait_port_free 55432; then
      echo "peers.sh: SKIPPED dbos: port 55432 is taken" >&2
    elif pg_start; then
      B="node --no-deprecation dbos-bench.mjs"
      for n in 10 100 1000; do run dbos "$D" 120 $B steps $n 3; done
      run dbos "$D" 120 $B many 100 1
      run dbos "$D" 120 $B many 2000 200
      run dbos "$D" 120 $B callback 5
      PGPID=$(head -1 "$PB/pgdata/postmaster.pid" 2>/dev/null)
      su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $PB/pgdata stop -m fast" >/dev/null &&
        echo "peers.sh: stopped PostgreSQL pid ${PGPID:-?}"
    else
      echo "peers.sh: SKIPPED dbos: PostgreSQL did not start ($PB/pg.log)" >&2
    fi
  fi
fi

if [[ " $PEERS " == *" storage "* ]]; then
  gcc -O2 -o "$PB/sqlite-commit-bench" "$PEER_BENCH/sqlite-commit-bench.c" -lsqlite3 &&
    gcc -O2 -o "$PB/fsync-bench" "$PEER_BENCH/fsync-bench.c" || echo "peers.sh: storage benches did not build" >&2
  run storage "$PB" 30 "$PB/fsync-bench" "$PB/fsync.dat" 5 4096 overwrite
  run storage "$PB" 30 "$PB/sqlite-commit-bench" "$PB/ck.db" FULL 5 1 100 WAL
  rm -f "$PB/ck.db" "$PB/ck.db-wal" "$PB/ck.db-shm" "$PB/fsync.dat"
fi
echo "peers.sh: $(wc -l <"$OUT") results in $OUT"
