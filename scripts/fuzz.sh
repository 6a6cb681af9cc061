#!/usr/bin/env bash
# Fuzzes the parser or the search-query translator with libFuzzer + AddressSanitizer.
#   scripts/fuzz.sh parser|query [SECONDS]     fuzz for SECONDS (default 600)
#   scripts/fuzz.sh parser|query merge         minimise the corpus into data/fuzz/TARGET/merged/ (without
#                                              inputs derived from ../shared's third-party text)
#   scripts/fuzz.sh parser|query replay PATH…  run saved inputs (a crash file, a folder) once
# Builds `quotewire-fuzz` with -sanitize=fuzzer,address -DFUZZING in .build-fuzz (the normal build
# is untouched), then runs it on ./data/fuzz/TARGET/corpus (git-ignored), seeded from samples/, a
# few handwritten queries and Tests/Fuzz/Regressions/TARGET. The properties checked are in
# Tests/Fuzz/Properties; a failing one traps and libFuzzer saves the input to
# ./data/fuzz/TARGET/crashes/. Keep a fixed crasher in Tests/Fuzz/Regressions/TARGET/.
# Environment: FUZZ_RSS_MB (default 2048), FUZZ_FLAGS (extra libFuzzer flags).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
target=${1:-}
mode=${2:-600}
case "$target" in
    parser) max_len=65536 ;;
    query) max_len=4096 ;;
    *) usage ;;
esac

scratch=.build-fuzz
work=data/fuzz/$target
mkdir -p "$work/corpus" "$work/seeds" "$work/crashes" "$work/logs"

# A fresh scratch folder resolves packages offline from the main build's checkouts, when present.
if [ ! -d "$scratch/checkouts" ] && [ -d .build/checkouts ]; then
    mkdir -p "$scratch"
    cp -a .build/checkouts .build/repositories .build/workspace-state.json "$scratch/" 2>/dev/null || true
fi
build_log=$work/logs/build.log
# lld, not gold: SwiftPM links an executable with `--defsym main=quotewire_fuzz_main` (its renamed entry
# point), which gold refuses beside the `main` in libFuzzer's runtime; lld lets the defsym win, and
# quotewire-fuzz's entry point then starts libFuzzer through LLVMFuzzerRunDriver.
echo "[fuzz] building quotewire-fuzz (libFuzzer + ASan) in $scratch; log: $build_log" >&2
# Optimised (about 6x the executions of -Onone) but with debug checks kept (-assert-config Debug): an
# UnsafeBufferPointer subscript is still bounds-checked, which ASan alone would miss inside an allocation.
# FUZZ_OPT="" builds plain -Onone (a flag change rebuilds everything in the scratch folder).
opt=${FUZZ_OPT--O -assert-config Debug}
build_flags=()
# shellcheck disable=SC2086
for flag in -sanitize=fuzzer,address -parse-as-library -DFUZZING -use-ld=lld $opt; do build_flags+=(-Xswiftc "$flag"); done
if ! swift build -c debug --scratch-path "$scratch" --product quotewire-fuzz "${build_flags[@]}" >"$build_log" 2>&1; then
    grep -v 'Cannot export local symbol' "$build_log" | tail -30 >&2
    exit 1
fi
bin=$scratch/debug/quotewire-fuzz

# Seeds: the project's own sample articles and a few handwritten queries.
if [ "$target" = parser ]; then
    cp samples/*.txt "$work/seeds/"
    printf '<!doctype html><html><head><title>T</title><script>var x = "no";</script></head><body><p>&ldquo;We will win,&rdquo; said Anna Keller.</p><p>NYSE - LSE<br>RIO 0.44%% 57.26 $</p></body></html>' \
        >"$work/seeds/handwritten.html"
else
    i=0
    for q in 'peace talks' '"not easy" nego*' '"peace tal"*' 'c++ "shoot' 'AND OR NOT' 'NEAR(a b, 2)' \
             'headline:rutte' 'it"s' 'a*' '** () + - ^' 'café déjà-vu' '中文 🇺🇦' '"unclosed phrase *' \
             'x* y** "z"* "" w' '{a b}: c' '-minus +plus ^caret'; do
        printf '%s' "$q" >"$work/seeds/q$i"
        i=$((i + 1))
    done
fi

export QUOTEWIRE_FUZZ_TARGET=$target
# Leak checks off: the Swift runtime's lazily filled caches look like leaks at exit; memory errors are what ASan is here for.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
# libFuzzer reports the crash and saves the input; Swift's own backtracer would get in its way.
export SWIFT_BACKTRACE=enable=no
flags=(-max_len="$max_len" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -timeout=30 -detect_leaks=0
       -dict="Tests/Fuzz/Dictionaries/$target.dict" -artifact_prefix="$work/crashes/" -print_final_stats=1)

case "$mode" in
    merge)
        # Inputs sharing a 24-byte run with ../shared (mutated from third-party text) are left
        # out first: only the project's own text may be kept in the repository.
        rm -rf "$work/merged" "$work/clean"
        mkdir -p "$work/merged"
        shared=${QUOTEWIRE_SHARED:-$root/../shared}
        python3 scripts/fuzz_clean.py "$work/corpus" "$work/clean" "$shared/samples" "$shared/bench"
        "$bin" "${flags[@]}" -set_cover_merge=1 "$work/merged" "$work/clean" "$work/seeds" "Tests/Fuzz/Regressions/$target" \
            2>&1 | grep -v '^#' | tail -5
        echo "[fuzz] $(ls "$work/merged" | wc -l) inputs, $(cat "$work/merged"/* | wc -c) bytes in $work/merged;" \
            "keep them with: cp $work/merged/* Tests/Fuzz/Regressions/$target/" >&2
        ;;
    replay)
        shift 2
        "$bin" "${flags[@]}" -runs=0 "$@"
        ;;
    *[!0-9]* | '') usage ;;
    *)
        log=$work/logs/run-$(date -u +%Y%m%dT%H%M%SZ).log
        echo "[fuzz] $target for ${mode}s; log: $log; crashes go to $work/crashes/" >&2
        status=0
        # shellcheck disable=SC2086
        "$bin" "${flags[@]}" -max_total_time="$mode" ${FUZZ_FLAGS:-} \
            "$work/corpus" "$work/seeds" "Tests/Fuzz/Regressions/$target" >"$log" 2>&1 || status=$?
        grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 >&2 || true
        grep -E '^stat::|^Done ' "$log" >&2 || true
        if [ "$status" -ne 0 ]; then
            grep -E 'property violated|ERROR: (AddressSanitizer|libFuzzer)|Fatal error|^artifact_prefix|Test unit written' "$log" | head -8 >&2
            echo "[fuzz] FAILED (status $status): the input is in $work/crashes/; replay with: scripts/fuzz.sh $target replay FILE" >&2
            exit "$status"
        fi
        echo "[fuzz] $target: no crash in ${mode}s; corpus $(ls "$work/corpus" | wc -l) inputs" >&2
        ;;
esac
