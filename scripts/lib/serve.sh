# Shell helpers (sourced) for suites that run against a real `durable serve`: start it on a free
# port in the background and stop it. Needs $TMP (a scratch folder of the caller).

# serve_start LABEL DURABLE_BIN TEMPLATE DB: sets SERVER_PID and ENDPOINT; the server's output
# goes to $TMP/server.log. Exits 1 when the server does not come up within 30 s.
serve_start() {
  local label=$1 durable=$2 template=$3 db=$4
  TMPDIR=$TMP "$durable" serve --port 0 --port-file "$TMP/port" --db "$db" \
    --template "$template" >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    [[ -s $TMP/port ]] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "$label: durable serve exited during start-up:" >&2
      cat "$TMP/server.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  if [[ ! -s $TMP/port ]]; then
    echo "$label: durable serve did not report its port within 30 s" >&2
    exit 1
  fi
  ENDPOINT="http://127.0.0.1:$(tr -d '[:space:]' <"$TMP/port")"
}

# serve_stop: stops the server started by serve_start, if it still runs.
serve_stop() {
  if [[ -n ${SERVER_PID:-} ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
