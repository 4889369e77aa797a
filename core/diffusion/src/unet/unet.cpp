// unet/unet.cpp — see unet.h.
// Ref: CompVis/stable-diffusion ldm/modules/diffusionmodules/openaimodel.py (UNetModel.__init__ /
//      forward, ResBlock with use_scale_shift_norm=False, Downsample/Upsample with use_conv=True);
//      util.py timestep_embedding; diffusers v0.21 unet_2d_condition.py (upsample_size).
#include "unet/unet.h"

#include "unet/ops.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace strata::diffusion {

namespace unet {

namespace {

std::shared_ptr<torch::nn::Module> container() { return std::make_shared<torch::nn::Module>(); }

}  // namespace

torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim, double max_period) {
  // timesteps: [B] → [B, dim]; freqs_i = exp(-ln(max_period)·i/half), i < half (float32 as the refs)
  const int64_t half = dim / 2;
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(timesteps.device());
  auto exponent = torch::arange(0, half, opts) * static_cast<float>(-std::log(max_period));
  auto freqs = torch::exp(exponent / static_cast<float>(half));                  // [half]
  auto args = timesteps.to(torch::kFloat32).unsqueeze(1) * freqs.unsqueeze(0);  // [B, half]
  auto emb = torch::cat({torch::cos(args), torch::sin(args)}, 1);
  if (dim % 2 == 1) emb = torch::nn::functional::pad(emb, torch::nn::functional::PadFuncOptions({0, 1}));
  return emb;
}

ResBlockImpl::ResBlockImpl(int64_t in, int64_t out, int64_t emb_dim, int64_t norm_groups,
                           const torch::TensorOptions& opts) {
  auto in_layers = register_module("in_layers", container());
  in_norm = in_layers->register_module("0", nn::GroupNorm(norm_groups, in, 1e-5, opts));
  in_conv = in_layers->register_module("2", nn::Conv2d(in, out, 3, 1, 1, opts));
  auto emb_layers = register_module("emb_layers", container());
  emb_proj = emb_layers->register_module("1", nn::Linear(emb_dim, out, true, opts));
  auto out_layers = register_module("out_layers", container());
  out_norm = out_layers->register_module("0", nn::GroupNorm(norm_groups, out, 1e-5, opts));
  out_conv = out_layers->register_module("3", nn::Conv2d(out, out, 3, 1, 1, opts));
  if (in != out) skip = register_module("skip_connection", nn::Conv2d(in, out, 1, 1, 0, opts));
}

torch::Tensor ResBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& emb) {
  // x: [B, Cin, H, W], emb: [B, Temb]
  auto h = conv2d(group_norm(x, in_norm, true), in_conv);          // [B, Cout, H, W]
  h = h + emb_proj(torch::silu(emb)).unsqueeze(-1).unsqueeze(-1);  // + [B, Cout, 1, 1]
  h = conv2d(group_norm(h, out_norm, true), out_conv);              // dropout = identity
  return (skip ? conv2d(x, skip) : x) + h;
}

DownsampleImpl::DownsampleImpl(int64_t channels, const torch::TensorOptions& opts) {
  op = register_module("op", nn::Conv2d(channels, channels, 3, 2, 1, opts));
}

torch::Tensor DownsampleImpl::forward(const torch::Tensor& x) { return conv2d(x, op); }

UpsampleImpl::UpsampleImpl(int64_t channels, const torch::TensorOptions& opts) {
  conv = register_module("conv", nn::Conv2d(channels, channels, 3, 1, 1, opts));
}

torch::Tensor UpsampleImpl::forward(const torch::Tensor& x, std::optional<std::vector<int64_t>> size) {
  // x: [B, C, H, W] → [B, C, size] (default [2H, 2W]); nearest: src = floor(dst · in / out)
  std::vector<int64_t> target = size ? *size : std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2};
  return conv2d(torch::upsample_nearest2d(x, target), conv);
}

void BlockImpl::add(ResBlock res) {
  Layer l;
  l.res = register_module(next_name(), res);
  layers.push_back(l);
}
void BlockImpl::add(SpatialTransformer transformer) {
  Layer l;
  l.transformer = register_module(next_name(), transformer);
  layers.push_back(l);
}
void BlockImpl::add(Downsample down) {
  Layer l;
  l.down = register_module(next_name(), down);
  layers.push_back(l);
}
void BlockImpl::add(Upsample up) {
  Layer l;
  l.up = register_module(next_name(), up);
  layers.push_back(l);
}
void BlockImpl::add(nn::Conv2d conv) {
  Layer l;
  l.conv = register_module(next_name(), conv);
  layers.push_back(l);
}

