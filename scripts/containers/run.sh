#!/usr/bin/env bash
# `make test-containers`: builds the image from a clean clone and runs it, then starts the
# compose file, all with podman as root and nothing pulled from a registry:
#   1. installs podman, buildah, debootstrap and netavark when missing, and podman-compose;
#   2. makes the base images (base-images.sh: Debian by debootstrap, the Swift build base,
#      Tansu), each skipped when it is already there;
#   3. clones this checkout's HEAD into a scratch folder and builds deploy/Dockerfile from it
#      with the local bases as SWIFT_IMAGE and RUNTIME_IMAGE;
#   4. checks the image: at most 150 MB, a non-root user, no compiler, every shared library
#      found, every executable's --help as that user, `quotewire parse` of a sample page;
#   5. starts docker-compose.yml with podman-compose, Tansu in Apache Kafka's place
#      (compose.tansu.yml), in the order of its depends_on (podman-compose ignores
#      conditions) and runs each service's own healthcheck until it passes (podman runs
#      healthchecks from systemd timers, which these machines lack): the topics job exits 0,
#      ingest, both parsers and both index nodes turn healthy;
#   6. posts a sample article to ingest with the token (and checks one without is refused),
#      and waits until both query nodes answer for it;
#   7. stops index node a, then node b, publishes an article while both are down, starts node b
#      alone: it must serve every partition again after reading that one record only (it
#      resumed from the offsets stored in its volume, not from the beginning), then starts a;
#   8. `down -v`: no container, volume or network of the project is left.
# A trap takes the stack down whatever fails. The compose file publishes ports 8080, 8081, 8091
# and 9092 on 127.0.0.1, as `make demo` does, so the compose part holds /tmp/qw-demo.lock.
# Each step's time is printed at the end.
# The image stays (localhost/quotewire:local), and so do the base images, for the next run.
# Usage: scripts/containers/run.sh              everything
#        scripts/containers/run.sh --no-build   steps 4-8 on the image already built
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=images.env
. "$here/images.env"
export CONTAINERS_CONF="$here/containers.conf"
project=quotewire
max_image_bytes=$((150 * 1000 * 1000))
log() { printf '[containers] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
problems=()
problem() { log "FAILED: $* (going on with the other checks)"; problems+=("$*"); }

build=1
case "${1:-}" in
    "") ;;
    --no-build) build=0 ;;
    *) fail "usage: $0 [--no-build]" ;;
esac
[ "$(id -u)" = 0 ] || fail "run as root: podman runs rootful on these machines (rootless podman is not set up here)"

timings=()
step_start=$SECONDS
step() { # step NAME: closes the previous step's timing and names the next
    [ -z "${step_name:-}" ] || timings+=("$(printf '%-34s %5d s' "$step_name" $((SECONDS - step_start)))")
    step_name=$1
    step_start=$SECONDS
    log "== $1"
}
print_timings() {
    step ""
    log "steps:"
    printf '[containers]   %s\n' "${timings[@]}" >&2
}

# --- 1. tools -------------------------------------------------------------------------------
step "tools"
missing=()
for package in podman buildah debootstrap runc netavark aardvark-dns git curl; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
fi
# podman-compose 1.0.6 from PyPI, in a virtual environment of its own under tools/: Debian's
# 1.0.3 breaks the healthcheck of every service after the first that shares one through a YAML
# anchor or replicas ("unknown healthcheck test type [curl]": it pops CMD off the shared list).
# It runs through podman_compose_ordered.py, which leaves out podman's --requires (see there).
podman_compose_python="$root/tools/podman-compose/bin/python3"
if ! "$podman_compose_python" -c 'import podman_compose; assert podman_compose.__version__ == "1.0.6"' 2>/dev/null; then
    log "installing podman-compose 1.0.6 from PyPI into tools/podman-compose"
    python3 -m venv "$root/tools/podman-compose"
    "$root/tools/podman-compose/bin/pip" install -q podman-compose==1.0.6
fi
free_gb=$(df --output=avail -BG /var/lib | tail -n1 | tr -dc 0-9)
[ "$free_gb" -ge 12 ] || fail "only ${free_gb} GB free under /var/lib: the images and the build need about 12 GB"

work=$(mktemp -d /var/tmp/quotewire-containers.XXXXXX)
cleanup_work() { rm -rf "$work"; }
trap 'cleanup_work' EXIT
git clone --quiet --no-hardlinks "$root" "$work/clone"
commit=$(git -C "$work/clone" rev-parse --short HEAD)
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] \
    || log "note: the checkout has uncommitted changes; the check uses commit $commit without them"

