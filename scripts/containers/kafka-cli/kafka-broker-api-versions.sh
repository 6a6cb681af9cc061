#!/bin/bash
# Stand-in for Apache Kafka's kafka-broker-api-versions.sh in the Tansu image of the container
# check: with --bootstrap-server H:P it succeeds when the broker answers (the compose file's
# healthcheck of `kafka` uses it so).
set -euo pipefail
[ "${1:-}" = --bootstrap-server ] && [ -n "${2:-}" ] && [ $# = 2 ] \
    || { echo "kafka-broker-api-versions.sh (Tansu stand-in): takes --bootstrap-server H:P only" >&2; exit 2; }
# The address by glibc's resolver (see kafka-topics.sh).
address=$(getent ahostsv4 "${2%:*}" | awk 'NR == 1 { print $1 }')
[ -n "$address" ] || { echo "kafka-broker-api-versions.sh (Tansu stand-in): cannot resolve ${2%:*}" >&2; exit 1; }
/usr/local/bin/tansu topic list --broker "tcp://$address:${2##*:}" >/dev/null
echo "$2 answers"
