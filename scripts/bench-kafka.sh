#!/usr/bin/env bash
# Kafka module throughput against librdkafka's rdkafka_performance, same broker, same run.
# Starts a private broker on a free port, prints the figures, stops the broker.
#   scripts/bench-kafka.sh [--messages N] [--runs N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh --bench-tools
port=$(scripts/broker.sh free-port)
scripts/broker.sh start "$port"
trap 'scripts/broker.sh stop "$port"' EXIT
swift build -c release --product quotewire-bench
"$(swift build -c release --show-bin-path)/quotewire-bench" kafka --brokers "127.0.0.1:$port" \
    --rdkafka-performance tools/bin/rdkafka_performance "$@"
