// layers.h (private) — the minimal layer set every Strata network is built from.
//
// Unlike torch::nn's layers these never initialise their parameters: they are allocated with
// torch::empty on the device and dtype given by `opts`. So a full-size model builds in
// milliseconds (weights are copied in by name right after) and can be built on the meta device to
// compare parameter names and shapes with a manifest without allocating memory.
// Parameter names follow the checkpoints: "weight", "bias".
#pragma once

#include <torch/torch.h>

namespace strata::diffusion::nn {

// y = x·Wᵀ + b. x: [..., in], W: [out, in], b: [out]
struct LinearImpl : torch::nn::Module {
  LinearImpl(int64_t in, int64_t out, bool bias, const torch::TensorOptions& opts) {
    weight = register_parameter("weight", torch::empty({out, in}, opts), false);
    if (bias) this->bias = register_parameter("bias", torch::empty({out}, opts), false);
  }
  torch::Tensor forward(const torch::Tensor& x) { return torch::linear(x, weight, bias); }
  torch::Tensor weight, bias;
};
TORCH_MODULE(Linear);

// 2-D convolution, square kernel. x: [N, in, H, W]
struct Conv2dImpl : torch::nn::Module {
  Conv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
             const torch::TensorOptions& opts, bool bias = true)
      : stride_(stride), padding_(padding) {
    weight = register_parameter("weight", torch::empty({out, in, kernel, kernel}, opts), false);
    if (bias) this->bias = register_parameter("bias", torch::empty({out}, opts), false);
  }
  torch::Tensor forward(const torch::Tensor& x) {
    return torch::conv2d(x, weight, bias, {stride_, stride_}, {padding_, padding_});
  }
  torch::Tensor weight, bias;
  int64_t stride_, padding_;
};
TORCH_MODULE(Conv2d);

// GroupNorm over channel dim 1. x: [N, C, ...]
struct GroupNormImpl : torch::nn::Module {
  GroupNormImpl(int64_t groups, int64_t channels, double eps, const torch::TensorOptions& opts)
      : groups_(groups), eps_(eps) {
    weight = register_parameter("weight", torch::empty({channels}, opts), false);
    bias = register_parameter("bias", torch::empty({channels}, opts), false);
  }
  torch::Tensor forward(const torch::Tensor& x) { return torch::group_norm(x, groups_, weight, bias, eps_); }
  torch::Tensor weight, bias;
  int64_t groups_;
  double eps_;
};
TORCH_MODULE(GroupNorm);

// LayerNorm over the last dim. x: [..., C]
struct LayerNormImpl : torch::nn::Module {
  LayerNormImpl(int64_t channels, double eps, const torch::TensorOptions& opts) : channels_(channels), eps_(eps) {
    weight = register_parameter("weight", torch::empty({channels}, opts), false);
    bias = register_parameter("bias", torch::empty({channels}, opts), false);
  }
  torch::Tensor forward(const torch::Tensor& x) { return torch::layer_norm(x, {channels_}, weight, bias, eps_); }
  torch::Tensor weight, bias;
  int64_t channels_;
  double eps_;
};
TORCH_MODULE(LayerNorm);

// Lookup table. ids: [...] int64 → [..., dim]
struct EmbeddingImpl : torch::nn::Module {
  EmbeddingImpl(int64_t count, int64_t dim, const torch::TensorOptions& opts) {
    weight = register_parameter("weight", torch::empty({count, dim}, opts), false);
  }
  torch::Tensor forward(const torch::Tensor& ids) { return torch::embedding(weight, ids); }
  torch::Tensor weight;
};
TORCH_MODULE(Embedding);

}  // namespace strata::diffusion::nn
