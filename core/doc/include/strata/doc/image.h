// strata/doc/image.h — plain pixel containers shared by every library (no Qt, no OpenCV, no torch).
//
// Image8: interleaved 8-bit pixels, 1 (grey), 3 (RGB) or 4 (RGBA) channels, row-major, no padding.
// ImageF: interleaved float pixels, same layout. Both are values: copying copies the pixels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace strata::doc {

template <typename T>
struct BasicImage {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<T> pixels;  // width * height * channels values

  BasicImage() = default;
  BasicImage(int w, int h, int c, T fill = T{})
      : width(w), height(h), channels(c),
        pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * static_cast<std::size_t>(c), fill) {}

  bool empty() const { return pixels.empty(); }
  std::size_t index(int x, int y, int c = 0) const {
    return (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) *
               static_cast<std::size_t>(channels) + static_cast<std::size_t>(c);
  }
  T& at(int x, int y, int c = 0) { return pixels[index(x, y, c)]; }
  const T& at(int x, int y, int c = 0) const { return pixels[index(x, y, c)]; }
};

using Image8 = BasicImage<std::uint8_t>;
using ImageF = BasicImage<float>;

}  // namespace strata::doc
