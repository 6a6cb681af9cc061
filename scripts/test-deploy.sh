#!/usr/bin/env bash
# Checks docker-compose.yml and deploy/ (Dockerfile, Kubernetes manifests, systemd units)
# against the code, with scripts/deploy_checks.py:
#   1. installs PyYAML and kubernetes-validate (which carries the Kubernetes JSON schemas,
#      so validation works offline) from PyPI when missing,
#   2. finds the built executables (building any that are missing) and reads their --help,
#   3. runs every check, then the self-test: each check must fail on a copy of the files
#      broken in a way it exists to catch.
# These checks read the files; `make test-containers` (scripts/containers/run.sh) builds the image
# and starts the compose file with podman.
# Usage: scripts/test-deploy.sh            Env: SCRATCH (SwiftPM scratch path, default .build)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scratch=${SCRATCH:-.build}
log() { printf '[deploy] %s\n' "$*" >&2; }

python3 -c 'import yaml' 2>/dev/null || { log "installing PyYAML from PyPI"; python3 -m pip install -q pyyaml; }
python3 -c 'import kubernetes_validate' 2>/dev/null \
    || { log "installing kubernetes-validate from PyPI"; python3 -m pip install -q kubernetes-validate; }

bin=$(swift build --scratch-path "$scratch" --show-bin-path)
for product in $(sed -n 's/.*\.executable(name: *"\([^"]*\)".*/\1/p' Package.swift); do
    if [ ! -x "$bin/$product" ]; then
        log "building $product"
        swift build --scratch-path "$scratch" --product "$product" >/dev/null
    fi
done

status=0
python3 scripts/deploy_checks.py --bin "$bin" || status=1
log "self-test: every check must catch a broken copy"
python3 scripts/deploy_checks.py --bin "$bin" --self-test || status=1
exit $status
