// k-diffusion samplers over CompVisDenoiser (denoised = x + ε·(−σ) with input x·c_in, or the v
// scalings), as AUTOMATIC1111 runs them. Scalars are float32 like the reference's 0-d tensors.
// Ref: k-diffusion ab527a9a (v0.0.16) sampling.py sample_euler, sample_euler_ancestral, sample_heun,
//      sample_dpm_2, sample_lms, sample_dpmpp_2m, get_ancestral_step, to_d; external.py
//      DiscreteEpsDDPMDenoiser / DiscreteVDDPMDenoiser forward.
#include <cmath>
#include <deque>

#include "samplers/stepper.h"

namespace strata::diffusion {

namespace {

class KStepper : public Stepper {
 public:
  using Stepper::Stepper;

  StepOutput step(int index, const torch::Tensor& x, const ModelFn& model, at::Generator& gen) override {
    const auto& ks = plan_.kdiffusion[static_cast<std::size_t>(index)];
    return step(index, ks, x, model, gen);
  }

 protected:
  virtual StepOutput step(int index, const KDiffusionStep& ks, const torch::Tensor& x, const ModelFn& model,
                          at::Generator& gen) = 0;

  // The denoiser wrapper: x̂0 at σ, calling the model at t = sigma_to_t(σ).
  torch::Tensor denoise(const torch::Tensor& x, float sigma, float t, const ModelFn& model) const {
    const float s2p1 = sigma * sigma + 1.0f;
    const float c_in = 1.0f / std::sqrt(s2p1);
    auto out = model(x * c_in, static_cast<double>(t));
    if (plan_.options.prediction == Prediction::VPrediction) {
      const float c_skip = 1.0f / s2p1;
      const float c_out = -sigma / std::sqrt(s2p1);
      return out * c_out + x * c_skip;
    }
    return x + out * (-sigma);
  }

  // to_d: the ODE derivative (x − x̂0)/σ.
  static torch::Tensor to_d(const torch::Tensor& x, float sigma, const torch::Tensor& denoised) {
    return (x - denoised) / sigma;
  }
};

class EulerK final : public KStepper {
 public:
  using KStepper::KStepper;

 protected:
  StepOutput step(int, const KDiffusionStep& ks, const torch::Tensor& x, const ModelFn& model, at::Generator&) override {
    auto denoised = denoise(x, ks.sigma, ks.t, model);
    auto d = to_d(x, ks.sigma, denoised);
    const float dt = ks.sigma_next - ks.sigma;
    return {x + d * dt, denoised};
  }
};

class EulerAncestralK final : public KStepper {
 public:
  using KStepper::KStepper;

 protected:
  StepOutput step(int, const KDiffusionStep& ks, const torch::Tensor& x, const ModelFn& model,
                  at::Generator& gen) override {
    auto denoised = denoise(x, ks.sigma, ks.t, model);
    // get_ancestral_step(σ, σ_next, eta = 1)
    const float from = ks.sigma, to = ks.sigma_next;
    const float sigma_up = std::min(to, std::sqrt(to * to * (from * from - to * to) / (from * from)));
    const float sigma_down = std::sqrt(to * to - sigma_up * sigma_up);
    auto d = to_d(x, from, denoised);
    auto next = x + d * (sigma_down - from);
    if (to > 0.0f) next = next + draw_noise(x, gen) * sigma_up;
    return {next, denoised};
  }
};

class HeunK final : public KStepper {
 public:
  using KStepper::KStepper;

 protected:
  StepOutput step(int, const KDiffusionStep& ks, const torch::Tensor& x, const ModelFn& model, at::Generator&) override {
    auto denoised = denoise(x, ks.sigma, ks.t, model);
    auto d = to_d(x, ks.sigma, denoised);
    const float dt = ks.sigma_next - ks.sigma;
    if (ks.sigma_next == 0.0f) return {x + d * dt, denoised};  // Euler method
    auto x_2 = x + d * dt;
    auto denoised_2 = denoise(x_2, ks.sigma_next, ks.t_2, model);
    auto d_2 = to_d(x_2, ks.sigma_next, denoised_2);
    auto d_prime = (d + d_2) / 2;
    return {x + d_prime * dt, denoised};
  }
};

class DPM2K final : public KStepper {
 public:
  using KStepper::KStepper;

