// strata/io/infill.h — filling the transparent pixels of a bbox composite before the VAE sees it
// (outpainting, DESIGN §3).
//
// Input: an RGBA Image8 with straight (not premultiplied) alpha. A pixel is *opaque* when its alpha
// is 255, *partial* when 0 < alpha < 255, *hidden* when alpha is 0. Output: an RGB Image8 of the
// same size in which
//   * opaque pixels are copied bit-exactly;
//   * every other pixel is `(a·rgb + (255−a)·F) / 255` (rounded), where F is the fill colour the
//     method computes for that pixel. A hidden pixel (a = 0) therefore never shows its stored RGB,
//     and the output does not depend on it at all.
// The fill F is computed from the *source* pixels: the opaque ones, or — when the image has no
// opaque pixel but some partial ones — the partial ones (by their straight colour). Hidden pixels
// are never a source.
//
// Methods:
//   Telea     cv::inpaint(INPAINT_TELEA) of every non-source pixel from the source pixels. Holes
//             larger than `telea_direct_max_pixels` are inpainted at a reduced scale (source colours
//             averaged with their coverage as weight, so hidden RGB never bleeds in), upscaled,
//             and a band `telea_band` px wide along the source boundary is inpainted again at
//             full resolution so the seam is as sharp as a direct inpaint.
//   EdgeTile  edge-colour extension: each non-source pixel takes the colour of its nearest source
//             pixel (Euclidean; cv::distanceTransform with DIST_LABEL_PIXEL — a Voronoi fill, not a
//             mirrored tile).
//   Solid     `solid_color` (mid grey by default).
//   Noise     RGB noise from `noise_seed` (uniform over 0..255, or gaussian around mid grey with
//             `noise_sigma`), optionally blurred by a gaussian of `noise_blur` px. The generator is
//             our own (splitmix64 + Box-Muller), so the same seed gives the same pixels on every
//             platform and standard library.
//
// Default: Telea. For outpainting at strength 1 the init image only sets the low-frequency colour
// and tone the model starts from; Telea continues the edge colours smoothly into the hole, which
// keeps the new content's palette and lighting consistent with the old. EdgeTile gives the same
// colours but as radial streaks that the model sometimes turns into stripes; Solid and Noise carry
// no information from the image (they are what InvokeAI calls "color" and A1111 "latent noise").
// InvokeAI defaults to LaMa/PatchMatch, which we do not have.
//
// Fully transparent input (no source pixel): there is nothing to inpaint from, so Telea and EdgeTile
// fall back to `fallback` (Solid by default; Noise allowed). Fully opaque input: an unchanged RGB copy.
// A 3-channel input is treated as fully opaque.
//
// Speed (RelWithDebInfo, one core of the dev machine; tests/io/test_infill.cpp, tag [slow]) on a
// 1024×1024 canvas with a 768×768 centred hole: Telea ≈ 100 ms with the downscale trick (factor 6)
// vs ≈ 470 ms for a direct cv::inpaint at radius 5 (220 ms at radius 3); EdgeTile ≈ 12 ms; Noise
// ≈ 19 ms; Solid ≈ 3 ms. The trick also helps quality: OpenCV's Telea drifts inside large holes
// (a constant channel of 90 came out as 89..102 in a 200² hole at radius 5), much less at 1/6 scale.
//
// Thread-safety: reentrant; may be called from any thread. Errors: doc::Error InvalidArgument for an
// empty image, a channel count other than 3/4, or options out of range; Runtime for an OpenCV failure.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "strata/doc/image.h"
#include "strata/doc/names.h"

namespace strata::io {

enum class InfillMethod { Telea, EdgeTile, Solid, Noise };

struct Rgb8 {
  std::uint8_t r = 127, g = 127, b = 127;
};

enum class NoiseKind { Uniform, Gaussian };

struct InfillOptions {
  InfillMethod method = InfillMethod::Telea;
  // Telea
  int telea_radius = 5;                                // inpaint neighbourhood, px (1..64)
  std::uint64_t telea_direct_max_pixels = 128 * 128;   // holes with more pixels use the downscale trick
  int telea_band = 0;                                  // full-res re-inpaint band, px; 0 = automatic
  // Solid (and the Solid fallback)
  Rgb8 solid_color{};
  // Noise (and the Noise fallback)
  std::uint64_t noise_seed = 0;
  NoiseKind noise_kind = NoiseKind::Uniform;
  float noise_sigma = 64.0f;  // gaussian standard deviation, levels (0..255)
  float noise_blur = 0.0f;    // gaussian blur sigma, px (0 = none; at most 64)
  // Used by Telea and EdgeTile when the image has no source pixel: Solid or Noise.
  InfillMethod fallback = InfillMethod::Solid;
};

// Returns the RGB image described above. `rgba` is not modified.
doc::Image8 infill(const doc::Image8& rgba, const InfillOptions& options = {});

// The names used on the command line, in settings and metadata, and the GUI's labels; "edge" is
// accepted for edge_tile.
inline constexpr std::array<doc::Named<InfillMethod>, 5> kInfillMethods{{
    {InfillMethod::Telea, "telea", "Telea"},
    {InfillMethod::EdgeTile, "edge_tile", "Edge"},
    {InfillMethod::Solid, "solid", "Solid"},
    {InfillMethod::Noise, "noise", "Noise"},
    {InfillMethod::EdgeTile, "edge", "", false},
}};

std::string_view to_string(InfillMethod method);
// Reads those names; nullopt for any other.
std::optional<InfillMethod> parse_infill_method(std::string_view name);

}  // namespace strata::io
