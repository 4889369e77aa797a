#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

#include "strata/doc/compose.h"
#include "strata/doc/error.h"

using namespace strata::doc;

namespace {

// Builders over the Document primitives (no history needed here).
LayerId raster(Document& doc, Rect r, Rgba8 color, float strength, float opacity = 1.0f, bool visible = true) {
  Layer l = Layer::raster(doc.new_layer_id(), "r");
  l.strength = strength;
  l.opacity = opacity;
  l.visible = visible;
  const LayerId id = l.id;
  doc.insert_layer(std::move(l), doc.layer_count());
  doc.fill(id, r, color);
  return id;
}

LayerId mask(Document& doc, Rect r, std::uint8_t coverage, int feather = 0, bool inverted = false, bool visible = true) {
  Layer l = Layer::mask(doc.new_layer_id(), "m");
  l.feather = feather;
  l.inverted = inverted;
  l.visible = visible;
  const LayerId id = l.id;
  doc.insert_layer(std::move(l), doc.layer_count());
  doc.fill(id, r, coverage);
  return id;
}

constexpr Rgba8 opaque{100, 150, 200, 255};
constexpr Rgba8 half{100, 150, 200, 128};
constexpr float a128 = 128.0f / 255.0f;

struct Case {
  const char* name;
  std::function<void(Document&)> build;
  Rect rect;
  std::vector<float> strength;  // expected S, row-major over rect
  std::vector<int> alpha;       // expected composite alpha
};

}  // namespace

TEST_CASE("compose: strength and alpha rules, table-driven", "[doc][compose]") {
  const auto c = GENERATE(values<Case>({
      {"empty document", [](Document&) {}, {0, 0, 2, 1}, {1, 1}, {0, 0}},
      {"one opaque layer decides", [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.4f); },
       {0, 0, 1, 1}, {0.4f}, {255}},
      {"topmost opaque layer wins",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.2f); raster(d, {0, 0, 4, 4}, opaque, 0.8f); },
       {0, 0, 1, 1}, {0.8f}, {255}},
      {"top layer at opacity 0.5 is alpha-weighted over the one below",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.2f); raster(d, {0, 0, 4, 4}, opaque, 0.8f, 0.5f); },
       {0, 0, 1, 1}, {0.5f}, {255}},
      {"half-transparent layer over nothing: uncovered part counts as 1",
       [](Document& d) { raster(d, {0, 0, 4, 4}, half, 0.0f); }, {0, 0, 1, 1}, {1.0f - a128}, {128}},
      {"hidden top layer is ignored",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.2f); raster(d, {0, 0, 4, 4}, opaque, 0.9f, 1.0f, false); },
       {0, 0, 1, 1}, {0.2f}, {255}},
      {"opacity 0 layer is ignored", [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.2f, 0.0f); },
       {0, 0, 1, 1}, {1}, {0}},
      {"rect partly outside all content", [](Document& d) { raster(d, {0, 0, 4, 1}, opaque, 0.3f); },
       {-2, 0, 4, 1}, {1, 1, 0.3f, 0.3f}, {0, 0, 255, 255}},
      {"negative coordinates", [](Document& d) { raster(d, {-10, -10, 4, 4}, opaque, 0.6f); },
       {-8, -7, 3, 1}, {0.6f, 0.6f, 1}, {255, 255, 0}},
      {"a mask in the rect: masked pixels take its opacity, the others 0 (layer strength ignored)",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.75f); mask(d, {0, 0, 1, 4}, 102); },
       {0, 0, 2, 1}, {0.4f, 0.0f}, {255, 255}},
      {"a mask elsewhere in the document leaves the layers' strengths",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.75f); mask(d, {100, 100, 4, 4}, 255); },
       {0, 0, 2, 1}, {0.75f, 0.75f}, {255, 255}},
      {"with a mask, empty pixels outside it still get 1 (outpainting)",
       [](Document& d) { raster(d, {0, 0, 2, 1}, opaque, 0.75f); mask(d, {0, 0, 1, 1}, 255); },
       {0, 0, 3, 1}, {1, 0, 1}, {255, 255, 0}},
      {"with a mask, a half-transparent pixel outside it: its transparent part gets 1",
       [](Document& d) { raster(d, {0, 0, 4, 4}, half, 0.75f); mask(d, {3, 3, 1, 1}, 255); },
       {2, 3, 2, 1}, {1 - a128, 1}, {128, 128}},
      {"mask over a transparent pixel: empty pixels get 1",
       [](Document& d) { mask(d, {0, 0, 4, 4}, 51); }, {0, 0, 1, 1}, {1}, {0}},
      {"mask over a half-transparent pixel: covered part takes M, the rest 1",
       [](Document& d) { raster(d, {0, 0, 4, 4}, half, 0.75f); mask(d, {0, 0, 4, 4}, 51); },
       {0, 0, 1, 1}, {0.2f * a128 + (1 - a128)}, {128}},
      {"several masks combine with max",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.9f); mask(d, {0, 0, 4, 4}, 153); mask(d, {0, 0, 4, 4}, 51); },
       {0, 0, 1, 1}, {0.6f}, {255}},
      {"hidden mask is ignored",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.3f); mask(d, {0, 0, 4, 4}, 255, 0, false, false); },
       {0, 0, 1, 1}, {0.3f}, {255}},
      {"inverted empty mask covers everything with 1",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.3f); mask(d, {0, 0, 0, 0}, 0, 0, true); },
       {0, 0, 1, 1}, {1}, {255}},
      {"inverted mask: painted pixels are outside the mask and kept",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.3f); mask(d, {0, 0, 1, 4}, 255, 0, true); },
       {0, 0, 2, 1}, {0, 1}, {255, 255}},
      {"several masks: each masks its own pixels, the rest is kept",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.9f); mask(d, {0, 0, 1, 1}, 255); mask(d, {2, 0, 1, 1}, 51); },
       {0, 0, 3, 1}, {1, 0, 0.2f}, {255, 255, 255}},
      {"an empty visible mask has no effect",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.3f); mask(d, {0, 0, 0, 0}, 0); },
       {0, 0, 1, 1}, {0.3f}, {255}},
      {"mask coverage 0 does not override",
       [](Document& d) { raster(d, {0, 0, 4, 4}, opaque, 0.0f); mask(d, {0, 0, 4, 4}, 0); },
       {0, 0, 1, 1}, {0}, {255}},
  }));
  CAPTURE(c.name);
  Document doc;
  c.build(doc);
  const Composition comp = compose(doc, c.rect);
  REQUIRE(comp.rgba.width == c.rect.width);
  REQUIRE(comp.strength.channels == 1);
  REQUIRE(comp.strength.pixels.size() == c.strength.size());
  for (std::size_t i = 0; i < c.strength.size(); ++i) {
    CAPTURE(i);
    CHECK(comp.strength.pixels[i] == Approx(c.strength[i]).margin(1e-5));
    CHECK(int{comp.rgba.pixels[i * 4 + 3]} == c.alpha[i]);
  }
}