 protected:
  StepOutput step(int, const KDiffusionStep& ks, const torch::Tensor& x, const ModelFn& model, at::Generator&) override {
    auto denoised = denoise(x, ks.sigma, ks.t, model);
    auto d = to_d(x, ks.sigma, denoised);
    if (ks.sigma_next == 0.0f) return {x + d * (ks.sigma_next - ks.sigma), denoised};  // Euler method
    const float sigma_mid = ks.sigma_2;
    const float dt_1 = sigma_mid - ks.sigma;
    const float dt_2 = ks.sigma_next - ks.sigma;
    auto x_2 = x + d * dt_1;
    auto denoised_2 = denoise(x_2, sigma_mid, ks.t_2, model);
    auto d_2 = to_d(x_2, sigma_mid, denoised_2);
    return {x + d_2 * dt_2, denoised};
  }
};

class LMSK final : public KStepper {
 public:
  using KStepper::KStepper;

 protected:
  StepOutput step(int index, const KDiffusionStep& ks, const torch::Tensor& x, const ModelFn& model,
                  at::Generator&) override {
    auto denoised = denoise(x, ks.sigma, ks.t, model);
    ds_.push_back(to_d(x, ks.sigma, denoised));
    if (ds_.size() > 4) ds_.pop_front();
    const auto& coeffs = plan_.lms[static_cast<std::size_t>(index)];  // cur_order = min(i+1, 4) terms
    torch::Tensor sum;
    for (std::size_t j = 0; j < coeffs.size() && j < ds_.size(); ++j) {
      auto term = ds_[ds_.size() - 1 - j] * coeffs[j];
      sum = j == 0 ? term : sum + term;
    }
    return {x + sum, denoised};
  }

 private:
  std::deque<torch::Tensor> ds_;
};

class DPMPP2MK final : public KStepper {
 public:
  using KStepper::KStepper;

 protected:
  StepOutput step(int index, const KDiffusionStep& ks, const torch::Tensor& x, const ModelFn& model,
                  at::Generator&) override {
    auto denoised = denoise(x, ks.sigma, ks.t, model);
    // t = −log σ; σ(t) = exp(−t). σ_next = 0 gives t_next = ∞, ratio 0 and −expm1(−h) = 1.
    const float t = -std::log(ks.sigma);
    const float t_next = -std::log(ks.sigma_next);
    const float h = t_next - t;
    const float ratio = std::exp(-t_next) / std::exp(-t);
    const float expm1 = std::expm1(-h);
    torch::Tensor next;
    if (!old_denoised_.defined() || ks.sigma_next == 0.0f) {
      next = x * ratio - denoised * expm1;
    } else {
      const float sigma_prev = plan_.kdiffusion[static_cast<std::size_t>(index - 1)].sigma;
      const float h_last = t - (-std::log(sigma_prev));
      const float r = h_last / h;
      const float inv_2r = 1.0f / (2.0f * r);
      auto denoised_d = denoised * (1.0f + inv_2r) - old_denoised_ * inv_2r;
      next = x * ratio - denoised_d * expm1;
    }
    old_denoised_ = denoised;
    return {next, denoised};
  }

 private:
  torch::Tensor old_denoised_;
};

}  // namespace

std::unique_ptr<Stepper> make_kdiffusion_stepper(const Plan& plan) {
  switch (plan.options.sampler) {
    case SamplerKind::EulerAncestral: return std::make_unique<EulerAncestralK>(plan);
    case SamplerKind::Heun: return std::make_unique<HeunK>(plan);
    case SamplerKind::DPM2: return std::make_unique<DPM2K>(plan);
    case SamplerKind::LMS: return std::make_unique<LMSK>(plan);
    case SamplerKind::DPMPP2M: return std::make_unique<DPMPP2MK>(plan);
    default: return std::make_unique<EulerK>(plan);
  }
}

}  // namespace strata::diffusion
