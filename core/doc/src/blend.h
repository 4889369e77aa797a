// Private: straight-alpha src-over blending shared by MergeDown and compose.
#pragma once

#include <cmath>
#include <cstdint>

namespace strata::doc::detail {

inline std::uint8_t to_byte(float v) {
  return static_cast<std::uint8_t>(std::lround(std::fmin(std::fmax(v, 0.0f), 255.0f)));
}

// dst (RGBA8, straight) = src (RGBA8, straight, alpha scaled by opacity) over dst, rounded once.
inline void src_over(std::uint8_t* dst, const std::uint8_t* src, float opacity) {
  const float as = static_cast<float>(src[3]) / 255.0f * opacity;
  if (as <= 0.0f) return;
  const float ad = static_cast<float>(dst[3]) / 255.0f;
  const float ao = as + ad * (1.0f - as);
  for (int c = 0; c < 3; ++c) {
    dst[c] = to_byte((static_cast<float>(src[c]) * as + static_cast<float>(dst[c]) * ad * (1.0f - as)) / ao);
  }
  dst[3] = to_byte(ao * 255.0f);
}

}  // namespace strata::doc::detail
