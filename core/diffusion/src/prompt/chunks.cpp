// prompt/chunks.cpp — packing weighted prompt tokens into [BOS] + 75 + [EOS] chunks.
//
// Ref: AUTOMATIC1111/stable-diffusion-webui modules/sd_hijack_clip.py,
// FrozenCLIPEmbedderWithCustomWordsBase.tokenize_line() / empty_chunk() / process_tokens()
// (textual-inversion embeddings are not handled here). A1111 pads a chunk with EOS and, where the
// model's pad id differs (SD2), overwrites everything after the first EOS with pad; writing
// [BOS] tokens [EOS] pad… directly gives the same ids.
#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "strata/diffusion/prompt.h"
#include "strata/doc/error.h"

namespace strata::diffusion {
namespace {

using doc::Error;
using doc::ErrorCode;

class ChunkBuilder {
 public:
  ChunkBuilder(const Tokenizer& tokenizer, int comma_id, int backtrack) : comma_id_(comma_id), backtrack_(backtrack) {
    out_.bos_id = tokenizer.bos_id();
    out_.eos_id = tokenizer.eos_id();
    out_.pad_id = tokenizer.pad_id();
  }

  // One prompt token, in the order of tokenize_line's inner loop.
  void add(int id, float weight) {
    const int size = static_cast<int>(ids_.size());
    if (id == comma_id_) {
      last_comma_ = size;
    } else if (backtrack_ != 0 && size == kChunkTokens && last_comma_ != -1 && size - last_comma_ <= backtrack_) {
      // The chunk is full and a comma is near its end: move what follows the comma to a new chunk.
      const auto cut = static_cast<std::ptrdiff_t>(last_comma_ + 1);
      std::vector<int> moved_ids(ids_.begin() + cut, ids_.end());
      std::vector<float> moved_weights(weights_.begin() + cut, weights_.end());
      ids_.resize(static_cast<std::size_t>(cut));
      weights_.resize(static_cast<std::size_t>(cut));
      emit(false);
      ids_ = std::move(moved_ids);
      weights_ = std::move(moved_weights);
    }
    if (static_cast<int>(ids_.size()) == kChunkTokens) emit(false);
    ids_.push_back(id);
    weights_.push_back(weight);
  }

  // BREAK: close the current chunk even when it is empty (A1111's next_chunk()).
  void hard_break() { emit(false); }

  PromptChunks finish() {
    if (!ids_.empty() || out_.ids.empty()) emit(true);
    return std::move(out_);
  }

 private:
  // A1111 next_chunk(): a chunk that is not the last counts as 75 tokens; the last counts its own.
  void emit(bool is_last) {
    out_.token_count += is_last ? static_cast<int>(ids_.size()) : kChunkTokens;
    std::array<int, kChunkLength> ids{};
    std::array<float, kChunkLength> weights{};
    ids.fill(out_.pad_id);
    weights.fill(1.0f);
    ids[0] = out_.bos_id;
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      ids[i + 1] = ids_[i];
      weights[i + 1] = weights_[i];
    }
    ids[ids_.size() + 1] = out_.eos_id;
    out_.ids.push_back(ids);
    out_.weights.push_back(weights);
    ids_.clear();
    weights_.clear();
    last_comma_ = -1;
  }

  int comma_id_;
  int backtrack_;
  std::vector<int> ids_;  // tokens of the chunk being filled (at most 75)
  std::vector<float> weights_;
  int last_comma_ = -1;   // index of the last comma in ids_, -1 for none
  PromptChunks out_;
};

int resolve_comma_id(const Tokenizer& tokenizer, const ChunkOptions& options) {
  if (options.comma_id) return *options.comma_id;
  const std::vector<int> ids = tokenizer.encode(",");
  return ids.size() == 1 ? ids.front() : -1;  // -1 never matches a token id
}

}  // namespace

PromptChunks tokenize_prompt(const Tokenizer& tokenizer, std::string_view prompt, const ChunkOptions& options) {
  if (options.comma_padding_backtrack < 0 || options.comma_padding_backtrack >= kChunkTokens) {
    throw Error(ErrorCode::InvalidArgument, "prompt chunking: comma_padding_backtrack is " +
                                                std::to_string(options.comma_padding_backtrack) +
                                                "; expected 0 (off) to " + std::to_string(kChunkTokens - 1));
  }
  if (prompt.size() > kMaxPromptBytes) {
    throw Error(ErrorCode::TooLarge, "prompt: " + std::to_string(prompt.size()) +
                                         " bytes; the limit is " + std::to_string(kMaxPromptBytes));
  }
  const std::vector<PromptFragment> fragments =
      options.emphasis ? parse_prompt_attention(prompt)
                       : std::vector<PromptFragment>{PromptFragment{std::string(prompt), 1.0f, false}};

  ChunkBuilder builder(tokenizer, resolve_comma_id(tokenizer, options), options.comma_padding_backtrack);
  for (const PromptFragment& fragment : fragments) {
    if (fragment.is_break) {
      builder.hard_break();
      continue;
    }
    if (fragment.text.empty()) continue;
    for (int id : tokenizer.encode(fragment.text)) builder.add(id, fragment.weight);
  }
  return builder.finish();
}

void pad_to_chunks(PromptChunks& chunks, std::size_t n) {
  while (chunks.ids.size() < n) {
    std::array<int, kChunkLength> ids{};
    std::array<float, kChunkLength> weights{};
    ids.fill(chunks.pad_id);
    weights.fill(1.0f);
    ids[0] = chunks.bos_id;
    ids[1] = chunks.eos_id;
    chunks.ids.push_back(ids);
    chunks.weights.push_back(weights);
  }
}

int count_tokens(const Tokenizer& tokenizer, std::string_view prompt, const ChunkOptions& options) {
  return tokenize_prompt(tokenizer, prompt, options).token_count;
}

int token_capacity(int token_count) {
  const int n = token_count < 1 ? 1 : token_count;
  return ((n - 1) / kChunkTokens + 1) * kChunkTokens;
}

}  // namespace strata::diffusion
