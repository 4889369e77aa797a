// Which sampler, schedule and convention combinations run (the names are strata/doc/sampling.h).
#include "strata/diffusion/sampler_options.h"

#include <string>

#include "strata/doc/error.h"

namespace strata::diffusion {

std::string unsupported_reason(SamplerKind sampler, ScheduleKind schedule, Convention convention) {
  const std::string name(to_string(sampler));
  const bool alpha_only = sampler == SamplerKind::DDIM || sampler == SamplerKind::DDPM || sampler == SamplerKind::PNDM;
  if (convention == Convention::KDiffusion && alpha_only) {
    return name + " is a diffusers scheduler: use the diffusers convention (the a1111 convention has euler, "
                  "euler_a, heun, dpm_2, lms, dpmpp_2m)";
  }
  if (convention == Convention::Diffusers && sampler == SamplerKind::DPM2) {
    return "dpm_2 is a k-diffusion sampler: use the a1111 convention";
  }
  if (schedule == ScheduleKind::Karras && alpha_only) {
    return name + " has no Karras schedule: use the normal schedule (Karras works with euler, euler_a, heun, "
                  "lms, dpmpp_2m, dpm_2)";
  }
  return {};
}

}  // namespace strata::diffusion
