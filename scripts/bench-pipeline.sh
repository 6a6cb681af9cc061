#!/usr/bin/env bash
# The service processes under load, each benchmark on its own fresh private broker:
#   A) quotewire-bench indexer:  the real quotewire-indexer indexing the corpus from a topic
#   B) quotewire-bench pipeline: the corpus through quotewire-ingest, -parser and -indexer,
#      then publish-to-searchable latency at a steady rate
#   C) quotewire-bench versus: `quotewire publish` of the corpus through -parser and -indexer
#      against the Python peer (../shared/bench/peer/) on the same broker, 3 runs, medians
# A and B compare with a plain FTS5 insert of the same documents in the same run.
#
#   scripts/bench-pipeline.sh [FLAGS FOR THE PIPELINE BENCHMARK, e.g. --rate 200 --latency-articles 2000]
#
# SCRATCH= picks the build folder (default .build); BENCHES="indexer", "pipeline" or "versus" runs one.
# The peer needs confluent-kafka, installed here with pip when missing (not by make test).
# The corpus goes to ./data/bench/corpus.jsonl (git-ignored) when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scratch=${SCRATCH:-.build}
corpus=${QUOTEWIRE_BENCH_CORPUS:-$root/data/bench/corpus.jsonl}
shared=${QUOTEWIRE_SHARED:-$root/../shared}
benches=${BENCHES:-indexer pipeline versus}

if [ ! -s "$corpus" ]; then
    mkdir -p "$(dirname "$corpus")"
    python3 "$shared/bench/make_corpus.py" --out "$corpus" >&2
fi
case " $benches " in
*" versus "*)
    if ! python3 -c "import confluent_kafka" 2>/dev/null; then
        python3 -m pip install --quiet confluent-kafka >&2 || python3 -m pip install --quiet --break-system-packages confluent-kafka >&2
    fi
    ;;
esac
for product in quotewire quotewire-bench quotewire-ingest quotewire-parser quotewire-indexer quotewire-query; do
    swift build -c release --scratch-path "$scratch" --product "$product" >&2
done
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)

port=""
stop_broker() {
    if [ -n "$port" ]; then scripts/broker.sh stop "$port"; port=""; fi
}
trap stop_broker EXIT

# Runs one benchmark against a broker started for it alone (its topics empty).
on_fresh_broker() {
    port=$(scripts/broker.sh free-port)
    scripts/broker.sh start "$port"
    local pid
    pid=$(cat "run/broker-$port.pid")
    echo "== quotewire-bench $1 (broker 127.0.0.1:$port, pid $pid); $(uptime)"
    "$bin/quotewire-bench" "$@" --brokers "127.0.0.1:$port" --broker-pid "$pid" --corpus "$corpus"
    echo "== done; $(uptime)"
    stop_broker
}

for bench in $benches; do
    case "$bench" in
    indexer) on_fresh_broker indexer ;;
    pipeline) on_fresh_broker pipeline "$@" ;;
    versus) on_fresh_broker versus --peer "$shared/bench/peer/peer_pipeline.py" --tansu "$root/tools/bin/tansu" ;;
    *) echo "unknown benchmark $bench (indexer, pipeline, versus)" >&2; exit 2 ;;
    esac
done
