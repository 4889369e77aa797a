// optim.cpp — see optim.h.
// Ref: torch/optim/adamw.py (_multi_tensor_adamw), torch/nn/utils/clip_grad.py (clip_grad_norm_),
//      CompVis ldm/modules/ema.py (LitEma).
#include "optim.h"

#include <cmath>

#include "strata/doc/error.h"

namespace strata::training {

const torch::Tensor& need(const std::map<std::string, torch::Tensor>& in, const std::string& key) {
  auto it = in.find(key);
  if (it == in.end()) throw doc::Error(doc::ErrorCode::CorruptFile, key + ": missing from the training checkpoint");
  return it->second;
}

AdamW::AdamW(std::vector<torch::Tensor> params, double weight_decay, double beta1, double beta2, double eps)
    : params_(std::move(params)), weight_decay_(weight_decay), beta1_(beta1), beta2_(beta2), eps_(eps) {
  for (const auto& p : params_) {
    m_.push_back(torch::zeros_like(p));
    v_.push_back(torch::zeros_like(p));
  }
}

double AdamW::step(double lr, double max_norm) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> grads;
  grads.reserve(params_.size());
  for (const auto& p : params_) grads.push_back(p.grad().defined() ? p.grad() : torch::zeros_like(p));
  auto norms = torch::_foreach_norm(grads);                  // per tensor, 2-norm
  const double total = torch::stack(norms).norm().item<double>();
  if (max_norm > 0 && total > max_norm) torch::_foreach_mul_(grads, max_norm / (total + 1e-6));
  ++steps_;
  torch::_foreach_mul_(m_, beta1_);
  torch::_foreach_add_(m_, grads, 1.0 - beta1_);
  torch::_foreach_mul_(v_, beta2_);
  torch::_foreach_addcmul_(v_, grads, grads, 1.0 - beta2_);
  const double bc1 = 1.0 - std::pow(beta1_, static_cast<double>(steps_));
  const double bc2 = 1.0 - std::pow(beta2_, static_cast<double>(steps_));
  auto denom = torch::_foreach_sqrt(v_);
  torch::_foreach_div_(denom, std::sqrt(bc2));
  torch::_foreach_add_(denom, eps_);
  if (weight_decay_ > 0) torch::_foreach_mul_(params_, 1.0 - lr * weight_decay_);
  torch::_foreach_addcdiv_(params_, m_, denom, -lr / bc1);
  return total;
}

void AdamW::zero_grad() {
  for (auto& p : params_) {
    if (p.grad().defined()) p.mutable_grad() = torch::Tensor();
  }
}

void AdamW::save(diffusion::NamedTensors& out, const std::string& prefix) const {
  for (std::size_t i = 0; i < params_.size(); ++i) {
    out.emplace_back(prefix + "m." + std::to_string(i), m_[i]);
    out.emplace_back(prefix + "v." + std::to_string(i), v_[i]);
  }
}

void AdamW::load(const std::map<std::string, torch::Tensor>& in, const std::string& prefix, std::int64_t steps) {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    m_[i].copy_(need(in, prefix + "m." + std::to_string(i)));
    v_[i].copy_(need(in, prefix + "v." + std::to_string(i)));
  }
  steps_ = steps;
}

Ema::Ema(const std::vector<torch::Tensor>& params, double decay) : decay_(decay) {
  torch::NoGradGuard no_grad;
  for (const auto& p : params) shadow_.push_back(p.detach().clone());
}

void Ema::update(const std::vector<torch::Tensor>& params, std::int64_t updates_done) {
  torch::NoGradGuard no_grad;
  const double n = static_cast<double>(updates_done);
  const double d = std::min(decay_, (1.0 + n) / (10.0 + n));
  std::vector<torch::Tensor> detached;
  detached.reserve(params.size());
  for (const auto& p : params) detached.push_back(p.detach());
  torch::_foreach_mul_(shadow_, d);
  torch::_foreach_add_(shadow_, detached, 1.0 - d);
}

void Ema::save(diffusion::NamedTensors& out, const std::string& prefix) const {
  for (std::size_t i = 0; i < shadow_.size(); ++i) out.emplace_back(prefix + std::to_string(i), shadow_[i]);
}

void Ema::load(const std::map<std::string, torch::Tensor>& in, const std::string& prefix) {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < shadow_.size(); ++i) shadow_[i].copy_(need(in, prefix + std::to_string(i)));
}

}  // namespace strata::training
