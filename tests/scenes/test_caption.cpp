// Captions and prompt reading: canonical forms, varied phrasings read back, the corpus.
#include <catch2/catch.hpp>

#include <set>

#include "strata/scenes/caption.h"
#include "strata/scenes/prompt.h"

using namespace strata::scenes;

namespace {

Scene two_shapes() {
  Scene s;
  s.bg = {BackgroundKind::Solid, Colour::Green, Colour::Green};
  s.shapes.push_back({Kind::Circle, Colour::Red, Size::Small, Position::Left, 0.25f, 0.5f, 0.1f, 0.f});
  s.shapes.push_back({Kind::Star, Colour::Yellow, Size::Large, Position::Right, 0.72f, 0.5f, 0.18f, 0.f});
  return s;
}

}  // namespace

TEST_CASE("canonical captions", "[scenes][caption]") {
  Scene s = two_shapes();
  CHECK(canonical_caption(s) == "a red circle and a yellow star on a green background");
  s.shapes.pop_back();
  s.bg.a = Colour::Blue;
  CHECK(canonical_caption(s) == "a red circle on a blue background");
  s.bg = {BackgroundKind::Gradient, Colour::Orange, Colour::Yellow, Orientation::Horizontal, 0.1f};
  CHECK(canonical_caption(s) == "a red circle on a gradient from orange to yellow");
  s.bg = {BackgroundKind::Stripes, Colour::Orange, Colour::White, Orientation::Vertical, 0.1f};
  CHECK(canonical_caption(s) == "a red circle on an orange and white striped background");
  s = two_shapes();
  s.shapes.push_back({Kind::Cross, Colour::White, Size::Small, Position::Top, 0.5f, 0.2f, 0.1f, 0.f});
  CHECK(canonical_caption(s) == "a red circle, a yellow star and a white cross on a green background");
}

TEST_CASE("the canonical phrasing is among the drawn ones, with varied others", "[scenes][caption]") {
  const Scene s = sample_scene(11);
  std::set<std::string> seen;
  for (std::uint64_t seed = 0; seed < 200; ++seed) seen.insert(caption(s, seed));
  CHECK(seen.count(canonical_caption(s)) == 1);
  CHECK(seen.size() > 20);
}

TEST_CASE("parse_prompt reads the documented phrasings", "[scenes][prompt]") {
  auto p = parse_prompt("a red circle on a blue background");
  REQUIRE(p);
  REQUIRE(p->shapes.size() == 1);
  CHECK(p->shapes[0].kind == Kind::Circle);
  CHECK(p->shapes[0].colour == Colour::Red);
  CHECK_FALSE(p->shapes[0].size);
  CHECK_FALSE(p->shapes[0].pos);
  REQUIRE(p->bg);
  CHECK(p->bg->kind == BackgroundKind::Solid);
  CHECK(p->bg->a == Colour::Blue);

  p = parse_prompt("A red circle and a yellow star on a green background.");
  REQUIRE(p);
  REQUIRE(p->shapes.size() == 2);
  CHECK(p->shapes[1].kind == Kind::Star);
  CHECK(p->shapes[1].colour == Colour::Yellow);
  CHECK(p->bg->a == Colour::Green);

  p = parse_prompt("a large yellow star in the top left on a green background");
  REQUIRE(p);
  CHECK(p->shapes[0].size == Size::Large);
  CHECK(p->shapes[0].pos == Position::TopLeft);
  CHECK(p->bg->a == Colour::Green);

  p = parse_prompt("red circle, blue background");
  REQUIRE(p);
  CHECK(p->shapes[0].colour == Colour::Red);
  CHECK(p->bg->a == Colour::Blue);

  p = parse_prompt("there is a small green triangle and a purple heart on white");
  REQUIRE(p);
  REQUIRE(p->shapes.size() == 2);
  CHECK(p->shapes[0].size == Size::Small);
  CHECK(p->shapes[1].kind == Kind::Heart);
  CHECK(p->bg->a == Colour::White);

  p = parse_prompt("a red circle to the left of a blue square");
  REQUIRE(p);
  REQUIRE(p->relation);
  CHECK(p->relation->kind == RelationKind::LeftOf);
  CHECK(p->relation->a == 0);
  CHECK(p->relation->b == 1);
  CHECK_FALSE(p->bg);
  CHECK_FALSE(p->shapes[0].pos);

  p = parse_prompt("a pink heart on a green and white striped background");
  REQUIRE(p);
  CHECK(p->bg->kind == BackgroundKind::Stripes);
  CHECK(p->bg->a == Colour::Green);
  CHECK(p->bg->b == Colour::White);

  p = parse_prompt("a gray ring in the center on a gradient from red to yellow");
  REQUIRE(p);
  CHECK(p->shapes[0].colour == Colour::Grey);
  CHECK(p->shapes[0].pos == Position::Centre);
  CHECK(p->bg->kind == BackgroundKind::Gradient);
  CHECK(p->bg->a == Colour::Red);
  CHECK(p->bg->b == Colour::Yellow);

  p = parse_prompt("a blue background with a cyan cross at the bottom");
  REQUIRE(p);
  CHECK(p->shapes[0].pos == Position::Bottom);
  CHECK(p->bg->a == Colour::Blue);

  CHECK_FALSE(parse_prompt("a photograph of a cat"));
  CHECK_FALSE(parse_prompt(""));
}

TEST_CASE("every drawn caption states only true attributes, and parse_prompt reads them", "[scenes][prompt]") {
  int sizes = 0, positions = 0, relations = 0;
  for (std::uint64_t seed = 0; seed < 3000; ++seed) {
    const Scene s = sample_scene(seed);
    const std::string text = caption(s, seed * 7 + 3);
    INFO(text);
    const auto p = parse_prompt(text);
    REQUIRE(p);
    REQUIRE(p->shapes.size() == s.shapes.size());
    const SceneSpec truth = spec_of(s);
    REQUIRE(p->bg);
    CHECK(p->bg->kind == truth.bg->kind);
    CHECK(p->bg->a == truth.bg->a);
    CHECK(p->bg->b == truth.bg->b);
    for (std::size_t i = 0; i < s.shapes.size(); ++i) {
      CHECK(p->shapes[i].kind == s.shapes[i].kind);
      CHECK(p->shapes[i].colour == s.shapes[i].colour);
      if (p->shapes[i].size) {
        CHECK(*p->shapes[i].size == s.shapes[i].size);
        ++sizes;
      }
      if (p->shapes[i].pos) {
        CHECK(*p->shapes[i].pos == s.shapes[i].pos);
        ++positions;
      }
    }
    if (p->relation) {
      ++relations;
      CHECK(p->relation == s.relation);
    }
  }
  CHECK(sizes > 300);
  CHECK(positions > 300);
  CHECK(relations > 100);
}

TEST_CASE("caption corpus", "[scenes][caption]") {
  const auto a = caption_corpus(500, 9), b = caption_corpus(500, 9);
  CHECK(a == b);
  REQUIRE(a.size() == 500);
  for (const std::string& c : a) {
    CHECK_FALSE(c.empty());
    CHECK(c.find('\n') == std::string::npos);
  }
  CHECK(std::set<std::string>(a.begin(), a.end()).size() > 450);
  CHECK(caption_corpus(0, 1).empty());
}