bool BlockImpl::upsamples() const {
  return std::any_of(layers.begin(), layers.end(), [](const Layer& l) { return !l.up.is_empty(); });
}

torch::Tensor BlockImpl::forward(const torch::Tensor& x, const torch::Tensor& emb, const torch::Tensor& context,
                                 std::optional<std::vector<int64_t>> up_size) {
  // x: [B, C, H, W]
  auto h = x;
  for (auto& l : layers) {
    if (l.res) {
      h = l.res(h, emb);
    } else if (l.transformer) {
      h = l.transformer(h, context);
    } else if (l.down) {
      h = l.down(h);
    } else if (l.up) {
      h = l.up(h, up_size);
    } else {
      h = conv2d(h, l.conv);
    }
  }
  return h;
}

}  // namespace unet

UNetModelImpl::UNetModelImpl(const UNetConfig& config, const torch::TensorOptions& opts)
    : config_(config), dtype_(opts.dtype().toScalarType()) {
  using namespace unet;
  const int64_t mc = config.model_channels;
  const int64_t temb = config.time_embed_dim();
  const int64_t groups = config.norm_groups;
  const auto levels = static_cast<int64_t>(config.channel_mult.size());
  if (mc <= 0 || levels == 0 || config.num_res_blocks <= 0) throw std::invalid_argument("UNetConfig: empty network");
  auto has_attention = [&](int64_t level) {
    return std::find(config.attention_levels.begin(), config.attention_levels.end(), level) !=
           config.attention_levels.end();
  };
  auto transformer = [&](int64_t ch, int depth) {
    const int64_t heads = config.heads_at(static_cast<int>(ch));
    if (heads <= 0 || ch % heads != 0) throw std::invalid_argument("UNetConfig: bad head count");
    if (depth <= 0) throw std::invalid_argument("UNetConfig: transformer depth must be positive");
    return SpatialTransformer(ch, heads, depth, config.context_dim, config.linear_proj, groups, opts);
  };

  auto time_embed = register_module("time_embed", std::make_shared<torch::nn::Module>());
  time_embed_0 = time_embed->register_module("0", nn::Linear(mc, temb, true, opts));
  time_embed_2 = time_embed->register_module("2", nn::Linear(temb, temb, true, opts));  // "1" = SiLU
  if (config.adm_in_channels > 0) {
    // sgm: label_emb = Sequential(Sequential(Linear(adm_in, temb), SiLU, Linear(temb, temb)))
    auto label = register_module("label_emb", std::make_shared<torch::nn::Module>());
    auto seq = label->register_module("0", std::make_shared<torch::nn::Module>());
    label_emb_0 = seq->register_module("0", nn::Linear(config.adm_in_channels, temb, true, opts));
    label_emb_2 = seq->register_module("2", nn::Linear(temb, temb, true, opts));
  }

  // Encoder: conv_in, then per level num_res_blocks × (ResBlock [+ transformer]), Downsample between.
  auto inputs = register_module("input_blocks", std::make_shared<torch::nn::Module>());
  auto add_input = [&](Block b) { input_blocks.push_back(inputs->register_module(std::to_string(input_blocks.size()), b)); };
  std::vector<int64_t> skip_channels{mc};
  {
    Block b;
    b->add(nn::Conv2d(config.in_channels, mc, 3, 1, 1, opts));
    add_input(b);
  }
  int64_t ch = mc;
  for (int64_t level = 0; level < levels; ++level) {
    const int64_t out_ch = mc * config.channel_mult[level];
    for (int i = 0; i < config.num_res_blocks; ++i) {
      Block b;
      b->add(ResBlock(ch, out_ch, temb, groups, opts));
      ch = out_ch;
      if (has_attention(level)) b->add(transformer(ch, config.depth_at(static_cast<int>(level))));
      add_input(b);
      skip_channels.push_back(ch);
    }
    if (level != levels - 1) {
      Block b;
      b->add(Downsample(ch, opts));
      add_input(b);
      skip_channels.push_back(ch);
    }
  }

  middle_block = register_module("middle_block", Block());
  middle_block->add(ResBlock(ch, ch, temb, groups, opts));
  middle_block->add(transformer(ch, config.middle_depth_or_default()));
  middle_block->add(ResBlock(ch, ch, temb, groups, opts));

  // Decoder: per level (deepest first) num_res_blocks+1 × (ResBlock on [h, skip] [+ transformer]),
  // Upsample after the last one of every level but the top.
  auto outputs = register_module("output_blocks", std::make_shared<torch::nn::Module>());
  for (int64_t level = levels - 1; level >= 0; --level) {
    const int64_t out_ch = mc * config.channel_mult[level];
    for (int i = 0; i <= config.num_res_blocks; ++i) {
      const int64_t skip_ch = skip_channels.back();
      skip_channels.pop_back();
      Block b;
      b->add(ResBlock(ch + skip_ch, out_ch, temb, groups, opts));
      ch = out_ch;
      if (has_attention(level)) b->add(transformer(ch, config.depth_at(static_cast<int>(level))));
      if (level > 0 && i == config.num_res_blocks) b->add(Upsample(ch, opts));
      output_blocks.push_back(outputs->register_module(std::to_string(output_blocks.size()), b));
    }
  }

  auto out = register_module("out", std::make_shared<torch::nn::Module>());
  out_norm = out->register_module("0", nn::GroupNorm(groups, ch, 1e-5, opts));
  out_conv = out->register_module("2", nn::Conv2d(ch, config.out_channels, 3, 1, 1, opts));  // "1" = SiLU
}

