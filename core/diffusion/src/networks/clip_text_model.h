// clip_text_model.h (private) — the CLIP text transformer that turns token ids into the UNet's
// cross-attention context (SD 1.x: CLIP ViT-L/14 text tower, 12 layers × 768).
//
// Ref: openai/CLIP model.py (Transformer with causal mask, QuickGELU) in the Hugging Face
// CLIPTextModel layout (transformers modeling_clip.py), which is what single-file SD checkpoints
// store under `cond_stage_model.transformer.text_model.`.
//
// Parameter names (prefix them with the component prefix to get checkpoint keys):
//   embeddings.token_embedding.weight, embeddings.position_embedding.weight,
//   encoder.layers.N.{layer_norm1, self_attn.{q,k,v,out}_proj, layer_norm2, mlp.fc1, mlp.fc2}.*,
//   final_layer_norm.*
// `embeddings.position_ids` is not registered (positions are always 0..T-1).
//
// Dtype: compute follows the parameters' dtype (fp32 or bf16); layer norms and the attention
// softmax run in fp32. Outputs are in the parameters' dtype. Thread-safety: forward() does not
// mutate the module; one thread at a time per instance is the supported use.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "networks/layers.h"
#include "strata/diffusion/model_config.h"

namespace strata::diffusion {

// LayerNorm evaluated in fp32 whatever the dtype of x; result in x's dtype. x: [..., C]
torch::Tensor layer_norm_fp32(nn::LayerNorm& norm, const torch::Tensor& x);

struct CLIPEmbeddingsImpl : torch::nn::Module {
  CLIPEmbeddingsImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);
  // ids: [B, T] int64 → [B, T, width]
  torch::Tensor forward(const torch::Tensor& ids);

  nn::Embedding token_embedding{nullptr}, position_embedding{nullptr};
};
TORCH_MODULE(CLIPEmbeddings);

struct CLIPAttentionImpl : torch::nn::Module {
  CLIPAttentionImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);
  // x: [B, T, width], mask: [T, T] additive fp32 (0 / -inf) → [B, T, width]
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

  nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr};
  int64_t heads_;
  int64_t head_dim_;
};
TORCH_MODULE(CLIPAttention);

struct CLIPMLPImpl : torch::nn::Module {
  CLIPMLPImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);
  // x: [B, T, width] → [B, T, width]
  torch::Tensor forward(const torch::Tensor& x);

  nn::Linear fc1{nullptr}, fc2{nullptr};
  bool quick_gelu_;
};
TORCH_MODULE(CLIPMLP);

// Pre-LN transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)).
struct CLIPEncoderLayerImpl : torch::nn::Module {
  CLIPEncoderLayerImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);
  // x: [B, T, width] → [B, T, width]
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

  nn::LayerNorm layer_norm1{nullptr}, layer_norm2{nullptr};
  CLIPAttention self_attn{nullptr};
  CLIPMLP mlp{nullptr};
};
TORCH_MODULE(CLIPEncoderLayer);

// Holds the layers under "layers.N" (an nn.ModuleList in the reference).
struct CLIPEncoderImpl : torch::nn::Module {
  CLIPEncoderImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);

  std::vector<CLIPEncoderLayer> layers;
};
TORCH_MODULE(CLIPEncoder);

struct CLIPTextModelImpl : torch::nn::Module {
  CLIPTextModelImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);

  // input_ids: [B, T] int64 (T ≤ max_positions, SD: 77) → [B, T, width].
  // clip_skip = 1: final_layer_norm(last layer's output); clip_skip = N > 1:
  // final_layer_norm(hidden_states[-N]) — AUTOMATIC1111's "Clip skip N" (diffusers ≥ 0.22:
  // clip_skip = N − 1). Requires 1 ≤ clip_skip ≤ layers.
  torch::Tensor forward(const torch::Tensor& input_ids, int clip_skip = 1);

  // The raw (no final LN) hidden state with Hugging Face `hidden_states` indexing: 0 = embeddings,
  // k = output of layer k (1-based), negative = counted from the end (-1 = last layer, -2 =
  // penultimate as SDXL uses it). Only the layers needed are run. → [B, T, width]
  torch::Tensor hidden_state(const torch::Tensor& input_ids, int index);

  // The pooled output: final_layer_norm'd state at each sequence's first EOS token (the position of
  // the largest id, as transformers ≤ 4.30 does). last_hidden_state: [B, T, width] after final LN,
  // input_ids: [B, T] → [B, width]
  static torch::Tensor pooled(const torch::Tensor& last_hidden_state, const torch::Tensor& input_ids);

  const TextEncoderConfig& config() const { return config_; }

  CLIPEmbeddings embeddings{nullptr};
  CLIPEncoder encoder{nullptr};
  nn::LayerNorm final_layer_norm{nullptr};

 private:
  // Runs the embeddings and the first `count` layers. → [B, T, width]
  torch::Tensor run_layers(const torch::Tensor& input_ids, int count);

  TextEncoderConfig config_;
};
TORCH_MODULE(CLIPTextModel);

}  // namespace strata::diffusion
