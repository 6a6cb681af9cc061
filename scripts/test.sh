#!/usr/bin/env bash
# The test runner behind `make test` (every stage of the table below, in order; what `.ci/run`
# calls), `make check` (the stages `build check`) and `make test STAGES="..."` (the stages named).
#
#   scripts/test.sh [STAGE...] [-- ARGUMENT...]
#
# Installs what is missing (scripts/setup.sh), starts a private broker on a free port when a
# chosen stage needs one, runs the stages in table order, stops at the first that fails (and
# says which stages that left out), and prints each stage's wall and CPU time. ARGUMENTs go to
# `swift test` in the stages that run it (check, swift-test), never to `swift build`:
#   scripts/test.sh check -- --filter ParserTests
# KEEP_GOING=1 runs the stages after a failed one too (the status is still the failure's).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# The stages, cheapest first so that a failure ends the run early. One line each:
#   NAME  NEEDS  IN-MAKE-TEST  COMMAND...
# NEEDS: `build` (the debug build; added before the stage when not chosen), `broker` (the private
# broker, in QUOTEWIRE_TEST_BROKERS), both (`build,broker`) or `-`. IN-MAKE-TEST: `yes`, or `no`
# for a stage that runs only when named. COMMAND runs from the repository root, with the
# `swift test` arguments in TEST_ARGS (an array) for the run_swift_test function below.
# Adding a stage is adding its line (a scripts/test-*.sh not in this table stops the run).
stage_table='
build          -             yes  swift build --build-tests
check          build         no   run_swift_test fast
deploy         build         yes  scripts/test-deploy.sh
schemathesis   build         yes  scripts/test-schemathesis.sh
swift-test     build,broker  yes  run_swift_test all
soak           build         yes  scripts/test-soak.sh
browser        build         yes  SKIP_BUILD=1 scripts/test-browser.sh
asan           broker        yes  scripts/test-sanitizers.sh address
tsan           broker        yes  scripts/test-sanitizers.sh thread
release-smoke  -             yes  scripts/test-release.sh
containers     -             no   scripts/containers/run.sh
'

# `swift test` with the arguments given after `--`. `check` runs it with QUOTEWIRE_TESTS=fast: the
# tests marked as needing a broker or much time (`.needs(.broker)`, `.needs(.time)`: see
# Tests/Needs/TestNeeds.swift) are skipped; `swift-test` runs every test, against the broker.
run_swift_test() {
    if [ "$1" = fast ]; then
        QUOTEWIRE_TESTS=fast swift test --skip-build ${TEST_ARGS[@]+"${TEST_ARGS[@]}"}
    else
        swift test --skip-build ${TEST_ARGS[@]+"${TEST_ARGS[@]}"}
    fi
}

usage() {
    echo "usage: scripts/test.sh [STAGE...] [-- SWIFT-TEST-ARGUMENT...]; stages:" >&2
    awk 'NF { printf "  %-14s %s\n", $1, ($3 == "yes" ? "" : "(only when named)") }' <<<"$stage_table" >&2
    exit 2
}

names=() needs=() defaults=() commands=()
while read -r name need default command; do
    [ -n "$name" ] || continue
    names+=("$name") needs+=("$need") defaults+=("$default") commands+=("$command")
done <<<"$stage_table"
index_of() { local i; for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && { echo "$i"; return 0; }; done; return 1; }

# Every test script is a stage: one missing from the table would silently never run.
for script in scripts/test-*.sh; do
    [ -x "$script" ] || continue
    grep -q " $script\( \|$\)" <<<"$stage_table" \
        || { echo "[test] $script is not a stage: add a line for it to the table in scripts/test.sh" >&2; exit 2; }
done

chosen=() TEST_ARGS=()
while [ $# -gt 0 ]; do
    case $1 in
        --) shift; TEST_ARGS=("$@"); break ;;
        -h|--help) usage ;;
        *) index_of "$1" >/dev/null || { echo "[test] no stage named '$1'" >&2; usage; }; chosen+=("$1"); shift ;;
    esac
done

# What runs: the chosen stages (all of `make test`'s when none), plus the build they need, in table order.
selected=()
for i in "${!names[@]}"; do
    pick=no
    if [ ${#chosen[@]} -eq 0 ]; then
        [ "${defaults[$i]}" = yes ] && pick=yes
    else
        for c in "${chosen[@]}"; do [ "$c" = "${names[$i]}" ] && pick=yes; done
    fi
    [ $pick = yes ] && selected+=("$i")
done
build_index=$(index_of build)
for i in "${selected[@]}"; do
    if [[ ",${needs[$i]}," == *,build,* ]] && [[ " ${selected[*]} " != *" $build_index "* ]]; then
        echo "[test] adding the build stage: ${names[$i]} needs it" >&2
        selected=("$build_index" "${selected[@]}")
        break
    fi
done

rows=()
row() { rows+=("$(printf '%-14s %-8s %8s %8s' "$@")"); }
TIMEFORMAT='%R %U %S'
timing=$(mktemp)
# Runs a command timed; sets `result` and adds its row to the table (wall, CPU: user + system
# of the command and every process it waited for).
timed() {
    local name=$1; shift
    { time { eval "$@"; } 2>&3; } 3>&2 2>"$timing"
    result=$?
    local wall user system
    read -r wall user system <"$timing"
    row "$name" "$([ $result = 0 ] && echo ok || echo FAILED)" "${wall%.*} s" \
        "$(awk -v u="${user:-0}" -v s="${system:-0}" 'BEGIN { printf "%d s", u + s }')"
}
echo "[test] load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores at the start" >&2
timed setup '"$root/scripts/setup.sh"'
[ $result = 0 ] || exit 1

. "$root/scripts/private-broker.sh"
cleanup() {
    stop_private_broker
    rm -f "$timing"
}
trap cleanup EXIT
for i in "${selected[@]}"; do
    [[ ",${needs[$i]}," == *,broker,* ]] || continue
    start_private_broker || exit 1
    export QUOTEWIRE_TEST_BROKERS="127.0.0.1:$PRIVATE_BROKER_PORT"
    echo "[test] broker on $QUOTEWIRE_TEST_BROKERS" >&2
    break
done

status=0
failed=
for i in "${selected[@]}"; do
    name=${names[$i]}
    if [ -n "$failed" ] && [ "${KEEP_GOING:-0}" != 1 ]; then
        row "$name" "not run" "" ""
        continue
    fi
    echo "[test] stage $name: ${commands[$i]}" >&2
    timed "$name" "${commands[$i]}"
    if [ $result != 0 ]; then
        status=1
        [ -n "$failed" ] || failed=$name
    fi
done

echo "[test] stages in $((SECONDS / 60)) min $((SECONDS % 60)) s (CPU: user + system of the stage and its children; load $(cut -d' ' -f1-3 /proc/loadavg) at the end):" >&2
printf '[test]   %-14s %-8s %8s %8s\n' stage result wall cpu >&2
printf '[test]   %s\n' "${rows[@]}" >&2
if [ -n "$failed" ] && [ "${KEEP_GOING:-0}" != 1 ]; then
    echo "[test] stopped after the failed stage $failed (KEEP_GOING=1 runs the rest anyway)" >&2
fi
exit $status
