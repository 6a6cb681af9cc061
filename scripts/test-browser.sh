#!/usr/bin/env bash
# The web pages in a real browser (a `make test` stage):
#   1. installs Debian's chromium and chromium-driver and, in tools/browser-venv, Selenium from
#      PyPI, each only when missing;
#   2. builds the services and the CLI (debug, SCRATCH or .build);
#   3. starts a private broker on a free port, then the real parser, indexer and query service
#      (API and web pages on free ports, with a query token), as separate processes;
#   4. publishes the sample pages and the test's own articles (41, one of them hostile: markup,
#      script and javascript: links in its text) with `quotewire publish`, and waits until the
#      indexer has them;
#   5. runs scripts/browser/browser_test.py against the web port in headless Chromium;
#   6. stops everything and exits with the test's status.
# Screenshots go to logs/browser/ (UPDATE_SCREENSHOTS=1: to docs/screenshots/, which the README shows).
# SKIP_BUILD=1 uses the debug binaries already built.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scratch=${SCRATCH:-.build}
log() { printf '[browser] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    log "installing chromium and chromium-driver"
    apt() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }
    apt install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1 ||
        { apt update -qq && apt install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; }
fi
venv="$root/tools/browser-venv"
if ! "$venv/bin/python" -c 'import selenium' >/dev/null 2>&1; then
    log "installing selenium into tools/browser-venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check selenium
fi

if [ "${SKIP_BUILD:-0}" = 1 ]; then
    bin="$scratch/debug"  # the debug binaries as they are (while another build holds the folder's lock)
else
    log "building the services and the CLI"
    for product in quotewire quotewire-parser quotewire-indexer quotewire-query; do
        swift build --scratch-path "$scratch" --product "$product" >/dev/null
    done
    bin=$(swift build --scratch-path "$scratch" --show-bin-path)
fi

work=$(mktemp -d)
broker_port=$("$root/scripts/broker.sh" free-port)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    "$root/scripts/broker.sh" stop "$broker_port" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { "$root/scripts/broker.sh" free-port; }
"$root/scripts/broker.sh" start "$broker_port" >&2
export QUOTEWIRE_BROKERS="127.0.0.1:$broker_port" QUOTEWIRE_LOG_LEVEL=warning
token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
api_port=$(free_port)
web_port=$(free_port)
while [ "$web_port" = "$api_port" ]; do web_port=$(free_port); done
start() { # start NAME ARGS...: a service in the background, its log in the work folder
    local name=$1
    shift
    "$bin/$name" "$@" >"$work/$name.log" 2>&1 &
    pids+=($!)
}
start quotewire-parser --port "$(free_port)"
start quotewire-indexer --port "$(free_port)" --index "$work/index"
start quotewire-query --index "$work/index" --port "$api_port" --web-port "$web_port" --token "$token"

hostile=$(python3 "$root/scripts/browser/make_articles.py" "$work/articles.jsonl")
"$bin/quotewire" publish --quiet samples/*.txt
"$bin/quotewire" publish --quiet --jsonl "$work/articles.jsonl"
expected=$(( $(ls samples/*.txt | wc -l) + $(wc -l <"$work/articles.jsonl") ))

log "waiting until $expected articles are indexed"
indexed=0
for _ in $(seq 1 180); do
    indexed=$(python3 - "$api_port" <<'PY' 2>/dev/null || echo 0
import re, sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=2).read().decode()
match = re.search(r'^quotewire_index_rows\{table="articles"\} ([0-9.e+]+)', text, re.M)
print(int(float(match.group(1))) if match else 0)
PY
)
    [ "$indexed" -ge "$expected" ] && break
    sleep 1
done
if [ "$indexed" -lt "$expected" ]; then
    log "only $indexed of $expected articles were indexed"
    tail -20 "$work"/*.log >&2
    exit 1
fi

shots="$root/logs/browser"
[ "${UPDATE_SCREENSHOTS:-0}" = 1 ] && shots="$root/docs/screenshots"
mkdir -p "$shots" "$root/logs/browser"
log "browsing http://127.0.0.1:$web_port (screenshots in ${shots#"$root"/})"
status=0
"$venv/bin/python" "$root/scripts/browser/browser_test.py" --base "http://127.0.0.1:$web_port" --token "$token" \
    --hostile-id "$hostile" --screenshots "$shots" --timings "$root/logs/browser/timings.json" || status=$?
if [ $status != 0 ]; then tail -20 "$work/quotewire-query.log" >&2; fi
exit $status
