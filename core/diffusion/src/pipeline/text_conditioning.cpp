#include "pipeline/text_conditioning.h"

#include <algorithm>

namespace strata::diffusion {

namespace {

// [BOS, t…, EOS, pad…] with the encoder's own pad id after the first EOS. → [1, 77] int64
torch::Tensor chunk_ids(const std::array<int, kChunkLength>& ids, const TextEncoderConfig& config,
                        const torch::Device& device) {
  std::vector<std::int64_t> out(ids.begin(), ids.end());
  auto eos = std::find(out.begin() + 1, out.end(), config.eos_id);
  if (eos != out.end()) std::fill(eos + 1, out.end(), config.pad_id);
  return torch::tensor(out, torch::kInt64).unsqueeze(0).to(device);
}

// A1111: z *= w; z *= old_mean / new_mean (means over the whole chunk, in fp32).
torch::Tensor apply_weights(const torch::Tensor& z, const std::array<float, kChunkLength>& w,
                            const torch::Device& device) {
  if (std::all_of(w.begin(), w.end(), [](float v) { return v == 1.0f; })) return z;
  auto zf = z.to(torch::kFloat32);
  auto original_mean = zf.mean();
  auto wt = torch::tensor(std::vector<float>(w.begin(), w.end()), torch::kFloat32).to(device);
  zf = zf * wt.view({1, -1, 1});
  zf = zf * (original_mean / zf.mean());
  return zf.to(z.scalar_type());
}

}  // namespace

EncodedChunks encode_chunks(const TextEncoders& encoders, const PromptChunks& chunks, int clip_skip,
                            const torch::Device& device) {
  EncodedChunks out;
  std::vector<torch::Tensor> parts;
  parts.reserve(chunks.size());
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    std::vector<torch::Tensor> per_encoder;
    for (CLIPTextModel e : {encoders.first, encoders.second}) {  // shared holders: cheap copies
      if (!e) continue;
      auto ids = chunk_ids(chunks.ids[c], e->config(), device);
      const bool pooled_here = encoders.pooled && c == 0 && (!encoders.second || e.get() == encoders.second.get());
      torch::Tensor z;
      if (pooled_here) {
        auto [context, pooled] = e->context_and_pooled(ids, clip_skip);
        z = context;
        out.pooled = pooled.to(torch::kFloat32);
      } else {
        z = e->forward(ids, clip_skip);  // [1, 77, width]
      }
      per_encoder.push_back(apply_weights(z, chunks.weights[c], device));
    }
    parts.push_back(per_encoder.size() == 1 ? per_encoder.front() : torch::cat(per_encoder, -1));
  }
  out.context = torch::cat(parts, 1);
  return out;
}

Conditioning encode_prompts(const TextEncoders& encoders, const Tokenizer& tokenizer, const std::string& prompt,
                            const std::string& negative, int clip_skip, const torch::Device& device,
                            bool zero_empty_negative) {
  auto pos = tokenize_prompt(tokenizer, prompt);
  auto neg = tokenize_prompt(tokenizer, negative);
  const std::size_t n = std::max(pos.size(), neg.size());
  pad_to_chunks(pos, n);
  pad_to_chunks(neg, n);
  auto c = encode_chunks(encoders, pos, clip_skip, device);
  if (zero_empty_negative && negative.empty()) {
    return {c.context, torch::zeros_like(c.context), c.pooled,
            c.pooled.defined() ? torch::zeros_like(c.pooled) : torch::Tensor()};
  }
  auto u = encode_chunks(encoders, neg, clip_skip, device);
  return {c.context, u.context, c.pooled, u.pooled};
}

}  // namespace strata::diffusion
