#!/usr/bin/env bash
# Tests bench/peers_lib.sh: a port held only by a client connection (no listener) counts as in
# use — PostgreSQL's start failed on such a port ("Address already in use") while the old check,
# a connect to the port, found it free — and wait_port_free returns once the connection is gone.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/peers_lib.sh"
fail() { echo "FAIL: $*" >&2; exit 1; }

# A listener on an ephemeral port, and a client bound to another free port P connected to it,
# closed after 1.5 s. P is printed once the connection is up.
fifo=$(mktemp -u) && mkfifo "$fifo"
python3 - >"$fifo" <<'PY' &
import socket, sys, time
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
cli = socket.socket(); cli.bind(("127.0.0.1", 0)); cli.connect(srv.getsockname())
conn, _ = srv.accept()
print(cli.getsockname()[1], flush=True)
time.sleep(1.5)
cli.close(); conn.close(); srv.close()
PY
holder=$!
read -r P <"$fifo"
rm -f "$fifo"
[[ -n "$P" ]] || fail "no port from the holder"

port_in_use "$P" || fail "port $P, held by a client connection, was reported free"
start=$(date +%s%N)
WAIT_PORT_S=10 wait_port_free "$P" 2>/dev/null || fail "wait_port_free gave up on port $P"
waited_ms=$((($(date +%s%N) - start) / 1000000))
((waited_ms >= 500)) || fail "wait_port_free returned after $waited_ms ms, before the connection closed"
wait "$holder"
port_in_use "$P" && fail "port $P still in use after the close (only TIME-WAIT may remain)"
echo "peers_lib_test: OK (waited $waited_ms ms for port $P)"
