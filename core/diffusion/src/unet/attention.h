// unet/attention.h (private) — the UNet's spatial transformer: cross-attention, GEGLU feed-forward,
// transformer blocks and the SpatialTransformer that wraps them between two projections.
//
// Ref: CompVis/stable-diffusion ldm/modules/attention.py (CrossAttention, FeedForward, GEGLU,
//      BasicTransformerBlock, SpatialTransformer); Stability-AI/stablediffusion for the linear
//      proj_in/out variant (use_linear_in_transformer). diffusers models/attention_processor.py
//      computes the same thing with the same numbers.
// Registered names are the single-file checkpoint keys below `...transformer_blocks.K.`:
// attn1.{to_q,to_k,to_v,to_out.0}, attn2.*, norm1..3, ff.net.0.proj, ff.net.2.
// Thread-safety: a built module may run forward on one thread at a time.
#pragma once

#include <torch/torch.h>

#include "networks/layers.h"

namespace strata::diffusion::unet {

// Multi-head attention core: softmax(q·kᵀ·scale)·v with heads split from the channel dim.
// q: [B, N, C], k/v: [B, L, C] → [B, N, C]. Computes in the inputs' dtype (softmax accumulates in
// fp32 internally), one (batch, head) and one block of query rows at a time: query_block rows, or
// when 0, max(256, 2^18 / L) — a score block that stays in cache (2.5–3× faster at N = L = 4096
// than whole-head scores, and memory stays bounded at any latent size).
torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                   int64_t heads, int64_t query_block = 0);

// Self- (context undefined) or cross-attention. x: [B, N, C], context: [B, L, Cctx].
struct CrossAttentionImpl : torch::nn::Module {
  CrossAttentionImpl(int64_t query_dim, int64_t context_dim, int64_t heads, int64_t head_dim,
                     const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context = {});

  nn::Linear to_q{nullptr}, to_k{nullptr}, to_v{nullptr}, to_out{nullptr};  // to_out = "to_out.0"
  int64_t heads_;
};
TORCH_MODULE(CrossAttention);

// x → Linear(dim, 2·inner) → a ⊙ gelu(gate) → Linear(inner, dim). x: [B, N, dim]
struct FeedForwardImpl : torch::nn::Module {
  FeedForwardImpl(int64_t dim, int64_t inner, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x);

  nn::Linear proj{nullptr};  // "net.0.proj" (GEGLU)
  nn::Linear out{nullptr};   // "net.2"
};
TORCH_MODULE(FeedForward);

// x += attn1(norm1 x); x += attn2(norm2 x, context); x += ff(norm3 x). x: [B, N, C]
struct BasicTransformerBlockImpl : torch::nn::Module {
  BasicTransformerBlockImpl(int64_t dim, int64_t heads, int64_t head_dim, int64_t context_dim,
                            const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context);

  CrossAttention attn1{nullptr}, attn2{nullptr};
  FeedForward ff{nullptr};
  nn::LayerNorm norm1{nullptr}, norm2{nullptr}, norm3{nullptr};
};
TORCH_MODULE(BasicTransformerBlock);

// GroupNorm → proj_in (1×1 conv or Linear) → depth × BasicTransformerBlock → proj_out, + residual.
// x: [B, C, H, W], context: [B, L, Cctx] → [B, C, H, W]
struct SpatialTransformerImpl : torch::nn::Module {
  SpatialTransformerImpl(int64_t channels, int64_t heads, int64_t depth, int64_t context_dim,
                         bool linear_proj, int64_t norm_groups, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context);

  nn::GroupNorm norm{nullptr};
  nn::Conv2d proj_in_conv{nullptr}, proj_out_conv{nullptr};  // SD1: 1×1 convs
  nn::Linear proj_in_linear{nullptr}, proj_out_linear{nullptr};  // SD2/SDXL: Linear
  std::vector<BasicTransformerBlock> blocks;  // "transformer_blocks.K"
};
TORCH_MODULE(SpatialTransformer);

}  // namespace strata::diffusion::unet
