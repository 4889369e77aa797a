// unet/ops.h (private) — the UNet's layer kernels, chosen for libtorch 1.13 on CPU.
//
// Activations flow in channels-last memory (a [B, C, H, W] tensor with NHWC strides), so that the
// spatial transformer's [B, H·W, C] tokens are free views and oneDNN runs its NHWC kernels.
// What was measured here (AVX-512 BF16, one thread, CPU time; details in the bench's notes):
//   * 3×3 convs below 16×16 output pixels are 2–6× faster as im2col + one GEMM than through
//     oneDNN's conv (which re-lays out the weights on every call); larger ones use oneDNN NHWC.
//   * 1×1 convs are GEMMs over the tokens.
//   * GroupNorm / LayerNorm in bf16 are inaccurate (GroupNorm channels-last bf16: max error 1.5 on
//     unit-scale data) or slow (LayerNorm bf16: 10× fp32), so both compute in fp32 and convert
//     back; SiLU after GroupNorm runs in fp32 too (bf16 SiLU is 3.5× slower).
// Every function keeps the input's dtype.
// Ref: the maths are CompVis ldm openaimodel.py / attention.py's (conv_nd, normalization, SiLU).
#pragma once

#include <torch/torch.h>

#include "networks/layers.h"

namespace strata::diffusion::unet {

// conv.forward with the same weights, padding and stride, by the fastest path for the size.
// x: [B, Cin, H, W] (any memory format) → [B, Cout, H', W'] channels-last
torch::Tensor conv2d(const torch::Tensor& x, const nn::Conv2d& conv);

// 1×1 conv on tokens. x: [..., Cin] → [..., Cout]
torch::Tensor conv1x1_tokens(const torch::Tensor& x, const nn::Conv2d& conv);

// GroupNorm, optionally followed by SiLU, computed in fp32. x: [B, C, H, W] → same shape, x's
// dtype, channels-last when x is.
torch::Tensor group_norm(const torch::Tensor& x, const nn::GroupNorm& norm, bool silu);

// LayerNorm over the last dim, computed in fp32. x: [..., C] → same shape and dtype
torch::Tensor layer_norm(const torch::Tensor& x, const nn::LayerNorm& norm);

// [B, C, H, W] ↔ [B, H·W, C]; free views for channels-last input / contiguous tokens.
torch::Tensor to_tokens(const torch::Tensor& x);
torch::Tensor from_tokens(const torch::Tensor& tokens, int64_t height, int64_t width);

}  // namespace strata::diffusion::unet
