#!/usr/bin/env bash
# The service processes under load, each benchmark on its own fresh private broker:
#   A) quotewire-bench indexer:  the real quotewire-indexer indexing the corpus from a topic
#   B) quotewire-bench pipeline: the corpus through quotewire-ingest, -parser and -indexer,
#      then publish-to-searchable latency at a steady rate
# Both compare with a plain FTS5 insert of the same documents in the same run.
#
#   scripts/bench-pipeline.sh [FLAGS FOR THE PIPELINE BENCHMARK, e.g. --rate 200 --latency-articles 2000]
#
# SCRATCH= picks the build folder (default .build); BENCHES="indexer" or "pipeline" runs one.
# The corpus goes to ./data/bench/corpus.jsonl (git-ignored) when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scratch=${SCRATCH:-.build}
corpus=${QUOTEWIRE_BENCH_CORPUS:-$root/data/bench/corpus.jsonl}
shared=${QUOTEWIRE_SHARED:-$root/../shared}
benches=${BENCHES:-indexer pipeline}

if [ ! -s "$corpus" ]; then
    mkdir -p "$(dirname "$corpus")"
    python3 "$shared/bench/make_corpus.py" --out "$corpus" >&2
fi
for product in quotewire-bench quotewire-ingest quotewire-parser quotewire-indexer quotewire-query; do
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
    *) echo "unknown benchmark $bench (indexer, pipeline)" >&2; exit 2 ;;
    esac
done
