// colour_math.h — sRGB → CIELAB (D65) and ΔE76 for the scenes library (sampling and evaluation).
#pragma once

#include "strata/scenes/scene.h"

namespace strata::scenes {

struct Lab {
  float l = 0.f, a = 0.f, b = 0.f;
};

Lab to_lab(float r, float g, float b);  // 0..255 sRGB
inline Lab to_lab(Rgb c) { return to_lab(c.r, c.g, c.b); }
Lab lab_of(Colour colour);              // cached palette entry
float delta_e(const Lab& x, const Lab& y);

// The named colour nearest to `lab`, and its distance.
Colour nearest_colour(const Lab& lab, float* distance = nullptr);

// Smallest ΔE between `colour` and any colour the background shows (gradient: every mix of a, b).
float distance_to_background(Colour colour, const Background& bg);

}  // namespace strata::scenes
