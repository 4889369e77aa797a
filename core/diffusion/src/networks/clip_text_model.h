// clip_text_model.h (private) — the CLIP text transformer that turns token ids into the UNet's
// cross-attention context: SD 1.x CLIP ViT-L/14, SD 2.x OpenCLIP ViT-H/14, SDXL's CLIP-L and
// OpenCLIP bigG. One class, two tensor layouts (TextEncoderConfig::layout):
//
//   Hugging Face CLIPTextModel (transformers modeling_clip.py; SD 1.x `cond_stage_model.transformer.
//   text_model.`, SDXL `conditioner.embedders.0.transformer.text_model.`):
//     embeddings.token_embedding.weight, embeddings.position_embedding.weight,
//     encoder.layers.N.{layer_norm1, self_attn.{q,k,v,out}_proj, layer_norm2, mlp.fc1, mlp.fc2}.*,
//     final_layer_norm.*; with projection_dim (diffusers' CLIPTextModelWithProjection, SDXL's
//     text_encoder_2) also text_projection.weight [P, C] beside text_model. (used as x @ Wᵀ)
//   OpenCLIP TextTransformer (open_clip transformer.py; SD 2.x `cond_stage_model.model.`, SDXL
//   `conditioner.embedders.1.model.`):
//     token_embedding.weight, positional_embedding,
//     transformer.resblocks.N.{ln_1, attn.in_proj_weight [3C,C], attn.in_proj_bias, attn.out_proj,
//     ln_2, mlp.c_fc, mlp.c_proj}.*, ln_final.*, text_projection [C, P] (used as x @ P)
// `position_ids` and OpenCLIP's `logit_scale` are not registered (the loader ignores them).
//
// Ref: openai/CLIP model.py (Transformer with causal mask, QuickGELU); mlfoundations/open_clip
// (nn.MultiheadAttention with a fused in_proj = cat(q, k, v) rows, exact GELU).
//
// Dtype: compute follows the parameters' dtype (fp32 or bf16); layer norms and the attention
// softmax run in fp32. Outputs are in the parameters' dtype. Thread-safety: forward() does not
// mutate the module; one thread at a time per instance is the supported use.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "networks/layers.h"
#include "strata/diffusion/model_config.h"

namespace strata::diffusion {

// LayerNorm evaluated in fp32 whatever the dtype of x; result in x's dtype. x: [..., C]
torch::Tensor layer_norm_fp32(nn::LayerNorm& norm, const torch::Tensor& x);

// Multi-head self-attention: separate q/k/v projections (HF) or one fused in_proj (OpenCLIP).
struct CLIPAttentionImpl : torch::nn::Module {
  CLIPAttentionImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);
  // x: [B, T, width], mask: [T, T] additive fp32 (0 / -inf) → [B, T, width]
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

  nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr};
  torch::Tensor in_proj_weight, in_proj_bias;  // OpenCLIP: [3·width, width], [3·width]
  int64_t heads_;
  int64_t head_dim_;
};
TORCH_MODULE(CLIPAttention);

struct CLIPMLPImpl : torch::nn::Module {
  CLIPMLPImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);
  // x: [B, T, width] → [B, T, width]
  torch::Tensor forward(const torch::Tensor& x);

  nn::Linear fc1{nullptr}, fc2{nullptr};  // HF fc1/fc2, OpenCLIP c_fc/c_proj
  bool quick_gelu_;
};
TORCH_MODULE(CLIPMLP);

// Pre-LN transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)).
struct CLIPEncoderLayerImpl : torch::nn::Module {
  CLIPEncoderLayerImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);
  // x: [B, T, width] → [B, T, width]
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

  nn::LayerNorm layer_norm1{nullptr}, layer_norm2{nullptr};  // OpenCLIP ln_1, ln_2
  CLIPAttention self_attn{nullptr};                          // OpenCLIP attn
  CLIPMLP mlp{nullptr};
};
TORCH_MODULE(CLIPEncoderLayer);

struct CLIPTextModelImpl : torch::nn::Module {
  CLIPTextModelImpl(const TextEncoderConfig& config, const torch::TensorOptions& opts);

  // input_ids: [B, T] int64 (T ≤ max_positions, SD: 77) → the context [B, T, width]:
  // hidden_states[-(clip_skip + skip_layers)], through the final LayerNorm when
  // context_final_norm (SD 1.x: clip_skip 1 = the last layer; SD 2.x: the penultimate block, then
  // ln_final; SDXL: the penultimate layer as it is). clip_skip is AUTOMATIC1111's "Clip skip N"
  // (diffusers ≥ 0.22: clip_skip = N − 1); requires 1 ≤ clip_skip + skip_layers ≤ layers.
  torch::Tensor forward(const torch::Tensor& input_ids, int clip_skip = 1);

  // The raw (no final LN) hidden state with Hugging Face `hidden_states` indexing: 0 = embeddings,
  // k = output of layer k (1-based), negative = counted from the end (-1 = last layer, -2 =
  // penultimate). Only the layers needed are run. → [B, T, width]
  torch::Tensor hidden_state(const torch::Tensor& input_ids, int index);

  // The context and the projected pooled embedding of the same ids in one pass (SDXL bigG):
  // pooled = final_norm(last layer)[first EOS] @ text_projection. Needs projection_dim > 0.
  // → {[B, T, width], [B, projection_dim]}
  std::pair<torch::Tensor, torch::Tensor> context_and_pooled(const torch::Tensor& input_ids, int clip_skip = 1);

  // The pooled output: final_layer_norm'd state at each sequence's first EOS token (the position of
  // the largest id, as transformers ≤ 4.30 does). last_hidden_state: [B, T, width] after final LN,
  // input_ids: [B, T] → [B, width]
  static torch::Tensor pooled(const torch::Tensor& last_hidden_state, const torch::Tensor& input_ids);

  const TextEncoderConfig& config() const { return config_; }

  // The checkpoint key of the parameter named `name` (as named_parameters() gives it): the config's
  // prefix + name, except the HF layout's "text_projection" → "<prefix without text_model.>
  // text_projection.weight".
  std::string checkpoint_key(const std::string& name) const;

  nn::Embedding token_embedding{nullptr};
  torch::Tensor position_weight;           // [max_positions, width]
  std::vector<CLIPEncoderLayer> layers;
  nn::LayerNorm final_layer_norm{nullptr};  // OpenCLIP ln_final
  torch::Tensor text_projection;           // OpenCLIP [width, P], HF [P, width]; undefined without projection_dim

 private:
  // Runs the embeddings and the first `count` layers, calling `visit(k, h)` after layer k. → [B, T, width]
  torch::Tensor run_layers(const torch::Tensor& input_ids, int count,
                           const std::function<void(int, const torch::Tensor&)>& visit = {});
  int context_layers(int clip_skip) const;

  TextEncoderConfig config_;
};
TORCH_MODULE(CLIPTextModel);

}  // namespace strata::diffusion
