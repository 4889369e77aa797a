// Infill: opaque pixels untouched, hidden RGB never matters, each method, edge cases, speed.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>

#include "io_test_util.h"
#include "strata/io/infill.h"

using namespace strata;
using namespace strata::io;
using doc::ErrorCode;

namespace {

const InfillMethod kMethods[] = {InfillMethod::Telea, InfillMethod::EdgeTile, InfillMethod::Solid, InfillMethod::Noise};

// A smooth RGBA image; alpha from `alpha_of(x, y)`; hidden pixels' RGB is random from `garbage_seed`.
template <typename AlphaFn>
doc::Image8 make_rgba(int w, int h, AlphaFn alpha_of, unsigned garbage_seed) {
  std::mt19937 rng(garbage_seed);
  doc::Image8 img(w, h, 4);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int a = alpha_of(x, y);
      img.at(x, y, 3) = static_cast<std::uint8_t>(a);
      for (int k = 0; k < 3; ++k) {
        img.at(x, y, k) = a == 0 ? static_cast<std::uint8_t>(rng() & 0xFF)
                                 : static_cast<std::uint8_t>((x * (k + 1) * 255 / w + y * 200 / h) % 256);
      }
    }
  }
  return img;
}

// Opaque on the left third, a soft ramp, hidden on the right; a hidden hole in the middle too.
int mixed_alpha(int x, int y, int w, int h) {
  if (x > w / 3 && x < w / 3 + 8) return 255 - (x - w / 3) * 30;
  if (x >= w / 3 + 8) return 0;
  if (std::abs(x - w / 6) < w / 12 && std::abs(y - h / 2) < h / 6) return 0;
  return 255;
}

void check_opaque_untouched(const doc::Image8& in, const doc::Image8& out) {
  REQUIRE(out.channels == 3);
  REQUIRE(out.width == in.width);
  REQUIRE(out.height == in.height);
  long mismatches = 0;
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x)
      if (in.at(x, y, 3) == 255)
        for (int k = 0; k < 3; ++k) mismatches += in.at(x, y, k) != out.at(x, y, k);
  CHECK(mismatches == 0);
}

double mean_abs_diff(const doc::Image8& a, const doc::Image8& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
  return sum / static_cast<double>(a.pixels.size());
}

}  // namespace

TEST_CASE("infill leaves opaque pixels bit-exact and ignores hidden RGB", "[io][infill]") {
  for (int size : {48, 400}) {  // 400: the Telea downscale path (hole > 128²)
    auto alpha = [size](int x, int y) { return mixed_alpha(x, y, size, size); };
    auto a = make_rgba(size, size, alpha, 1);
    auto b = make_rgba(size, size, alpha, 2);
    REQUIRE(a.pixels != b.pixels);
    for (auto method : kMethods) {
      INFO("method " << to_string(method) << ", size " << size);
      InfillOptions o;
      o.method = method;
      o.noise_seed = 7;
      auto out_a = infill(a, o);
      check_opaque_untouched(a, out_a);
      CHECK(infill(b, o).pixels == out_a.pixels);
    }
  }
}

TEST_CASE("infill: fully opaque and RGB inputs come back unchanged", "[io][infill]") {
  auto rgba = make_rgba(20, 10, [](int, int) { return 255; }, 3);
  for (auto method : kMethods) {
    auto out = infill(rgba, {.method = method});
    check_opaque_untouched(rgba, out);
  }
  auto rgb = test::pattern_image(9, 5, 3);
  CHECK(infill(rgb).pixels == rgb.pixels);
}

TEST_CASE("infill: fully transparent input falls back to Solid or Noise", "[io][infill]") {
  auto clear = make_rgba(16, 12, [](int, int) { return 0; }, 4);
  InfillOptions o;
  o.solid_color = {10, 20, 30};
  for (auto method : {InfillMethod::Telea, InfillMethod::EdgeTile, InfillMethod::Solid}) {
    o.method = method;
    auto out = infill(clear, o);
    for (int i = 0; i < 16 * 12; ++i) {
      REQUIRE(out.pixels[3 * i] == 10);
      REQUIRE(out.pixels[3 * i + 1] == 20);
      REQUIRE(out.pixels[3 * i + 2] == 30);
    }
  }
  o.method = InfillMethod::Telea;
  o.fallback = InfillMethod::Noise;
  auto noisy = infill(clear, o);
  o.method = InfillMethod::Noise;
  CHECK(infill(clear, o).pixels == noisy.pixels);
  // Default solid colour is mid grey.
  auto grey = infill(clear, {.method = InfillMethod::Solid});
  CHECK(grey.at(3, 3, 0) == 127);
  CHECK(grey.at(3, 3, 2) == 127);
}

TEST_CASE("infill composites partial pixels over the fill", "[io][infill]") {
  doc::Image8 img(2, 1, 4);
  img.pixels = {200, 100, 0, 128, 1, 2, 3, 0};
  InfillOptions o{.method = InfillMethod::Solid, .solid_color = {0, 0, 0}};
  auto out = infill(img, o);
  CHECK(int(out.at(0, 0, 0)) == (128 * 200 + 127) / 255);
  CHECK(int(out.at(0, 0, 1)) == (128 * 100 + 127) / 255);
  CHECK(out.at(1, 0, 0) == 0);
  // With no opaque pixel, partial pixels are the source: their straight colour spreads.
  auto edge = infill(img, {.method = InfillMethod::EdgeTile});
  CHECK(edge.at(0, 0, 0) == 200);
  CHECK(edge.at(1, 0, 0) == 200);
  CHECK(edge.at(1, 0, 1) == 100);
}

