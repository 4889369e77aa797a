// diffusers' σ-parameterised schedulers: Euler, Euler a, LMS, Heun (x_t = x0 + σ·ε, model input
// x / √(σ²+1)). Scalars are float32 like the 0-d tensors the references compute with; tensor ops keep
// the references' order so results agree to float32 rounding.
// Ref: diffusers v0.21.4 scheduling_euler_discrete.py, scheduling_euler_ancestral_discrete.py,
//      scheduling_lms_discrete.py, scheduling_heun_discrete.py (scale_model_input, step).
#include <cmath>
#include <deque>
#include <optional>

#include "samplers/stepper.h"

namespace strata::diffusion {

namespace {

// x̂0 from the model output at σ. Ref: step() "1. compute predicted original sample".
torch::Tensor predict_x0(Prediction prediction, const torch::Tensor& out, const torch::Tensor& x, float sigma) {
  if (prediction == Prediction::VPrediction) {
    const float s2p1 = sigma * sigma + 1.0f;
    return out * (-sigma / std::sqrt(s2p1)) + x / s2p1;
  }
  return x - out * sigma;
}

class SigmaStepper : public CallStepper {
 public:
  using CallStepper::CallStepper;

 protected:
  float sigma(int call) const { return static_cast<float>(plan_.sigmas[static_cast<std::size_t>(call)]); }
  Prediction prediction() const { return plan_.options.prediction; }

  torch::Tensor scale_model_input(int call, const torch::Tensor& x) override {
    const float s = sigma(call);
    return x / std::sqrt(s * s + 1.0f);
  }
};

class EulerStepper final : public SigmaStepper {
 public:
  using SigmaStepper::SigmaStepper;

 protected:
  torch::Tensor step_call(int call, const torch::Tensor& out, const torch::Tensor& x, at::Generator& gen,
                          torch::Tensor& denoised) override {
    // v0.21.4 draws ε every step; it is only used when s_churn > 0 (γ = 0 here, σ̂ = σ).
    skip_noise(out, gen);
    const float sigma_hat = sigma(call);
    denoised = predict_x0(prediction(), out, x, sigma_hat);
    auto derivative = (x - denoised) / sigma_hat;
    const float dt = sigma(call + 1) - sigma_hat;
    return x + derivative * dt;
  }
};

class EulerAncestralStepper final : public SigmaStepper {
 public:
  using SigmaStepper::SigmaStepper;

 protected:
  torch::Tensor step_call(int call, const torch::Tensor& out, const torch::Tensor& x, at::Generator& gen,
                          torch::Tensor& denoised) override {
    const float from = sigma(call);
    const float to = sigma(call + 1);
    denoised = predict_x0(prediction(), out, x, from);
    const float sigma_up = std::sqrt(to * to * (from * from - to * to) / (from * from));
    const float sigma_down = std::sqrt(to * to - sigma_up * sigma_up);
    auto derivative = (x - denoised) / from;
    const float dt = sigma_down - from;
    auto prev = x + derivative * dt;
    auto noise = draw_noise(out, gen);
    return prev + noise * sigma_up;
  }
};

class LMSStepper final : public SigmaStepper {
 public:
  using SigmaStepper::SigmaStepper;

 protected:
  torch::Tensor step_call(int call, const torch::Tensor& out, const torch::Tensor& x, at::Generator& /*gen*/,
                          torch::Tensor& denoised) override {
    const float s = sigma(call);
    denoised = predict_x0(prediction(), out, x, s);
    derivatives_.push_back((x - denoised) / s);
    if (derivatives_.size() > 4) derivatives_.pop_front();
    // order = min(step_index + 1, 4) over the *full* schedule; zip() with the derivatives of this
    // run truncates to the shorter list (the img2img quirk is kept).
    const auto& coeffs = plan_.lms[static_cast<std::size_t>(call)];
    const std::size_t terms = std::min(coeffs.size(), derivatives_.size());
    torch::Tensor sum;
    for (std::size_t j = 0; j < terms; ++j) {
      auto term = derivatives_[derivatives_.size() - 1 - j] * coeffs[j];
      sum = j == 0 ? term : sum + term;
    }
    return x + sum;
  }

 private:
  std::deque<torch::Tensor> derivatives_;
};

class HeunStepper final : public SigmaStepper {
 public:
  using SigmaStepper::SigmaStepper;

 protected:
  torch::Tensor step_call(int call, const torch::Tensor& out, const torch::Tensor& x, at::Generator& /*gen*/,
                          torch::Tensor& denoised) override {
    const bool first_order = !dt_.has_value();
    const float sigma_hat = first_order ? sigma(call) : sigma(call - 1);
    const float sigma_next = first_order ? sigma(call + 1) : sigma(call);
    denoised = predict_x0(prediction(), out, x, first_order ? sigma_hat : sigma_next);
    if (first_order) {
      auto derivative = (x - denoised) / sigma_hat;
      const float dt = sigma_next - sigma_hat;
      prev_derivative_ = derivative;
      dt_ = dt;
      sample_ = x;
      return x + derivative * dt;
    }
    auto derivative = (x - denoised) / sigma_next;
    derivative = (prev_derivative_ + derivative) / 2;
    const float dt = *dt_;
    auto sample = sample_;
    dt_.reset();
    prev_derivative_ = torch::Tensor();
    sample_ = torch::Tensor();
    return sample + derivative * dt;
  }

 private:
  torch::Tensor prev_derivative_;
  torch::Tensor sample_;
  std::optional<float> dt_;
};

}  // namespace

std::unique_ptr<Stepper> make_sigma_stepper(const Plan& plan) {
  switch (plan.options.sampler) {
    case SamplerKind::EulerAncestral: return std::make_unique<EulerAncestralStepper>(plan);
    case SamplerKind::LMS: return std::make_unique<LMSStepper>(plan);
    case SamplerKind::Heun: return std::make_unique<HeunStepper>(plan);
    default: return std::make_unique<EulerStepper>(plan);
  }
}

}  // namespace strata::diffusion
