// strata/diffusion/sentencepiece_tokenizer.h — a SentencePiece model (tokenizer.model) as a
// Tokenizer, for the embedded model's text encoder (and T5 later).
//
// Gives libsentencepiece's ids (unigram, BPE, word and char models; normalization rules, byte
// fallback, user-defined symbols) with its own reader: libsentencepiece cannot be linked into a
// process that also loads libtorch (both bring protobuf; the process crashes while loading).
// Special ids come from the model; where the model disables one, the piece with the conventional
// name is used ("<s>", "</s>", "<pad>"), else: bos → eos, eos → unk, pad → eos.
// Bytes that are not valid UTF-8 become U+FFFD one byte at a time, as in libsentencepiece.
//
// Ownership: owns the model; movable, not copyable. Thread-safety: const methods may be called
// from several threads at once.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strata/diffusion/tokenizer.h"

namespace strata::diffusion {

class SentencePieceTokenizer final : public Tokenizer {
 public:
  // Throws doc::Error: NotFound (missing file), CorruptFile (not a SentencePiece model).
  static SentencePieceTokenizer from_file(const std::filesystem::path& model_file);
  // A model file, or a folder holding tokenizer.model / spiece.model (also under tokenizer/).
  static SentencePieceTokenizer from_path(const std::filesystem::path& path);

  SentencePieceTokenizer(SentencePieceTokenizer&&) noexcept;
  SentencePieceTokenizer& operator=(SentencePieceTokenizer&&) noexcept;
  ~SentencePieceTokenizer() override;

  std::vector<int> encode(std::string_view text) const override;  // no BOS/EOS
  int bos_id() const override;
  int eos_id() const override;
  int pad_id() const override;
  int unk_id() const;
  int vocab_size() const override;
  std::string token(int id) const override;                        // "" outside the vocabulary
  std::vector<std::string> tokenize(std::string_view text) const;  // pieces
  std::string decode(std::span<const int> ids) const;

  struct Impl;  // opaque: defined in src/tokenizer

 private:
  explicit SentencePieceTokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::diffusion
