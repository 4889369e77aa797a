// strata/diffusion/clip_tokenizer.h — CLIP's byte-level BPE tokenizer (SD 1.x/2.x, SDXL).
//
// Gives the ids of transformers' slow CLIPTokenizer with ftfy installed: the text is repaired the
// way ftfy.fix_text does it (HTML entities, mojibake, curly quotes, ligatures, full-width forms,
// control characters, NFC), whitespace-collapsed, lower-cased, split with the CLIP regex and
// BPE-merged. "<|startoftext|>" / "<|endoftext|>" written in a prompt are their special ids.
// Bytes that are not valid UTF-8 are read as U+FFFD (one per maximal invalid sequence), like
// Python's errors="replace"; the result is then tokenized like any other symbol.
//
// Ownership: a CLIPTokenizer owns its vocabulary; it is movable, not copyable.
// Thread-safety: every const method may be called from several threads at once (the BPE cache is
// guarded by a mutex).
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strata/diffusion/tokenizer.h"

namespace strata::diffusion {

class CLIPTokenizer final : public Tokenizer {
 public:
  // Hugging Face files: vocab.json ({"token": id}) and merges.txt ("#version" line, then
  // "a b" per merge; like transformers, only the first 48894 merges are used).
  static CLIPTokenizer from_files(const std::filesystem::path& vocab_json,
                                  const std::filesystem::path& merges_txt);
  // openai's bpe_simple_vocab_16e6.txt.gz: vocabulary = 256 byte symbols, the same with "</w>",
  // the first 48894 merges joined, then <|startoftext|> and <|endoftext|>.
  static CLIPTokenizer from_bpe_gz(const std::filesystem::path& bpe_gz);
  // A folder holding vocab.json + merges.txt, or a diffusers model folder with tokenizer/, or a
  // folder with bpe_simple_vocab_16e6.txt.gz; or a .gz / vocab.json / merges.txt file.
  static CLIPTokenizer from_path(const std::filesystem::path& path);

  CLIPTokenizer(CLIPTokenizer&&) noexcept;
  CLIPTokenizer& operator=(CLIPTokenizer&&) noexcept;
  ~CLIPTokenizer() override;

  // Ids without BOS/EOS, padding or truncation. Never throws for any input bytes.
  std::vector<int> encode(std::string_view text) const override;
  int bos_id() const override;  // <|startoftext|> (49406 in CLIP's vocabulary)
  int eos_id() const override;  // <|endoftext|> (49407)
  int pad_id() const override;  // <|endoftext|>, as SD 1.x pads; SD 2.x pads with 0 instead
  int vocab_size() const override;
  std::string token(int id) const override;  // "" for an id outside the vocabulary

  // The token strings encode() produces (byte-level symbols, "</w>" marking a word end).
  std::vector<std::string> tokenize(std::string_view text) const;
  // Id of a vocabulary token, or -1.
  int token_id(std::string_view token) const;
  // Back to text: "</w>" becomes a space, bytes are re-assembled, invalid UTF-8 becomes U+FFFD.
  std::string decode(std::span<const int> ids) const;

  struct Impl;  // opaque: defined in src/tokenizer

 private:
  explicit CLIPTokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The CLIP vocabulary that ships with Strata (resources/clip/bpe_simple_vocab_16e6.txt.gz, OpenAI's,
// MIT): where it is looked for, in order — $STRATA_CLIP_VOCAB, <prefix>/share/strata/clip/ beside
// the running binary's bin/ (an installed copy), the source tree (build-tree runs).
std::vector<std::filesystem::path> shipped_clip_vocabulary_candidates();
// The first candidate that exists; empty when none does.
std::filesystem::path find_shipped_clip_vocabulary();

}  // namespace strata::diffusion
