// Ref: CompVis/stable-diffusion ldm/modules/diffusionmodules/model.py (Encoder, Decoder,
// ResnetBlock, AttnBlock, Upsample, Downsample, Normalize = GroupNorm(32, C, eps 1e-6)) and
// ldm/models/autoencoder.py (AutoencoderKL.encode/decode, DiagonalGaussianDistribution).
#include "networks/vae.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace strata::diffusion {

namespace {

constexpr double kGroupNormEps = 1e-6;

bool can_modify_in_place() { return !torch::GradMode::is_enabled(); }

// a + b, reusing a's storage when autograd is off (a must be a fresh temporary).
torch::Tensor add_into(torch::Tensor a, const torch::Tensor& b) {
  return can_modify_in_place() ? a.add_(b) : a + b;
}

// A child module with no parameters of its own, used to reproduce ModuleList / nested names.
std::shared_ptr<torch::nn::Module> container(torch::nn::Module& parent, const std::string& name) {
  return parent.register_module(name, std::make_shared<torch::nn::Module>("Container"));
}

}  // namespace

torch::Tensor group_norm_fp32(nn::GroupNorm& norm, const torch::Tensor& x, bool silu) {
  torch::Tensor y;
  if (x.scalar_type() == torch::kFloat32) {
    y = norm->forward(x);
  } else {
    y = torch::group_norm(x.to(torch::kFloat32), norm->groups_, norm->weight.to(torch::kFloat32),
                          norm->bias.to(torch::kFloat32), norm->eps_);
  }
  if (silu) y = can_modify_in_place() ? torch::silu_(y) : torch::silu(y);
  return y.to(x.scalar_type());
}

VAEResnetBlockImpl::VAEResnetBlockImpl(int64_t in, int64_t out, int64_t groups, const torch::TensorOptions& opts) {
  norm1 = register_module("norm1", nn::GroupNorm(groups, in, kGroupNormEps, opts));
  conv1 = register_module("conv1", nn::Conv2d(in, out, 3, 1, 1, opts));
  norm2 = register_module("norm2", nn::GroupNorm(groups, out, kGroupNormEps, opts));
  conv2 = register_module("conv2", nn::Conv2d(out, out, 3, 1, 1, opts));
  if (in != out) nin_shortcut = register_module("nin_shortcut", nn::Conv2d(in, out, 1, 1, 0, opts));
}

torch::Tensor VAEResnetBlockImpl::forward(const torch::Tensor& x) {
  // x: [N, in, H, W]
  auto h = conv1->forward(group_norm_fp32(norm1, x, true));  // [N, out, H, W]
  h = conv2->forward(group_norm_fp32(norm2, h, true));       // [N, out, H, W]
  return add_into(h, nin_shortcut ? nin_shortcut->forward(x) : x);
}

VAEAttentionBlockImpl::VAEAttentionBlockImpl(int64_t channels, int64_t groups, const torch::TensorOptions& opts) {
  norm = register_module("norm", nn::GroupNorm(groups, channels, kGroupNormEps, opts));
  q = register_module("q", nn::Conv2d(channels, channels, 1, 1, 0, opts));
  k = register_module("k", nn::Conv2d(channels, channels, 1, 1, 0, opts));
  v = register_module("v", nn::Conv2d(channels, channels, 1, 1, 0, opts));
  proj_out = register_module("proj_out", nn::Conv2d(channels, channels, 1, 1, 0, opts));
}

