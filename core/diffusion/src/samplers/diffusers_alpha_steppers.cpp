// diffusers' ᾱ-parameterised schedulers on integer timesteps: DDIM, DDPM, PNDM (PLMS) and
// DPM-Solver++(2M). The model input is the latent itself. Scalars are float32 like the 0-d tensors
// the references index out of their tables.
// Ref: diffusers v0.21.4 scheduling_ddim.py step, scheduling_ddpm.py step/_get_variance,
//      scheduling_pndm.py step_plms/_get_prev_sample, scheduling_dpmsolver_multistep.py
//      convert_model_output / dpm_solver_first_order_update / multistep_dpm_solver_second_order_update.
#include <cmath>
#include <deque>

#include "samplers/stepper.h"

namespace strata::diffusion {

namespace {

class AlphaStepper : public CallStepper {
 public:
  using CallStepper::CallStepper;

 protected:
  int timestep(int call) const { return static_cast<int>(plan_.timesteps[static_cast<std::size_t>(call)]); }
  static float alpha_cumprod(int t) { return diffusers_tables().alphas_cumprod[static_cast<std::size_t>(t)]; }
  // num_train_timesteps // num_inference_steps, whatever the spacing (as the references do).
  int step_ratio() const { return kTrainTimesteps / plan_.options.steps; }
  Prediction prediction() const { return plan_.options.prediction; }

  // x̂0 (and ε̂) from the model output at ᾱ_t.
  torch::Tensor predict_x0(const torch::Tensor& out, const torch::Tensor& x, float a_t, torch::Tensor* eps = nullptr) const {
    const float b_t = 1.0f - a_t;
    if (prediction() == Prediction::VPrediction) {
      if (eps) *eps = out * std::sqrt(a_t) + x * std::sqrt(b_t);
      return x * std::sqrt(a_t) - out * std::sqrt(b_t);
    }
    if (eps) *eps = out;
    return (x - out * std::sqrt(b_t)) / std::sqrt(a_t);
  }
};

class DDIMStepper final : public AlphaStepper {
 public:
  using AlphaStepper::AlphaStepper;

 protected:
  torch::Tensor step_call(int call, const torch::Tensor& out, const torch::Tensor& x, at::Generator& gen,
                          torch::Tensor& denoised) override {
    const int t = timestep(call);
    const int prev_t = t - step_ratio();
    const float a_t = alpha_cumprod(t);
    const float a_prev = prev_t >= 0 ? alpha_cumprod(prev_t) : alpha_cumprod(0);  // set_alpha_to_one = False
    const float b_t = 1.0f - a_t;
    torch::Tensor eps;
    denoised = predict_x0(out, x, a_t, &eps);
    const float variance = ((1.0f - a_prev) / b_t) * (1.0f - a_t / a_prev);
    const float std_dev = static_cast<float>(plan_.options.eta) * std::sqrt(variance);
    auto direction = eps * std::sqrt(1.0f - a_prev - std_dev * std_dev);
    auto prev = denoised * std::sqrt(a_prev) + direction;
    if (plan_.options.eta > 0) prev = prev + draw_noise(out, gen) * std_dev;
    return prev;
  }
};

class DDPMStepper final : public AlphaStepper {
 public:
  using AlphaStepper::AlphaStepper;

 protected:
  torch::Tensor step_call(int call, const torch::Tensor& out, const torch::Tensor& x, at::Generator& gen,
                          torch::Tensor& denoised) override {
    const int t = timestep(call);
    const int prev_t = t - step_ratio();
    const float a_t = alpha_cumprod(t);
    const float a_prev = prev_t >= 0 ? alpha_cumprod(prev_t) : 1.0f;
    const float b_t = 1.0f - a_t;
    const float b_prev = 1.0f - a_prev;
    const float current_alpha = a_t / a_prev;
    const float current_beta = 1.0f - current_alpha;
    denoised = predict_x0(out, x, a_t);  // clip_sample = False in the SD config
    const float x0_coeff = (std::sqrt(a_prev) * current_beta) / b_t;
    const float x_coeff = std::sqrt(current_alpha) * b_prev / b_t;
    auto prev = denoised * x0_coeff + x * x_coeff;
    if (t > 0) {
      auto noise = draw_noise(out, gen);
      // variance_type "fixed_small", clamped at 1e-20.
      float variance = (1.0f - a_prev) / (1.0f - a_t) * (1.0f - a_t / a_prev);
      variance = std::max(variance, 1e-20f);
      prev = prev + noise * std::sqrt(variance);
    }
    return prev;
  }
};

class PNDMStepper final : public AlphaStepper {
 public:
  using AlphaStepper::AlphaStepper;

