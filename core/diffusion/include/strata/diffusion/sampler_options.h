// strata/diffusion/sampler_options.h — which sampler, which noise schedule, which convention.
//
// Torch-free value types for a GenerationRequest. The samplers themselves live in
// src/samplers/ (free functions over a denoise callback). Names are the CLI / metadata spellings:
// euler, euler_a, ddim, dpmpp_2m, lms, heun, ddpm, pndm, dpm_2 / normal, karras / diffusers, a1111.
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>

namespace strata::diffusion {

enum class SamplerKind {
  Euler,           // diffusers EulerDiscreteScheduler / k-diffusion sample_euler
  EulerAncestral,  // EulerAncestralDiscreteScheduler / sample_euler_ancestral
  DDIM,            // DDIMScheduler (diffusers convention only)
  DPMPP2M,         // DPMSolverMultistepScheduler (dpmsolver++, order 2) / sample_dpmpp_2m
  LMS,             // LMSDiscreteScheduler / sample_lms
  Heun,            // HeunDiscreteScheduler / sample_heun
  DDPM,            // DDPMScheduler (diffusers convention only)
  PNDM,            // PNDMScheduler with skip_prk_steps = PLMS (diffusers convention only)
  DPM2,            // k-diffusion sample_dpm_2 (a1111 convention only)
};

enum class ScheduleKind {
  Normal,  // the scheduler's own spacing (diffusers) / model.get_sigmas(n) (k-diffusion)
  Karras,  // Karras et al. (2022) σ ramp, ρ = 7
};

// Whose numbers a generation reproduces. Diffusers: diffusers v0.21.4 schedulers with the SD 1.5
// scheduler config and the diffusers img2img strength rule. KDiffusion: k-diffusion samplers over
// the CompVis σ table as AUTOMATIC1111 runs them (x_T·σ₀, A1111 img2img strength rule).
enum class Convention { Diffusers, KDiffusion };

std::string_view to_string(SamplerKind kind);
std::string_view to_string(ScheduleKind kind);
std::string_view to_string(Convention convention);  // "diffusers", "a1111"

// Parse the names above (case-sensitive; "kdiffusion"/"k-diffusion" also name the a1111 convention).
// Throw doc::Error(InvalidArgument) listing the valid names.
SamplerKind parse_sampler(std::string_view name);
ScheduleKind parse_schedule(std::string_view name);
Convention parse_convention(std::string_view name);

// Empty when the combination can run; otherwise a sentence saying why not and what works instead
// (e.g. "ddim has no Karras schedule"). Plans for unsupported combinations throw InvalidArgument
// with this message.
std::string unsupported_reason(SamplerKind sampler, ScheduleKind schedule, Convention convention);

}  // namespace strata::diffusion
