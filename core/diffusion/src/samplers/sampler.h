// sampler.h (private) — noise schedules and samplers as free functions over a denoise callback.
//
//   Plan plan = make_plan({.sampler = ..., .steps = N, .strength = s, ...});   // once per generation
//   x = has_init ? add_noise(plan, 0, init_latent, noise) : noise * plan.init_noise_sigma;
//   x = sample(plan, x, model_fn, generator, hooks);
//
// Diffusers convention: reproduces diffusers v0.21.4 (SD 1.5 scheduler config loaded into each class:
// scaled_linear 0.00085…0.012, 1000 train steps, steps_offset 1, each class's own default
// timestep_spacing; eta 0; generator = the user's CPU generator) including the img2img rule
// init = min(int(N·s), N), run scheduler.timesteps[(N−init)·order:]. KDiffusion convention:
// reproduces k-diffusion's samplers over CompVisDenoiser as AUTOMATIC1111 runs them
// (txt2img x_T·σ₀; img2img t_enc = int(min(s, 0.999)·N), run sigmas[N−t_enc−1:]).
//
// Steps and calls. A plan's run is a list of steps; each step evaluates the model once or twice
// (Heun's pairs, k-diffusion dpm_2/heun, PNDM's first pair) and ends at a noise level where the latent
// is a clean state again: hooks run between steps, never between the two calls of a pair.
//
// Noise. Per-step noise is drawn from the caller's generator on the CPU as
// torch::randn(x.sizes(), gen, float32) in exactly the reference's order (diffusers: Euler every
// step even though unused, Euler a every step, DDPM every step with t > 0, DDIM only with eta > 0,
// none for DPM++ 2M / LMS / Heun / PNDM; k-diffusion: euler_a for every step with σ_next > 0), then
// moved to x's device and dtype.
//
// Dtypes. Scheduler arithmetic runs in x's dtype; pass float32 latents (the references do) and let
// the ModelFn cast its input to the network's dtype and its output back.
//
// Thread-safety: a Plan is an immutable value (safe to share); sample() keeps its state on the
// stack and calls the model and hooks on the calling thread. The generator is locked per draw by
// torch itself but must not be drawn from concurrently if the order matters.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <optional>
#include <vector>

#include "samplers/schedule.h"
#include "strata/diffusion/model_config.h"
#include "strata/diffusion/sampler_options.h"

namespace strata::diffusion {

struct PlanOptions {
  SamplerKind sampler = SamplerKind::Euler;
  ScheduleKind schedule = ScheduleKind::Normal;
  Convention convention = Convention::Diffusers;
  int steps = 20;                            // N, 1…1000
  Prediction prediction = Prediction::Epsilon;
  double strength = 1.0;                     // img2img denoising strength in [0,1]; 1 = full schedule.
                                             // Pass a double (0.7f·10 = 6.99… would drop a step).
  std::optional<TimestepSpacing> spacing;    // diffusers only: override the class's default spacing
  double eta = 0.0;                          // DDIM η (> 0 draws noise per step)
};

// One step of the run. `level` is the noise level it starts from, as an index into the full
// N-level schedule (0 = noisiest); add_noise(plan, i, …) noises a clean latent to run[i]'s level.
struct PlanStep {
  int level = 0;
  int first_call = 0;     // index of its first model call in Plan::timesteps (k-diffusion: in sigmas)
  int num_calls = 1;      // model evaluations in this step (1 or 2)
  double timestep = 0.0;  // timestep passed to the model at the first call
  double sigma = 0.0;     // σ at the start: the scheduler's σ, or the VP σ √((1−ᾱ)/ᾱ) for DDIM,
                          // DDPM, PNDM and DPM++ 2M
};

// k-diffusion per-step values (float32, as the reference computes them).
struct KDiffusionStep {
  float sigma = 0, sigma_next = 0;
  float t = 0;                  // sigma_to_t(σ): the model's timestep
  float sigma_2 = 0, t_2 = 0;   // second evaluation: heun at σ_next, dpm_2 at the log-midpoint
};

struct Plan {
  PlanOptions options;

