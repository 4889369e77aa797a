// strata/diffusion/tokenizer.h — the text → token-id interface shared by CLIP BPE and SentencePiece.
//
// encode() returns the ids of the text only: no BOS/EOS, no padding, no truncation. Callers
// (prompt chunking) add BOS/EOS and pad. Implementations are immutable after construction and
// safe to call from several threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace strata::diffusion {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  virtual std::vector<int> encode(std::string_view text) const = 0;
  virtual int bos_id() const = 0;
  virtual int eos_id() const = 0;
  virtual int pad_id() const = 0;
  virtual int vocab_size() const = 0;
  // Token strings for ids (for token counters and debugging).
  virtual std::string token(int id) const = 0;
};

// The tokenizer at `path`: SentencePiece for a .model file or a folder holding tokenizer.model,
// else CLIP's BPE (a folder with vocab.json + merges.txt, or bpe_simple_vocab_16e6.txt.gz).
// Throws doc::Error as the two from_path functions do.
std::unique_ptr<Tokenizer> open_tokenizer(const std::filesystem::path& path);

}  // namespace strata::diffusion
