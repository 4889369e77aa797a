// Shared helpers of the pipeline tests: the tiny reference pipeline (loaded once per process),
// image conversions and comparisons.
#pragma once

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cstring>
#include <memory>
#include <string>

#include "reference.h"
#include "strata/diffusion/pipeline.h"

namespace strata::test {

inline diffusion::Pipeline& tiny_pipeline() {
  static std::unique_ptr<diffusion::Pipeline> p = [] {
    diffusion::PipelineOptions o;
    o.model = reference_dir() / "tiny-sd15" / "model.safetensors";
    o.tokenizer = reference_dir() / "clip";
    return diffusion::Pipeline::load(o);
  }();
  return *p;
}

inline doc::Image8 image_from_unit_tensor(const torch::Tensor& t) {  // [1,3,H,W] in [0,1]
  auto u8 = t.clamp(0, 1).mul(255).round().to(torch::kUInt8)[0].permute({1, 2, 0}).contiguous();
  doc::Image8 im(static_cast<int>(u8.size(1)), static_cast<int>(u8.size(0)), 3);
  std::memcpy(im.pixels.data(), u8.data_ptr<std::uint8_t>(), im.pixels.size());
  return im;
}

inline double fraction_within_one(const doc::Image8& a, const doc::Image8& b) {
  REQUIRE(a.pixels.size() == b.pixels.size());
  std::size_t ok = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) ok += std::abs(int(a.pixels[i]) - int(b.pixels[i])) <= 1;
  return double(ok) / double(a.pixels.size());
}

// The sampler of a reference case's diffusers scheduler name ("Euler a", "DPM++ 2M Karras", …).
inline diffusion::SamplerKind sampler_of(const std::string& name) {
  using diffusion::SamplerKind;
  if (name == "Euler") return SamplerKind::Euler;
  if (name == "Euler a") return SamplerKind::EulerAncestral;
  if (name == "DDIM") return SamplerKind::DDIM;
  if (name == "DPM++ 2M Karras") return SamplerKind::DPMPP2M;
  FAIL("unknown scheduler " << name);
  return SamplerKind::Euler;
}

// The request of the reference pipelines (prompt, negative prompt, 64×64, 10 steps, CFG 7.5).
inline diffusion::GenerationRequest base_request() {
  diffusion::GenerationRequest r;
  r.prompt = "a photo of a cat sitting on a windowsill, highly detailed";
  r.negative_prompt = "blurry, low quality";
  r.width = r.height = 64;
  r.steps = 10;
  r.cfg_scale = 7.5f;
  return r;
}

}  // namespace strata::test
