// Ref: openai/CLIP model.py (Transformer, ResidualAttentionBlock, QuickGELU, build_attention_mask);
// transformers modeling_clip.py (names, eps 1e-5); open_clip transformer.py (TextTransformer:
// fused in_proj, ln_final, text_projection used as x @ P).
#include "networks/clip_text_model.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

namespace strata::diffusion {

namespace {

constexpr double kLayerNormEps = 1e-5;

// Additive causal mask: 0 on and below the diagonal, -inf above. → [T, T] fp32
torch::Tensor causal_mask(int64_t t, const torch::Device& device) {
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  return torch::full({t, t}, -std::numeric_limits<float>::infinity(), opts).triu(1);
}

std::shared_ptr<torch::nn::Module> container() { return std::make_shared<torch::nn::Module>(); }

bool open_clip(const TextEncoderConfig& c) { return c.layout == TextLayout::OpenCLIP; }

}  // namespace

torch::Tensor layer_norm_fp32(nn::LayerNorm& norm, const torch::Tensor& x) {
  if (x.scalar_type() == torch::kFloat32) return norm->forward(x);
  auto y = torch::layer_norm(x.to(torch::kFloat32), {norm->channels_}, norm->weight.to(torch::kFloat32),
                             norm->bias.to(torch::kFloat32), norm->eps_);
  return y.to(x.scalar_type());
}

CLIPAttentionImpl::CLIPAttentionImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts)
    : heads_(config.heads), head_dim_(config.width / config.heads) {
  TORCH_CHECK(config.width % config.heads == 0, "CLIP width ", config.width, " not divisible by ",
              config.heads, " heads");
  const int64_t c = config.width;
  if (open_clip(config)) {
    in_proj_weight = register_parameter("in_proj_weight", torch::empty({3 * c, c}, opts), false);
    in_proj_bias = register_parameter("in_proj_bias", torch::empty({3 * c}, opts), false);
  } else {
    q_proj = register_module("q_proj", nn::Linear(c, c, true, opts));
    k_proj = register_module("k_proj", nn::Linear(c, c, true, opts));
    v_proj = register_module("v_proj", nn::Linear(c, c, true, opts));
  }
  out_proj = register_module("out_proj", nn::Linear(c, c, true, opts));
}

torch::Tensor CLIPAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  // x: [B, T, C] → q, k, v: [B, H, T, D]
  auto b = x.size(0), t = x.size(1), c = x.size(2);
  auto split = [&](const torch::Tensor& y) { return y.reshape({b, t, heads_, head_dim_}).transpose(1, 2); };
  double scale = 1.0 / std::sqrt(static_cast<double>(head_dim_));
  torch::Tensor q, k, v;
  if (in_proj_weight.defined()) {
    auto qkv = torch::linear(x, in_proj_weight, in_proj_bias).chunk(3, -1);  // rows: q, k, v
    q = qkv[0] * scale, k = qkv[1], v = qkv[2];
  } else {
    q = q_proj->forward(x) * scale, k = k_proj->forward(x), v = v_proj->forward(x);
  }
  auto scores = torch::matmul(split(q), split(k).transpose(-1, -2)).to(torch::kFloat32) + mask;  // [B, H, T, T]
  auto weights = torch::softmax(scores, -1).to(x.scalar_type());
  auto out = torch::matmul(weights, split(v));                                                    // [B, H, T, D]
  out = out.transpose(1, 2).reshape({b, t, c});                                                   // [B, T, C]
  return out_proj->forward(out);
}

CLIPMLPImpl::CLIPMLPImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts)
    : quick_gelu_(config.quick_gelu) {
  const bool oc = open_clip(config);
  fc1 = register_module(oc ? "c_fc" : "fc1", nn::Linear(config.width, config.mlp_width, true, opts));
  fc2 = register_module(oc ? "c_proj" : "fc2", nn::Linear(config.mlp_width, config.width, true, opts));
}

torch::Tensor CLIPMLPImpl::forward(const torch::Tensor& x) {
  auto h = fc1->forward(x);  // [B, T, mlp_width]
  h = quick_gelu_ ? h * torch::sigmoid(1.702 * h) : torch::gelu(h);
  return fc2->forward(h);    // [B, T, C]
}

CLIPEncoderLayerImpl::CLIPEncoderLayerImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts) {
  const bool oc = open_clip(config);
  self_attn = register_module(oc ? "attn" : "self_attn", CLIPAttention(config, opts));
  layer_norm1 = register_module(oc ? "ln_1" : "layer_norm1", nn::LayerNorm(config.width, kLayerNormEps, opts));
  mlp = register_module("mlp", CLIPMLP(config, opts));
  layer_norm2 = register_module(oc ? "ln_2" : "layer_norm2", nn::LayerNorm(config.width, kLayerNormEps, opts));
}

torch::Tensor CLIPEncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  // x: [B, T, C]
  auto h = x + self_attn->forward(layer_norm_fp32(layer_norm1, x), mask);
  return h + mlp->forward(layer_norm_fp32(layer_norm2, h));
}

