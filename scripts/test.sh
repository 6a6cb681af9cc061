#!/usr/bin/env bash
# `make test`: installs what is missing, starts a private broker on a free port,
# runs the whole test suite against it, stops the broker, exits with the tests' status.
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
swift build --build-tests "$@" || exit 1
swift test --skip-build "$@" || status=$?

for extra in "$root"/scripts/test-*.sh; do
    [ -x "$extra" ] || continue
    echo "[test] $(basename "$extra")" >&2
    "$extra" || status=1
done
exit $status
