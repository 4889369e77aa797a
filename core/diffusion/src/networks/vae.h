// vae.h (private) — the Stable Diffusion KL autoencoder (image ↔ VAE latent), ldm layout.
//
// Ref: CompVis/stable-diffusion ldm/modules/diffusionmodules/model.py (Encoder, Decoder,
// ResnetBlock, AttnBlock, Upsample, Downsample) and ldm/models/autoencoder.py (AutoencoderKL,
// DiagonalGaussianDistribution).
//
// Parameter names are the single-file checkpoint keys without the `first_stage_model.` prefix:
//   encoder.{conv_in, down.N.block.M.{norm1,conv1,norm2,conv2,nin_shortcut}, down.N.downsample.conv,
//            mid.{block_1, attn_1.{norm,q,k,v,proj_out}, block_2}, norm_out, conv_out},
//   decoder.{conv_in, mid.*, up.N.block.M.*, up.N.upsample.conv, norm_out, conv_out},
//   quant_conv, post_quant_conv.
// `up.N` uses ldm's indexing: up.0 is the last (full-resolution) stage, applied last.
//
// Dtype: compute follows the parameters' dtype (fp32 or bf16); inputs are converted to it. Group
// norms and the attention softmax run in fp32. Outputs are in the parameters' dtype.
// Thread-safety: forward passes do not mutate the module; one thread at a time per instance.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "networks/layers.h"
#include "strata/diffusion/model_config.h"

namespace strata::diffusion {

// GroupNorm (optionally followed by SiLU) evaluated in fp32 whatever the dtype of x; result in
// x's dtype. x: [N, C, H, W]
torch::Tensor group_norm_fp32(nn::GroupNorm& norm, const torch::Tensor& x, bool silu);

// Two 3×3 convs with GroupNorm+SiLU before each; 1×1 nin_shortcut when channels change.
struct VAEResnetBlockImpl : torch::nn::Module {
  VAEResnetBlockImpl(int64_t in, int64_t out, int64_t groups, const torch::TensorOptions& opts);
  // x: [N, in, H, W] → [N, out, H, W]
  torch::Tensor forward(const torch::Tensor& x);

  nn::GroupNorm norm1{nullptr}, norm2{nullptr};
  nn::Conv2d conv1{nullptr}, conv2{nullptr}, nin_shortcut{nullptr};
};
TORCH_MODULE(VAEResnetBlock);

// Single-head spatial self-attention with 1×1-conv projections, scale 1/sqrt(C).
struct VAEAttentionBlockImpl : torch::nn::Module {
  VAEAttentionBlockImpl(int64_t channels, int64_t groups, const torch::TensorOptions& opts);
  // x: [N, C, H, W] → [N, C, H, W]
  torch::Tensor forward(const torch::Tensor& x);

  nn::GroupNorm norm{nullptr};
  nn::Conv2d q{nullptr}, k{nullptr}, v{nullptr}, proj_out{nullptr};
  // Scores are computed in query chunks of at most this many elements (default 2^26: 256 MiB in
  // fp32), so a 1024² decode (16384 tokens) never holds a 1 GiB score matrix.
  int64_t max_score_elements_ = int64_t{1} << 26;
};
TORCH_MODULE(VAEAttentionBlock);

// block_1 → attn_1 → block_2 at the lowest resolution.
struct VAEMidBlockImpl : torch::nn::Module {
  VAEMidBlockImpl(int64_t channels, int64_t groups, const torch::TensorOptions& opts);
  // x: [N, C, h, w] → [N, C, h, w]
  torch::Tensor forward(const torch::Tensor& x);

  VAEResnetBlock block_1{nullptr}, block_2{nullptr};
  VAEAttentionBlock attn_1{nullptr};
};
TORCH_MODULE(VAEMidBlock);

// One resolution level: "block.M" resnets, then "downsample.conv" (encoder) or "upsample.conv"
// (decoder) unless it is the last level on that path.
struct VAELevelImpl : torch::nn::Module {
  VAELevelImpl(int64_t in, int64_t out, int num_blocks, int64_t groups, bool downsample, bool upsample,
               const torch::TensorOptions& opts);
  // x: [N, in, H, W] → [N, out, H', W'] (H' = H/2 rounded up, H, or 2H)
  torch::Tensor forward(const torch::Tensor& x);

  std::vector<VAEResnetBlock> blocks;
  nn::Conv2d downsample_conv{nullptr}, upsample_conv{nullptr};
};
TORCH_MODULE(VAELevel);

struct VAEEncoderImpl : torch::nn::Module {
  VAEEncoderImpl(const VAEConfig& config, const torch::TensorOptions& opts);
  // image: [N, in_channels, H, W] → moments before quant_conv [N, 2·latent, H/f, W/f]
  torch::Tensor forward(const torch::Tensor& x);

  nn::Conv2d conv_in{nullptr}, conv_out{nullptr};
  std::vector<VAELevel> down;
  VAEMidBlock mid{nullptr};
  nn::GroupNorm norm_out{nullptr};
};
TORCH_MODULE(VAEEncoder);

struct VAEDecoderImpl : torch::nn::Module {
  VAEDecoderImpl(const VAEConfig& config, const torch::TensorOptions& opts);
  // z after post_quant_conv: [N, latent, h, w] → image [N, in_channels, h·f, w·f]
  torch::Tensor forward(const torch::Tensor& z);

  nn::Conv2d conv_in{nullptr}, conv_out{nullptr};
  VAEMidBlock mid{nullptr};
  std::vector<VAELevel> up;  // ldm index: up[0] is applied last
  nn::GroupNorm norm_out{nullptr};
};
TORCH_MODULE(VAEDecoder);

// The diagonal Gaussian posterior q(z | image), split from the moments.
struct VAEPosterior {
  torch::Tensor mean;    // [N, latent, h, w]
  torch::Tensor logvar;  // clamped to [-30, 20]
  torch::Tensor std;     // exp(logvar / 2)
};

struct AutoencoderKLImpl : torch::nn::Module {
  AutoencoderKLImpl(const VAEConfig& config, const torch::TensorOptions& opts);

  // image: [N, 3, H, W] in [-1, 1] (H, W multiples of the downsample factor for exact halving)
  // → moments [N, 2·latent, H/8, W/8] (after quant_conv): mean then logvar along dim 1.
  torch::Tensor encode_moments(const torch::Tensor& image);

  // moments: [N, 2·latent, h, w] → mean, clamped logvar, std (each [N, latent, h, w], fp32).
  static VAEPosterior split_moments(const torch::Tensor& moments);

  // z: [N, latent, h, w] VAE latent (= UNet-space latent / scale_factor) → image [N, 3, 8h, 8w],
  // unclamped, nominally [-1, 1].
  torch::Tensor decode(const torch::Tensor& z);

  const VAEConfig& config() const { return config_; }

  VAEEncoder encoder{nullptr};
  VAEDecoder decoder{nullptr};
  nn::Conv2d quant_conv{nullptr}, post_quant_conv{nullptr};

 private:
  VAEConfig config_;
};
TORCH_MODULE(AutoencoderKL);

}  // namespace strata::diffusion