TEST_CASE("compose: colour is src-over with straight alpha", "[doc][compose]") {
  Document doc;
  raster(doc, {0, 0, 2, 2}, {255, 0, 0, 255}, 0.5f);
  raster(doc, {0, 0, 2, 2}, {0, 0, 255, 255}, 0.5f, 0.25f);
  raster(doc, {1, 1, 1, 1}, {0, 255, 0, 128}, 0.5f);
  const Composition comp = compose(doc, {0, 0, 2, 2});
  CHECK(comp.rgba.at(0, 0, 0) == 191);  // 255 · 0.75
  CHECK(comp.rgba.at(0, 0, 2) == 64);   // 255 · 0.25
  CHECK(comp.rgba.at(0, 0, 3) == 255);
  CHECK(comp.rgba.at(1, 1, 1) == 128);  // green at 128/255 over the opaque mix
  CHECK_FALSE(comp.has_mask);

  Document lone;
  raster(lone, {0, 0, 1, 1}, {10, 20, 30, 40}, 0.5f);
  const Composition one = compose(lone, {0, 0, 1, 1});
  CHECK(one.rgba.pixels == std::vector<std::uint8_t>{10, 20, 30, 40});  // straight alpha survives
}

TEST_CASE("compose: feather blurs a mask edge into a Gaussian ramp", "[doc][compose]") {
  Document doc;
  raster(doc, {-64, -64, 128, 128}, opaque, 0.0f);
  mask(doc, {-64, -64, 64, 128}, 255, 4);  // covers x < 0
  const Composition comp = compose(doc, {-6, 0, 12, 1});
  CHECK(comp.has_mask);
  const double sigma = 4.0 / 3.0;
  double total = 0;
  std::vector<double> w;
  for (int j = -4; j <= 4; ++j) total += w.emplace_back(std::exp(-0.5 * j * j / (sigma * sigma)));
  for (int i = 0; i < 12; ++i) {
    const int x = -6 + i;
    double expected = 0;
    for (int j = -4; j <= 4; ++j) expected += (x + j < 0 ? w[static_cast<std::size_t>(j + 4)] : 0.0) / total;
    CAPTURE(x);
    CHECK(comp.strength.pixels[static_cast<std::size_t>(i)] == Approx(expected).margin(1e-5));
  }
  CHECK(comp.strength.pixels[0] == Approx(1.0f));  // 6 px inside: fully masked
  CHECK(comp.strength.pixels[11] == 0.0f);         // 5 px outside: beyond the feather, raster strength 0
}