 protected:
  torch::Tensor step_call(int call, const torch::Tensor& out, const torch::Tensor& x, at::Generator& /*gen*/,
                          torch::Tensor& denoised) override {
    denoised = predict_x0(out, x, alpha_cumprod(timestep(call)));
    int t = timestep(call);
    int prev_t = t - step_ratio();
    if (counter_ != 1) {
      while (ets_.size() > 3) ets_.pop_front();
      ets_.push_back(out);
    } else {
      prev_t = t;
      t = t + step_ratio();
    }
    torch::Tensor eps = out;
    torch::Tensor sample = x;
    const auto n = ets_.size();
    if (n == 1 && counter_ == 0) {
      cur_sample_ = x;
    } else if (n == 1 && counter_ == 1) {
      eps = (out + ets_.back()) / 2;
      sample = cur_sample_;
      cur_sample_ = torch::Tensor();
    } else if (n == 2) {
      eps = (ets_[1] * 3 - ets_[0]) / 2;
    } else if (n == 3) {
      eps = (ets_[2] * 23 - ets_[1] * 16 + ets_[0] * 5) / 12;
    } else {
      eps = (ets_[3] * 55 - ets_[2] * 59 + ets_[1] * 37 - ets_[0] * 9) * (1.0 / 24);
    }
    ++counter_;
    return prev_sample(sample, t, prev_t, eps);
  }

 private:
  // Ref: PNDMScheduler._get_prev_sample (formula (9) of arXiv:2202.09778).
  torch::Tensor prev_sample(const torch::Tensor& sample, int t, int prev_t, torch::Tensor eps) const {
    TORCH_CHECK(t >= 0 && t < kTrainTimesteps, "PNDM timestep out of range: ", t);
    const float a_t = alpha_cumprod(t);
    const float a_prev = prev_t >= 0 ? alpha_cumprod(prev_t) : alpha_cumprod(0);
    const float b_t = 1.0f - a_t;
    const float b_prev = 1.0f - a_prev;
    if (prediction() == Prediction::VPrediction) eps = eps * std::sqrt(a_t) + sample * std::sqrt(b_t);
    const float sample_coeff = std::sqrt(a_prev / a_t);
    const float denom = a_t * std::sqrt(b_prev) + std::sqrt(a_t * b_t * a_prev);
    return sample * sample_coeff - eps * (a_prev - a_t) / denom;
  }

  std::deque<torch::Tensor> ets_;
  torch::Tensor cur_sample_;
  int counter_ = 0;
};

class DPMSolverStepper final : public AlphaStepper {
 public:
  using AlphaStepper::AlphaStepper;

 protected:
  torch::Tensor step_call(int call, const torch::Tensor& out, const torch::Tensor& x, at::Generator& /*gen*/,
                          torch::Tensor& denoised) override {
    const auto& tb = diffusers_tables();
    auto at = [&](const std::vector<float>& table, int t) { return table[static_cast<std::size_t>(t)]; };
    const int calls = static_cast<int>(plan_.timesteps.size());
    const int t = timestep(call);
    const int prev_t = call == calls - 1 ? 0 : timestep(call + 1);
    const bool lower_order_final = call == calls - 1 && calls < 15;  // lower_order_final = True

    // convert_model_output (dpmsolver++): the data prediction x̂0.
    if (prediction() == Prediction::VPrediction) {
      denoised = x * at(tb.alpha_t, t) - out * at(tb.sigma_t, t);
    } else {
      denoised = (x - out * at(tb.sigma_t, t)) / at(tb.alpha_t, t);
    }
    previous_ = latest_;
    latest_ = denoised;

    const float lambda_t = at(tb.lambda_t, prev_t);
    const float alpha_t = at(tb.alpha_t, prev_t);
    const float sigma_t = at(tb.sigma_t, prev_t);
    const float lambda_s0 = at(tb.lambda_t, t);
    const float sigma_s0 = at(tb.sigma_t, t);
    const float h = lambda_t - lambda_s0;
    const float coeff = alpha_t * (std::exp(-h) - 1.0f);
    torch::Tensor result;
    if (lower_order_nums_ < 1 || lower_order_final) {
      result = x * (sigma_t / sigma_s0) - latest_ * coeff;
    } else {
      // Midpoint second-order update with s1 = the previous timestep of the full schedule.
      const float lambda_s1 = at(tb.lambda_t, timestep(call - 1));
      const float h_0 = lambda_s0 - lambda_s1;
      const float r0 = h_0 / h;
      auto d1 = (latest_ - previous_) * (1.0f / r0);
      result = x * (sigma_t / sigma_s0) - latest_ * coeff - d1 * (0.5f * coeff);
    }
    if (lower_order_nums_ < 2) ++lower_order_nums_;
    return result;
  }

 private:
  torch::Tensor latest_;    // model_outputs[-1]
  torch::Tensor previous_;  // model_outputs[-2]
  int lower_order_nums_ = 0;
};

}  // namespace

std::unique_ptr<Stepper> make_alpha_stepper(const Plan& plan) {
  switch (plan.options.sampler) {
    case SamplerKind::DDPM: return std::make_unique<DDPMStepper>(plan);
    case SamplerKind::PNDM: return std::make_unique<PNDMStepper>(plan);
    case SamplerKind::DPMPP2M: return std::make_unique<DPMSolverStepper>(plan);
    default: return std::make_unique<DDIMStepper>(plan);
  }
}

}  // namespace strata::diffusion
