#!/usr/bin/env bash
# Makes the local images the container check builds on, with nothing pulled from a registry.
# Each image carries a label with a hash of what it is made from (the steps below, its
# Containerfile, the toolchain's version, the Tansu binary...) and is skipped when an image of
# that tag has the same label, so running this again does nothing until an input changes
# (QW_REBUILD_BASES=1 makes them all again):
#   quotewire-debian  Debian bookworm made here with debootstrap (minbase), slimmed as Debian's
#                     bookworm-slim image is (no manuals, locales or docs; apt keeps no caches),
#                     with the same deb822 sources file; the Dockerfile's RUNTIME_IMAGE.
#   quotewire-swift   quotewire-debian with what Swift's own bookworm images install, this
#                     machine's Swift toolchain (/opt/swift) and its Swift package mirror
#                     (/opt/swift-packages, with git told to read github.com from it, as on
#                     the host); the Dockerfile's SWIFT_IMAGE.
#   quotewire-tansu   quotewire-debian with the Tansu broker (tools/bin/tansu, from setup.sh)
#                     and stand-ins for the Kafka tools the compose file calls (kafka-cli/):
#                     Apache Kafka's place in compose.tansu.yml.
# Prints nothing on stdout; the tags are in images.env beside this script.
# Usage: scripts/containers/base-images.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=images.env
. "$here/images.env"
export CONTAINERS_CONF="$here/containers.conf"
log() { printf '[containers] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

# replaced TAG: removes the image that TAG named before it was made again (kept if in use).
replaced() { [ -z "${1:-}" ] || podman rmi "$1" >/dev/null 2>&1 || true; }
previous() { podman image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
# have_image TAG HASH: an image of that tag made from the same inputs is there.
have_image() {
    [ "${QW_REBUILD_BASES:-0}" != 1 ] \
        && [ "$(podman image inspect --format '{{index .Labels "quotewire.inputs"}}' "$1" 2>/dev/null)" = "$2" ]
}
inputs() { cat "$@" | sha256sum | cut -c1-16; }

work=$(mktemp -d /var/tmp/quotewire-bases.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The Debian mirror the host itself uses (its main archive entry), else Debian's own name.
host_mirror() {
    local uri=""
    [ -f /etc/apt/sources.list.d/debian.sources ] && uri=$(awk 'BEGIN{RS=""} /Suites: *bookworm( |$)/ && !/security/ {
        for (i = 1; i <= NF; i++) if ($i == "URIs:") { print $(i + 1); exit } }' /etc/apt/sources.list.d/debian.sources)
    echo "${uri:-http://deb.debian.org/debian}"
}

make_debian() {
    local hash
    hash=$(inputs <(declare -f make_debian) <(host_mirror))
    have_image "$DEBIAN_IMAGE" "$hash" && { log "$DEBIAN_IMAGE present"; return; }
    local old
    old=$(previous "$DEBIAN_IMAGE")
    command -v debootstrap >/dev/null || fail "debootstrap is not installed (scripts/containers/run.sh installs it)"
    local mirror rootfs="$work/rootfs"
    mirror=$(host_mirror)
    log "debootstrap bookworm (minbase) from $mirror"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap bookworm"; }
    # As bookworm-slim: dpkg leaves out manuals, info pages, locales and docs (copyrights kept),
    # and apt keeps neither package caches nor downloaded packages.
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/quotewire-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
CFG
    cat >"$rootfs/etc/apt/apt.conf.d/quotewire-slim" <<'CFG'
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
CFG
    find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
    find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$rootfs"/usr/share/{man,info,locale,groff,lintian}/* "$rootfs"/var/lib/apt/lists/* \
        "$rootfs"/var/cache/apt/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old
    # The sources in deb822 form, as Debian's images have them (the Dockerfile derives its
    # deb-src entry for trixie from this file): main and updates, and security.
    rm -f "$rootfs/etc/apt/sources.list"
    cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    tar --numeric-owner -C "$rootfs" -c . \
        | podman import --change 'CMD ["bash"]' --change "LABEL quotewire.inputs=$hash" - "$DEBIAN_IMAGE" >/dev/null \
        || fail "podman import $DEBIAN_IMAGE"
    rm -rf "$rootfs"
    replaced "$old"
    log "made $DEBIAN_IMAGE"
}

make_swift() {
    [ -x /opt/swift/usr/bin/swift ] || fail "no Swift toolchain at /opt/swift"
    [ -d /opt/swift-packages ] || fail "no Swift package mirror at /opt/swift-packages"
    local hash
    hash=$(inputs "$here/swift.Containerfile" <(podman image inspect --format '{{.Id}}' "$DEBIAN_IMAGE") \
        <(/opt/swift/usr/bin/swift --version 2>&1) <(ls -R /opt/swift-packages))
    have_image "$SWIFT_IMAGE" "$hash" && { log "$SWIFT_IMAGE present"; return; }
    local old
    old=$(previous "$SWIFT_IMAGE")
    log "making $SWIFT_IMAGE (copies the 3 GB toolchain; a few minutes)"
    podman build --pull=never --build-arg BASE="$DEBIAN_IMAGE" --label "quotewire.inputs=$hash" \
        -v /opt/swift:/mnt/host-swift:ro -v /opt/swift-packages:/mnt/host-swift-packages:ro \
        -f "$here/swift.Containerfile" -t "$SWIFT_IMAGE" "$work" >"$work/swift.log" 2>&1 \
        || { tail -n 30 "$work/swift.log" >&2; fail "podman build $SWIFT_IMAGE"; }
    replaced "$old"
    log "made $SWIFT_IMAGE"
}

make_tansu() {
    [ -x "$root/tools/bin/tansu" ] || "$root/scripts/setup.sh" >&2
    local hash
    hash=$(inputs "$here/tansu.Containerfile" "$here"/kafka-cli/* "$root/tools/bin/tansu" \
        <(podman image inspect --format '{{.Id}}' "$DEBIAN_IMAGE"))
    have_image "$TANSU_IMAGE" "$hash" && { log "$TANSU_IMAGE present"; return; }
    local old
    old=$(previous "$TANSU_IMAGE")
    mkdir -p "$work/tansu"
    install -m 0755 "$root/tools/bin/tansu" "$work/tansu/tansu"
    cp -R "$here/kafka-cli" "$work/tansu/kafka-cli"
    podman build --pull=never --build-arg BASE="$DEBIAN_IMAGE" --label "quotewire.inputs=$hash" \
        -f "$here/tansu.Containerfile" -t "$TANSU_IMAGE" "$work/tansu" >"$work/tansu.log" 2>&1 \
        || { tail -n 30 "$work/tansu.log" >&2; fail "podman build $TANSU_IMAGE"; }
    replaced "$old"
    log "made $TANSU_IMAGE"
}

make_debian
make_swift
make_tansu
