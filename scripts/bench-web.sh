#!/usr/bin/env bash
# The web pages' speed over 100,000 articles (BENCHMARKS.md, "Web pages"):
#   1. release build of quotewire-bench and quotewire-query;
#   2. `quotewire-bench web`: builds the index when missing (the benchmark corpus 5 times, which
#      needs ../shared), then times every kind of page through HTTP and prints the server time
#      (the pages' Server-Timing header) per page, p50/p95/max;
#   3. starts the release quotewire-query over that index and types the benchmark's searches in
#      the search box of headless Chromium (scripts/browser/browser_test.py --bench): Enter to
#      the results' first paint, by the browser's clock.
# Usage: scripts/bench-web.sh [ROUNDS]   Env: INDEX (default /tmp/quotewire-bench/index-100k-v3),
#        CORPUS (default /tmp/quotewire-bench/corpus.jsonl), SCRATCH (default .build).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${1:-1}
scratch=${SCRATCH:-.build}
index=${INDEX:-/tmp/quotewire-bench/index-100k-v3}
corpus=${CORPUS:-/tmp/quotewire-bench/corpus.jsonl}
venv="$root/tools/browser-venv"
if [ ! -x "$venv/bin/python" ] || ! command -v chromedriver >/dev/null 2>&1; then
    echo "run scripts/test-browser.sh once first: it installs chromium, chromium-driver and selenium" >&2
    exit 1
fi
for product in quotewire-bench quotewire-query; do
    swift build -c release --scratch-path "$scratch" --product "$product" >/dev/null
done
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "== server time per page (quotewire-bench web)"
"$bin/quotewire-bench" web --index "$index" --corpus "$corpus" --queries-out "$work/queries.txt"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
api=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$bin/quotewire-query" --index "$index" --port "$api" --web-port "$port" --log-level warning >"$work/query.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/static/site.css" >/dev/null 2>&1 && break
    sleep 0.1
done
echo
echo "== in the browser: Enter to the results painted (headless Chromium, release quotewire-query)"
"$venv/bin/python" "$root/scripts/browser/browser_test.py" --base "http://127.0.0.1:$port" \
    --bench "$work/queries.txt" --rounds "$rounds"
