// Shared by the sampler tests: the reference kit names schedulers by their diffusers class.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "strata/diffusion/sampler_options.h"

namespace strata::test {

// The SamplerKind of a diffusers scheduler class name ("EulerDiscreteScheduler", …); fails the
// test for a class the kit should not contain.
inline diffusion::SamplerKind sampler_for_class(const std::string& cls) {
  using diffusion::SamplerKind;
  static const std::map<std::string, SamplerKind> kinds{
      {"DDIMScheduler", SamplerKind::DDIM},
      {"DDPMScheduler", SamplerKind::DDPM},
      {"PNDMScheduler", SamplerKind::PNDM},
      {"EulerDiscreteScheduler", SamplerKind::Euler},
      {"EulerAncestralDiscreteScheduler", SamplerKind::EulerAncestral},
      {"LMSDiscreteScheduler", SamplerKind::LMS},
      {"HeunDiscreteScheduler", SamplerKind::Heun},
      {"DPMSolverMultistepScheduler", SamplerKind::DPMPP2M},
  };
  auto it = kinds.find(cls);
  INFO("diffusers scheduler class " << cls);
  REQUIRE(it != kinds.end());
  return it->second;
}

}  // namespace strata::test
