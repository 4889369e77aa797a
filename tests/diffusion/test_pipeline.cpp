// End-to-end parity with diffusers on tiny-sd15: every txt2img and img2img case of
// reference/tiny-sd15/pipelines reproduces the PNG within ±1 level on ≥ 99.9% of pixels; plus the
// Pipeline API contract (progress, previews, cancel within one step, batch seeds).
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <cmath>
#include <memory>

#include "reference.h"
#include "strata/diffusion/pipeline.h"
#include "strata/doc/error.h"
#include "torch_tensors.h"

using namespace strata;
using namespace strata::diffusion;

namespace {

Pipeline& tiny_pipeline() {
  static std::unique_ptr<Pipeline> p = [] {
    PipelineOptions o;
    o.model = test::reference_dir() / "tiny-sd15" / "model.safetensors";
    o.tokenizer = test::reference_dir() / "clip";
    return Pipeline::load(o);
  }();
  return *p;
}

doc::Image8 image_from_unit_tensor(const torch::Tensor& t) {  // [1,3,H,W] in [0,1]
  auto u8 = t.clamp(0, 1).mul(255).round().to(torch::kUInt8)[0].permute({1, 2, 0}).contiguous();
  doc::Image8 im(static_cast<int>(u8.size(1)), static_cast<int>(u8.size(0)), 3);
  std::memcpy(im.pixels.data(), u8.data_ptr<std::uint8_t>(), im.pixels.size());
  return im;
}

double fraction_within_one(const doc::Image8& a, const doc::Image8& b) {
  REQUIRE(a.pixels.size() == b.pixels.size());
  std::size_t ok = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) ok += std::abs(int(a.pixels[i]) - int(b.pixels[i])) <= 1;
  return double(ok) / double(a.pixels.size());
}

SamplerKind sampler_of(const std::string& name) {
  if (name == "Euler") return SamplerKind::Euler;
  if (name == "Euler a") return SamplerKind::EulerAncestral;
  if (name == "DDIM") return SamplerKind::DDIM;
  if (name == "DPM++ 2M Karras") return SamplerKind::DPMPP2M;
  FAIL("unknown scheduler " << name);
  return SamplerKind::Euler;
}

GenerationRequest base_request() {
  GenerationRequest r;
  r.prompt = "a photo of a cat sitting on a windowsill, highly detailed";
  r.negative_prompt = "blurry, low quality";
  r.width = r.height = 64;
  r.steps = 10;
  r.cfg_scale = 7.5f;
  return r;
}

}  // namespace

TEST_CASE("pipeline: diffusers end-to-end cases reproduce", "[pipeline][reference][slow]") {
  REQUIRE_REFERENCE();
  auto index = test::read_json(test::reference_dir() / "tiny-sd15" / "pipelines" / "index.json");
  int n = 0;
  for (auto& [name, c] : index["cases"].items()) {
    INFO("case " << name);
    auto t = load_all(test::reference_dir() / "tiny-sd15" / "pipelines" / (name + ".safetensors"));
    auto req = base_request();
    req.seed = c["seed"].get<std::int64_t>();
    req.steps = c["steps"].get<int>();
    req.cfg_scale = c["guidance_scale"].get<float>();
    req.sampler = sampler_of(c["scheduler"].get<std::string>());
    if (c["scheduler"] == "DPM++ 2M Karras") req.schedule = ScheduleKind::Karras;
    if (c["kind"] == "img2img") {
      req.init_image = image_from_unit_tensor((t.at("init_image") + 1.0) / 2.0);
      req.strength = c["strength"].get<float>();
    }
    auto images = tiny_pipeline().generate(req);
    REQUIRE(images.size() == 1);
    auto expected = image_from_unit_tensor(t.at("image"));
    double frac = fraction_within_one(images[0].image, expected);
    CHECK(frac >= 0.999);
    CHECK(images[0].steps_run == static_cast<int>(c["timesteps_run"].size()));
    CHECK(images[0].start_timestep == static_cast<int>(std::lround(c["timesteps_run"][0].get<double>())));
    ++n;
  }
  CHECK(n == 8);
}

TEST_CASE("pipeline: progress, previews, batch seeds", "[pipeline][reference]") {
  REQUIRE_REFERENCE();
  auto req = base_request();
  req.steps = 4;
  req.batch_count = 2;
  int progress = 0, previews = 0;
  GenerationHooks hooks;
  hooks.on_progress = [&](const Progress& p) {
    ++progress;
    CHECK(p.total_steps == 4);
  };
  hooks.on_preview = [&](const Preview& p) {
    ++previews;
    CHECK(p.image.width == 64);
    CHECK(p.image.height == 64);
  };
  hooks.preview_every = 2;
  auto images = tiny_pipeline().generate(req, hooks);
  REQUIRE(images.size() == 2);
  CHECK(progress == 8);
  CHECK(previews == 4);
  CHECK(images[0].seed == 42);
  CHECK(images[1].seed == 43);
  auto single = req;
  single.batch_count = 1;
  single.seed = 43;
  auto again = tiny_pipeline().generate(single);
  CHECK(again[0].image.pixels == images[1].image.pixels);
  CHECK(images[0].image.pixels != images[1].image.pixels);
}

TEST_CASE("pipeline: cancel takes effect within one step", "[pipeline][reference]") {
  REQUIRE_REFERENCE();
  auto req = base_request();
  int steps_seen = 0;
  GenerationHooks hooks;
  hooks.on_progress = [&](const Progress&) { ++steps_seen; };
  hooks.should_cancel = [&] { return steps_seen >= 2; };
  try {
    (void)tiny_pipeline().generate(req, hooks);
    FAIL("no cancellation");
  } catch (const doc::Error& e) {
    CHECK(e.code() == doc::ErrorCode::Cancelled);
  }
  CHECK(steps_seen == 2);
}

TEST_CASE("pipeline: bad requests are refused before any work", "[pipeline][bad-input]") {
  auto req = base_request();
  auto expect = [](GenerationRequest r, const std::string& fragment) {
    try {
      validate_request(r);
      FAIL("accepted: " << fragment);
    } catch (const doc::Error& e) {
      CHECK(e.code() == doc::ErrorCode::InvalidArgument);
      CHECK(std::string(e.what()).find(fragment) != std::string::npos);
    }
  };
  auto r = req; r.width = 100; expect(r, "96 or 104");
  r = req; r.height = 5000; expect(r, "4096");
  r = req; r.steps = 0; expect(r, "steps 0");
  r = req; r.steps = 10000; expect(r, "steps 10000");
  r = req; r.cfg_scale = std::nanf(""); expect(r, "cfg scale");
  r = req; r.cfg_scale = INFINITY; expect(r, "cfg scale");
  r = req; r.strength = 1.5f; expect(r, "strength");
  r = req; r.strength = -0.1f; expect(r, "strength");
  r = req; r.init_image = doc::Image8(32, 32, 3); expect(r, "32x32");
  CHECK_NOTHROW(validate_request(req));
}