torch::Tensor VAEAttentionBlockImpl::forward(const torch::Tensor& x) {
  // x: [N, C, H, W]; one head over L = H·W tokens of width C.
  auto n = x.size(0), c = x.size(1), hgt = x.size(2), wid = x.size(3), l = hgt * wid;
  auto h = group_norm_fp32(norm, x, false);
  double scale = 1.0 / std::sqrt(static_cast<double>(c));
  auto qt = (q->forward(h) * scale).view({n, c, l}).transpose(1, 2);  // [N, L, C]
  auto kk = k->forward(h).view({n, c, l});                            // [N, C, L]
  auto vt = v->forward(h).view({n, c, l}).transpose(1, 2);            // [N, L, C]
  int64_t chunk = std::max<int64_t>(1, max_score_elements_ / std::max<int64_t>(1, n * l));
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < l; start += chunk) {
    auto len = std::min(chunk, l - start);
    auto scores = torch::bmm(qt.narrow(1, start, len), kk);                // [N, len, L]
    auto weights = torch::softmax(scores.to(torch::kFloat32), -1).to(x.scalar_type());
    parts.push_back(torch::bmm(weights, vt));                              // [N, len, C]
  }
  auto out = parts.size() == 1 ? parts[0] : torch::cat(parts, 1);          // [N, L, C]
  out = out.transpose(1, 2).reshape({n, c, hgt, wid});                     // [N, C, H, W]
  return add_into(proj_out->forward(out), x);
}

VAEMidBlockImpl::VAEMidBlockImpl(int64_t channels, int64_t groups, const torch::TensorOptions& opts) {
  block_1 = register_module("block_1", VAEResnetBlock(channels, channels, groups, opts));
  attn_1 = register_module("attn_1", VAEAttentionBlock(channels, groups, opts));
  block_2 = register_module("block_2", VAEResnetBlock(channels, channels, groups, opts));
}

torch::Tensor VAEMidBlockImpl::forward(const torch::Tensor& x) {
  return block_2->forward(attn_1->forward(block_1->forward(x)));
}

VAELevelImpl::VAELevelImpl(int64_t in, int64_t out, int num_blocks, int64_t groups, bool downsample,
                           bool upsample, const torch::TensorOptions& opts) {
  auto list = container(*this, "block");
  for (int i = 0; i < num_blocks; ++i) {
    blocks.push_back(list->register_module(std::to_string(i), VAEResnetBlock(i == 0 ? in : out, out, groups, opts)));
  }
  // ldm Downsample: pad right/bottom by one, 3×3 conv, stride 2, no padding.
  if (downsample) downsample_conv = container(*this, "downsample")->register_module("conv", nn::Conv2d(out, out, 3, 2, 0, opts));
  // ldm Upsample: nearest 2×, then 3×3 conv with padding 1.
  if (upsample) upsample_conv = container(*this, "upsample")->register_module("conv", nn::Conv2d(out, out, 3, 1, 1, opts));
}

torch::Tensor VAELevelImpl::forward(const torch::Tensor& x) {
  auto h = x;  // [N, in, H, W]
  for (auto& block : blocks) h = block->forward(h);
  if (downsample_conv) h = downsample_conv->forward(torch::constant_pad_nd(h, {0, 1, 0, 1}, 0));  // [N, out, ⌈H/2⌉, ⌈W/2⌉]
  if (upsample_conv) {
    h = torch::upsample_nearest2d(h, {h.size(2) * 2, h.size(3) * 2});  // [N, out, 2H, 2W]
    h = upsample_conv->forward(h);
  }
  return h;
}

VAEEncoderImpl::VAEEncoderImpl(const VAEConfig& config, const torch::TensorOptions& opts) {
  int64_t ch = config.base_channels, groups = config.norm_groups;
  auto levels = config.channel_mult.size();
  conv_in = register_module("conv_in", nn::Conv2d(config.in_channels, ch, 3, 1, 1, opts));
  auto list = container(*this, "down");
  int64_t block_in = ch;
  for (size_t i = 0; i < levels; ++i) {
    int64_t block_out = ch * config.channel_mult[i];
    down.push_back(list->register_module(
        std::to_string(i), VAELevel(block_in, block_out, config.num_res_blocks, groups, i + 1 != levels, false, opts)));
    block_in = block_out;
  }
  mid = register_module("mid", VAEMidBlock(block_in, groups, opts));
  norm_out = register_module("norm_out", nn::GroupNorm(groups, block_in, kGroupNormEps, opts));
  conv_out = register_module("conv_out", nn::Conv2d(block_in, 2 * config.latent_channels, 3, 1, 1, opts));
}

