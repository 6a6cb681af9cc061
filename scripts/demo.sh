#!/usr/bin/env bash
# `make demo`: the whole pipeline on sample articles against a local broker.
#
# Installs what is missing, builds, starts the broker and the four services as separate
# processes (logs in logs/, pids in run/), publishes the project's sample pages (plus
# ../shared/samples and 200 benchmark-corpus articles when ../shared is there), waits
# until they are indexed, and shows the result. The services keep running so that
# `quotewire search …` works; `make down` stops everything. Safe to run again.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
shared="$root/../shared"
port=${QUOTEWIRE_BROKER_PORT:-9092}
export QUOTEWIRE_BROKERS="127.0.0.1:$port"
export QUOTEWIRE_INDEX="$root/data/index"
export QUOTEWIRE_SERVER="http://127.0.0.1:${QUOTEWIRE_QUERY_PORT:-8081}"
configuration=${CONFIGURATION:-debug}

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "installing what is missing"
scripts/setup.sh

say "building ($configuration)"
swift build -c "$configuration"
bin=$(swift build -c "$configuration" --show-bin-path)
if [ -w /usr/local/bin ]; then
    ln -sf "$bin/quotewire" /usr/local/bin/quotewire
    echo "quotewire installed on PATH (/usr/local/bin/quotewire)"
fi
mkdir -p logs run data

say "starting the broker on 127.0.0.1:$port"
if ! scripts/broker.sh status "$port"; then
    # A fresh broker has empty topics: start from an empty index too.
    scripts/services.sh stop
    rm -rf "$root/data/index" "$root"/data/index.*
    scripts/broker.sh start "$port"
else
    scripts/broker.sh start "$port"  # creates any missing topic
fi

say "starting the services"
scripts/services.sh start "$bin"

say "publishing sample articles"
files=("$root"/samples/*.txt)
if [ -d "$shared/samples" ]; then
    files+=("$shared"/samples/*.txt)
fi
"$bin/quotewire" publish "${files[@]}"
expected=${#files[@]}
if [ -f "$shared/bench/make_corpus.py" ]; then
    corpus="$root/data/corpus-200.jsonl"
    [ -s "$corpus" ] || python3 "$shared/bench/make_corpus.py" --total 200 --out "$corpus" >/dev/null
    python3 "$root/scripts/jsonl-to-files.py" "$corpus" "$root/data/corpus-200"
    "$bin/quotewire" publish --quiet "$root/data/corpus-200"
    expected=$((expected + $(ls "$root/data/corpus-200" | wc -l)))
    echo "published 200 articles of the benchmark corpus"
fi

say "waiting until $expected articles are indexed"
for _ in $(seq 1 120); do
    indexed=$(python3 - "$QUOTEWIRE_SERVER" <<'PY' 2>/dev/null || echo 0
import re, sys, urllib.request
text = urllib.request.urlopen(sys.argv[1] + "/metrics", timeout=2).read().decode()
match = re.search(r'^quotewire_index_rows\{table="articles"\} ([0-9.e+]+)', text, re.M)
print(int(float(match.group(1))) if match else 0)
PY
)
    [ "$indexed" -ge "$expected" ] && break
    sleep 1
done
echo "indexed: $indexed articles"

if [ -f "$shared/samples/volkswacht-rutte-odesa.txt" ]; then
    sample="$shared/samples/volkswacht-rutte-odesa.txt"
else
    sample="${files[0]}"
fi
id=$("$bin/quotewire" parse "$sample" | python3 -c 'import json,sys; print(json.load(sys.stdin)["articleId"])')
say "quotations and market quotes in $(basename "$sample")"
python3 "$root/scripts/show-article.py" "$QUOTEWIRE_SERVER" "$id"
say "quotations by Zelensky"
"$bin/quotewire" quotes --speaker Zelensky || true
say "search: peace talks"
"$bin/quotewire" search "peace talks"

web_port=${QUOTEWIRE_WEB_PORT:-8084}
web="http://127.0.0.1:$web_port/"
if [ "$web_port" = off ]; then
    web="off (QUOTEWIRE_WEB_PORT=off)"
elif ! python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$web" 2>/dev/null; then
    web="$web (not answering: see logs/quotewire-query.log)"
fi
cat <<EOF2

The services keep running (logs in logs/). Try:
  quotewire search "air defence"
  quotewire speakers
  quotewire tickers RIO
  quotewire quotes --follow
Stop everything with: make down

The index in a browser: $web
EOF2
