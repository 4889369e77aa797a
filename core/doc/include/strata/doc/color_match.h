// strata/doc/color_match.h — colour matching at the seam between generated and kept pixels
// (Krita AI's "colour match", A1111's "colour correction"), and the seam measure that tests it.
//
// The seam is the border between the kept pixels (S = 0) and the repainted ones (S > 0) of a
// strength map (DESIGN §3). A generation often comes back with a slightly different colour cast
// than the original around it (measured (40,80,200) against (30,78,214) across an outpainting
// edge), which paste-back turns into a hard visible line.
//
// Algorithm (match_colors), after the VAE decode and before paste-back:
//  1. Two bands of `band` px (chessboard distance) along the seam: the *reference*, original
//     pixels with S = 0 within `band` px of an S > 0 pixel, and the *source*, generated pixels
//     with S > 0 within `band` px of an S = 0 pixel. Transparent (infilled) pixels have S = 1, so
//     they are never reference.
//  2. Both bands are converted to CIELAB (sRGB, D65); per channel c, a robust centre μ (the
//     median) and spread σ (1.4826 · median absolute deviation) of each band: Reinhard et al.'s
//     colour transfer, a moment-matching simplification of A1111's LAB histogram match, made
//     robust so that a new shape reaching into the band does not pull the whole region's colour
//     (with means, a red circle near the seam turned the matched sky cyan).
//  3. Every generated pixel with S > 0 is mapped per LAB channel: x' = μ_ref + k · (x − μ_src),
//     k = σ_ref / σ_src clamped to [2/3, 3/2] (k = 1 when σ_src is ~0), so a flat generated sky
//     next to a busy original is not amplified into noise; the move is weighted by S (a pixel
//     repainted at strength S moves S of the way: low strengths keep more of the original's own
//     colours). Back to sRGB, rounded.
//  Pixels with S = 0 are never touched, and nothing at all changes when the map has no S = 0
//  pixel or no S > 0 pixel (plain txt2img/img2img: no seam), or when a band has fewer than
//  min_band_pixels pixels.
// Thread: pure functions of their arguments.
#pragma once

#include <array>
#include <optional>

#include "strata/doc/image.h"

namespace strata::doc {

inline constexpr int color_match_band = 32;      // px either side of the seam used for the statistics
inline constexpr int color_match_min_pixels = 16;  // fewer pixels in a band: no matching

// In place on `generated` (RGB or RGBA, alpha untouched), with `original` (same size and channel
// count) and `strength` (1 channel, same size). Returns whether it changed anything (see above).
// Throws Error(InvalidArgument) when the sizes differ.
bool match_colors(const Image8& original, Image8& generated, const ImageF& strength, int band = color_match_band);

// The seam measure: mean RGB of `image` over the pixels with S > 0 within `width` px of an S = 0
// pixel, minus its mean over the pixels with S = 0 within `width` px of an S > 0 pixel. nullopt
// without a seam. A hard colour seam shows as a large difference; a matched one as a small one.
std::optional<std::array<double, 3>> seam_difference(const Image8& image, const ImageF& strength, int width = 4);

}  // namespace strata::doc
