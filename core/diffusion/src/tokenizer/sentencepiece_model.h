// tokenizer/sentencepiece_model.h — a self-contained reader and encoder for SentencePiece
// .model files (unigram, BPE, word and char models), giving libsentencepiece's ids.
//
// Why not libsentencepiece itself: Debian's libsentencepiece.so exports the protobuf-lite it
// bundles, and a process that also loads libprotobuf.so (libtorch does) crashes while loading.
// The tests check this implementation against libsentencepiece in a torch-free executable.
//
// Immutable after load(): all const methods are thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace strata::diffusion::spm {

enum class PieceType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Unused = 5,
  Byte = 6
};
enum class ModelType { Unigram = 1, Bpe = 2, Word = 3, Char = 4 };

struct Piece {
  std::string text;
  float score = 0;
  PieceType type = PieceType::Normal;
};

class Model {
 public:
  // Parses a serialized ModelProto. Throws std::runtime_error describing what is wrong.
  explicit Model(std::string_view serialized);

  std::string normalize(std::string_view text) const;
  // (piece, id) pairs for already normalized text; unknown pieces carry the unk id.
  std::vector<std::pair<std::string, int>> encode_normalized(std::string_view normalized) const;
  // Ids as SentencePieceProcessor::Encode gives them (byte fallback, merged unknown runs).
  std::vector<int> encode(std::string_view text) const;
  std::vector<std::string> encode_pieces(std::string_view text) const;
  std::string decode(const std::vector<int>& ids) const;

  int size() const { return static_cast<int>(pieces_.size()); }
  const Piece& piece(int id) const { return pieces_[static_cast<std::size_t>(id)]; }
  int piece_to_id(std::string_view piece) const;  // unk id when absent
  // libsentencepiece's accessors: the id of the named piece if it has the right type, else -1.
  int unk_id() const { return unk_id_; }
  int bos_id() const { return special(bos_piece_, PieceType::Control); }
  int eos_id() const { return special(eos_piece_, PieceType::Control); }
  int pad_id() const { return special(pad_piece_, PieceType::Control); }

 private:
  int special(const std::string& name, PieceType type) const;
  std::pair<std::string_view, std::size_t> normalize_prefix(std::string_view input) const;
  std::size_t user_defined_prefix(std::string_view input) const;
  std::vector<std::pair<std::string, int>> encode_unigram(std::string_view normalized) const;
  std::vector<std::pair<std::string, int>> encode_bpe(std::string_view normalized) const;
  std::vector<std::pair<std::string, int>> encode_word(std::string_view normalized) const;
  std::vector<std::pair<std::string, int>> encode_char(std::string_view normalized) const;
  std::vector<std::pair<std::string, int>> encode_with_fallback(std::string_view text) const;

  std::vector<Piece> pieces_;
  std::unordered_map<std::string, int> normal_;    // NORMAL, USER_DEFINED, UNUSED pieces
  std::unordered_map<std::string, int> reserved_;  // CONTROL, UNKNOWN, BYTE pieces
  std::vector<std::string> user_defined_;
  std::size_t max_piece_bytes_ = 0;
  ModelType type_ = ModelType::Unigram;
  int unk_id_ = -1;
  float min_score_ = 0, max_score_ = 0;
  bool byte_fallback_ = false;
  bool whitespace_suffix_ = false;
  std::string unk_piece_ = "<unk>", bos_piece_ = "<s>", eos_piece_ = "</s>", pad_piece_ = "<pad>";
  std::string unk_surface_ = " \xE2\x81\x87 ";
  // Normalizer: Darts double-array trie over precompiled rules, and its replacement strings.
  std::vector<unsigned> trie_;
  std::string replacements_;
  bool add_dummy_prefix_ = true;
  bool remove_extra_whitespaces_ = true;
  bool escape_whitespaces_ = true;
};

}  // namespace strata::diffusion::spm
