// The sampling loop: cancel check, before_step hook, one plan step (1–2 model calls), after_step hook.
// Ref: diffusers v0.21.4 pipeline_stable_diffusion.py denoising loop; k-diffusion sampling.py loops.
#include <string>

#include "samplers/sampler.h"
#include "samplers/stepper.h"
#include "strata/doc/error.h"

namespace strata::diffusion {

torch::Tensor draw_noise(const torch::Tensor& like, at::Generator& gen) {
  auto noise = torch::randn(like.sizes(), gen, torch::TensorOptions().dtype(torch::kFloat32));
  if (like.device().is_cpu() && like.scalar_type() == torch::kFloat32) return noise;
  return noise.to(like.device(), like.scalar_type());
}

void skip_noise(const torch::Tensor& like, at::Generator& gen) {
  (void)torch::randn(like.sizes(), gen, torch::TensorOptions().dtype(torch::kFloat32));
}

StepOutput CallStepper::step(int index, const torch::Tensor& x, const ModelFn& model, at::Generator& gen) {
  const auto& s = plan_.run[static_cast<std::size_t>(index)];
  StepOutput result;
  result.x = x;
  for (int k = 0; k < s.num_calls; ++k) {
    const int call = s.first_call + k;
    auto out = model(scale_model_input(call, result.x), plan_.timesteps[static_cast<std::size_t>(call)]);
    torch::Tensor denoised;
    result.x = step_call(call, out, result.x, gen, denoised);
    if (k == 0) result.denoised = denoised;
  }
  return result;
}

torch::Tensor sample(const Plan& plan, torch::Tensor x, const ModelFn& model, at::Generator& gen,
                     const StepHooks& hooks) {
  torch::NoGradGuard no_grad;
  std::unique_ptr<Stepper> stepper;
  if (plan.options.convention == Convention::KDiffusion) {
    stepper = make_kdiffusion_stepper(plan);
  } else if (plan.alpha_based()) {
    stepper = make_alpha_stepper(plan);
  } else {
    stepper = make_sigma_stepper(plan);
  }
  const int total = plan.steps_run();
  for (int i = 0; i < total; ++i) {
    if (hooks.should_cancel && hooks.should_cancel()) {
      throw doc::Error(doc::ErrorCode::Cancelled,
                       "generation cancelled before step " + std::to_string(i + 1) + " of " + std::to_string(total));
    }
    if (hooks.before_step) hooks.before_step(i, x);
    auto out = stepper->step(i, x, model, gen);
    x = std::move(out.x);
    if (hooks.after_step) hooks.after_step(i, total, x, out.denoised);
  }
  return x;
}

}  // namespace strata::diffusion