if [ $build = 1 ]; then
# --- 2. base images -------------------------------------------------------------------------
step "base images"
"$here/base-images.sh"

# --- 3. the image, from a clean clone -------------------------------------------------------
step "image build (clean clone)"
log "building deploy/Dockerfile at $commit (a release build: 20 minutes or more when nothing is cached)"
previous_image=$(podman image inspect --format '{{.Id}}' "$QUOTEWIRE_IMAGE" 2>/dev/null || true)
podman build --pull=never --build-arg SWIFT_IMAGE="$SWIFT_IMAGE" --build-arg RUNTIME_IMAGE="$DEBIAN_IMAGE" \
    -f deploy/Dockerfile -t "$QUOTEWIRE_IMAGE" "$work/clone" >"$work/build.log" 2>&1 \
    || { tail -n 40 "$work/build.log" >&2; fail "podman build -f deploy/Dockerfile (log above)"; }
grep -E 'built librdkafka' "$work/build.log" | tail -n1 >&2 || true
if [ -n "$previous_image" ] && [ "$previous_image" != "$(podman image inspect --format '{{.Id}}' "$QUOTEWIRE_IMAGE")" ]; then
    podman rmi "$previous_image" >/dev/null 2>&1 || true  # the image this build replaced
fi
else
    podman image exists "$QUOTEWIRE_IMAGE" || fail "--no-build: there is no $QUOTEWIRE_IMAGE to check"
    podman image exists "$TANSU_IMAGE" || fail "--no-build: there is no $TANSU_IMAGE (base-images.sh)"
fi

# --- 4. the image itself --------------------------------------------------------------------
step "image checks"
in_image() { podman run --rm --pull=never "$@"; }
size=$(podman image inspect --format '{{.Size}}' "$QUOTEWIRE_IMAGE")
log "image $QUOTEWIRE_IMAGE: $((size / 1000000)) MB (limit $((max_image_bytes / 1000000)) MB)"
[ "$size" -le "$max_image_bytes" ] || problem "the runtime image is $((size / 1000000)) MB, over $((max_image_bytes / 1000000)) MB"
user=$(in_image --entrypoint id "$QUOTEWIRE_IMAGE" -u)
[ "$user" = 10001 ] || fail "the image runs as user '$user', not 10001"
# shellcheck disable=SC2016 # expanded in the container
compilers=$(in_image --entrypoint sh "$QUOTEWIRE_IMAGE" -c \
    'for c in cc c++ gcc g++ clang swift swiftc ld as; do command -v "$c"; done; true')
[ -z "$compilers" ] || fail "the runtime image carries a compiler or linker: $compilers"
# shellcheck disable=SC2016 # expanded in the container
unresolved=$(in_image --entrypoint sh "$QUOTEWIRE_IMAGE" -c \
    'for f in /usr/local/bin/*; do [ -f "$f" ] && ldd "$f" | sed "s|^|$f: |"; done | grep "not found"; true')
[ -z "$unresolved" ] || fail "shared libraries missing in the image: $unresolved"
products=$(sed -n 's/.*\.executable(name: *"\([^"]*\)".*/\1/p' "$work/clone/Package.swift")
for product in $products; do
    in_image "$QUOTEWIRE_IMAGE" "$product" --help >/dev/null 2>"$work/help.err" \
        || { cat "$work/help.err" >&2; fail "$product --help failed in the image"; }
    log "$product --help: ok (as user $user)"
