#!/usr/bin/env bash
# Benchmarks `quotewire parse --jsonl` on the 20,000-article corpus, on one core.
#   scripts/bench-parser.sh [RUNS]
# Generates the corpus into ./data/ (git-ignored) when missing, builds release,
# runs `taskset -c 0 quotewire parse --jsonl < corpus > /dev/null` RUNS times (default 3),
# and prints MB/s of input and articles/s for each run and the best.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-3}
corpus=${QUOTEWIRE_BENCH_CORPUS:-$root/data/bench/corpus.jsonl}
shared=${QUOTEWIRE_SHARED:-$root/../shared}
if [ ! -s "$corpus" ]; then
    mkdir -p "$(dirname "$corpus")"
    python3 "$shared/bench/make_corpus.py" --out "$corpus" >&2
fi
swift build -c release --scratch-path "${SCRATCH:-.build}" --product quotewire >&2
bin=$(swift build -c release --scratch-path "${SCRATCH:-.build}" --show-bin-path)/quotewire
bytes=$(stat -c %s "$corpus")
articles=$(wc -l < "$corpus")
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
best=0
for i in $(seq "$runs"); do
    start=$(date +%s.%N)
    "${pin[@]}" "$bin" parse --jsonl < "$corpus" > /dev/null
    end=$(date +%s.%N)
    read -r mbs aps <<<"$(python3 -c "t=$end-$start; print(f'{$bytes/t/1e6:.1f} {$articles/t:.0f}')")"
    echo "run $i: $(python3 -c "print(f'{$end-$start:.3f}')") s, $mbs MB/s, $aps articles/s"
    best=$(python3 -c "print(max($best, $mbs))")
done
echo "best: $best MB/s over $bytes bytes, $articles articles"
