#!/usr/bin/env bash
# `make test`'s release smoke stage: the binaries the Dockerfile ships, against a real broker.
#
# Builds in release (into .build/release, reused by the next run) the three executables it runs,
# then on a broker of its own:
#   1. `quotewire publish FOLDER` of SMOKE_FILES generated text files (default 5,000),
#   2. `quotewire publish FILE.jsonl` of SMOKE_LINES JSON lines (default 1,000),
# each time requiring exit 0 and one printed article id per article given; then runs the
# release parser and indexer on those topics and waits until every article is indexed,
# counted through `quotewire speakers --index` (each article quotes the same person once).
# A bug that only optimised code shows (issue 18: release publish lost all but one record)
# fails here.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
files=${SMOKE_FILES:-5000}
lines=${SMOKE_LINES:-1000}
say() { echo "[release-smoke] $*" >&2; }

for product in quotewire quotewire-parser quotewire-indexer; do
    say "building $product in release"
    swift build -c release --product "$product" >&2
done
bin=$(swift build -c release --show-bin-path)

. scripts/private-broker.sh
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    stop_private_broker
    rm -rf "$work"
}
trap cleanup EXIT
start_private_broker
export QUOTEWIRE_BROKERS="127.0.0.1:$PRIVATE_BROKER_PORT"

python3 - "$work" "$files" "$lines" <<'PY'
import json, os, sys
work, files, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(f"{work}/files")
def text(i):
    return (f"Release smoke article {i}.\n\n"
            f"\"Shipping build number {i} passed its checks,\" said Grace Okafor, the release manager, on Tuesday.\n")
for i in range(files):
    with open(f"{work}/files/smoke-{i:05d}.txt", "w") as f:
        f.write(text(i))
with open(f"{work}/articles.jsonl", "w") as f:
    for i in range(files, files + lines):
        f.write(json.dumps({"text": text(i), "source": "smoke"}) + "\n")
PY

check_ids() { # check_ids WHAT EXPECTED FILE: one "<32 hex>  <name>" line per article
    local got
    got=$(grep -cE '^[0-9a-f]{32}  ' "$3" || true)
    if [ "$got" -ne "$2" ]; then
        say "FAIL: $1 printed $got article ids for $2 articles"
        exit 1
    fi
    say "$1: $got of $2 acknowledged"
}

say "publishing $files files"
"$bin/quotewire" publish "$work/files" >"$work/files.out"
check_ids "publish FOLDER" "$files" "$work/files.out"
say "publishing $lines JSON lines"
"$bin/quotewire" publish "$work/articles.jsonl" >"$work/lines.out"
check_ids "publish FILE.jsonl" "$lines" "$work/lines.out"

say "running the release parser and indexer"
export QUOTEWIRE_INDEX="$work/index"
# Children that the kernel kills when this script ends, however it ends.
QUOTEWIRE_PARSER_PORT=$(scripts/broker.sh free-port) setpriv --pdeathsig KILL -- "$bin/quotewire-parser" >"$work/parser.log" 2>&1 &
pids+=($!)
QUOTEWIRE_INDEXER_PORT=$(scripts/broker.sh free-port) setpriv --pdeathsig KILL -- "$bin/quotewire-indexer" >"$work/indexer.log" 2>&1 &
pids+=($!)

total=$((files + lines))
indexed=0
for _ in $(seq 1 240); do
    indexed=$("$bin/quotewire" speakers --index "$work/index" --json 2>/dev/null | python3 -c '
import json, sys
speakers = json.load(sys.stdin)["speakers"]
print(sum(s["quotations"] for s in speakers if s["name"] == "Grace Okafor"))
' 2>/dev/null || echo 0)
    [ "$indexed" -ge "$total" ] && break
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null || { say "FAIL: a service exited"; tail -20 "$work"/*.log >&2; exit 1; }
    done
    sleep 1
done
if [ "$indexed" -ne "$total" ]; then
    say "FAIL: $indexed of $total articles indexed with their speaker"
    tail -20 "$work"/*.log >&2
    exit 1
fi
say "all $total articles indexed, each with its quotation by Grace Okafor"
