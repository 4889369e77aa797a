// libFuzzer target: the SentencePiece .model reader and encoder on arbitrary model bytes.
//
// Seed it with real models (the tokenizer tests leave some under test-tmp/sentencepiece_*/).
// Build and run: see tests/fuzz/tokenizer.cmake. A malformed model must end in
// std::runtime_error, never a crash; a model that loads must encode without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tokenizer/sentencepiece_model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const strata::diffusion::spm::Model model(bytes);
    for (std::string_view text : {std::string_view("a red cat, 8k"), bytes.substr(0, 64),
                                  std::string_view("  \xFF\xE2\x96\x81x  ")}) {
      const auto ids = model.encode(text);
      for (int id : ids) {
        if (id < 0 || id >= model.size()) std::abort();
      }
      (void)model.decode(ids);
      (void)model.encode_pieces(text);
    }
  } catch (const std::runtime_error&) {
    // rejected model: fine
  }
  return 0;
}
