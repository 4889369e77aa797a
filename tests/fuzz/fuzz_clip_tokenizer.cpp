// libFuzzer target: CLIPTokenizer::encode / tokenize / decode on arbitrary bytes.
//
// Needs the CLIP vocabulary: $STRATA_CLIP_TOKENIZER (a folder with vocab.json + merges.txt, or the
// .txt.gz), else the reference kit's clip/ folder baked in at build time. Build and run: see
// tests/fuzz/tokenizer.cmake. Besides crashes and sanitizer reports it aborts when an invariant
// below does not hold.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "strata/diffusion/clip_tokenizer.h"
#include "strata/doc/error.h"

#ifndef STRATA_FUZZ_CLIP_DIR
#define STRATA_FUZZ_CLIP_DIR "../shared/reference/clip"
#endif

namespace {

using strata::diffusion::CLIPTokenizer;

std::unique_ptr<CLIPTokenizer> tokenizer;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = b < 0x80         ? 1
                          : (b >> 5) == 6  ? 2
                          : (b >> 4) == 14 ? 3
                          : (b >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* env = std::getenv("STRATA_CLIP_TOKENIZER");
  try {
    tokenizer = std::make_unique<CLIPTokenizer>(
        CLIPTokenizer::from_path(env != nullptr ? env : STRATA_FUZZ_CLIP_DIR));
  } catch (const strata::doc::Error& e) {
    std::fprintf(stderr, "fuzz_clip_tokenizer: %s\n", e.what());
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto ids = tokenizer->encode(text);
  const int vocab = tokenizer->vocab_size();
  for (int id : ids) check(id >= 0 && id < vocab, "id inside the vocabulary");
  check(tokenizer->encode(text) == ids, "encode is deterministic (cache hit = cache miss)");
  const auto tokens = tokenizer->tokenize(text);
  check(tokens.size() == ids.size(), "one token string per id");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const int id = tokenizer->token_id(tokens[i]);
    check(id == ids[i] || (id < 0 && ids[i] == tokenizer->eos_id()), "token strings match ids");
  }
  const std::string decoded = tokenizer->decode(ids);
  check(valid_utf8(decoded), "decode gives valid UTF-8");
  return 0;
}
