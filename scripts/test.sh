#!/usr/bin/env bash
# `make test`: installs what is missing, starts a private broker on a free port,
# runs the whole test suite against it, stops the broker, exits with the tests' status.
# Then the extra stages, scripts/test-*.sh: deployment checks, the release smoke stage,
# the Kafka tests under ASan and TSan, schemathesis, the soak. Each stage's time is printed.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh" || exit 1

port=$("$root/scripts/broker.sh" free-port)
"$root/scripts/broker.sh" start "$port" || exit 1
trap '"$root/scripts/broker.sh" stop "$port"' EXIT

export QUOTEWIRE_TEST_BROKERS="127.0.0.1:$port"
echo "[test] broker on $QUOTEWIRE_TEST_BROKERS" >&2

status=0
timings=()
stage() { # stage NAME SECONDS_AT_START STATUS
    timings+=("$(printf '%-24s %4d s  %s' "$1" $((SECONDS - $2)) "$([ "$3" = 0 ] && echo ok || echo FAILED)")")
}
start=$SECONDS
swift build --build-tests "$@" || exit 1
stage "debug build" $start 0
start=$SECONDS
result=0
swift test --skip-build "$@" || result=$?
stage "swift test" $start $result
[ $result = 0 ] || status=$result

for extra in "$root"/scripts/test-*.sh; do
    [ -x "$extra" ] || continue
    echo "[test] $(basename "$extra")" >&2
    start=$SECONDS
    result=0
    "$extra" || result=$?
    stage "$(basename "$extra" .sh)" $start $result
    [ $result = 0 ] || status=1
done
echo "[test] stages:" >&2
printf '[test]   %s\n' "${timings[@]}" >&2
exit $status
