// shipped_vocabulary.cpp — where the CLIP vocabulary installed with Strata is (see clip_tokenizer.h).
#include <string>

#include "strata/diffusion/clip_tokenizer.h"
#include "strata/doc/data_files.h"

namespace strata::diffusion {

namespace fs = std::filesystem;

namespace {
constexpr const char* kVocabFile = "bpe_simple_vocab_16e6.txt.gz";
}

std::vector<fs::path> shipped_clip_vocabulary_candidates() {
#ifdef STRATA_SOURCE_CLIP_DIR
  const fs::path source = STRATA_SOURCE_CLIP_DIR;
#else
  const fs::path source;
#endif
  return doc::data_file_candidates("STRATA_CLIP_VOCAB", std::string("clip/") + kVocabFile, source, kVocabFile);
}

fs::path find_shipped_clip_vocabulary() {
  return doc::first_data_file(shipped_clip_vocabulary_candidates()).value_or(fs::path());
}

}  // namespace strata::diffusion
