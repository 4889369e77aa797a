// schedule.h (private) — noise tables and timestep/σ schedules, reproducing diffusers v0.21.4 and
// k-diffusion for the SD 1.x/2.x/XL training schedule (scaled_linear β 0.00085…0.012, 1000 steps).
//
// Dtype paths follow the references, because 1e-6 agreement depends on them:
//  * diffusers: β = torch.linspace(√β₀, √β₁, 1000, float32)², ᾱ = cumprod(1−β) (float32 tensor),
//    σ_train = ((1−ᾱ)/ᾱ)^½ (float32); numpy work (linspace, arange, interp, Karras, _sigma_to_t) in
//    float64, the final σ table cast to float32.
//  * k-diffusion: ᾱ is LatentDiffusion's buffer (β in float64, cumprod in float64, stored float32);
//    CompVisDenoiser's σ table, get_sigmas and sigma_to_t are float32 torch ops.
// Ref: diffusers v0.21.4 scheduling_{ddim,ddpm,pndm,euler_discrete,euler_ancestral_discrete,
//      lms_discrete,heun_discrete,dpmsolver_multistep}.py set_timesteps / _convert_to_karras /
//      _sigma_to_t; k-diffusion ab527a9a external.py (DiscreteSchedule) and sampling.py
//      (get_sigmas_karras); CompVis ldm/models/diffusion/ddpm.py register_schedule.
// Thread-safety: the tables are built once (function-local statics) and immutable afterwards.
#pragma once

#include <cstdint>
#include <vector>

#include "strata/diffusion/sampler_options.h"

namespace strata::diffusion {

// diffusers' timestep_spacing (Table 2 of arXiv:2305.08891).
enum class TimestepSpacing { Leading, Linspace, Trailing };

constexpr int kTrainTimesteps = 1000;
constexpr int kStepsOffset = 1;  // SD 1.5 scheduler_config.json

// diffusers' per-class tables, index = training timestep 0…999.
struct DiffusersTables {
  std::vector<float> alphas_cumprod;  // ᾱ_t
  std::vector<float> sigmas;          // ((1−ᾱ)/ᾱ)^½, ascending
  std::vector<float> log_sigmas;      // log σ (numpy float32 log in the reference)
  std::vector<float> alpha_t;         // DPM-Solver: √ᾱ
  std::vector<float> sigma_t;         //             √(1−ᾱ)
  std::vector<float> lambda_t;        //             log α_t − log σ_t
};
const DiffusersTables& diffusers_tables();

// k-diffusion CompVisDenoiser over LatentDiffusion's ᾱ buffer.
struct KDiffusionTables {
  std::vector<float> alphas_cumprod;
  std::vector<float> sigmas;
  std::vector<float> log_sigmas;
};
const KDiffusionTables& kdiffusion_tables();

// numpy 1.24 semantics (float64): linspace (endpoint), arange with a float step, interp over
// xp = 0, 1, …, fp.size()−1, and round-half-to-even.
std::vector<double> np_linspace(double start, double stop, int num);
std::vector<double> np_arange(double start, double stop, double step);
double np_interp(double x, const std::vector<float>& fp);
double np_round(double x);

// Integer timesteps of DDIMScheduler / DDPMScheduler.set_timesteps(n) (descending).
std::vector<std::int64_t> ddim_timesteps(TimestepSpacing spacing, int n);
// PNDMScheduler (skip_prk_steps): the PLMS list, n+1 entries, the second timestep repeated.
std::vector<std::int64_t> pndm_timesteps(TimestepSpacing spacing, int n);
// DPMSolverMultistepScheduler: spacing over n+1 points (last dropped), or Karras-rounded; deduplicated.
std::vector<std::int64_t> dpm_timesteps(TimestepSpacing spacing, int n, bool karras);

// Euler / Euler a / LMS / Heun: timesteps (float32 values, or float64 from _sigma_to_t with Karras)
// and σ (float32 values, n+1 entries ending in 0) before Heun's interleaving.
struct SigmaSchedule {
  std::vector<double> timesteps;
  std::vector<double> sigmas;
};
SigmaSchedule euler_family_schedule(TimestepSpacing spacing, int n, bool karras);

// diffusers `_convert_to_karras(in_sigmas, n)`: σ_min = in_sigmas[-1], σ_max = in_sigmas[0], ρ = 7.
// (DPM-Solver passes the ascending training table, so its ramp runs from small to large.)
std::vector<double> karras_convert(double in_first, double in_last, int n);

// diffusers `_sigma_to_t(σ, log_sigmas)` (float32 weights, float64 result).
double diffusers_sigma_to_t(double sigma);

// k-diffusion: `get_sigmas(n)` (Normal) or A1111's `get_sigmas_karras(n, σ_min, σ_max)`, n+1 values
// ending in 0; and `sigma_to_t` (fractional, float32) for each σ > 0.
std::vector<float> kdiffusion_sigmas(ScheduleKind schedule, int n);
std::vector<float> kdiffusion_sigma_to_t(const std::vector<float>& sigmas);

}  // namespace strata::diffusion
