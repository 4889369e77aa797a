// Procedural scenes: determinism, options (exclusions, predicates, counts), geometry and rendering.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "strata/doc/error.h"
#include "strata/scenes/caption.h"
#include "strata/scenes/render.h"
#include "strata/scenes/scene.h"

using namespace strata::scenes;
using strata::doc::Error;
using strata::doc::ErrorCode;

TEST_CASE("the same seed gives the same scene, caption and pixels", "[scenes][sample]") {
  for (std::uint64_t seed : {0ull, 1ull, 42ull, 0xfeedfaceull}) {
    const Scene a = sample_scene(seed), b = sample_scene(seed);
    CHECK(a == b);
    CHECK(caption(a, seed) == caption(b, seed));
    CHECK(render(a, 128, 128).pixels == render(b, 128, 128).pixels);
    CHECK(render(a, 96, 64).pixels == render(b, 96, 64).pixels);
  }
  CHECK_FALSE(sample_scene(1) == sample_scene(2));
}

TEST_CASE("scene streams are stable across platforms and releases", "[scenes][sample]") {
  // The PRNG is splitmix64 with integer-only helpers: these captions change only when the data does.
  CHECK(canonical_caption(sample_scene(1)) == "a pink triangle and a yellow heart on a brown background");
  CHECK(canonical_caption(sample_scene(2)) == "a brown circle, a brown triangle and a blue cross on a green background");
}

TEST_CASE("sampled scenes respect the geometry rules", "[scenes][sample]") {
  int relations = 0, gradients = 0, stripes = 0;
  int counts[4] = {};
  for (std::uint64_t seed = 0; seed < 2000; ++seed) {
    const Scene s = sample_scene(seed);
    REQUIRE(s.shapes.size() >= 1);
    REQUIRE(s.shapes.size() <= 3);
    ++counts[s.shapes.size()];
    gradients += s.bg.kind == BackgroundKind::Gradient;
    stripes += s.bg.kind == BackgroundKind::Stripes;
    for (std::size_t i = 0; i < s.shapes.size(); ++i) {
      const Shape& a = s.shapes[i];
      CHECK(position_of(a.cx, a.cy) == a.pos);
      CHECK((a.size == Size::Small) == (a.r < size_threshold));
      CHECK(a.cx - a.r >= 0.02f);
      CHECK(a.cx + a.r <= 0.98f);
      CHECK(a.cy - a.r >= 0.02f);
      CHECK(a.cy + a.r <= 0.98f);
      CHECK(a.colour != s.bg.a);
      if (s.bg.kind != BackgroundKind::Solid) CHECK(a.colour != s.bg.b);
      for (std::size_t j = 0; j < i; ++j) {
        const Shape& b = s.shapes[j];
        CHECK(std::hypot(a.cx - b.cx, a.cy - b.cy) > a.r + b.r);
        CHECK_FALSE((a.kind == b.kind && a.colour == b.colour));
      }
    }
    if (s.relation) {
      ++relations;
      const Shape& a = s.shapes[static_cast<std::size_t>(s.relation->a)];
      const Shape& b = s.shapes[static_cast<std::size_t>(s.relation->b)];
      CHECK(relation_holds(s.relation->kind, a.cx, a.cy, b.cx, b.cy));
    }
  }
  CHECK(counts[1] > 400);
  CHECK(counts[3] > 400);
  CHECK(relations > 100);
  CHECK(gradients > 200);
  CHECK(stripes > 200);
}

TEST_CASE("options hold out combinations, force counts and filter scenes", "[scenes][sample]") {
  SceneOptions o;
  o.excluded = {{Kind::Circle, Colour::Red}, {Kind::Star, Colour::Yellow}};
  o.min_shapes = o.max_shapes = 3;
  for (std::uint64_t seed = 0; seed < 500; ++seed) {
    const Scene s = sample_scene(seed, o);
    REQUIRE(s.shapes.size() == 3);
    for (const Shape& sh : s.shapes) {
      CHECK_FALSE((sh.kind == Kind::Circle && sh.colour == Colour::Red));
      CHECK_FALSE((sh.kind == Kind::Star && sh.colour == Colour::Yellow));
    }
  }

  // The complement: only held-out scenes (for evaluation prompts).
  SceneOptions held;
  held.max_shapes = 1;
  held.accept = [](const Scene& s) { return s.shapes[0].kind == Kind::Circle && s.shapes[0].colour == Colour::Red; };
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    const Scene s = sample_scene(seed, held);
    CHECK(s.shapes[0].kind == Kind::Circle);
    CHECK(s.shapes[0].colour == Colour::Red);
  }

  SceneOptions narrow;
  narrow.kinds = {Kind::Square};
  narrow.shape_colours = {Colour::Green};
  narrow.bg_colours = {Colour::White};
  narrow.bg_kinds = {BackgroundKind::Solid};
  const Scene s = sample_scene(7, narrow);
  REQUIRE(s.shapes.size() == 1);  // one (kind, colour) pair: no second distinct shape exists
  CHECK(s.shapes[0].kind == Kind::Square);
  CHECK(s.bg.a == Colour::White);
}

