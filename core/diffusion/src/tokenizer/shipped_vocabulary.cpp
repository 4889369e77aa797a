// shipped_vocabulary.cpp — where the CLIP vocabulary installed with Strata is (see clip_tokenizer.h).
#include <cstdlib>
#include <system_error>

#include "strata/diffusion/clip_tokenizer.h"

namespace strata::diffusion {

namespace fs = std::filesystem;

namespace {
constexpr const char* kVocabFile = "bpe_simple_vocab_16e6.txt.gz";
}

std::vector<fs::path> shipped_clip_vocabulary_candidates() {
  std::vector<fs::path> out;
  if (const char* env = std::getenv("STRATA_CLIP_VOCAB"); env && *env) out.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back(exe.parent_path().parent_path() / "share/strata/clip" / kVocabFile);
#ifdef STRATA_SOURCE_CLIP_DIR
  out.push_back(fs::path(STRATA_SOURCE_CLIP_DIR) / kVocabFile);
#endif
  return out;
}

fs::path find_shipped_clip_vocabulary() {
  for (const fs::path& p : shipped_clip_vocabulary_candidates()) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p;
  }
  return {};
}

}  // namespace strata::diffusion
