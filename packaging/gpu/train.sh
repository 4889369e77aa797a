#!/usr/bin/env bash
# packaging/gpu/train.sh [strata-train options…] — run from a copy of the repository on a GPU
# machine whose python3 has a CUDA PyTorch, with .gpu-deps/ from collect-deps.sh beside it.
# Builds strata-train once (build-gpu/, Release, STRATA_TRAIN_ONLY) against that PyTorch's
# libtorch, then runs it with --device cuda and the given options. Interrupting it (SIGINT, e.g.
# `timeout -s INT`) checkpoints; the same command resumes.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
deps=$root/.gpu-deps
build=$root/build-gpu
[ -d "$deps/lib" ] || { echo "error: $deps missing: run packaging/gpu/collect-deps.sh and carry .gpu-deps" >&2; exit 2; }
export LD_LIBRARY_PATH=$deps/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
if [ ! -x "$build/strata-train" ]; then
  torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
  cuda_root=()
  [ -d /usr/local/cuda ] && cuda_root=(-DCUDAToolkit_ROOT=/usr/local/cuda)
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTRATA_TRAIN_ONLY=ON "${cuda_root[@]}" \
    -DCMAKE_PREFIX_PATH="$torch_prefix;$deps/usr" \
    -DSTRATA_OPENCV_INCLUDE_DIR="$deps/usr/include/opencv4" \
    -DSTRATA_OPENCV_core_LIBRARY="$deps/lib/libopencv_core.so.406" \
    -DSTRATA_OPENCV_imgproc_LIBRARY="$deps/lib/libopencv_imgproc.so.406" \
    -DZLIB_INCLUDE_DIR="$deps/usr/include" -DZLIB_LIBRARY="$deps/lib/libz.so.1" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,--no-as-needed -Wl,-rpath-link,$deps/lib" \
    -DTORCH_CUDA_ARCH_LIST=9.0
  cmake --build "$build" --target strata-train -- -k 0
fi
exec "$build/strata-train" --device cuda "$@"
