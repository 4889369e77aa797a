#include "strata/doc/strength.h"

#include <algorithm>
#include <cstddef>

namespace strata::doc {

ImageF grey_level(const Image8& image) {
  ImageF out(image.width, image.height, 1);
  const std::size_t n = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height);
  const auto c = static_cast<std::size_t>(image.channels);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* p = &image.pixels[i * c];
    const float v = c < 3 ? p[0] : 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
    out.pixels[i] = std::clamp(v / 255.0f, 0.0f, 1.0f);
  }
  return out;
}

ImageF strength_from_mask(const Image8& mask, float strength) {
  ImageF s = grey_level(mask);
  for (float& v : s.pixels) v *= strength;
  return s;
}

void raise_strength_where_transparent(ImageF& strength, const Image8& image) {
  if (image.channels != 4) return;
  const std::size_t n = strength.pixels.size();
  for (std::size_t i = 0; i < n; ++i) {
    const float a = image.pixels[i * 4 + 3] / 255.0f;
    strength.pixels[i] = a * strength.pixels[i] + (1.0f - a);
  }
}

bool has_transparency(const Image8& image) {
  if (image.channels != 4) return false;
  for (std::size_t i = 3; i < image.pixels.size(); i += 4) {
    if (image.pixels[i] != 255) return true;
  }
  return false;
}

}  // namespace strata::doc
