// Per-pixel denoising strength on tiny-sd15 (DESIGN.md §3): a uniform map is img2img, S = 0 keeps
// pixels bit-exactly, S ≡ 1 is txt2img, change grows with S; inpainting (9-channel) checkpoints;
// scale before processing.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <cmath>

#include "pipeline/strength_map.h"
#include "pipeline_test_support.h"
#include "safetensors_writer.h"
#include "strata/doc/error.h"
#include "torch_tensors.h"

using namespace strata;
using namespace strata::diffusion;
using strata::test::base_request;
using strata::test::image_from_unit_tensor;
using strata::test::tiny_pipeline;

namespace {

doc::Image8 init_image() {
  auto t = load_all(test::reference_dir() / "tiny-sd15" / "pipelines" / "img2img_ddim_s0.3.safetensors");
  return image_from_unit_tensor((t.at("init_image") + 1.0) / 2.0);
}

GenerationRequest img2img(double strength) {
  auto r = base_request();
  r.seed = 7;
  r.sampler = SamplerKind::DDIM;
  r.init_image = init_image();
  r.strength = strength;
  return r;
}

doc::ImageF left_right(int w, int h, float left, float right) {
  doc::ImageF m(w, h, 1);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) m.at(x, y) = x < w / 2 ? left : right;
  }
  return m;
}

double mean_abs_change(const doc::Image8& a, const doc::Image8& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
  return sum / static_cast<double>(a.pixels.size());
}

bool left_half_equal(const doc::Image8& a, const doc::Image8& b) {
  for (int y = 0; y < a.height; ++y) {
    for (int x = 0; x < a.width / 2; ++x) {
      for (int c = 0; c < 3; ++c) {
        if (a.at(x, y, c) != b.at(x, y, c)) return false;
      }
    }
  }
  return true;
}

}  // namespace

TEST_CASE("strength: a uniform map is img2img, for both reference strengths and samplers", "[pipeline][strength]") {
  REQUIRE_REFERENCE();
  for (double s : {0.3, 0.75}) {
    for (auto sampler : {SamplerKind::DDIM, SamplerKind::EulerAncestral}) {
      auto plain = img2img(s);
      plain.sampler = sampler;
      auto mapped = plain;
      mapped.strength = 0.5;  // ignored: the map decides
      mapped.strength_map = doc::ImageF(64, 64, 1, static_cast<float>(s));
      const auto a = tiny_pipeline().generate(plain).at(0);
      const auto b = tiny_pipeline().generate(mapped).at(0);
      INFO("strength " << s);
      CHECK(a.image.pixels == b.image.pixels);
      CHECK(a.steps_run == b.steps_run);
      CHECK(b.max_strength == Approx(s));
    }
  }
}

TEST_CASE("strength: pixels with S = 0 come out bit-identical (mask blur 0)", "[pipeline][strength]") {
  REQUIRE_REFERENCE();
  auto r = img2img(0.75f);
  r.mask_blur = 0;
  r.strength_map = left_right(64, 64, 0.0f, 0.75f);
  const auto out = tiny_pipeline().generate(r).at(0);
  CHECK(left_half_equal(out.image, *r.init_image));
  CHECK(mean_abs_change(out.image, *r.init_image) > 1.0);  // the right half did change

  SECTION("with a blur the seam is soft but far pixels stay exact") {
    r.mask_blur = 2;
    const auto soft = tiny_pipeline().generate(r).at(0);
    bool far_exact = true;
    for (int y = 0; y < 64; ++y) {
      for (int x = 0; x < 20; ++x) far_exact &= soft.image.at(x, y, 0) == r.init_image->at(x, y, 0);
    }
    CHECK(far_exact);
  }
}

TEST_CASE("strength: S = 1 everywhere with a blank init equals txt2img for the same seed", "[pipeline][strength]") {
  REQUIRE_REFERENCE();
  auto txt = base_request();
  txt.seed = 11;
  auto full = txt;
  full.init_image = doc::Image8(64, 64, 3, 0);
  full.strength_map = doc::ImageF(64, 64, 1, 1.0f);
  const auto a = tiny_pipeline().generate(txt).at(0);
  const auto b = tiny_pipeline().generate(full).at(0);
  CHECK(a.image.pixels == b.image.pixels);
  CHECK(b.steps_run == 10);
}

TEST_CASE("strength: the mean change grows with S", "[pipeline][strength]") {
  REQUIRE_REFERENCE();
  // tiny-sd15's VAE has random weights, so decode(encode(x)) is nothing like x and every S > 0
  // changes the decoded pixels completely. The change is measured where the strength acts: in the
  // latent, through the final x0 preview (the linear latent→RGB projection, no VAE), against the
  // preview of the shortest possible run (one step). Averaged over three seeds.
  auto final_preview = [](float s, std::int64_t seed) {
    auto r = img2img(0.5f);
    r.seed = seed;
    r.strength_map = doc::ImageF(64, 64, 1, s);
    doc::Image8 last;
    GenerationHooks hooks;
    hooks.on_preview = [&](const Preview& p) { last = p.image; };
    (void)tiny_pipeline().generate(r, hooks);
    return last;
  };
  double last = 0;
  for (float s : {0.2f, 0.4f, 0.6f, 0.8f, 1.0f}) {
    double change = 0;
    for (std::int64_t seed : {7, 8, 9}) change += mean_abs_change(final_preview(s, seed), final_preview(0.1f, seed)) / 3;
    INFO("S = " << s << ": mean change " << change << ", previous " << last);
    CHECK(change > last);
    last = change;
  }
  // And S = 0 changes nothing at all, not even through the VAE.
  auto r = img2img(0.5f);
  r.strength_map = doc::ImageF(64, 64, 1, 0.0f);
  const auto out = tiny_pipeline().generate(r).at(0);
  CHECK(out.image.pixels == r.init_image->pixels);
  CHECK(out.steps_run == 0);
}

