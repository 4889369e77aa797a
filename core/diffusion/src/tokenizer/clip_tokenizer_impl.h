// tokenizer/clip_tokenizer_impl.h — CLIPTokenizer's private state, shared by its two .cpp files.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "strata/diffusion/clip_tokenizer.h"
#include "tokenizer/clip_bpe.h"

namespace strata::diffusion {

struct CLIPTokenizer::Impl {
  explicit Impl(clip::BpeModel m) : model(std::move(m)) {}

  clip::BpeModel model;
  // Pre-token bytes → symbols. Bounded: cleared when it reaches kCacheLimit entries.
  static constexpr std::size_t kCacheLimit = 1 << 16;
  mutable std::mutex cache_mutex;
  mutable std::unordered_map<std::string, std::vector<int>> cache;
};

namespace clip {
// The CLIP regex split of cleaned text, as UTF-8 pre-tokens:
// <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
// with re.IGNORECASE. Exposed for tests.
std::vector<std::string> pre_tokenize(std::u32string_view cleaned);
}  // namespace clip

}  // namespace strata::diffusion
