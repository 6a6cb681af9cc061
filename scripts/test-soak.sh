#!/usr/bin/env bash
# `make test`'s reduced soak: 10,000 articles through the debug build of ingest, parser and
# indexer (the test build), on a broker of its own. The full one is `make soak`.
# Warm-up lasts until half the articles are indexed: the indexer's page cache and FTS5
# buffers fill during the first 10-30 s and then stay flat.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
SOAK_CONFIG=debug ARTICLES=${SOAK_ARTICLES:-10000} exec "$root/scripts/soak.sh" --interval 5 --warm-up 0.5
