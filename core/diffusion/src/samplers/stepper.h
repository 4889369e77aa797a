// stepper.h (private to samplers/) — one object per sample() call holding a sampler's state
// (multistep history, Heun's half step, PNDM's counter) and running one plan step at a time.
#pragma once

#include <torch/torch.h>

#include <memory>

#include "samplers/sampler.h"

namespace strata::diffusion {

struct StepOutput {
  torch::Tensor x;         // latent after the step
  torch::Tensor denoised;  // x̂0 of the step's first model evaluation
};

class Stepper {
 public:
  explicit Stepper(const Plan& plan) : plan_(plan) {}
  virtual ~Stepper() = default;
  Stepper(const Stepper&) = delete;
  Stepper& operator=(const Stepper&) = delete;

  // Runs run step `index`.
  virtual StepOutput step(int index, const torch::Tensor& x, const ModelFn& model, at::Generator& gen) = 0;

 protected:
  const Plan& plan_;
};

// Diffusers schedulers are per model call: scale_model_input + step(), like the pipelines' loop.
class CallStepper : public Stepper {
 public:
  using Stepper::Stepper;
  StepOutput step(int index, const torch::Tensor& x, const ModelFn& model, at::Generator& gen) override;

 protected:
  virtual torch::Tensor scale_model_input(int call, const torch::Tensor& x) { return x; }
  // scheduler.step() for full-schedule call `call`; sets `denoised` to its x̂0.
  virtual torch::Tensor step_call(int call, const torch::Tensor& out, const torch::Tensor& x, at::Generator& gen,
                                  torch::Tensor& denoised) = 0;
};

std::unique_ptr<Stepper> make_sigma_stepper(const Plan& plan);        // Euler, Euler a, LMS, Heun
std::unique_ptr<Stepper> make_alpha_stepper(const Plan& plan);        // DDIM, DDPM, PNDM, DPM++ 2M
std::unique_ptr<Stepper> make_kdiffusion_stepper(const Plan& plan);  // k-diffusion samplers

// One per-step noise tensor: torch::randn(like.sizes(), gen, float32) on the CPU, moved to like's
// device and dtype.
torch::Tensor draw_noise(const torch::Tensor& like, at::Generator& gen);
// A draw the reference makes but never uses (diffusers' Euler with s_churn = 0): advances the
// generator identically without moving anything to the device.
void skip_noise(const torch::Tensor& like, at::Generator& gen);

}  // namespace strata::diffusion
