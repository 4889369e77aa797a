// tokenizer/clip_bpe.h — the byte-level BPE model behind CLIPTokenizer (vocabulary + merge ranks).
//
// Words are sequences of symbols. Every token of the vocabulary is a symbol whose number is its
// id; strings that merges produce but the vocabulary lacks get numbers past the vocabulary (they
// become the unknown id on output, as in transformers). Immutable after construction: all const
// methods are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace strata::diffusion::clip {

// openai's bytes_to_unicode(): the printable stand-in of every byte, and the byte order of the
// first 256 vocabulary entries.
const std::array<char32_t, 256>& byte_to_unicode();
const std::array<std::uint8_t, 256>& vocabulary_byte_order();

constexpr int kMaxMerges = 49152 - 256 - 2;  // what openai's and transformers' loaders keep
constexpr std::string_view kStartOfText = "<|startoftext|>";
constexpr std::string_view kEndOfText = "<|endoftext|>";

class BpeModel {
 public:
  // vocab: token → id (non-negative); merges in rank order (a later duplicate pair overrides the
  // rank of an earlier one, like Python's dict). Throws std::invalid_argument when the vocabulary
  // lacks <|startoftext|> or <|endoftext|>, or an id is negative or above 10 million.
  BpeModel(std::unordered_map<std::string, int> vocab,
           const std::vector<std::pair<std::string, std::string>>& merges);

  // BPE of one pre-token given as UTF-8 bytes; symbols (see to_id / symbol).
  std::vector<int> encode_word(std::string_view bytes) const;
  int to_id(int symbol) const { return symbol < vocab_end_ ? symbol : unk_id_; }
  const std::string& symbol(int s) const { return symbols_[static_cast<std::size_t>(s)]; }

  int token_id(std::string_view token) const;   // -1 when absent
  int vocab_end() const { return vocab_end_; }  // largest id + 1
  int bos_id() const { return bos_id_; }
  int eos_id() const { return eos_id_; }
  int unk_id() const { return unk_id_; }

 private:
  struct Merge {
    int rank;
    int result;
  };
  int intern(const std::string& s);

  std::unordered_map<std::string, int> vocab_;       // token → id
  std::unordered_map<std::string, int> extra_;       // merge products missing from the vocabulary
  std::vector<std::string> symbols_;                 // symbol → string ("" for unused ids)
  std::unordered_map<std::uint64_t, Merge> merges_;  // (left << 32 | right) → rank, product
  std::array<int, 256> byte_symbol_{};               // byte → symbol (inside a word)
  std::array<int, 256> byte_end_symbol_{};           // byte → symbol + "</w>" (last of a word)
  int vocab_end_ = 0;
  int bos_id_ = 0;
  int eos_id_ = 0;
  int unk_id_ = 0;
};

}  // namespace strata::diffusion::clip
