#!/usr/bin/env bash
# Installs what is missing, builds Strata (release preset) and runs its main job: strata-cli
# generating an image from the tiny reference model into strata-out.png.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset release
cmake --build --preset release
ref="${STRATA_REFERENCE_DIR:-$(cd .. && pwd)/shared/reference}"
./build-release/app/strata-cli generate \
  -m "$ref/tiny-sd15/model.safetensors" --tokenizer "$ref/clip" \
  -p "a photograph of an astronaut riding a horse" -W 64 -H 64 --steps 10 --seed 42 \
  -o strata-out.png "$@"
echo "wrote strata-out.png"