TEST_CASE("compose: a feathered soft mask ramps from its opacity down to 0 outside it", "[doc][compose]") {
  Document doc;
  raster(doc, {0, 0, 64, 64}, opaque, 0.3f);  // the layer's 0.3 does not count once a mask is present
  mask(doc, {0, 0, 32, 64}, 128, 8);  // strength 0.502 left of x = 32
  const Composition comp = compose(doc, {16, 10, 32, 1});
  const float inside = 128.0f / 255.0f;
  CHECK(comp.strength.pixels.front() == Approx(inside));
  CHECK(comp.strength.pixels.back() == 0.0f);  // x = 47: beyond the feather, kept exactly
  for (std::size_t i = 1; i < comp.strength.pixels.size(); ++i) {
    CAPTURE(i);
    CHECK(comp.strength.pixels[i] <= comp.strength.pixels[i - 1] + 1e-6f);  // monotone ramp
    CHECK(comp.strength.pixels[i] >= 0.0f);
  }
}

TEST_CASE("compose: a uniform layer gives a uniform map (plain img2img)", "[doc][compose]") {
  Document doc;
  raster(doc, {-100, -100, 800, 800}, opaque, 0.35f);
  const Composition comp = compose(doc);
  REQUIRE(comp.strength.pixels.size() == 512u * 512u);
  CHECK(std::all_of(comp.strength.pixels.begin(), comp.strength.pixels.end(), [](float v) { return v == 0.35f; }));
  CHECK(comp.rect == doc.bbox());
}

TEST_CASE("compose: refuses empty and oversized areas", "[doc][compose]") {
  Document doc;
  CHECK_THROWS_AS(compose(doc, {0, 0, 0, 5}), Error);
  try {
    compose(doc, {0, 0, bbox_max + 1, bbox_max});
    FAIL("expected TooLarge");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::TooLarge);
  }
}

TEST_CASE("feather_blur keeps a constant plane constant", "[doc][compose]") {
  std::vector<float> plane(20 * 10, 0.5f);
  feather_blur(plane, 20, 10, 6);
  for (const float v : plane) CHECK(v == Approx(0.5f).margin(1e-6));
}

TEST_CASE("flatten gives compose's colour exactly, opaque overlaps and translucency alike", "[doc][compose][flatten]") {
  // Random stacks: opaque and translucent layers at unaligned offsets, layer opacity, hidden
  // layers, masks (which change strength, never colour).
  std::uint32_t state = 12345;
  auto rnd = [&](int n) {
    state = state * 1664525u + 1013904223u;
    return static_cast<int>((state >> 8) % static_cast<std::uint32_t>(n));
  };
  for (int trial = 0; trial < 12; ++trial) {
    CAPTURE(trial);
    Document doc;
    const int layer_count = 1 + rnd(8);
    for (int i = 0; i < layer_count; ++i) {
      Layer l = Layer::raster(doc.new_layer_id(), "r");
      l.opacity = rnd(3) == 0 ? 0.25f + 0.1f * static_cast<float>(rnd(7)) : 1.0f;
      l.visible = rnd(6) != 0;
      l.x = rnd(200) - 100;
      l.y = rnd(200) - 100;
      Image8 px(40 + rnd(150), 40 + rnd(150), 4);
      for (std::size_t k = 0; k < px.pixels.size(); ++k) {
        const int a = rnd(4);  // alpha: transparent, opaque, or in between
        px.pixels[k] = static_cast<std::uint8_t>(k % 4 == 3 ? (a == 0 ? 0 : a == 1 ? 128 + rnd(127) : 255) : rnd(256));
      }
      l.pixels.write(px, 0, 0);
      doc.insert_layer(std::move(l), doc.layer_count());
    }
    if (rnd(2) == 0) mask(doc, {rnd(100) - 50, rnd(100) - 50, 60, 60}, 200, 4);
    const Rect rect{-120, -110, 300 + rnd(50), 280 + rnd(50)};
    const Image8 flat = flatten(doc, rect);
    const Composition c = compose(doc, rect);
    REQUIRE(flat.width == c.rgba.width);
    REQUIRE(flat.height == c.rgba.height);
    CHECK(flat.pixels == c.rgba.pixels);
  }
  CHECK_THROWS_AS(flatten(Document(), Rect{0, 0, 0, 5}), Error);
}
