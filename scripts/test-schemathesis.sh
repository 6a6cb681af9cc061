#!/usr/bin/env bash
# Tests the query service's HTTP API against its own OpenAPI document with schemathesis:
#   1. installs schemathesis from PyPI when missing,
#   2. seeds a small demo index (invented articles, written through the store's writer),
#   3. starts quotewire-query on a free port over it,
#   4. runs `schemathesis run …/openapi.json --checks all` with a bounded number of
#      examples and a fixed seed, failing on any 5xx, schema mismatch or other check.
# Usage: scripts/test-schemathesis.sh [max-examples-per-operation]   (default 40)
# Env: SCRATCH (SwiftPM scratch path, default .build), ST_SEED (default 20261126).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
examples=${1:-40}
scratch=${SCRATCH:-.build}
seed=${ST_SEED:-20261126}
log() { printf '[schemathesis] %s\n' "$*" >&2; }

if ! python3 -m schemathesis --version >/dev/null 2>&1 && ! command -v schemathesis >/dev/null 2>&1; then
    log "installing schemathesis from PyPI"
    python3 -m pip install -q schemathesis
fi
st() { if command -v schemathesis >/dev/null 2>&1; then schemathesis "$@"; else python3 -m schemathesis "$@"; fi; }

log "building quotewire-query and quotewire-bench"
swift build --scratch-path "$scratch" --product quotewire-query >/dev/null
swift build --scratch-path "$scratch" --product quotewire-bench >/dev/null
bin=$(swift build --scratch-path "$scratch" --show-bin-path)

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$bin/quotewire-bench" seed --index "$work/index" --articles 40 >&2

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# A child that the kernel kills when this script ends, however it ends.
setpriv --pdeathsig KILL -- "$bin/quotewire-query" --index "$work/index" --host 127.0.0.1 --port "$port" \
    --web-port off --log-level warning >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log" >&2; log "the server did not start"; exit 1; fi
    sleep 0.1
done

log "running schemathesis ($(st --version)) against port $port, $examples examples per operation, seed $seed"
status=0
(cd "$work" && st --config-file "$root/scripts/schemathesis.toml" --no-color run \
    "http://127.0.0.1:$port/openapi.json" --checks all --max-examples "$examples" --seed "$seed" \
    --generation-database none --workers 2 --request-timeout 10) || status=$?
if grep -q ' 5[0-9][0-9] ' "$work/server.log" 2>/dev/null; then log "server log mentions 5xx"; fi
exit $status
