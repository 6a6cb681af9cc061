#!/usr/bin/env bash
# A local Kafka-compatible broker (Tansu, in memory) for development and tests.
#
#   scripts/broker.sh start [PORT]   start on PORT (default 9092) unless one already answers there,
#                                    wait until it answers, create the pipeline topics; it keeps
#                                    running after this script (for `make demo`)
#   scripts/broker.sh stop [PORT]    stop the broker this script started on PORT
#   scripts/broker.sh serve PORT     run a broker in the foreground, as the caller's child: the
#                                    kernel kills it (SIGKILL) when the caller ends, however it ends
#                                    (for tests: `scripts/broker.sh serve $port & scripts/broker.sh ready $port`)
#   scripts/broker.sh ready PORT     wait until a broker answers on PORT, create the pipeline topics
#   scripts/broker.sh status [PORT]  exit 0 when a broker answers on PORT
#   scripts/broker.sh free-port      print a free TCP port on 127.0.0.1
#
# Tansu keeps everything in memory: a restart starts empty.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tansu="$root/tools/bin/tansu"
run="$root/run"
logs="$root/logs"
topics=(articles.raw quotes.parsed articles.dlq)
partitions=${QUOTEWIRE_PARTITIONS:-3}

answers() { # answers PORT: a TCP connect succeeds
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(0.5)
try:
    s.connect(("127.0.0.1", int(sys.argv[1]))); sys.exit(0)
except OSError:
    sys.exit(1)
PY
}

wait_until_answering() { # wait_until_answering PORT: up to 10 s
    for _ in $(seq 1 100); do
        answers "$1" && return 0
        sleep 0.1
    done
    answers "$1"
}

create_topics() {
    local port=$1
    local existing
    existing=$("$tansu" topic list --broker "tcp://127.0.0.1:$port" 2>/dev/null || true)
    for t in "${topics[@]}"; do
        if ! grep -q "\"$t\"\|\b$t\b" <<<"$existing"; then
            "$tansu" topic create --broker "tcp://127.0.0.1:$port" --partitions "$partitions" "$t" >/dev/null 2>&1 || true
        fi
    done
}

cmd=${1:-}
port=${2:-9092}
case "$cmd" in
start)
    [ -x "$tansu" ] || "$root/scripts/setup.sh"
    mkdir -p "$run" "$logs"
    if answers "$port"; then
        echo "broker already answering on 127.0.0.1:$port" >&2
    else
        nohup "$tansu" broker --listener-url "tcp://127.0.0.1:$port" \
            --advertised-listener-url "tcp://127.0.0.1:$port" \
            >"$logs/broker-$port.log" 2>&1 </dev/null &
        echo $! >"$run/broker-$port.pid"
        wait_until_answering "$port" || { echo "broker did not start; see $logs/broker-$port.log" >&2; exit 1; }
        echo "broker started on 127.0.0.1:$port (pid $(cat "$run/broker-$port.pid"))" >&2
    fi
    create_topics "$port"
    ;;
serve)
    [ -x "$tansu" ] || "$root/scripts/setup.sh" >&2
    # setpriv (util-linux) sets the parent-death signal, then runs the broker in this process.
    exec setpriv --pdeathsig KILL -- "$tansu" broker --listener-url "tcp://127.0.0.1:$port" \
        --advertised-listener-url "tcp://127.0.0.1:$port" </dev/null
    ;;
ready)
    wait_until_answering "$port" || { echo "no broker answers on 127.0.0.1:$port" >&2; exit 1; }
    create_topics "$port"
    ;;
stop)
    pidfile="$run/broker-$port.pid"
    if [ -f "$pidfile" ]; then
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
        echo "broker on 127.0.0.1:$port stopped" >&2
    fi
    ;;
status)
    answers "$port"
    ;;
free-port)
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
    ;;
*)
    echo "usage: $0 start|stop|status [PORT] | serve|ready PORT | free-port" >&2
    exit 2
    ;;
esac
