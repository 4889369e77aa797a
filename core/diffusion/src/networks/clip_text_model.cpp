// Ref: openai/CLIP model.py (Transformer, ResidualAttentionBlock, QuickGELU, build_attention_mask),
// with parameter names of transformers' CLIPTextModel (modeling_clip.py), eps 1e-5.
#include "networks/clip_text_model.h"

#include <cmath>
#include <limits>
#include <string>

namespace strata::diffusion {

namespace {

constexpr double kLayerNormEps = 1e-5;

// Additive causal mask: 0 on and below the diagonal, -inf above. → [T, T] fp32
torch::Tensor causal_mask(int64_t t, const torch::Device& device) {
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  return torch::full({t, t}, -std::numeric_limits<float>::infinity(), opts).triu(1);
}

}  // namespace

torch::Tensor layer_norm_fp32(nn::LayerNorm& norm, const torch::Tensor& x) {
  if (x.scalar_type() == torch::kFloat32) return norm->forward(x);
  auto y = torch::layer_norm(x.to(torch::kFloat32), {norm->channels_}, norm->weight.to(torch::kFloat32),
                             norm->bias.to(torch::kFloat32), norm->eps_);
  return y.to(x.scalar_type());
}

CLIPEmbeddingsImpl::CLIPEmbeddingsImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts) {
  token_embedding = register_module("token_embedding", nn::Embedding(config.vocab_size, config.width, opts));
  position_embedding =
      register_module("position_embedding", nn::Embedding(config.max_positions, config.width, opts));
}

torch::Tensor CLIPEmbeddingsImpl::forward(const torch::Tensor& ids) {
  // ids: [B, T]; positions 0..T-1 broadcast over the batch.
  auto t = ids.size(1);
  TORCH_CHECK(t <= position_embedding->weight.size(0), "CLIP text model: ", t, " tokens exceed ",
              position_embedding->weight.size(0), " positions");
  auto tokens = token_embedding->forward(ids);                                     // [B, T, C]
  auto positions = position_embedding->weight.narrow(0, 0, t).unsqueeze(0);        // [1, T, C]
  return tokens + positions;
}

CLIPAttentionImpl::CLIPAttentionImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts)
    : heads_(config.heads), head_dim_(config.width / config.heads) {
  TORCH_CHECK(config.width % config.heads == 0, "CLIP width ", config.width, " not divisible by ",
              config.heads, " heads");
  q_proj = register_module("q_proj", nn::Linear(config.width, config.width, true, opts));
  k_proj = register_module("k_proj", nn::Linear(config.width, config.width, true, opts));
  v_proj = register_module("v_proj", nn::Linear(config.width, config.width, true, opts));
  out_proj = register_module("out_proj", nn::Linear(config.width, config.width, true, opts));
}

torch::Tensor CLIPAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  // x: [B, T, C] → q, k, v: [B, H, T, D]
  auto b = x.size(0), t = x.size(1), c = x.size(2);
  auto split = [&](const torch::Tensor& y) { return y.view({b, t, heads_, head_dim_}).transpose(1, 2); };
  double scale = 1.0 / std::sqrt(static_cast<double>(head_dim_));
  auto q = split(q_proj->forward(x) * scale);
  auto k = split(k_proj->forward(x));
  auto v = split(v_proj->forward(x));
  auto scores = torch::matmul(q, k.transpose(-1, -2)).to(torch::kFloat32) + mask;  // [B, H, T, T]
  auto weights = torch::softmax(scores, -1).to(x.scalar_type());
  auto out = torch::matmul(weights, v);                                             // [B, H, T, D]
  out = out.transpose(1, 2).reshape({b, t, c});                                     // [B, T, C]
  return out_proj->forward(out);
}

CLIPMLPImpl::CLIPMLPImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts)
    : quick_gelu_(config.quick_gelu) {
  fc1 = register_module("fc1", nn::Linear(config.width, config.mlp_width, true, opts));
  fc2 = register_module("fc2", nn::Linear(config.mlp_width, config.width, true, opts));
}

