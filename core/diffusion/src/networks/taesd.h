// taesd.h (private) — TAESD, the tiny distilled autoencoder used for cheap previews (and optional
// fast decode/encode). SD1/SD2 (taesd) and SDXL (taesdxl) share the architecture.
//
// Ref: madebyollin/taesd taesd.py (Encoder/Decoder as nn.Sequential, Block, Clamp).
//
// Parameter names are taesd.py's nn.Sequential state-dict keys ("1.weight", "3.conv.0.weight",
// …), as in taesd_{encoder,decoder}.safetensors, without any prefix.
//
// Scaling: the decoder takes the UNet-space latent as the sampler produces it (no VAE scale
// factor) and returns RGB ≈ [0, 1] (unclamped); the encoder takes RGB in [0, 1] and returns the
// UNet-space latent. Dtype: compute follows the parameters' dtype; inputs are converted to it and
// outputs stay in it. Thread-safety: forward() does not mutate the module.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "networks/layers.h"

namespace strata::diffusion {

struct TAESDConfig {
  int latent_channels = 4;
  int channels = 64;
};

// relu(conv(relu(conv(relu(conv(x))))) + x), convs under "conv.0", "conv.2", "conv.4".
// (taesd.py's 1×1 skip conv for n_in ≠ n_out never occurs in TAESD: all blocks are 64 → 64.)
struct TAESDBlockImpl : torch::nn::Module {
  TAESDBlockImpl(int64_t channels, const torch::TensorOptions& opts);
  // x: [N, C, H, W] → [N, C, H, W]
  torch::Tensor forward(const torch::Tensor& x);

  nn::Conv2d conv0{nullptr}, conv2{nullptr}, conv4{nullptr};
};
TORCH_MODULE(TAESDBlock);

// One step of the nn.Sequential: a block, a conv (optionally followed by ReLU), or a parameter-free
// op. Built by the encoder/decoder constructors; not meant to be used on its own.
struct TAESDStep {
  enum class Kind { Block, Conv, ConvRelu, Upsample, Clamp } kind;
  TAESDBlock block{nullptr};
  nn::Conv2d conv{nullptr};
};

struct TAESDEncoderImpl : torch::nn::Module {
  TAESDEncoderImpl(const TAESDConfig& config, const torch::TensorOptions& opts);
  // image: [N, 3, H, W] RGB in [0, 1] → UNet-space latent [N, latent, H/8, W/8]
  torch::Tensor forward(const torch::Tensor& image);

  std::vector<TAESDStep> steps;
};
TORCH_MODULE(TAESDEncoder);

struct TAESDDecoderImpl : torch::nn::Module {
  TAESDDecoderImpl(const TAESDConfig& config, const torch::TensorOptions& opts);
  // latent: [N, latent, h, w] UNet-space → RGB [N, 3, 8h, 8w], ≈ [0, 1], unclamped
  torch::Tensor forward(const torch::Tensor& latent);

  std::vector<TAESDStep> steps;
};
TORCH_MODULE(TAESDDecoder);

}  // namespace strata::diffusion
