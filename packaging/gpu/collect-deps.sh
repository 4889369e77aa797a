#!/usr/bin/env bash
# packaging/gpu/collect-deps.sh — run on the Debian development machine (after install-deps.sh).
# Gathers into .gpu-deps/ (git-ignored) what building and running strata-train on a GPU machine
# needs beside that machine's own CUDA libtorch (python3's torch): OpenCV core/imgproc headers and
# libraries with everything they load (but glibc and libstdc++, which the GPU machine has newer),
# zlib, and the header-only nlohmann-json and CLI11 with their CMake files. About 25 MB.
# BLAS/LAPACK are Debian's small reference libraries (libblas3, liblapack3), not the 36 MB
# OpenBLAS: OpenCV merely needs them to load; scene drawing never calls them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/.gpu-deps
arch=/usr/lib/x86_64-linux-gnu
rm -rf "$out"
mkdir -p "$out/usr/include" "$out/usr/share/cmake" "$out/lib"
cp -r /usr/include/opencv4 /usr/include/nlohmann /usr/include/CLI /usr/include/zlib.h /usr/include/zconf.h "$out/usr/include/"
cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$out/usr/share/cmake/"
for lib in libopencv_core.so.406 libopencv_imgproc.so.406 libz.so.1 libtbb.so.12 libGLX.so.0 libGLdispatch.so.0 \
           libX11.so.6 libxcb.so.1 libXau.so.6 libXdmcp.so.6 libbsd.so.0 libmd.so.0 libgfortran.so.5 libquadmath.so.0; do
  [ -e "$arch/$lib" ] || { echo "error: $arch/$lib missing (run packaging/install-deps.sh first)" >&2; exit 2; }
  cp -L "$arch/$lib" "$out/lib/"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download libblas3 liblapack3 >/dev/null && for deb in *.deb; do dpkg -x "$deb" x; done)
cp -L "$tmp/x$arch/blas/libblas.so.3" "$tmp/x$arch/lapack/liblapack.so.3" "$out/lib/"
du -sh "$out"
