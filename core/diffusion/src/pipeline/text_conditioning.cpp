#include "pipeline/text_conditioning.h"

#include <algorithm>

namespace strata::diffusion {

torch::Tensor encode_chunks(CLIPTextModel& encoder, const PromptChunks& chunks, int clip_skip,
                            const torch::Device& device) {
  std::vector<torch::Tensor> parts;
  parts.reserve(chunks.size());
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    std::vector<std::int64_t> ids(chunks.ids[c].begin(), chunks.ids[c].end());
    auto ids_t = torch::tensor(ids, torch::kInt64).unsqueeze(0).to(device);  // [1, 77]
    auto z = encoder->forward(ids_t, clip_skip);                              // [1, 77, width]
    const auto& w = chunks.weights[c];
    bool weighted = std::any_of(w.begin(), w.end(), [](float v) { return v != 1.0f; });
    if (weighted) {
      // A1111: z *= w; z *= old_mean / new_mean (means over the whole chunk, in fp32).
      auto zf = z.to(torch::kFloat32);
      auto original_mean = zf.mean();
      auto wt = torch::tensor(std::vector<float>(w.begin(), w.end()), torch::kFloat32).to(device);
      zf = zf * wt.view({1, -1, 1});
      auto new_mean = zf.mean();
      zf = zf * (original_mean / new_mean);
      z = zf.to(z.scalar_type());
    }
    parts.push_back(z);
  }
  return torch::cat(parts, 1);
}

Conditioning encode_prompts(CLIPTextModel& encoder, const Tokenizer& tokenizer, const std::string& prompt,
                            const std::string& negative, int clip_skip, const torch::Device& device) {
  auto pos = tokenize_prompt(tokenizer, prompt);
  auto neg = tokenize_prompt(tokenizer, negative);
  const std::size_t n = std::max(pos.size(), neg.size());
  pad_to_chunks(pos, n);
  pad_to_chunks(neg, n);
  return {encode_chunks(encoder, pos, clip_skip, device), encode_chunks(encoder, neg, clip_skip, device)};
}

}  // namespace strata::diffusion
