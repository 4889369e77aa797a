// init.h (private) — initial weights for networks built from nn:: layers (which allocate
// with torch::empty and never initialise), and switching their parameters to trainable.
//
// Rules, by parameter shape and name: 1-D "weight" (GroupNorm / LayerNorm scale) = 1; "bias" = 0;
// embeddings ("embedding" in the name) ~ N(0, 0.02); other ≥ 2-D weights ~ U(±1/√fan_in) (torch's
// default for Linear / Conv2d); names matched by `zero` are set to 0 (ldm's zero_module: the last
// conv of a UNet ResBlock, a transformer's proj_out, the UNet's output conv).
// Deterministic: draws come from `gen` in named_parameters() order.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>

namespace strata::training {

void init_parameters(torch::nn::Module& module, at::Generator& gen,
                     const std::function<bool(const std::string&)>& zero = {});

// ldm zero_module names of the UNet (out.2, *.out_layers.3, *.proj_out).
bool unet_zero_init(const std::string& name);

// requires_grad(true) on every parameter; returns them in named_parameters() order.
std::vector<torch::Tensor> trainable_parameters(torch::nn::Module& module);

// A CPU generator seeded with `seed` (torch's mt19937 engine).
at::Generator make_generator(std::uint64_t seed);

// splitmix64 of (a, b): seeds for (run seed, step, item) that never collide in practice.
std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b);

}  // namespace strata::training
