// Private: straight-alpha src-over blending shared by MergeDown and compose.
#pragma once

#include <cmath>
#include <cstdint>

namespace strata::doc::detail {

// Clamped to [0, 255] and rounded half away from zero, as std::lround, without its library call
// (v − trunc(v) is exact for these magnitudes, so the result is lround's bit for bit).
inline std::uint8_t to_byte(float v) {
  const float c = std::fmin(std::fmax(v, 0.0f), 255.0f);
  const int i = static_cast<int>(c);
  return static_cast<std::uint8_t>(i + (c - static_cast<float>(i) >= 0.5f ? 1 : 0));
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

// Rule 1 of compose.h for one pixel: straight RGBA8 `q` (alpha × opacity) src-over the
// premultiplied float accumulators; with `s`, rule 2's strength too. compose() and flatten() both
// use it, so flatten's pixels equal compose's rgba exactly.
inline void accumulate_over(const std::uint8_t* q, float opacity, float* rgb, float* alpha, float strength = 0.0f,
                            float* s = nullptr) {
  if (q[3] == 0) return;
  if (q[3] == 255 && opacity >= 1.0f) {  // opaque: replaces what is below
    rgb[0] = q[0];
    rgb[1] = q[1];
    rgb[2] = q[2];
    *alpha = 1.0f;
    if (s) *s = strength;
    return;
  }
  const float a = q[3] * (1.0f / 255.0f) * opacity;
  const float keep = 1.0f - a;
  for (int c = 0; c < 3; ++c) rgb[c] = q[c] * a + rgb[c] * keep;
  *alpha = a + *alpha * keep;
  if (s) *s = strength * a + *s * keep;
}

// The accumulators of one pixel as straight RGBA8, rounded once (RGB = 0 where alpha rounds to 0).
inline void straight_rgba(const float* rgb, float alpha, std::uint8_t* out) {
  const std::uint8_t a8 = to_byte(alpha * 255.0f);
  for (int c = 0; c < 3; ++c) out[c] = a8 > 0 ? to_byte(rgb[c] / alpha) : 0;
  out[3] = a8;
}

}  // namespace strata::doc::detail
