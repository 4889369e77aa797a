// text_conditioning.h (private) — prompt text → the context tensor the UNet attends to.
//
// A1111 rules (docs/prompt-syntax.md): the prompt is parsed for attention weights, chunked into
// [BOS]+75+[EOS] chunks, each chunk encoded by the text encoder (clip skip applied), token states
// multiplied by their weights and the chunk rescaled to its original mean, chunks concatenated
// along the sequence axis. The negative prompt is padded to the same number of chunks.
#pragma once

#include <torch/torch.h>

#include <string>

#include "networks/clip_text_model.h"
#include "strata/diffusion/prompt.h"
#include "strata/diffusion/tokenizer.h"

namespace strata::diffusion {

struct Conditioning {
  torch::Tensor cond;    // [1, 77·k, width]
  torch::Tensor uncond;  // [1, 77·k, width]
};

// Encodes one chunk list. → [1, 77·chunks, width] in the encoder's dtype.
torch::Tensor encode_chunks(CLIPTextModel& encoder, const PromptChunks& chunks, int clip_skip,
                            const torch::Device& device);

// Positive and negative prompts, padded to the same chunk count.
Conditioning encode_prompts(CLIPTextModel& encoder, const Tokenizer& tokenizer, const std::string& prompt,
                            const std::string& negative, int clip_skip, const torch::Device& device);

}  // namespace strata::diffusion
