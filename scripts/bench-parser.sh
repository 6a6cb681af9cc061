#!/usr/bin/env bash
# Benchmarks `quotewire parse --jsonl` on the 20,000-article corpus, on one core.
#   scripts/bench-parser.sh [RUNS]
# Generates the corpus into ./data/ (git-ignored) when missing, builds release,
# runs `taskset -c 0 quotewire parse --jsonl < corpus > /dev/null` RUNS times (default 3),
# and prints MB/s of input and articles/s for each run and the best, by wall clock and by user CPU time
# (on a shared machine the wall clock is noisy; the user time is the steadier figure).
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
best_cpu=0
TIMEFORMAT=%U
for i in $(seq "$runs"); do
    start=$(date +%s.%N)
    # bash's `time` prints the run's user CPU seconds on stderr; the wall clock comes from `date`.
    user=$( { time "${pin[@]}" "$bin" parse --jsonl < "$corpus" > /dev/null; } 2>&1 )
    end=$(date +%s.%N)
    read -r wall mbs aps cpu_mbs cpu_aps <<<"$(python3 -c "
t = $end - $start; u = $user
print(f'{t:.3f} {$bytes/t/1e6:.1f} {$articles/t:.0f} {$bytes/u/1e6:.1f} {$articles/u:.0f}')")"
    echo "run $i: wall $wall s, $mbs MB/s, $aps articles/s; user CPU $user s, $cpu_mbs MB/s, $cpu_aps articles/s"
    best=$(python3 -c "print(max($best, $mbs))")
    best_cpu=$(python3 -c "print(max($best_cpu, $cpu_mbs))")
done
echo "best: $best MB/s wall, $best_cpu MB/s of user CPU time, over $bytes bytes, $articles articles (load: $(cut -d' ' -f1-3 /proc/loadavg))"