torch::Tensor VAEEncoderImpl::forward(const torch::Tensor& x) {
  auto h = conv_in->forward(x);  // [N, ch, H, W]
  for (auto& level : down) h = level->forward(h);
  h = mid->forward(h);           // [N, ch·mult[-1], H/f, W/f]
  return conv_out->forward(group_norm_fp32(norm_out, h, true));  // [N, 2·latent, H/f, W/f]
}

VAEDecoderImpl::VAEDecoderImpl(const VAEConfig& config, const torch::TensorOptions& opts) {
  int64_t ch = config.base_channels, groups = config.norm_groups;
  auto levels = config.channel_mult.size();
  int64_t block_in = ch * config.channel_mult.back();
  conv_in = register_module("conv_in", nn::Conv2d(config.latent_channels, block_in, 3, 1, 1, opts));
  mid = register_module("mid", VAEMidBlock(block_in, groups, opts));
  // Built from the lowest resolution up (the order they run), stored under ldm's index.
  up.resize(levels, VAELevel{nullptr});
  for (size_t i = levels; i-- > 0;) {
    int64_t block_out = ch * config.channel_mult[i];
    up[i] = VAELevel(block_in, block_out, config.num_res_blocks + 1, groups, false, i != 0, opts);
    block_in = block_out;
  }
  auto list = container(*this, "up");
  for (size_t i = 0; i < levels; ++i) list->register_module(std::to_string(i), up[i]);
  norm_out = register_module("norm_out", nn::GroupNorm(groups, block_in, kGroupNormEps, opts));
  conv_out = register_module("conv_out", nn::Conv2d(block_in, config.in_channels, 3, 1, 1, opts));
}

torch::Tensor VAEDecoderImpl::forward(const torch::Tensor& z) {
  auto h = mid->forward(conv_in->forward(z));  // [N, ch·mult[-1], h, w]
  for (size_t i = up.size(); i-- > 0;) h = up[i]->forward(h);
  return conv_out->forward(group_norm_fp32(norm_out, h, true));  // [N, 3, h·f, w·f]
}

AutoencoderKLImpl::AutoencoderKLImpl(const VAEConfig& config, const torch::TensorOptions& opts) : config_(config) {
  int64_t z = config.latent_channels;
  encoder = register_module("encoder", VAEEncoder(config, opts));
  decoder = register_module("decoder", VAEDecoder(config, opts));
  quant_conv = register_module("quant_conv", nn::Conv2d(2 * z, 2 * z, 1, 1, 0, opts));
  post_quant_conv = register_module("post_quant_conv", nn::Conv2d(z, z, 1, 1, 0, opts));
}

torch::Tensor AutoencoderKLImpl::encode_moments(const torch::Tensor& image) {
  TORCH_CHECK(image.dim() == 4 && image.size(1) == config_.in_channels, "VAE encode: expected [N, ",
              config_.in_channels, ", H, W], got ", image.sizes());
  auto x = image.to(quant_conv->weight.options());       // [N, 3, H, W]
  return quant_conv->forward(encoder->forward(x));       // [N, 2·latent, H/8, W/8]
}

VAEPosterior AutoencoderKLImpl::split_moments(const torch::Tensor& moments) {
  // moments: [N, 2·latent, h, w], evaluated in fp32 whatever its dtype.
  auto halves = moments.to(torch::kFloat32).chunk(2, 1);
  VAEPosterior p;
  p.mean = halves[0];
  p.logvar = torch::clamp(halves[1], -30.0, 20.0);
  p.std = torch::exp(0.5 * p.logvar);
  return p;
}

torch::Tensor AutoencoderKLImpl::decode(const torch::Tensor& z) {
  TORCH_CHECK(z.dim() == 4 && z.size(1) == config_.latent_channels, "VAE decode: expected [N, ",
              config_.latent_channels, ", h, w], got ", z.sizes());
  auto x = z.to(post_quant_conv->weight.options());      // [N, latent, h, w]
  return decoder->forward(post_quant_conv->forward(x));  // [N, 3, 8h, 8w]
}

}  // namespace strata::diffusion
