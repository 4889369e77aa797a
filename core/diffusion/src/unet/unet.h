// unet/unet.h (private) — the config-driven denoising UNet (ldm UNetModel layout).
//
// One class serves every UNetConfig (SD 1.x, SD 2.x style linear projections / fixed head width, the
// embedded model). Registered parameter names prefixed with "model.diffusion_model." are the
// single-file checkpoint keys: time_embed.{0,2}, input_blocks.N.M.*, middle_block.{0,1,2}.*,
// output_blocks.N.M.*, out.{0,2}. Parameters are allocated uninitialised (nn:: layers) on the
// options' device and dtype: build on torch::kMeta to compare names and shapes with a manifest,
// then copy weights in by name.
//
// Ref: CompVis/stable-diffusion ldm/modules/diffusionmodules/openaimodel.py (UNetModel, ResBlock,
//      Downsample, Upsample, TimestepEmbedSequential) and util.py (timestep_embedding);
//      diffusers v0.21 models/unet_2d_condition.py for latent sizes that are not multiples of 8
//      (each upsampler targets the size of the skip connection it meets next).
//
// Thread-safety: a built module may run forward on one thread at a time (the caller holds
// c10::InferenceMode); nothing is shared between instances.
#pragma once

#include <torch/torch.h>

#include <optional>
#include <vector>

#include "networks/layers.h"
#include "strata/diffusion/model_config.h"
#include "unet/attention.h"

namespace strata::diffusion {

namespace unet {

// Sinusoidal timestep embedding, [cos | sin] halves (ldm; diffusers flip_sin_to_cos=true,
// downscale_freq_shift=0), computed in float32. timesteps: [B] (fractional allowed) → [B, dim]
torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim, double max_period = 10000.0);

// GroupNorm → SiLU → conv3×3, + Linear(SiLU(emb)) per channel, GroupNorm → SiLU → conv3×3, + skip.
// x: [B, Cin, H, W], emb: [B, Temb] → [B, Cout, H, W]
struct ResBlockImpl : torch::nn::Module {
  ResBlockImpl(int64_t in, int64_t out, int64_t emb_dim, int64_t norm_groups, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& emb);

  nn::GroupNorm in_norm{nullptr}, out_norm{nullptr};  // "in_layers.0", "out_layers.0"
  nn::Conv2d in_conv{nullptr}, out_conv{nullptr};     // "in_layers.2", "out_layers.3"
  nn::Linear emb_proj{nullptr};                       // "emb_layers.1"
  nn::Conv2d skip{nullptr};                           // "skip_connection" (1×1) when in != out
};
TORCH_MODULE(ResBlock);

// conv3×3 stride 2, padding 1 ("op"). x: [B, C, H, W] → [B, C, ceil(H/2), ceil(W/2)]
struct DownsampleImpl : torch::nn::Module {
  DownsampleImpl(int64_t channels, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x);
  nn::Conv2d op{nullptr};
};
TORCH_MODULE(Downsample);

// Nearest upsampling to `size` (default 2×), then conv3×3 ("conv"). x: [B, C, H, W] → [B, C, H', W']
struct UpsampleImpl : torch::nn::Module {
  UpsampleImpl(int64_t channels, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x, std::optional<std::vector<int64_t>> size);
  nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Upsample);

// One entry of input_blocks / middle_block / output_blocks (ldm TimestepEmbedSequential): its
// layers run in order, each registered under its index ("0", "1", "2").
struct BlockImpl : torch::nn::Module {
  void add(ResBlock res);
  void add(SpatialTransformer transformer);
  void add(Downsample down);
  void add(Upsample up);
  void add(nn::Conv2d conv);
  // x: [B, C, H, W], emb: [B, Temb], context: [B, L, Cctx]; up_size: target of an Upsample layer.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& emb, const torch::Tensor& context,
                        std::optional<std::vector<int64_t>> up_size = std::nullopt);
  bool upsamples() const;

  struct Layer {
    ResBlock res{nullptr};
    SpatialTransformer transformer{nullptr};
    Downsample down{nullptr};
    Upsample up{nullptr};
    nn::Conv2d conv{nullptr};
  };
  std::vector<Layer> layers;

 private:
  std::string next_name() const { return std::to_string(layers.size()); }
};
TORCH_MODULE(Block);

}  // namespace unet

// The denoiser ε(x, t, context). Owns its parameters; see the file comment for names.
struct UNetModelImpl : torch::nn::Module {
  UNetModelImpl(const UNetConfig& config, const torch::TensorOptions& opts);

  // x: [B, Cin, H, W] (any H, W ≥ 1), timesteps: [B] float32 (fractional allowed; a single
  // element is broadcast to B), context: [B, L, Cctx] with any L (A1111 chunking gives 77·k).
  // Inputs are cast to the parameters' dtype; the result has x's dtype. → [B, Cout, H, W]
  // y: SDXL's added conditioning [B, adm_in] (added_conditioning()); required exactly when the
  // config has adm_in_channels > 0, ignored otherwise.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& context,
                        const torch::Tensor& y = {});

  // SDXL's vector y: the pooled text embedding, then the sinusoidal embedding (adm_time_dim wide)
  // of each size/crop/aesthetic id. pooled: [B, P], time_ids: [B, adm_time_ids] → [B, adm_in] fp32
  torch::Tensor added_conditioning(const torch::Tensor& pooled, const torch::Tensor& time_ids) const;

  const UNetConfig& config() const { return config_; }

  nn::Linear time_embed_0{nullptr}, time_embed_2{nullptr};  // "time_embed.0", "time_embed.2"
  nn::Linear label_emb_0{nullptr}, label_emb_2{nullptr};    // "label_emb.0.0", "label_emb.0.2" (SDXL)
  std::vector<unet::Block> input_blocks, output_blocks;
  unet::Block middle_block{nullptr};
  nn::GroupNorm out_norm{nullptr};  // "out.0"
  nn::Conv2d out_conv{nullptr};     // "out.2"

 private:
  UNetConfig config_;
  torch::ScalarType dtype_;
};
TORCH_MODULE(UNetModel);

}  // namespace strata::diffusion
