#!/bin/bash
# Stand-in for Apache Kafka's kafka-broker-api-versions.sh in the Tansu image of the container
# check: with --bootstrap-server H:P it succeeds when the broker answers (the compose file's
# healthcheck of `kafka` uses it so).
set -euo pipefail
[ "${1:-}" = --bootstrap-server ] && [ -n "${2:-}" ] && [ $# = 2 ] \
    || { echo "kafka-broker-api-versions.sh (Tansu stand-in): takes --bootstrap-server H:P only" >&2; exit 2; }
/usr/local/bin/tansu topic list --broker "tcp://$2" >/dev/null
echo "$2 answers"
