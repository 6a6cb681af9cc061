#!/bin/bash
# Stand-in for Apache Kafka's kafka-topics.sh in the Tansu image of the container check, so the
# compose file's `topics` job runs unchanged against Tansu. It takes the forms that job uses and
# refuses anything else:
#   --bootstrap-server H:P --create [--if-not-exists] --topic T [--partitions N]
#       [--replication-factor 1] [--config K=V]...
#   --bootstrap-server H:P --describe [--topic REGEX]
set -euo pipefail

die() { echo "kafka-topics.sh (Tansu stand-in): $*" >&2; exit 2; }
server="" action="" topic="" partitions=1 if_not_exists=0 configs=()
while [ $# -gt 0 ]; do
    case "$1" in
        --bootstrap-server) server=${2:?}; shift 2 ;;
        --create) action=create; shift ;;
        --describe) action=describe; shift ;;
        --if-not-exists) if_not_exists=1; shift ;;
        --topic) topic=${2:?}; shift 2 ;;
        --partitions) partitions=${2:?}; shift 2 ;;
        --replication-factor) [ "${2:-}" = 1 ] || die "one broker: replication factor must be 1, not '${2:-}'"; shift 2 ;;
        --config) [[ "${2:-}" == *=* ]] || die "--config takes KEY=VALUE, not '${2:-}'"; configs+=(--config "$2"); shift 2 ;;
        *) die "unsupported argument '$1'" ;;
    esac
done
[ -n "$server" ] || die "--bootstrap-server is required"
# The address by glibc's resolver: Tansu's static (musl) binary failed now and then with "Name does
# not resolve" for the compose network's names that glibc resolved at the same moment.
host=${server%:*}
address=$(getent ahostsv4 "$host" | awk 'NR == 1 { print $1 }')
[ -n "$address" ] || { echo "kafka-topics.sh (Tansu stand-in): cannot resolve $host" >&2; exit 1; }
broker=tcp://$address:${server##*:}
names() { /usr/local/bin/tansu topic list --broker "$broker" | grep -o '"name":"[^"]*"' | cut -d'"' -f4; }

case "$action" in
    create)
        [ -n "$topic" ] || die "--create needs --topic"
        if [ $if_not_exists = 1 ] && names | grep -qxF -- "$topic"; then
            echo "Topic $topic exists"
            exit 0
        fi
        /usr/local/bin/tansu topic create --broker "$broker" --partitions "$partitions" "${configs[@]}" "$topic"
        echo "Created topic $topic."
        ;;
    describe)
        found=0
        while read -r name; do
            [ -z "$topic" ] || [[ "$name" =~ ^($topic)$ ]] || continue
            found=1
            echo "Topic: $name"
        done < <(names)
        [ $found = 1 ] || { echo "no topic matches '$topic'" >&2; exit 1; }
        ;;
    *) die "--create or --describe is required" ;;
esac