torch::Tensor UNetModelImpl::added_conditioning(const torch::Tensor& pooled, const torch::Tensor& time_ids) const {
  // pooled: [B, P], time_ids: [B, n] → [B, P + n·adm_time_dim]; each id embedded on its own.
  const int64_t b = time_ids.size(0), n = time_ids.size(1);
  auto ids = unet::timestep_embedding(time_ids.to(torch::kFloat32).reshape({b * n}), config_.adm_time_dim);
  return torch::cat({pooled.to(torch::kFloat32), ids.reshape({b, n * config_.adm_time_dim})}, 1);
}

torch::Tensor UNetModelImpl::forward(const torch::Tensor& x, const torch::Tensor& timesteps,
                                     const torch::Tensor& context, const torch::Tensor& y) {
  // x: [B, Cin, H, W], timesteps: [B], context: [B, L, Cctx], y: [B, adm_in] or undefined
  const int64_t b = x.size(0);
  auto t = timesteps.numel() == 1 ? timesteps.reshape({1}).expand({b}) : timesteps.reshape({b});
  auto emb = unet::timestep_embedding(t, config_.model_channels).to(dtype_);  // [B, mc]
  emb = time_embed_2(torch::silu(time_embed_0(emb)));                         // [B, Temb]
  if (label_emb_0) {
    TORCH_CHECK(y.defined() && y.dim() == 2 && y.size(0) == b && y.size(1) == config_.adm_in_channels,
                "UNet: this model needs its added conditioning y [", b, ", ", config_.adm_in_channels, "]");
    emb = emb + label_emb_2(torch::silu(label_emb_0(y.to(dtype_))));
  }
  auto ctx = context.to(dtype_);

  std::vector<torch::Tensor> skips;  // [B, C_i, H_i, W_i]
  auto h = x.to(dtype_).contiguous(at::MemoryFormat::ChannelsLast);  // NHWC all the way (see ops.h)
  for (auto& block : input_blocks) {
    h = block(h, emb, ctx);
    skips.push_back(h);
  }
  h = middle_block(h, emb, ctx);
  for (auto& block : output_blocks) {
    h = torch::cat({h, skips.back()}, 1);  // [B, C + C_skip, H, W]
    skips.pop_back();
    std::optional<std::vector<int64_t>> up_size;
    if (block->upsamples()) up_size = std::vector<int64_t>{skips.back().size(2), skips.back().size(3)};
    h = block(h, emb, ctx, up_size);
  }
  h = unet::conv2d(unet::group_norm(h, out_norm, true), out_conv);  // [B, Cout, H, W]
  return h.to(x.scalar_type()).contiguous();
}

}  // namespace strata::diffusion
