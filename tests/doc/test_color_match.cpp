#include <catch2/catch.hpp>

#include <cmath>

#include "strata/doc/color_match.h"
#include "strata/doc/error.h"

using namespace strata::doc;

namespace {

// An outpainting-like case, 128 × 64: the left half is kept (S = 0, the original's blue sky with a
// little texture), the right half was generated (S = 1) in a slightly different blue, as measured
// on a real run: (40,80,200) against (30,78,214). The generated image's left half is the original
// (what the VAE round trip gives back, near enough).
struct Outpaint {
  Image8 original{128, 64, 3}, generated{128, 64, 3};
  ImageF strength{128, 64, 1};
  Outpaint() {
    for (int y = 0; y < 64; ++y) {
      for (int x = 0; x < 128; ++x) {
        const int t = ((x * 7 + y * 13) % 9) - 4;  // ±4 texture
        const bool kept = x < 64;
        const int base[3] = {kept ? 30 : 40, kept ? 78 : 80, kept ? 214 : 200};
        for (int c = 0; c < 3; ++c) {
          original.at(x, y, c) = static_cast<std::uint8_t>(kept ? base[c] + t : 0);
          generated.at(x, y, c) = static_cast<std::uint8_t>(base[c] + t);
        }
        strength.at(x, y) = kept ? 0.0f : 1.0f;
      }
    }
  }
};

double magnitude(const std::array<double, 3>& d) { return std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]); }

}  // namespace

TEST_CASE("colour match removes the colour step across an outpainting seam", "[doc][color_match]") {
  Outpaint o;
  const auto before = seam_difference(o.generated, o.strength);
  REQUIRE(before);
  CHECK((*before)[0] == Approx(10.0).margin(0.5));
  CHECK((*before)[2] == Approx(-14.0).margin(0.5));
  const Image8 kept_before = o.generated;
  REQUIRE(match_colors(o.original, o.generated, o.strength));
  const auto after = seam_difference(o.generated, o.strength);
  REQUIRE(after);
  WARN("seam difference before " << magnitude(*before) << ", after " << magnitude(*after));
  CHECK(magnitude(*after) < 1.0);
  CHECK(magnitude(*before) > 15.0);
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      for (int c = 0; c < 3; ++c) REQUIRE(o.generated.at(x, y, c) == kept_before.at(x, y, c));  // S = 0 untouched
    }
  }
}

TEST_CASE("colour match is weighted by S and leaves images without a seam alone", "[doc][color_match]") {
  Outpaint o;
  const Image8 untouched = o.generated;
  for (const float s : {1.0f, 0.5f}) {
    ImageF uniform(128, 64, 1, s);  // plain txt2img / img2img: no S = 0 pixel
    Image8 g = untouched;
    CHECK_FALSE(match_colors(o.original, g, uniform));
    CHECK(g.pixels == untouched.pixels);
  }
  ImageF zero(128, 64, 1, 0.0f);  // nothing repainted
  Image8 g = untouched;
  CHECK_FALSE(match_colors(o.original, g, zero));
  CHECK(g.pixels == untouched.pixels);
  CHECK_FALSE(seam_difference(g, zero));

  // Half strength on the repainted side: the colours move half way.
  ImageF half = o.strength;
  for (float& v : half.pixels) v *= 0.5f;
  g = untouched;
  REQUIRE(match_colors(o.original, g, half));
  const auto d = seam_difference(g, o.strength);
  REQUIRE(d);
  CHECK((*d)[2] == Approx(-7.0).margin(1.5));
}

TEST_CASE("colour match: a band too thin to measure changes nothing; mismatched sizes throw", "[doc][color_match]") {
  Outpaint o;
  ImageF one = o.strength;
  for (float& v : one.pixels) v = 0.0f;
  one.at(100, 10) = 1.0f;  // a single repainted pixel: 1 < color_match_min_pixels
  Image8 g = o.generated;
  CHECK_FALSE(match_colors(o.original, g, one));
  CHECK(g.pixels == o.generated.pixels);
  CHECK_THROWS_AS(match_colors(o.original, g, ImageF(10, 10, 1)), Error);
  CHECK_THROWS_AS(match_colors(Image8(10, 10, 3), g, o.strength), Error);
}
