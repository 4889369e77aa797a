// libFuzzer target: parse_prompt_attention and tokenize_prompt on arbitrary bytes.
//
// Build and run (see tests/fuzz/prompt.cmake for the CMake way):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined \
//     -Icore/diffusion/include -Icore/diffusion/src -Icore/doc/include \
//     tests/fuzz/fuzz_prompt.cpp core/diffusion/src/prompt/*.cpp core/doc/src/error.cpp -o fuzz_prompt
//   ./fuzz_prompt -max_total_time=60 -max_len=4096
// Besides crashes and sanitizer reports it aborts when an invariant below does not hold.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "strata/diffusion/prompt.h"
#include "strata/doc/error.h"

namespace {

using strata::diffusion::PromptChunks;
using strata::diffusion::PromptFragment;

void check(bool ok) {
  if (!ok) std::abort();
}

// Structural UTF-8 check (the parser promises valid UTF-8 out).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + static_cast<std::size_t>(n) > s.size()) return false;
    for (int k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0xC0) != 0x80) return false;
    }
    i += static_cast<std::size_t>(n);
  }
  return true;
}

// One id per byte; ',' is 267 like CLIP, so the comma backtrack is exercised.
class ByteTokenizer : public strata::diffusion::Tokenizer {
 public:
  std::vector<int> encode(std::string_view text) const override {
    std::vector<int> ids;
    for (char c : text) ids.push_back(c == ',' ? 267 : static_cast<unsigned char>(c));
    return ids;
  }
  int bos_id() const override { return 49406; }
  int eos_id() const override { return 49407; }
  int pad_id() const override { return 0; }
  int vocab_size() const override { return 49408; }
  std::string token(int id) const override { return std::to_string(id); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view prompt(reinterpret_cast<const char*>(data), size);
  std::vector<PromptFragment> fragments;
  try {
    fragments = strata::diffusion::parse_prompt_attention(prompt);
  } catch (const strata::doc::Error& e) {
    check(e.code() == strata::doc::ErrorCode::InvalidArgument || e.code() == strata::doc::ErrorCode::TooLarge);
    return 0;
  }
  check(!fragments.empty());
  std::size_t tokens = 0;
  for (const PromptFragment& f : fragments) {
    check(valid_utf8(f.text));
    check(!f.is_break || f.text == "BREAK");
    if (!f.is_break) tokens += f.text.size();
  }

  const ByteTokenizer tokenizer;
  const PromptChunks chunks = strata::diffusion::tokenize_prompt(tokenizer, prompt);
  check(chunks.size() >= 1 && chunks.weights.size() == chunks.size());
  std::size_t seen = 0;
  for (const auto& ids : chunks.ids) {
    check(ids[0] == 49406);
    std::size_t end = 1;
    while (end < ids.size() && ids[end] != 49407) ++end;
    check(end < ids.size());
    for (std::size_t i = end + 1; i < ids.size(); ++i) check(ids[i] == 0);
    seen += end - 1;
  }
  check(seen == tokens);  // no token lost or duplicated by BREAKs and comma backtracking
  return 0;
}
