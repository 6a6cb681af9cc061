#!/usr/bin/env bash
# Starts and stops the four Quotewire services as background processes.
#
#   scripts/services.sh start BIN_DIR   start whichever are not running (logs/, run/)
#   scripts/services.sh stop            SIGTERM each, wait for it to drain, SIGKILL after 30 s
#   scripts/services.sh status
#
# Settings come from the environment (QUOTEWIRE_BROKERS, QUOTEWIRE_INDEX, ports, ...).
# The ingest token is generated once into run/ingest.token unless QUOTEWIRE_INGEST_TOKEN is set.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/run"
logs="$root/logs"
services=(quotewire-query quotewire-indexer quotewire-parser quotewire-ingest)
declare -A health_port=(
    [quotewire-ingest]=${QUOTEWIRE_INGEST_PORT:-8080} [quotewire-query]=${QUOTEWIRE_QUERY_PORT:-8081}
    [quotewire-parser]=${QUOTEWIRE_PARSER_PORT:-8082} [quotewire-indexer]=${QUOTEWIRE_INDEXER_PORT:-8083}
)

running() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

healthy() {
    python3 - "$1" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1)
except Exception:
    sys.exit(1)
PY
}

case "${1:-}" in
start)
    bin=${2:?usage: services.sh start BIN_DIR}
    mkdir -p "$run" "$logs"
    if [ -z "${QUOTEWIRE_INGEST_TOKEN:-}" ]; then
        [ -s "$run/ingest.token" ] || python3 -c 'import secrets; print(secrets.token_hex(16))' >"$run/ingest.token"
        export QUOTEWIRE_INGEST_TOKEN_FILE="$run/ingest.token"
    fi
    for service in "${services[@]}"; do
        if running "$service"; then
            echo "$service already running (pid $(cat "$run/$service.pid"))"
            continue
        fi
        nohup "$bin/$service" >>"$logs/$service.log" 2>&1 </dev/null &
        echo $! >"$run/$service.pid"
        echo "$service started (pid $!, log logs/$service.log)"
    done
    for service in "${services[@]}"; do
        for _ in $(seq 1 100); do
            healthy "${health_port[$service]}" && break
            running "$service" || { echo "$service exited; see logs/$service.log" >&2; tail -5 "$logs/$service.log" >&2; exit 1; }
            sleep 0.2
        done
    done
    ;;
stop)
    for service in "${services[@]}"; do
        running "$service" || { rm -f "$run/$service.pid"; continue; }
        pid=$(cat "$run/$service.pid")
        kill -TERM "$pid"
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$run/$service.pid"
        echo "$service stopped"
    done
    ;;
status)
    for service in "${services[@]}"; do
        if running "$service"; then echo "$service running (pid $(cat "$run/$service.pid"))"; else echo "$service stopped"; fi
    done
    ;;
*)
    echo "usage: $0 start BIN_DIR | stop | status" >&2
    exit 2
    ;;
esac