CLIPTextModelImpl::CLIPTextModelImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts)
    : config_(config) {
  const int64_t c = config.width;
  std::shared_ptr<torch::nn::Module> list;
  if (open_clip(config)) {
    token_embedding = register_module("token_embedding", nn::Embedding(config.vocab_size, c, opts));
    position_weight = register_parameter("positional_embedding", torch::empty({config.max_positions, c}, opts), false);
    list = register_module("transformer", container())->register_module("resblocks", container());
  } else {
    auto emb = register_module("embeddings", container());
    token_embedding = emb->register_module("token_embedding", nn::Embedding(config.vocab_size, c, opts));
    auto positions = emb->register_module("position_embedding", nn::Embedding(config.max_positions, c, opts));
    position_weight = positions->weight;
    list = register_module("encoder", container())->register_module("layers", container());
  }
  for (int i = 0; i < config.layers; ++i) {
    layers.push_back(list->register_module(std::to_string(i), CLIPEncoderLayer(config, opts)));
  }
  final_layer_norm =
      register_module(open_clip(config) ? "ln_final" : "final_layer_norm", nn::LayerNorm(c, kLayerNormEps, opts));
  if (config.projection_dim > 0) {
    // OpenCLIP stores [C, P] (x @ P); HF CLIPTextModelWithProjection a Linear weight [P, C] (x @ Wᵀ).
    const std::vector<int64_t> shape = open_clip(config) ? std::vector<int64_t>{c, config.projection_dim}
                                                         : std::vector<int64_t>{config.projection_dim, c};
    text_projection = register_parameter("text_projection", torch::empty(shape, opts), false);
  }
}

std::string CLIPTextModelImpl::checkpoint_key(const std::string& name) const {
  // HF: text_projection.weight lies beside text_model., not under it.
  constexpr std::string_view text_model = "text_model.";
  const std::string& p = config_.prefix;
  if (name == "text_projection" && !open_clip(config_) && p.size() >= text_model.size() &&
      p.compare(p.size() - text_model.size(), text_model.size(), text_model) == 0) {
    return p.substr(0, p.size() - text_model.size()) + "text_projection.weight";
  }
  return p + name;
}

torch::Tensor CLIPTextModelImpl::run_layers(const torch::Tensor& input_ids, int count,
                                            const std::function<void(int, const torch::Tensor&)>& visit) {
  TORCH_CHECK(input_ids.dim() == 2, "CLIP text model: input_ids must be [B, T], got ", input_ids.sizes());
  const auto t = input_ids.size(1);
  TORCH_CHECK(t <= position_weight.size(0), "CLIP text model: ", t, " tokens exceed ", position_weight.size(0),
              " positions");
  auto h = token_embedding->forward(input_ids.to(torch::kInt64)) + position_weight.narrow(0, 0, t).unsqueeze(0);
  auto mask = causal_mask(t, h.device());  // [T, T]
  for (int i = 0; i < count; ++i) {
    h = layers[static_cast<size_t>(i)]->forward(h, mask);
    if (visit) visit(i + 1, h);
  }
  return h;  // [B, T, C]
}

torch::Tensor CLIPTextModelImpl::hidden_state(const torch::Tensor& input_ids, int index) {
  int n = static_cast<int>(layers.size());
  int count = index < 0 ? n + 1 + index : index;
  TORCH_CHECK(count >= 0 && count <= n, "CLIP hidden_state index ", index, " out of range for ", n, " layers");
  return run_layers(input_ids, count);
}

int CLIPTextModelImpl::context_layers(int clip_skip) const {
  const int n = static_cast<int>(layers.size());
  const int back = clip_skip + config_.skip_layers;  // hidden_states[-back] is the output of layer n + 1 - back
  TORCH_CHECK(clip_skip >= 1 && back <= n, "clip_skip ", clip_skip, " out of range [1, ", n - config_.skip_layers,
              "]");
  return n + 1 - back;
}

torch::Tensor CLIPTextModelImpl::forward(const torch::Tensor& input_ids, int clip_skip) {
  auto h = run_layers(input_ids, context_layers(clip_skip));
  return config_.context_final_norm ? layer_norm_fp32(final_layer_norm, h) : h;
}

std::pair<torch::Tensor, torch::Tensor> CLIPTextModelImpl::context_and_pooled(const torch::Tensor& input_ids,
                                                                              int clip_skip) {
  TORCH_CHECK(text_projection.defined(), "CLIP text model: no text_projection for a pooled embedding");
  const int wanted = context_layers(clip_skip);
  torch::Tensor context;
  auto last = run_layers(input_ids, static_cast<int>(layers.size()), [&](int k, const torch::Tensor& h) {
    if (k == wanted) context = h;
  });
  if (wanted == 0) context = run_layers(input_ids, 0);
  if (config_.context_final_norm) context = layer_norm_fp32(final_layer_norm, context);
  auto pooled_state = pooled(layer_norm_fp32(final_layer_norm, last), input_ids);  // [B, C]
  auto projected = open_clip(config_) ? torch::matmul(pooled_state, text_projection)
                                      : torch::linear(pooled_state, text_projection);
  return {context, projected};                                                      // [B, P]
}

torch::Tensor CLIPTextModelImpl::pooled(const torch::Tensor& last_hidden_state, const torch::Tensor& input_ids) {
  // last_hidden_state: [B, T, C], input_ids: [B, T] → [B, C]
  auto eos = input_ids.to(torch::kInt64).argmax(-1).to(last_hidden_state.device());  // [B]
  auto rows = torch::arange(last_hidden_state.size(0), eos.options());
  return last_hidden_state.index({rows, eos});
}

}  // namespace strata::diffusion