TEST_CASE("impossible options are errors", "[scenes][sample]") {
  SceneOptions bad;
  bad.min_shapes = 2, bad.max_shapes = 1;
  CHECK_THROWS_AS(sample_scene(1, bad), Error);
  SceneOptions none;
  none.accept = [](const Scene&) { return false; };
  try {
    sample_scene(1, none);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::InvalidArgument);
    CHECK(std::string(e.what()).find("10000") != std::string::npos);
  }
  CHECK_THROWS_AS(render(sample_scene(1), 4, 4), Error);
}

TEST_CASE("rendering: shapes at relative coordinates, any resolution", "[scenes][render]") {
  Scene s;
  s.bg = {BackgroundKind::Solid, Colour::Blue, Colour::Blue};
  s.shapes.push_back({Kind::Circle, Colour::Red, Size::Large, Position::Centre, 0.5f, 0.5f, 0.2f, 0.f});
  for (int size : {32, 128, 257}) {
    const auto img = render(s, size, size);
    REQUIRE(img.channels == 3);
    const Rgb red = rgb_of(Colour::Red), blue = rgb_of(Colour::Blue);
    CHECK(img.at(size / 2, size / 2, 0) == red.r);
    CHECK(img.at(1, 1, 2) == blue.b);
    // Anti-aliased area close to the disc's: pi * (0.2 size)^2.
    double covered = 0.0;
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x) covered += (img.at(x, y, 0) - blue.r) / double(red.r - blue.r);
    const double expected = 3.14159265 * 0.04 * size * size;
    CHECK(covered == Approx(expected).epsilon(0.02));
  }
  // Backgrounds: a gradient runs from a (left) to b (right); stripes start with a.
  const Background g{BackgroundKind::Gradient, Colour::Black, Colour::White, Orientation::Horizontal, 0.1f};
  const auto gi = render_background(g, 100, 10);
  CHECK(gi.at(0, 5, 0) < 30);
  CHECK(gi.at(99, 5, 0) > 235);
  const Background st{BackgroundKind::Stripes, Colour::Red, Colour::White, Orientation::Vertical, 0.1f};
  const auto si = render_background(st, 10, 100);
  CHECK(si.at(5, 5, 1) == rgb_of(Colour::Red).g);
  CHECK(si.at(5, 15, 1) == rgb_of(Colour::White).g);
  CHECK(si.at(5, 25, 1) == rgb_of(Colour::Red).g);
}

TEST_CASE("rendering: the shape mask covers the shapes and nothing else", "[scenes][render]") {
  Scene s;
  s.bg = {BackgroundKind::Stripes, Colour::Blue, Colour::White, Orientation::Vertical, 0.1f};
  s.shapes.push_back({Kind::Ring, Colour::Red, Size::Large, Position::Left, 0.3f, 0.5f, 0.2f, 0.f});
  s.shapes.push_back({Kind::Square, Colour::Green, Size::Small, Position::Right, 0.75f, 0.5f, 0.1f, 0.f});
  const auto m = render_shape_mask(s, 100, 100);
  REQUIRE(m.channels == 1);
  CHECK(m.at(30, 50) == 0);    // the ring's hole
  CHECK(m.at(30, 32) == 255);  // the ring itself (its band spans radius 0.12…0.2)
  CHECK(m.at(75, 50) == 255);  // the square
  CHECK(m.at(5, 5) == 0);      // background stripes are not shapes
  CHECK(m.at(95, 95) == 0);
  // Coverage where the scene's pixels show a shape, none elsewhere.
  const auto img = render(s, 100, 100), bg = render_background(s.bg, 100, 100);
  for (int y = 0; y < 100; ++y)
    for (int x = 0; x < 100; ++x) {
      const bool changed = img.at(x, y, 0) != bg.at(x, y, 0) || img.at(x, y, 1) != bg.at(x, y, 1) || img.at(x, y, 2) != bg.at(x, y, 2);
      if (changed) CHECK(m.at(x, y) > 0);
      if (m.at(x, y) == 0) CHECK_FALSE(changed);
    }
}
