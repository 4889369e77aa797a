// The evaluator on ground-truth scenes: rendered scenes must be read back with every attribute right.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>

#include "strata/doc/error.h"
#include "strata/scenes/caption.h"
#include "strata/scenes/evaluate.h"
#include "strata/scenes/render.h"

using namespace strata::scenes;

namespace {

// Share of `count` random scenes at `size` whose full ground truth (spec_of) the evaluator confirms.
double ground_truth_accuracy(int size, int count, std::uint64_t seed0) {
  int ok = 0;
  for (int i = 0; i < count; ++i) {
    const Scene scene = sample_scene(seed0 + static_cast<std::uint64_t>(i));
    const EvalReport report = evaluate(render(scene, size, size), spec_of(scene));
    if (report.all_ok) {
      ++ok;
    } else {
      UNSCOPED_INFO("seed " << seed0 + static_cast<std::uint64_t>(i) << " at " << size << ": "
                            << canonical_caption(scene) << " -> " << report.summary());
    }
  }
  const double accuracy = static_cast<double>(ok) / count;
  std::printf("evaluator ground truth at %dx%d: %d/%d (%.1f%%)\n", size, size, ok, count, 100.0 * accuracy);
  return accuracy;
}

}  // namespace

TEST_CASE("evaluator reads back rendered scenes at 128x128", "[scenes][evaluate]") {
  CHECK(ground_truth_accuracy(128, 300, 1000) >= 0.97);
}

TEST_CASE("evaluator reads back rendered scenes at 64x64", "[scenes][evaluate]") {
  CHECK(ground_truth_accuracy(64, 300, 2000) >= 0.97);
}

TEST_CASE("evaluator reads back rendered scenes at 256x256", "[scenes][evaluate]") {
  CHECK(ground_truth_accuracy(256, 300, 3000) >= 0.97);
}

namespace {

Scene red_circle_on_blue() {
  Scene s;
  s.bg = {BackgroundKind::Solid, Colour::Blue, Colour::Blue};
  s.shapes.push_back({Kind::Circle, Colour::Red, Size::Large, Position::Left, 0.27f, 0.5f, 0.19f, 0.f});
  return s;
}

// Uniform noise of +-amplitude levels (own PRNG) after a 3x3 box blur: a crude stand-in for a
// generated image's softness and grain.
strata::doc::Image8 degrade(const strata::doc::Image8& in, int amplitude, std::uint64_t seed) {
  strata::doc::Image8 out = in;
  std::uint64_t state = seed;
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x)
      for (int c = 0; c < 3; ++c) {
        int sum = 0, n = 0;
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int xx = x + dx, yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < in.width && yy < in.height) sum += in.at(xx, yy, c), ++n;
          }
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        const int noise = static_cast<int>((state >> 33) % static_cast<std::uint64_t>(2 * amplitude + 1)) - amplitude;
        out.at(x, y, c) = static_cast<std::uint8_t>(std::clamp(sum / n + noise, 0, 255));
      }
  return out;
}

}  // namespace

