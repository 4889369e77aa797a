// init.cpp — see init.h.
// Ref: torch.nn.Linear / Conv2d reset_parameters (kaiming_uniform a=√5 ≡ U(±1/√fan_in));
//      CompVis ldm openaimodel.py zero_module; HF CLIPTextModel _init_weights (N(0, 0.02)).
#include "init.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

namespace strata::training {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void init_parameters(torch::nn::Module& module, at::Generator& gen,
                     const std::function<bool(const std::string&)>& zero) {
  torch::NoGradGuard no_grad;
  for (auto& item : module.named_parameters(true)) {
    const std::string& name = item.key();
    auto& p = item.value();
    auto cpu = torch::TensorOptions().dtype(torch::kFloat32);
    torch::Tensor value;
    if ((zero && zero(name)) || ends_with(name, "bias")) {
      value = torch::zeros(p.sizes(), cpu);
    } else if (p.dim() == 1) {
      value = torch::ones(p.sizes(), cpu);
    } else if (name.find("embedding") != std::string::npos) {
      value = torch::randn(p.sizes(), gen, cpu) * 0.02;
    } else {
      const double fan_in = static_cast<double>(p.numel() / p.size(0));
      const double bound = 1.0 / std::sqrt(fan_in);
      value = (torch::rand(p.sizes(), gen, cpu) * 2.0 - 1.0) * bound;
    }
    p.copy_(value);
  }
}

bool unet_zero_init(const std::string& name) {
  return name.rfind("out.2.", 0) == 0 || name.find("out_layers.3.") != std::string::npos ||
         name.find("proj_out.") != std::string::npos;
}

std::vector<torch::Tensor> trainable_parameters(torch::nn::Module& module) {
  std::vector<torch::Tensor> out;
  for (auto& item : module.named_parameters(true)) {
    item.value().set_requires_grad(true);
    out.push_back(item.value());
  }
  return out;
}

at::Generator make_generator(std::uint64_t seed) { return at::detail::createCPUGenerator(seed); }

std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a * 0x9E3779B97F4A7C15ull + b + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace strata::training