TEST_CASE("infill EdgeTile takes the nearest opaque colour", "[io][infill]") {
  // Red column at x=0, blue column at x=9, transparent between.
  auto img = make_rgba(10, 4, [](int x, int) { return x == 0 || x == 9 ? 255 : 0; }, 5);
  for (int y = 0; y < 4; ++y) {
    img.at(0, y, 0) = 255, img.at(0, y, 1) = 0, img.at(0, y, 2) = 0;
    img.at(9, y, 0) = 0, img.at(9, y, 1) = 0, img.at(9, y, 2) = 255;
  }
  auto out = infill(img, {.method = InfillMethod::EdgeTile});
  for (int y = 0; y < 4; ++y) {
    for (int x = 1; x <= 3; ++x) CHECK(out.at(x, y, 0) == 255);
    for (int x = 6; x <= 8; ++x) CHECK(out.at(x, y, 2) == 255);
  }
}

TEST_CASE("infill Telea continues the surrounding colour, direct and downscaled", "[io][infill]") {
  const int n = 300;
  // Opaque frame with a horizontal gradient, a 200x200 hidden hole.
  auto hole = [](int x, int y) { return x >= 50 && x < 250 && y >= 50 && y < 250 ? 0 : 255; };
  auto img = make_rgba(n, n, hole, 6);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      if (hole(x, y)) img.at(x, y, 0) = static_cast<std::uint8_t>(x * 255 / n), img.at(x, y, 1) = 90, img.at(x, y, 2) = 40;
  InfillOptions direct;
  direct.telea_direct_max_pixels = 1u << 20;
  auto fast = infill(img);  // 40000 hole pixels > 128²: downscale path
  auto slow = infill(img, direct);
  check_opaque_untouched(img, fast);
  // Constant channels stay nearly constant (OpenCV's Telea drifts a few levels inside large holes:
  // up to +38 on this image when run directly with radius 1); the gradient stays within its range
  // and roughly monotone.
  for (int y = 60; y < 240; y += 20) {
    for (int x = 60; x < 240; x += 20) {
      CHECK(std::abs(int(fast.at(x, y, 1)) - 90) <= 6);
      CHECK(std::abs(int(fast.at(x, y, 2)) - 40) <= 6);
      CHECK(int(fast.at(x, y, 0)) >= 35);
      CHECK(int(fast.at(x, y, 0)) <= 220);
    }
    CHECK(fast.at(60, y, 0) < fast.at(240, y, 0));
  }
  CHECK(mean_abs_diff(fast, slow) < 4.0);
  // The seam: pixels next to the frame match the frame closely in both passes.
  for (int y = 50; y < 250; y += 10) CHECK(std::abs(int(fast.at(50, y, 0)) - int(slow.at(50, y, 0))) <= 6);
}

TEST_CASE("infill Noise is deterministic per seed; kinds and blur", "[io][infill]") {
  auto clear = make_rgba(64, 64, [](int, int) { return 0; }, 8);
  InfillOptions o{.method = InfillMethod::Noise, .noise_seed = 42};
  auto a = infill(clear, o);
  CHECK(infill(clear, o).pixels == a.pixels);
  o.noise_seed = 43;
  CHECK(infill(clear, o).pixels != a.pixels);
  auto stats = [](const doc::Image8& img) {
    double sum = 0, sq = 0;
    for (auto v : img.pixels) sum += v, sq += double(v) * v;
    const double n = static_cast<double>(img.pixels.size()), mean = sum / n;
    return std::pair{mean, std::sqrt(sq / n - mean * mean)};
  };
  auto [mean_u, sd_u] = stats(a);
  CHECK(mean_u == Approx(127.5).margin(4));
  CHECK(sd_u == Approx(73.9).margin(4));  // uniform 0..255
  o.noise_kind = NoiseKind::Gaussian;
  o.noise_sigma = 30;
  auto [mean_g, sd_g] = stats(infill(clear, o));
  CHECK(mean_g == Approx(127.5).margin(3));
  CHECK(sd_g == Approx(30).margin(3));
  o.noise_blur = 2;
  CHECK(stats(infill(clear, o)).second < 15);
}

TEST_CASE("infill rejects bad input and options", "[io][infill]") {
  REQUIRE_STRATA_ERROR(infill(doc::Image8{}), ErrorCode::InvalidArgument, "empty");
  REQUIRE_STRATA_ERROR(infill(doc::Image8(4, 4, 1)), ErrorCode::InvalidArgument, "1 channels");
  doc::Image8 img(4, 4, 4);
  REQUIRE_STRATA_ERROR(infill(img, {.telea_radius = 0}), ErrorCode::InvalidArgument, "telea_radius");
  REQUIRE_STRATA_ERROR(infill(img, {.noise_blur = -1}), ErrorCode::InvalidArgument, "noise_blur");
  REQUIRE_STRATA_ERROR(infill(img, {.fallback = InfillMethod::Telea}), ErrorCode::InvalidArgument, "fallback");
  CHECK(parse_infill_method("edge_tile") == InfillMethod::EdgeTile);
  CHECK(parse_infill_method("edge") == InfillMethod::EdgeTile);  // the GUI and CLI name
  CHECK(!parse_infill_method("lama"));
}

TEST_CASE("infill Telea on a 1024x1024 canvas with a 768x768 hole is fast", "[io][infill][slow]") {
  auto hole = [](int x, int y) { return x >= 128 && x < 896 && y >= 128 && y < 896 ? 0 : 255; };
  auto img = make_rgba(1024, 1024, hole, 9);
  using clock = std::chrono::steady_clock;
  for (auto method : kMethods) {
    auto t0 = clock::now();
    auto out = infill(img, {.method = method});
    const double ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
    WARN("infill " << to_string(method) << " 1024x1024, 768x768 hole: " << ms << " ms");
    check_opaque_untouched(img, out);
    CHECK(ms < 3000);
  }
}
