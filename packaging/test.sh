#!/usr/bin/env bash
# Installs what is missing, builds Strata (dev preset) and runs the whole test suite through ctest.
# The reference kit is read from ../shared/reference (override with STRATA_REFERENCE_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
ref="${STRATA_REFERENCE_DIR:-$(cd .. && pwd)/shared/reference}"
cmake --preset dev -DSTRATA_REFERENCE_DIR="$ref"
cmake --build --preset dev
ctest --preset dev -j "$(nproc)" "$@"
