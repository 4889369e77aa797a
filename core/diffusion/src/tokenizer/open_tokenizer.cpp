// open_tokenizer.cpp — which tokenizer a path holds (see strata/diffusion/tokenizer.h).
#include "strata/diffusion/clip_tokenizer.h"
#include "strata/diffusion/sentencepiece_tokenizer.h"
#include "strata/diffusion/tokenizer.h"

namespace strata::diffusion {

std::unique_ptr<Tokenizer> open_tokenizer(const std::filesystem::path& path) {
  if (std::filesystem::is_regular_file(path / "tokenizer.model") || path.extension() == ".model") {
    return std::make_unique<SentencePieceTokenizer>(SentencePieceTokenizer::from_path(path));
  }
  return std::make_unique<CLIPTokenizer>(CLIPTokenizer::from_path(path));
}

}  // namespace strata::diffusion