  // The full N-step schedule as the reference holds it after set_timesteps(N) / get_sigmas(N).
  std::vector<double> timesteps;       // diffusers: scheduler.timesteps, the value passed to the model
                                       // at every call (Heun repeats, PNDM repeats the 2nd);
                                       // k-diffusion: sigma_to_t(σ_i) for the N sigmas > 0
  std::vector<double> sigmas;          // diffusers Euler/Euler a/LMS/Heun: scheduler.sigmas (N+1, Heun 2N);
                                       // k-diffusion: N+1 sigmas ending in 0; empty for the others
  std::vector<double> alphas_cumprod;  // DDIM/DDPM/PNDM/DPM++ 2M: ᾱ at every timesteps entry
  double init_noise_sigma = 1.0;       // txt2img: x_T = noise · init_noise_sigma
  int order = 1;                       // diffusers scheduler.order (Heun 2)

  // The run: all N levels for strength 1, the img2img tail otherwise (may be empty for s = 0).
  std::vector<PlanStep> run;

  // Precomputed once per plan for the samplers.
  std::vector<KDiffusionStep> kdiffusion;          // per run step (k-diffusion)
  std::vector<std::vector<double>> lms;            // LMS coefficients: diffusers per full-schedule
                                                   // step, k-diffusion per run step

  int steps_run() const { return static_cast<int>(run.size()); }
  int model_calls() const;
  std::vector<double> run_timesteps() const;       // the timestep of every model call of the run
  double start_timestep() const;                   // 0 for an empty run
  double start_sigma() const;                      // 0 for an empty run
  bool alpha_based() const;                        // DDIM, DDPM, PNDM, DPM++ 2M (diffusers)
};

// Builds the plan. Throws doc::Error(InvalidArgument) for steps outside 1…1000, strength outside
// [0,1], or an unsupported combination (see unsupported_reason()).
Plan make_plan(const PlanOptions& options);

// The level (index into the full N-level schedule) where a pixel of denoising strength s starts,
// by the plan's convention; N means never (diffusers s·N < 1). Run step i re-noises a pixel iff
// run[i].level < start_level(plan, s_p). start_levels() is the same per element of a strength map
// (computed in float64 like the scalar rule), returned as int64.
// Map values are float32: start_levels() first rounds each to 6 decimals (decimal_strength), so
// that 0.7f (= 0.69999999) counts as the 0.7 a user meant, as a Python float would.
int start_level(const Plan& plan, double strength);
torch::Tensor start_levels(const Plan& plan, const torch::Tensor& strength);
double decimal_strength(float strength);

// Noises a clean latent x0 to run[step]'s level, as the reference scheduler's add_noise at that
// step's timestep: x0 + σ·ε (Euler family, k-diffusion) or √ᾱ·x0 + √(1−ᾱ)·ε (DDIM, DDPM, PNDM,
// DPM++ 2M). Used for the img2img start (step 0) and for differential-diffusion re-noising.
torch::Tensor add_noise(const Plan& plan, int step, const torch::Tensor& x0, const torch::Tensor& noise);

// model_input is already scaled (scale_model_input / c_in); returns the raw network output
// (ε, or v for v-prediction) for the same batch. Classifier-free guidance happens inside.
using ModelFn = std::function<torch::Tensor(const torch::Tensor& model_input, double timestep)>;

struct StepHooks {
  // Checked before every step; true → sample() throws doc::Error(ErrorCode::Cancelled).
  std::function<bool()> should_cancel;
  // Before step i (0-based within the run) with the current latent; may replace or modify it
  // (differential diffusion re-noises not-yet-started pixels here).
  std::function<void(int step, torch::Tensor& x)> before_step;
  // After step i: the latent after the step and the denoised prediction x̂0 of the step's first
  // model evaluation (previews, progress).
  std::function<void(int step, int total, const torch::Tensor& x, const torch::Tensor& denoised)> after_step;
};

// Runs the plan's steps from x (already × init_noise_sigma, or noised with add_noise) and returns
// the final latent.
torch::Tensor sample(const Plan& plan, torch::Tensor x, const ModelFn& model, at::Generator& gen,
                     const StepHooks& hooks = {});

}  // namespace strata::diffusion
