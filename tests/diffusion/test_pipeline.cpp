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
#include "pipeline_test_support.h"
#include "torch_tensors.h"

using namespace strata;
using namespace strata::diffusion;
using strata::test::base_request;
using strata::test::tiny_pipeline;
using strata::test::image_from_unit_tensor;
using strata::test::fraction_within_one;
using strata::test::sampler_of;

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
      req.strength = c["strength"].get<double>();
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
