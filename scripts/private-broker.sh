# Sourced (not run) by scripts that need a broker of their own for as long as they run:
#
#   . scripts/private-broker.sh
#   start_private_broker      # sets PRIVATE_BROKER_PORT and PRIVATE_BROKER_PID
#   ...
#   stop_private_broker       # also safe when none was started; put it in the EXIT trap
#
# The broker (scripts/broker.sh serve) is a child of the calling shell that the kernel kills
# (SIGKILL) when that shell ends, however it ends; its log is logs/broker-PORT.log.

PRIVATE_BROKER_PORT=
PRIVATE_BROKER_PID=

start_private_broker() {
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    PRIVATE_BROKER_PORT=$("$root/scripts/broker.sh" free-port)
    mkdir -p "$root/logs"
    "$root/scripts/broker.sh" serve "$PRIVATE_BROKER_PORT" >"$root/logs/broker-$PRIVATE_BROKER_PORT.log" 2>&1 &
    PRIVATE_BROKER_PID=$!
    "$root/scripts/broker.sh" ready "$PRIVATE_BROKER_PORT" >&2
}

stop_private_broker() {
    [ -n "$PRIVATE_BROKER_PID" ] || return 0
    # Tansu does not stop on SIGTERM, and it keeps everything in memory: nothing to lose.
    kill -KILL "$PRIVATE_BROKER_PID" 2>/dev/null || true
    wait "$PRIVATE_BROKER_PID" 2>/dev/null || true
    PRIVATE_BROKER_PID=
}