done
samples=("$work"/clone/samples/*.txt)
sample=${samples[0]}
parsed=$(in_image -v "$work/clone/samples:/samples:ro" "$QUOTEWIRE_IMAGE" quotewire parse "/samples/$(basename "$sample")") \
    || fail "quotewire parse of $(basename "$sample") failed in the image"
quotations=$(printf '%s' "$parsed" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["quotations"]))') \
    || fail "quotewire parse printed no ParsedArticle: $parsed"
[ "$quotations" -gt 0 ] || fail "quotewire parse found no quotation in $(basename "$sample")"
log "quotewire parse $(basename "$sample"): $quotations quotations"

# --- 5. the compose file --------------------------------------------------------------------
step "compose up, healthy"
exec 9>/tmp/qw-demo.lock
flock -w 1800 9 || fail "waited 30 minutes for /tmp/qw-demo.lock (a demo holds ports 8080-8083 and 9092)"
QUOTEWIRE_INGEST_TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export QUOTEWIRE_INGEST_TOKEN
compose() { # the clone's compose file with its Tansu override
    (cd "$work/clone" && "$podman_compose_python" "$here/podman_compose_ordered.py" -p "$project" -f docker-compose.yml -f scripts/containers/compose.tansu.yml "$@")
}
leftovers() { # every container, volume and network of the project
    podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}'
    podman volume ls --filter "label=io.podman.compose.project=$project" --format '{{.Name}}'
    podman network ls --format '{{.Name}}' | grep -x "${project}_default" || true
}
teardown() {
    compose down -v -t 30 >"$work/down.log" 2>&1 || true
    podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}' \
        | xargs -r podman rm -f -t 5 >/dev/null 2>&1 || true
    podman volume ls --filter "label=io.podman.compose.project=$project" --format '{{.Name}}' \
        | xargs -r podman volume rm -f >/dev/null 2>&1 || true
    podman network rm -f "${project}_default" >/dev/null 2>&1 || true
}
trap 'status=$?; teardown; cleanup_work; exit $status' EXIT
trap 'exit 130' INT TERM
teardown  # whatever an earlier, interrupted run left

container() { echo "${project}_${1}_1"; }
# await_healthy SECONDS CONTAINER...: runs each one's healthcheck until it passes.
await_healthy() {
    local deadline=$((SECONDS + $1)) name pending
    shift
    pending=("$@")
    while [ ${#pending[@]} -gt 0 ]; do
        local still=()
        for name in "${pending[@]}"; do
            if podman healthcheck run "$name" >/dev/null 2>&1; then
                log "$name healthy after $((SECONDS - step_start)) s"
            else
                still+=("$name")
            fi
        done
        pending=("${still[@]+"${still[@]}"}")
        [ ${#pending[@]} -eq 0 ] && return 0
        if [ $SECONDS -ge $deadline ]; then
            podman ps -a --filter "label=io.podman.compose.project=$project" >&2
            for name in "${pending[@]}"; do
                log "--- last log lines of $name"
                podman logs --tail 15 "$name" >&2 || true
            done
            fail "not healthy in time: ${pending[*]}"
        fi
        sleep 2
    done
}

compose up -d --no-build kafka >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; fail "podman-compose up kafka"; }
await_healthy 60 "$(container kafka)"
compose up -d --no-build topics >>"$work/up.log" 2>&1 || true
topics=$(container topics)
exit_code=$(podman wait "$topics" 2>/dev/null) || fail "the topics job did not run (podman-compose up: $(tail -n 5 "$work/up.log"))"
podman logs "$topics" >&2
[ "$exit_code" = 0 ] || fail "the topics job exited $exit_code"
log "topics job exited 0"
compose up -d --no-build >>"$work/up.log" 2>&1 || true
nodes=(ingest parser parser_2 indexer-a query-a indexer-b query-b)
names=()
for service in "${nodes[@]}"; do
    case "$service" in *_2) names+=("${project}_${service}") ;; *) names+=("$(container "$service")") ;; esac
done
for name in "${names[@]}"; do
    podman container exists "$name" || { tail -n 30 "$work/up.log" >&2; fail "podman-compose did not create $name"; }
done
await_healthy 240 "${names[@]}"

# --- 6. an article through the pipeline -----------------------------------------------------
step "article round trip"
post() { # post FILE [TOKEN]: prints the HTTP status, then the body
    curl -sS -o "$work/post.out" -w '%{http_code}\n' -H 'Content-Type: text/plain' \
        ${2:+-H "Authorization: Bearer $2"} --data-binary "@$1" http://127.0.0.1:8080/v1/articles
    cat "$work/post.out"
}
[ "$(post "$sample" | head -n1)" = 401 ] || fail "ingest took an article without the token"
answer=$(post "$sample" "$QUOTEWIRE_INGEST_TOKEN")
[ "$(head -n1 <<<"$answer")" = 202 ] || fail "ingest answered: $answer"
article=$(tail -n +2 <<<"$answer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["articleId"])')
log "ingest accepted $(basename "$sample") as $article"
# await_article PORT ID SECONDS: the query node on PORT answers for the article, not partially.
await_article() {
    local deadline=$((SECONDS + $3)) status
    while :; do
        status=$(curl -sS -o "$work/article.json" -w '%{http_code}' "http://127.0.0.1:$1/v1/articles/$2" || true)
        if [ "$status" = 200 ] && python3 - "$work/article.json" "$2" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
text = json.dumps(body)
sys.exit(0 if sys.argv[2] in text and not body.get("partial") else 1)
PY
        then
            log "query on :$1 answers for $2 ($(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); print(len(b.get("quotations", b.get("article", {}).get("quotations", []))), "quotations")' "$work/article.json"))"
            return 0
        fi
        [ $SECONDS -lt $deadline ] || fail "query on :$1 did not answer for $2 in $3 s (last: $status $(head -c 300 "$work/article.json"))"
        sleep 2
    done
}
await_article 8081 "$article" 120
await_article 8091 "$article" 60

# --- 7. a node stopped and started resumes from its volume ----------------------------------
step "node restart from its volume"
consumed() { # consumed CONTAINER: records its indexer read since it started
    podman exec "$1" curl -fsS http://127.0.0.1:8083/metrics \
        | awk '/^quotewire_messages_consumed_total\{[^}]*quotes\.parsed/ { n += $2 } END { printf "%d\n", n }'
}
serving_all() { # serving_all PORT: the node's /readyz lists no unserved partition and serves three
    curl -fsS "http://127.0.0.1:$1/readyz" 2>/dev/null | python3 -c '
import json, sys
body = json.load(sys.stdin)
def find(node, key):
    if isinstance(node, dict):
        if key in node: return node[key]
        for value in node.values():
            found = find(value, key)
            if found is not None: return found
    return None
serving, unserved = find(body, "serving") or [], find(body, "unserved") or []
sys.exit(0 if len(serving) == 3 and not unserved else 1)'
}
await_serving_all() { # await_serving_all PORT SECONDS
    local deadline=$((SECONDS + $2))
    until serving_all "$1"; do
        [ $SECONDS -lt $deadline ] || fail "the node on :$1 does not serve all three partitions after $2 s: $(curl -sS "http://127.0.0.1:$1/readyz")"
        sleep 2
    done
}
compose stop -t 30 indexer-a query-a >>"$work/up.log" 2>&1
log "node a stopped; node b takes every partition"
await_serving_all 8091 120
compose stop -t 30 indexer-b query-b >>"$work/up.log" 2>&1
log "node b stopped too; publishing one article while no index node runs"
second=${samples[1]}
answer=$(post "$second" "$QUOTEWIRE_INGEST_TOKEN")
[ "$(head -n1 <<<"$answer")" = 202 ] || fail "ingest answered: $answer"
article2=$(tail -n +2 <<<"$answer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["articleId"])')
compose start indexer-b query-b >>"$work/up.log" 2>&1
await_healthy 120 "$(container indexer-b)" "$(container query-b)"
await_serving_all 8091 120
await_article 8091 "$article2" 120
await_article 8091 "$article" 10
read_since_start=$(consumed "$(container indexer-b)")
[ "$read_since_start" = 1 ] \
    || fail "node b read $read_since_start records of quotes.parsed after its restart; resuming from its volume it reads only the one published while it was down"
log "node b resumed from its volume: after the restart it read 1 record (the one published meanwhile) and serves every partition"
compose start indexer-a query-a >>"$work/up.log" 2>&1
await_healthy 120 "$(container indexer-a)" "$(container query-a)"
await_article 8081 "$article2" 120

# No service may have crashed on the way (a restart policy would hide it), nor logged an error.
for name in "${names[@]}"; do
    restarts=$(podman inspect --format '{{.RestartCount}}' "$name")
    [ "$restarts" = 0 ] || problem "$name was restarted $restarts times (podman logs of it above)"
    podman logs "$name" >"$work/$name.log" 2>&1 || true
    errors=$(grep -cE '"level":"(error|critical)"' "$work/$name.log" || true)
    if [ "$errors" != 0 ]; then
        grep -E '"level":"(error|critical)"' "$work/$name.log" | head -n 5 >&2
        problem "$name logged $errors errors (first ones above)"
    fi
done

# --- 8. down --------------------------------------------------------------------------------
step "compose down"
compose down -v -t 30 >"$work/down.log" 2>&1 || { cat "$work/down.log" >&2; fail "podman-compose down"; }
podman network rm -f "${project}_default" >/dev/null 2>&1 || true  # podman-compose leaves it
left=$(leftovers)
[ -z "$left" ] || fail "down left: $left"
log "down: no container, volume or network of the project left"
print_timings
if [ ${#problems[@]} -gt 0 ]; then
    log "FAILED: every other check passed, but:"
    printf '[containers]   %s\n' "${problems[@]}" >&2
    exit 1
fi
log "all container checks passed"
