// optim.h (private) — AdamW and an exponential moving average over a fixed parameter list,
// with their state as named tensors (for checkpoints).
//
// Both use torch's _foreach kernels (a few calls per step for hundreds of tensors). AdamW is
// PyTorch's torch.optim.AdamW (decoupled weight decay, bias-corrected moments) plus global-norm
// gradient clipping. The EMA decay warms up as min(decay, (1 + n) / (10 + n)) (ldm's LitEma).
// Thread-safety: one thread.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "safetensors_writer.h"

namespace strata::training {

class AdamW {
 public:
  explicit AdamW(std::vector<torch::Tensor> params, double weight_decay = 0.0, double beta1 = 0.9,
                 double beta2 = 0.999, double eps = 1e-8);
  // Clips the gradients to `max_norm` (0 = off), then one update. Returns the gradient norm.
  double step(double lr, double max_norm = 1.0);
  void zero_grad();
  std::int64_t steps() const { return steps_; }

  void save(diffusion::NamedTensors& out, const std::string& prefix) const;  // prefix + "m.<i>", "v.<i>"
  // Throws doc::Error(CorruptFile) naming the missing key.
  void load(const std::map<std::string, torch::Tensor>& in, const std::string& prefix, std::int64_t steps);

 private:
  std::vector<torch::Tensor> params_, m_, v_;
  double weight_decay_, beta1_, beta2_, eps_;
  std::int64_t steps_ = 0;
};

class Ema {
 public:
  Ema(const std::vector<torch::Tensor>& params, double decay);
  void update(const std::vector<torch::Tensor>& params, std::int64_t updates_done);
  const std::vector<torch::Tensor>& shadow() const { return shadow_; }
  void save(diffusion::NamedTensors& out, const std::string& prefix) const;  // prefix + "<i>"
  void load(const std::map<std::string, torch::Tensor>& in, const std::string& prefix);

 private:
  std::vector<torch::Tensor> shadow_;
  double decay_;
};

// in.at(key) with a doc::Error(CorruptFile) naming the key when absent.
const torch::Tensor& need(const std::map<std::string, torch::Tensor>& in, const std::string& key);

}  // namespace strata::training