TEST_CASE("strength: a gradient map starts each pixel at its own level", "[pipeline][strength]") {
  REQUIRE_REFERENCE();
  // Left half 0.3, right half 0.75: the run starts at 0.75 (7 of 10 steps); the left half joins
  // for the last 3. The left half changes less than the right, and the result differs from both
  // uniform runs.
  auto r = img2img(0.5f);
  r.mask_blur = 0;
  r.strength_map = left_right(64, 64, 0.3f, 0.75f);
  const auto mixed = tiny_pipeline().generate(r).at(0);
  const auto low = tiny_pipeline().generate(img2img(0.3)).at(0);
  const auto high = tiny_pipeline().generate(img2img(0.75)).at(0);
  CHECK(mixed.steps_run == 7);
  double left = 0, right = 0;
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      for (int c = 0; c < 3; ++c) (x < 32 ? left : right) += std::abs(int(mixed.image.at(x, y, c)) - int(r.init_image->at(x, y, c)));
    }
  }
  CHECK(left < 0.75 * right);
  CHECK(mixed.image.pixels != low.image.pixels);
  CHECK(mixed.image.pixels != high.image.pixels);
}

TEST_CASE("strength: bad maps are refused naming the problem", "[pipeline][strength][bad-input]") {
  auto r = img2img(0.5f);
  r.strength_map = doc::ImageF(32, 64, 1, 0.5f);
  CHECK_THROWS_WITH(validate_request(r), Catch::Contains("strength map is 32x64"));
  r.strength_map = doc::ImageF(64, 64, 1, 1.5f);
  CHECK_THROWS_WITH(validate_request(r), Catch::Contains("outside [0,1]"));
  r.strength_map = doc::ImageF(64, 64, 1, std::nanf(""));
  CHECK_THROWS_WITH(validate_request(r), Catch::Contains("outside [0,1]"));
  auto t = base_request();
  t.strength_map = doc::ImageF(64, 64, 1, 0.5f);
  CHECK_THROWS_WITH(validate_request(t), Catch::Contains("no init image"));
}

TEST_CASE("strength: scale before processing generates near the native size and resizes back", "[pipeline][strength]") {
  REQUIRE_REFERENCE();
  CHECK(tiny_pipeline().summary().config.native_size == 64);  // diffusers sample_size 8 × 8
  const auto p = processing_size(128, 128, 64, true);
  CHECK((p.width == 64 && p.height == 64 && p.scaled()));
  CHECK_FALSE(processing_size(128, 128, 64, false).scaled());
  CHECK_FALSE(processing_size(64, 64, 64, true).scaled());
  const auto wide = processing_size(1024, 512, 512, true);
  CHECK((wide.width == 720 && wide.height == 360));

  auto r = base_request();
  r.width = r.height = 128;
  r.steps = 4;
  r.init_image = doc::Image8(128, 128, 3, 90);
  r.strength_map = left_right(128, 128, 0.0f, 1.0f);
  r.mask_blur = 0;
  r.scale_before_processing = true;
  const auto out = tiny_pipeline().generate(r).at(0);
  CHECK(out.image.width == 128);
  CHECK(out.image.height == 128);
  CHECK(out.processed_width == 64);
  CHECK(out.processed_height == 64);
  CHECK(left_half_equal(out.image, *r.init_image));
}

TEST_CASE("strength: a 9-channel inpainting checkpoint is detected and inpaints", "[pipeline][strength][inpainting]") {
  REQUIRE_REFERENCE();
  // tiny-sd15 with conv_in widened to 9 input channels (mask + masked-image latent), extra weights
  // random: the file has the inpainting layout of sd15-inpainting.json at tiny scale.
  const auto dir = test::temp_dir("inpainting_model");
  NamedTensors tensors;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
  for (auto& [k, v] : load_all(test::reference_dir() / "tiny-sd15" / "model.safetensors")) {
    if (k == "model.diffusion_model.input_blocks.0.0.weight") {
      auto extra = torch::randn({v.size(0), 5, v.size(2), v.size(3)}, gen, torch::kFloat32) * 0.05;
      tensors.emplace_back(k, torch::cat({v, extra}, 1));
    } else {
      tensors.emplace_back(k, v);
    }
  }
  save_safetensors(dir / "tiny-inpainting.safetensors", tensors, {{"strata.text_encoder.heads", "4"}, {"strata.unet.num_heads", "8"}});
  PipelineOptions o;
  o.model = dir / "tiny-inpainting.safetensors";
  o.tokenizer = test::reference_dir() / "clip";
  auto pipe = Pipeline::load(o);
  CHECK(pipe->summary().config.variant == "inpainting");
  CHECK(pipe->summary().config.unet.in_channels == 9);

  auto r = img2img(1.0f);
  r.mask_blur = 0;
  r.strength_map = left_right(64, 64, 0.0f, 1.0f);
  const auto out = pipe->generate(r).at(0);
  CHECK(left_half_equal(out.image, *r.init_image));
  CHECK(mean_abs_change(out.image, *r.init_image) > 1.0);

  // The masked-image channels matter: another init changes the repainted half too.
  auto r2 = r;
  r2.init_image = doc::Image8(64, 64, 3, 200);
  const auto out2 = pipe->generate(r2).at(0);
  bool right_differs = false;
  for (int y = 0; y < 64; ++y) {
    for (int x = 40; x < 64; ++x) right_differs |= out.image.at(x, y, 0) != out2.image.at(x, y, 0);
  }
  CHECK(right_differs);
}
