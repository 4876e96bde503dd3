# Helpers of bench/peers.sh, kept apart so that bench/peers_lib_test.sh can test them.

# port_in_use PORT: true while a TCP socket on this machine has local port PORT — a listener, or a
# client connection the kernel gave PORT as its ephemeral port (the peers' fixed ports lie in the
# ephemeral range, and a server cannot bind a port a connection holds either). Sockets in
# TIME-WAIT do not count: servers bind with SO_REUSEADDR, which lets them past those.
port_in_use() {
  [[ -n $(ss -Htan exclude time-wait "sport = :$1") ]]
}

# wait_port_free PORT...: waits up to WAIT_PORT_S (120) seconds for each port to be free; false if
# one stays in use.
wait_port_free() {
  local p i limit=${WAIT_PORT_S:-120}
  for p in "$@"; do
    for ((i = 0; i < limit * 4; i++)); do
      port_in_use "$p" || continue 2
      ((i == 0)) && echo "peers.sh: port $p is in use; waiting up to $limit s" >&2
      sleep 0.25
    done
    echo "peers.sh: port $p still in use" >&2
    return 1
  done
}
