// text_conditioning.h (private) — prompt text → the context (and pooled embedding) the UNet takes.
//
// A1111 rules (docs/prompt-syntax.md): the prompt is parsed for attention weights, chunked into
// [BOS]+75+[EOS] chunks, each chunk encoded by every text encoder (clip skip applied), each
// encoder's token states multiplied by their weights and rescaled to their original mean, the
// encoders' states concatenated along the features (SDXL: CLIP-L then bigG) and the chunks along
// the sequence axis. The negative prompt is padded to the same number of chunks. Each encoder gets
// the ids padded with its own pad id (SDXL: CLIP-L 49407, bigG 0). The pooled embedding (SDXL) is
// the projected bigG output of the first chunk, unweighted.
#pragma once

#include <torch/torch.h>

#include <string>

#include "networks/clip_text_model.h"
#include "strata/diffusion/prompt.h"
#include "strata/diffusion/tokenizer.h"

namespace strata::diffusion {

struct Conditioning {
  torch::Tensor cond;           // [1, 77·k, context]
  torch::Tensor uncond;         // [1, 77·k, context]
  torch::Tensor cond_pooled;    // [1, P] when pooled embeddings were asked for; else undefined
  torch::Tensor uncond_pooled;
};

// The text encoders of a model: `second` is SDXL's bigG (null otherwise). `pooled_from_last`: the
// UNet takes a pooled embedding (SDXL), computed by the last encoder (which has a projection).
struct TextEncoders {
  CLIPTextModel first{nullptr};
  CLIPTextModel second{nullptr};
  bool pooled = false;
};

struct EncodedChunks {
  torch::Tensor context;  // [1, 77·chunks, context] in the encoders' dtype
  torch::Tensor pooled;   // [1, P] fp32 when asked for
};

EncodedChunks encode_chunks(const TextEncoders& encoders, const PromptChunks& chunks, int clip_skip,
                            const torch::Device& device);

// Positive and negative prompts, padded to the same chunk count. zero_empty_negative: an empty
// negative prompt gives an all-zero uncond context and pooled embedding instead of the encoding
// of "" (diffusers' SDXL force_zeros_for_empty_prompt).
Conditioning encode_prompts(const TextEncoders& encoders, const Tokenizer& tokenizer, const std::string& prompt,
                            const std::string& negative, int clip_skip, const torch::Device& device,
                            bool zero_empty_negative = false);

}  // namespace strata::diffusion
