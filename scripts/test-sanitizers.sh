#!/usr/bin/env bash
# `make test`'s sanitizer stages (asan, tsan): the Kafka module's producer and consumer tests
# (KafkaTests, against the real broker and librdkafka's mock cluster) under AddressSanitizer and
# under ThreadSanitizer. Each sanitizer builds into its own folder (.build-asan, .build-tsan), so a
# second run rebuilds only what changed, and builds only the Kafka module and its tests
# (QUOTEWIRE_PACKAGE_SUBSET=kafka, see the end of Package.swift): the rest of the package does not
# run under the sanitizers.
#
#   scripts/test-sanitizers.sh [address|thread ...]     (default: both)
#
# Uses the broker of `make test` (QUOTEWIRE_TEST_BROKERS), or starts one of its own.
#
# ThreadSanitizer runs against tools/librdkafka-pthreads (the same librdkafka built without C11
# threads, by `setup.sh --pthreads-librdkafka`): the TSan runtime does not intercept glibc's
# thrd_create, and a thread it does not know about crashes it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh --pthreads-librdkafka
if [ -z "${QUOTEWIRE_TEST_BROKERS:-}" ]; then
    . scripts/private-broker.sh
    trap stop_private_broker EXIT
    start_private_broker
    export QUOTEWIRE_TEST_BROKERS="127.0.0.1:$PRIVATE_BROKER_PORT"
fi
# Leaks are reported, except XCTest's own (scripts/lsan.supp); any sanitizer report fails the run.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/scripts/lsan.supp:print_suppressions=0}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"

export QUOTEWIRE_PACKAGE_SUBSET=kafka
for sanitizer in ${@:-address thread}; do
    case $sanitizer in address) scratch=.build-asan ;; thread) scratch=.build-tsan ;; *) scratch=".build-$sanitizer" ;; esac
    echo "[sanitizers] building the Kafka module's tests with -sanitize=$sanitizer into $scratch" >&2
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" --manifest-cache local >&2
    echo "[sanitizers] KafkaTests under -sanitize=$sanitizer" >&2
    if [ "$sanitizer" = thread ]; then
        LD_LIBRARY_PATH="$root/tools/librdkafka-pthreads/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
            swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --manifest-cache local
    else
        swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --manifest-cache local
    fi
done