TEST_CASE("evaluator accepts the right prompt and rejects wrong ones", "[scenes][evaluate]") {
  const auto img = render(red_circle_on_blue(), 128, 128);
  CHECK(evaluate(img, "a red circle on a blue background").all_ok);
  CHECK(evaluate(img, "a large red circle on the left").all_ok);
  CHECK(evaluate(img, "red circle").all_ok);

  const EvalReport colour = evaluate(img, "a blue circle on a blue background");
  CHECK_FALSE(colour.all_ok);
  REQUIRE(colour.shapes.size() == 1);
  CHECK_FALSE(colour.shapes[0].colour_ok);
  CHECK(colour.shapes[0].kind_ok);
  CHECK(colour.summary().find("blue circle") != std::string::npos);

  const EvalReport kind = evaluate(img, "a red square on a blue background");
  CHECK_FALSE(kind.all_ok);
  CHECK_FALSE(kind.shapes[0].kind_ok);
  CHECK(kind.background_ok);

  const EvalReport bg = evaluate(img, "a red circle on a green background");
  CHECK_FALSE(bg.all_ok);
  CHECK_FALSE(bg.background_ok);
  CHECK_FALSE(evaluate(img, "a red circle on a gradient from blue to white").all_ok);

  CHECK_FALSE(evaluate(img, "a small red circle on a blue background").all_ok);
  CHECK_FALSE(evaluate(img, "a red circle on the right").all_ok);
  CHECK_FALSE(evaluate(img, "a red circle at the top").all_ok);
  const EvalReport extra = evaluate(img, "a red circle and a yellow star on a blue background");
  CHECK_FALSE(extra.all_ok);
  CHECK_FALSE(extra.count_ok);
  CHECK(extra.shapes[0].ok());
  CHECK_FALSE(extra.shapes[1].found);

  // An extra shape fails the exact count unless the caller allows it (e.g. inpainting one region).
  Scene two = red_circle_on_blue();
  two.shapes.push_back({Kind::Triangle, Colour::Green, Size::Small, Position::Right, 0.78f, 0.5f, 0.1f, 0.f});
  const auto img2 = render(two, 128, 128);
  CHECK_FALSE(evaluate(img2, "a green triangle on a blue background").all_ok);
  EvalOptions loose;
  loose.require_exact_count = false;
  CHECK(evaluate(img2, "a green triangle on the right on a blue background", loose).all_ok);
  CHECK(evaluate(img2, "a red circle to the left of a green triangle").all_ok);
  CHECK_FALSE(evaluate(img2, "a red circle to the right of a green triangle").all_ok);
  CHECK_FALSE(evaluate(img2, "a green triangle above a red circle").all_ok);
}

TEST_CASE("evaluator rejects prompts with one attribute changed", "[scenes][evaluate]") {
  int rejected = 0, total = 0;
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    const Scene s = sample_scene(4000 + seed);
    const auto img = render(s, 128, 128);
    SceneSpec wrong = spec_of(s);
    const int which = static_cast<int>(seed % 3);
    if (which == 0) wrong.shapes[0].colour = static_cast<Colour>((static_cast<int>(s.shapes[0].colour) + 1 + seed % 5) % colour_count);
    if (which == 1) wrong.shapes[0].kind = static_cast<Kind>((static_cast<int>(s.shapes[0].kind) + 1 + seed % 3) % kind_count);
    if (which == 2) wrong.bg->a = static_cast<Colour>((static_cast<int>(s.bg.a) + 1 + seed % 7) % colour_count);
    ++total;
    rejected += !evaluate(img, wrong).all_ok;
  }
  CHECK(rejected == total);
}

TEST_CASE("evaluator reads captions of rendered scenes and tolerates blur and grain", "[scenes][evaluate]") {
  int ok = 0, noisy_ok = 0;
  const int count = 200;
  for (int i = 0; i < count; ++i) {
    const Scene s = sample_scene(6000 + static_cast<std::uint64_t>(i));
    const auto img = render(s, 128, 128);
    const std::string text = caption(s, static_cast<std::uint64_t>(i));
    ok += evaluate(img, text).all_ok;
    const EvalReport r = evaluate(degrade(img, 12, static_cast<std::uint64_t>(i)), spec_of(s));
    if (r.all_ok) ++noisy_ok;
    else UNSCOPED_INFO(canonical_caption(s) << " (degraded) -> " << r.summary());
  }
  std::printf("captions read back: %d/%d; degraded images: %d/%d\n", ok, count, noisy_ok, count);
  CHECK(ok == count);
  CHECK(noisy_ok >= count * 95 / 100);
}

TEST_CASE("evaluator errors", "[scenes][evaluate]") {
  const auto img = render(red_circle_on_blue(), 64, 64);
  try {
    evaluate(img, "a photograph of a cat");
    FAIL("expected an error");
  } catch (const strata::doc::Error& e) {
    CHECK(e.code() == strata::doc::ErrorCode::InvalidArgument);
    CHECK(std::string(e.what()).find("a photograph of a cat") != std::string::npos);
  }
  CHECK_THROWS_AS(analyse(strata::doc::Image8(8, 8, 3)), strata::doc::Error);
  CHECK_THROWS_AS(analyse(strata::doc::Image8(64, 64, 4)), strata::doc::Error);
  // A blank image: the background, no shapes.
  const Analysis blank = analyse(render_background({BackgroundKind::Solid, Colour::Pink, Colour::Pink}, 64, 64));
  CHECK(blank.bg.a == Colour::Pink);
  CHECK(blank.shapes.empty());
}