torch::Tensor CLIPMLPImpl::forward(const torch::Tensor& x) {
  auto h = fc1->forward(x);  // [B, T, mlp_width]
  h = quick_gelu_ ? h * torch::sigmoid(1.702 * h) : torch::gelu(h);
  return fc2->forward(h);    // [B, T, C]
}

CLIPEncoderLayerImpl::CLIPEncoderLayerImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts) {
  self_attn = register_module("self_attn", CLIPAttention(config, opts));
  layer_norm1 = register_module("layer_norm1", nn::LayerNorm(config.width, kLayerNormEps, opts));
  mlp = register_module("mlp", CLIPMLP(config, opts));
  layer_norm2 = register_module("layer_norm2", nn::LayerNorm(config.width, kLayerNormEps, opts));
}

torch::Tensor CLIPEncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  // x: [B, T, C]
  auto h = x + self_attn->forward(layer_norm_fp32(layer_norm1, x), mask);
  return h + mlp->forward(layer_norm_fp32(layer_norm2, h));
}

CLIPEncoderImpl::CLIPEncoderImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts) {
  // Registered as a child "layers" whose children are "0", "1", … (the ModuleList layout).
  auto list = register_module("layers", std::make_shared<torch::nn::Module>("ModuleList"));
  for (int i = 0; i < config.layers; ++i) {
    layers.push_back(list->register_module(std::to_string(i), CLIPEncoderLayer(config, opts)));
  }
}

CLIPTextModelImpl::CLIPTextModelImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts)
    : config_(config) {
  embeddings = register_module("embeddings", CLIPEmbeddings(config, opts));
  encoder = register_module("encoder", CLIPEncoder(config, opts));
  final_layer_norm = register_module("final_layer_norm", nn::LayerNorm(config.width, kLayerNormEps, opts));
}

torch::Tensor CLIPTextModelImpl::run_layers(const torch::Tensor& input_ids, int count) {
  TORCH_CHECK(input_ids.dim() == 2, "CLIP text model: input_ids must be [B, T], got ", input_ids.sizes());
  auto h = embeddings->forward(input_ids.to(torch::kInt64));  // [B, T, C]
  auto mask = causal_mask(input_ids.size(1), h.device());    // [T, T]
  for (int i = 0; i < count; ++i) h = encoder->layers[static_cast<size_t>(i)]->forward(h, mask);
  return h;
}

torch::Tensor CLIPTextModelImpl::hidden_state(const torch::Tensor& input_ids, int index) {
  int n = static_cast<int>(encoder->layers.size());
  int count = index < 0 ? n + 1 + index : index;
  TORCH_CHECK(count >= 0 && count <= n, "CLIP hidden_state index ", index, " out of range for ", n, " layers");
  return run_layers(input_ids, count);
}

torch::Tensor CLIPTextModelImpl::forward(const torch::Tensor& input_ids, int clip_skip) {
  int n = static_cast<int>(encoder->layers.size());
  TORCH_CHECK(clip_skip >= 1 && clip_skip <= n, "clip_skip ", clip_skip, " out of range [1, ", n, "]");
  // hidden_states[-N] is the output of layer n + 1 - N.
  return layer_norm_fp32(final_layer_norm, run_layers(input_ids, n + 1 - clip_skip));
}

torch::Tensor CLIPTextModelImpl::pooled(const torch::Tensor& last_hidden_state, const torch::Tensor& input_ids) {
  // last_hidden_state: [B, T, C], input_ids: [B, T] → [B, C]
  auto eos = input_ids.to(torch::kInt64).argmax(-1).to(last_hidden_state.device());  // [B]
  auto rows = torch::arange(last_hidden_state.size(0), eos.options());
  return last_hidden_state.index({rows, eos});
}

}  // namespace strata::diffusion
