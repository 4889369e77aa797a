#!/usr/bin/env bash
# Installs what is missing, builds Strata (release preset) and runs it on the embedded default
# model (models/strata-shapes): the canvas window when a display is available, otherwise
# strata-cli generating "a red circle on a blue background" into strata-out.png.
#   bash packaging/run.sh          GUI (or the CLI without a display)
#   bash packaging/run.sh --cli    always the CLI; further arguments go to strata-cli generate
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset release
cmake --build --preset release
cli=0
if [ "${1:-}" = "--cli" ]; then cli=1; shift; fi
if [ "$cli" = 0 ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build-release/app/strata ]; then
  exec ./build-release/app/strata "$@"
fi
./build-release/app/strata-cli generate -p "a red circle on a blue background" --seed 1 -o strata-out.png "$@"
echo "wrote strata-out.png"
