// unet/ops.cpp — see ops.h.
// Ref: CompVis ldm openaimodel.py (conv_nd, normalization = GroupNorm32 computed in float32).
#include "unet/ops.h"

#include <vector>

namespace strata::diffusion::unet {

namespace {

constexpr auto kChannelsLast = at::MemoryFormat::ChannelsLast;

// im2col + GEMM below this many output pixels (measured crossover: bf16 ≈ 16×16, fp32 ≈ 8×8–16×16).
bool use_im2col(const torch::Tensor& x, int64_t out_pixels) {
  return out_pixels < (x.scalar_type() == torch::kFloat32 ? 128 : 512);
}

// x: [B, Cin, H, W] → [B, Cout, Ho, Wo] channels-last, as one GEMM over the unfolded patches.
// The columns are ordered (cin, kh, kw) so the weight [Cout, Cin, k, k] is used as is.
torch::Tensor conv2d_im2col(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                            int64_t stride, int64_t padding) {
  const int64_t b = x.size(0), cin = x.size(1), h = x.size(2), w = x.size(3);
  const int64_t cout = weight.size(0), k = weight.size(2);
  const int64_t ho = (h + 2 * padding - k) / stride + 1, wo = (w + 2 * padding - k) / stride + 1;
  auto xt = x.permute({0, 2, 3, 1});  // [B, H, W, Cin]
  if (padding > 0) xt = torch::constant_pad_nd(xt, {0, 0, padding, padding, padding, padding});
  std::vector<torch::Tensor> taps;  // k·k × [B, Ho, Wo, Cin]
  taps.reserve(static_cast<size_t>(k * k));
  for (int64_t i = 0; i < k; ++i) {
    for (int64_t j = 0; j < k; ++j) {
      taps.push_back(xt.slice(1, i, i + stride * (ho - 1) + 1, stride).slice(2, j, j + stride * (wo - 1) + 1, stride));
    }
  }
  auto cols = torch::stack(taps, 4).view({b * ho * wo, cin * k * k});   // [B·Ho·Wo, Cin·k·k]
  auto y = torch::linear(cols, weight.reshape({cout, cin * k * k}), bias);  // [B·Ho·Wo, Cout]
  return y.view({b, ho, wo, cout}).permute({0, 3, 1, 2});
}

}  // namespace

torch::Tensor conv2d(const torch::Tensor& x, const nn::Conv2d& conv) {
  const auto& weight = conv->weight;
  const int64_t k = weight.size(2), stride = conv->stride_, padding = conv->padding_;
  const int64_t ho = (x.size(2) + 2 * padding - k) / stride + 1, wo = (x.size(3) + 2 * padding - k) / stride + 1;
  if (k == 1 && stride == 1 && padding == 0) {
    return from_tokens(conv1x1_tokens(to_tokens(x), conv), x.size(2), x.size(3));
  }
  if (use_im2col(x, ho * wo)) return conv2d_im2col(x, weight, conv->bias, stride, padding);
  return torch::conv2d(x.contiguous(kChannelsLast), weight, conv->bias, {stride, stride}, {padding, padding});
}

torch::Tensor conv1x1_tokens(const torch::Tensor& x, const nn::Conv2d& conv) {
  // x: [..., Cin], weight: [Cout, Cin, 1, 1]
  return torch::linear(x, conv->weight.reshape({conv->weight.size(0), conv->weight.size(1)}), conv->bias);
}

torch::Tensor group_norm(const torch::Tensor& x, const nn::GroupNorm& norm, bool silu) {
  // x: [B, C, H, W]
  const auto f32 = torch::kFloat32;
  auto y = torch::group_norm(x.to(f32), norm->groups_, norm->weight.to(f32), norm->bias.to(f32), norm->eps_);
  if (silu) y = torch::GradMode::is_enabled() ? torch::silu(y) : torch::silu_(y);  // in place unless training
  return y.to(x.scalar_type());
}

torch::Tensor layer_norm(const torch::Tensor& x, const nn::LayerNorm& norm) {
  // x: [..., C]
  const auto f32 = torch::kFloat32;
  auto y = torch::layer_norm(x.to(f32), {norm->channels_}, norm->weight.to(f32), norm->bias.to(f32), norm->eps_);
  return y.to(x.scalar_type());
}

torch::Tensor to_tokens(const torch::Tensor& x) {
  // x: [B, C, H, W] → [B, H·W, C]
  return x.permute({0, 2, 3, 1}).reshape({x.size(0), x.size(2) * x.size(3), x.size(1)});
}

torch::Tensor from_tokens(const torch::Tensor& tokens, int64_t height, int64_t width) {
  // tokens: [B, H·W, C] → [B, C, H, W] (channels-last when tokens are contiguous)
  return tokens.reshape({tokens.size(0), height, width, tokens.size(2)}).permute({0, 3, 1, 2});
}

}  // namespace strata::diffusion::unet
