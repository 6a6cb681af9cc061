#!/usr/bin/env bash
# `make soak`: a long steady stream through quotewire-ingest, -parser and -indexer on a fresh
# private broker; prints RSS per service over time, consumer lag and the end-to-end count, and
# fails when an article is lost or doubled or a service's RSS grows >20% after warm-up.
#
#   scripts/soak.sh [FLAGS FOR `quotewire-bench soak`, e.g. --interval 30]
#
# ARTICLES (default 100000), RATE (articles/s, default 200), SOAK_CONFIG (release, or debug to
# reuse the test build), SCRATCH (build folder, default .build). Texts come from the benchmark
# corpus (./data/bench/corpus.jsonl, made from ../shared when that is there), else from samples/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"
config=${SOAK_CONFIG:-release}
scratch=${SCRATCH:-.build}
corpus=${QUOTEWIRE_BENCH_CORPUS:-$root/data/bench/corpus.jsonl}
shared=${QUOTEWIRE_SHARED:-$root/../shared}

if [ ! -s "$corpus" ] && [ -f "$shared/bench/make_corpus.py" ]; then
    mkdir -p "$(dirname "$corpus")"
    python3 "$shared/bench/make_corpus.py" --out "$corpus" >&2
fi
for product in quotewire-bench quotewire-ingest quotewire-parser quotewire-indexer; do
    swift build -c "$config" --scratch-path "$scratch" --product "$product" >&2
done
bin=$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)

. scripts/private-broker.sh
trap stop_private_broker EXIT
start_private_broker
port=$PRIVATE_BROKER_PORT
echo "[soak] $config build, broker 127.0.0.1:$port; $(uptime)" >&2
"$bin/quotewire-bench" soak --brokers "127.0.0.1:$port" --broker-pid "$PRIVATE_BROKER_PID" \
    --articles "${ARTICLES:-100000}" --rate "${RATE:-200}" --corpus "$corpus" --samples "$root/samples" "$@"
