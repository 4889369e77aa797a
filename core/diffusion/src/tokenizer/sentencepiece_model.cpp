// SentencePiece .model files: protobuf wire-format reading, the normalizer (precompiled Darts
// double-array rules, whitespace handling), id post-processing and decoding.
// Ref: google/sentencepiece v0.1.97 src/sentencepiece_model.proto (field numbers),
// normalizer.cc (Normalize, NormalizePrefix), model_interface.cc (InitializePieces),
// sentencepiece_processor.cc (PopulateSentencePieceText, Decode), darts_clone (double array).
#include "tokenizer/sentencepiece_model.h"

#include <algorithm>
#include <cfloat>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "strata/doc/utf8.h"

namespace strata::diffusion::spm {
namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581, SentencePiece's space

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what);
}

// Minimal protobuf wire-format reader (varint, 32-bit, length-delimited; 64-bit skipped).
class Reader {
 public:
  explicit Reader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}

  bool next(int& field, int& wire) {
    if (p_ == end_) return false;
    const std::uint64_t tag = varint();
    field = static_cast<int>(tag >> 3);
    wire = static_cast<int>(tag & 7);
    if (field == 0) fail("invalid protobuf field number 0");
    return true;
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) fail("truncated protobuf varint");
      const auto b = static_cast<unsigned char>(*p_++);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    fail("overlong protobuf varint");
  }
  std::string_view bytes() {
    const std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end_ - p_)) fail("truncated protobuf field");
    std::string_view s(p_, static_cast<std::size_t>(n));
    p_ += n;
    return s;
  }
  std::uint32_t fixed32() {
    if (end_ - p_ < 4) fail("truncated protobuf fixed32");
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p_[i]);
    p_ += 4;
    return v;
  }
  void skip(int wire) {
    switch (wire) {
      case 0:
        varint();
        break;
      case 1:
        if (end_ - p_ < 8) fail("truncated protobuf fixed64");
        p_ += 8;
        break;
      case 2:
        bytes();
        break;
      case 5:
        fixed32();
        break;
      default:
        fail("unsupported protobuf wire type " + std::to_string(wire));
    }
  }

 private:
  const char* p_;
  const char* end_;
};

float as_float(std::uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// SentencePiece's string_util::IsValidDecodeUTF8: length of one well-formed character at the
// start of s (not empty), or 0. (SentencePiece then replaces one byte, not a maximal subpart.)
std::size_t valid_char_len(std::string_view s) {
  const doc::Utf8Char c = doc::decode_utf8_char(s, 0);
  return c.valid ? c.length : 0;
}

// "<0xAB>" → 0xAB; -1 for anything else.
int byte_value(std::string_view piece) {
  if (piece.size() != 6 || !piece.starts_with("<0x") || piece[5] != '>') return -1;
  int v = 0;
  for (char c : piece.substr(3, 2)) {
    v *= 16;
    if (c >= '0' && c <= '9')
      v += c - '0';
    else if (c >= 'A' && c <= 'F')
      v += c - 'A' + 10;
    else if (c >= 'a' && c <= 'f')
      v += c - 'a' + 10;
    else
      return -1;
  }
  return v;
}

}  // namespace

Model::Model(std::string_view serialized) {
  Reader model(serialized);
  int field = 0, wire = 0;
  std::string charsmap;
  while (model.next(field, wire)) {
    if (field == 1 && wire == 2) {  // repeated SentencePiece pieces
      Reader r(model.bytes());
      Piece p;
      while (r.next(field, wire)) {
        if (field == 1 && wire == 2)
          p.text = std::string(r.bytes());
        else if (field == 2 && wire == 5)
          p.score = as_float(r.fixed32());
        else if (field == 3 && wire == 0)
          p.type = static_cast<PieceType>(r.varint());
        else
          r.skip(wire);
      }
      pieces_.push_back(std::move(p));
    } else if (field == 2 && wire == 2) {  // TrainerSpec
      Reader r(model.bytes());
      while (r.next(field, wire)) {
        if (field == 3 && wire == 0)
          type_ = static_cast<ModelType>(r.varint());
        else if (field == 24 && wire == 0)
          whitespace_suffix_ = r.varint() != 0;
        else if (field == 35 && wire == 0)
          byte_fallback_ = r.varint() != 0;
        else if (field == 44 && wire == 2)
          unk_surface_ = std::string(r.bytes());
        else if (field == 45 && wire == 2)
          unk_piece_ = std::string(r.bytes());
        else if (field == 46 && wire == 2)
          bos_piece_ = std::string(r.bytes());
        else if (field == 47 && wire == 2)
          eos_piece_ = std::string(r.bytes());
        else if (field == 48 && wire == 2)
          pad_piece_ = std::string(r.bytes());
        else
          r.skip(wire);
      }
    } else if (field == 3 && wire == 2) {  // NormalizerSpec
      Reader r(model.bytes());
      while (r.next(field, wire)) {
        if (field == 2 && wire == 2)
          charsmap = std::string(r.bytes());
        else if (field == 3 && wire == 0)
          add_dummy_prefix_ = r.varint() != 0;
        else if (field == 4 && wire == 0)
          remove_extra_whitespaces_ = r.varint() != 0;
        else if (field == 5 && wire == 0)
          escape_whitespaces_ = r.varint() != 0;
        else
          r.skip(wire);
      }
    } else {
      model.skip(wire);
    }
  }
  if (pieces_.empty()) fail("the model has no pieces");
  if (type_ < ModelType::Unigram || type_ > ModelType::Char) {
    fail("unknown model type " + std::to_string(static_cast<int>(type_)));
  }
  min_score_ = FLT_MAX;
  max_score_ = FLT_MIN;  // sic: libsentencepiece starts from the smallest positive float
  for (std::size_t i = 0; i < pieces_.size(); ++i) {
    const Piece& p = pieces_[i];
    const int id = static_cast<int>(i);
    if (p.text.empty()) fail("piece " + std::to_string(i) + " is empty");
    if (p.type < PieceType::Normal || p.type > PieceType::Byte) {
      fail("piece \"" + p.text + "\" has unknown type " + std::to_string(static_cast<int>(p.type)));
    }
    const bool normal = p.type == PieceType::Normal || p.type == PieceType::UserDefined ||
                        p.type == PieceType::Unused;
    if (!(normal ? normal_ : reserved_).emplace(p.text, id).second) {
      fail("piece \"" + p.text + "\" is defined twice");
    }
    if (p.type == PieceType::UserDefined) user_defined_.push_back(p.text);
    if (p.type == PieceType::Unknown) {
      if (unk_id_ >= 0) fail("more than one unknown piece");
      unk_id_ = id;
    }
    if (p.type == PieceType::Byte && !byte_fallback_) {
      fail("byte piece \"" + p.text + "\" in a model without byte_fallback");
    }
    if (p.type == PieceType::Normal) {
      min_score_ = std::min(min_score_, p.score);
      max_score_ = std::max(max_score_, p.score);
    }
    if (normal) max_piece_bytes_ = std::max(max_piece_bytes_, p.text.size());
  }
  if (unk_id_ < 0) fail("the model has no unknown piece");
  if (min_score_ == FLT_MAX) min_score_ = 0;
  if (max_score_ == FLT_MIN) max_score_ = 0;
  if (!charsmap.empty()) {  // <u32 trie size><double-array units><NUL-separated replacements>
    if (charsmap.size() <= 4) fail("precompiled_charsmap is truncated");
    std::uint32_t trie_size = 0;
    for (int i = 3; i >= 0; --i)
      trie_size = (trie_size << 8) | static_cast<unsigned char>(charsmap[i]);
    if (trie_size > charsmap.size() - 4 || trie_size % 4 != 0) {
      fail("precompiled_charsmap has an impossible trie size");
    }
    trie_.resize(trie_size / 4);
    std::memcpy(trie_.data(), charsmap.data() + 4, trie_size);  // little-endian units
    replacements_ = charsmap.substr(4 + trie_size);
  }
}

int Model::piece_to_id(std::string_view piece) const {
  const std::string key(piece);
  if (auto it = reserved_.find(key); it != reserved_.end()) return it->second;
  if (auto it = normal_.find(key); it != normal_.end()) return it->second;
  return unk_id_;
}

int Model::special(const std::string& name, PieceType type) const {
  const int id = piece_to_id(name);
  return piece(id).type == type ? id : -1;
}

std::size_t Model::user_defined_prefix(std::string_view input) const {
  std::size_t best = 0;
  for (const std::string& u : user_defined_) {
    if (u.size() > best && input.starts_with(u)) best = u.size();
  }
  return best;
}

std::pair<std::string_view, std::size_t> Model::normalize_prefix(std::string_view input) const {
  if (input.empty()) return {{}, 0};
  if (const std::size_t n = user_defined_prefix(input); n > 0) return {input.substr(0, n), n};
  // Darts common-prefix search; the longest rule wins (only the first 32 matches are seen).
  std::size_t longest = 0, value = 0;
  if (!trie_.empty()) {
    const auto offset = [](unsigned u) { return (u >> 10) << ((u & (1U << 9)) >> 6); };
    std::size_t node = offset(trie_[0]);
    int found = 0;
    for (std::size_t i = 0; i < input.size(); ++i) {
      const auto c = static_cast<unsigned char>(input[i]);
      node ^= c;
      if (node >= trie_.size()) break;
      const unsigned unit = trie_[node];
      if ((unit & ((1U << 31) | 0xFF)) != c) break;
      node ^= offset(unit);
      if (node >= trie_.size()) break;
      if ((unit >> 8) & 1) {
        if (found++ < 32 && i + 1 > longest) {
          longest = i + 1;
          value = trie_[node] & ((1U << 31) - 1);
        }
      }
    }
  }
  if (longest > 0 && value < replacements_.size()) {
    const char* s = replacements_.data() + value;
    return {std::string_view(s, strnlen(s, replacements_.size() - value)), longest};
  }
  if (const std::size_t n = valid_char_len(input); n > 0) return {input.substr(0, n), n};
  return {"\xEF\xBF\xBD", 1};  // a malformed byte becomes U+FFFD, one byte at a time
}

std::string Model::normalize(std::string_view input) const {
  std::string out;
  if (remove_extra_whitespaces_) {
    while (!input.empty()) {
      const auto [s, n] = normalize_prefix(input);
      if (s != " ") break;
      input.remove_prefix(n);
    }
  }
  if (input.empty()) return out;
  const auto add_ws = [&] { out += escape_whitespaces_ ? kSpaceSymbol : std::string_view(" "); };
  if (!whitespace_suffix_ && add_dummy_prefix_) add_ws();
  bool prev_space = remove_extra_whitespaces_;
  while (!input.empty()) {
    auto [s, n] = normalize_prefix(input);
    while (prev_space && s.starts_with(' ')) s.remove_prefix(1);
    if (!s.empty()) {
      for (char c : s) {
        if (escape_whitespaces_ && c == ' ')
          out += kSpaceSymbol;
        else
          out.push_back(c);
      }
      prev_space = s.ends_with(' ');
    }
    input.remove_prefix(n);
    if (!remove_extra_whitespaces_) prev_space = false;
  }
  if (remove_extra_whitespaces_) {
    const std::string_view space = escape_whitespaces_ ? kSpaceSymbol : std::string_view(" ");
    while (std::string_view(out).ends_with(space)) out.resize(out.size() - space.size());
  }
  if (whitespace_suffix_ && add_dummy_prefix_) add_ws();
  return out;
}

std::vector<std::pair<std::string, int>> Model::encode_with_fallback(std::string_view text) const {
  std::vector<std::pair<std::string, int>> out;
  bool prev_unk = false;
  for (auto& [surface, id] : encode_normalized(normalize(text))) {
    const bool unk = piece(id).type == PieceType::Unknown;
    if (unk && byte_fallback_) {
      for (unsigned char b : surface) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        out.emplace_back(name, piece_to_id(name));
      }
    } else if (unk && prev_unk) {
      out.back().first += surface;  // a run of unknown pieces is one unknown token
    } else {
      out.emplace_back(std::move(surface), id);
    }
    prev_unk = unk;
  }
  return out;
}

std::vector<int> Model::encode(std::string_view text) const {
  std::vector<int> ids;
  for (const auto& p : encode_with_fallback(text)) ids.push_back(p.second);
  return ids;
}

std::vector<std::string> Model::encode_pieces(std::string_view text) const {
  std::vector<std::string> pieces;
  for (auto& p : encode_with_fallback(text)) pieces.push_back(std::move(p.first));
  return pieces;
}

std::vector<std::pair<std::string, int>> Model::encode_normalized(
    std::string_view normalized) const {
  if (normalized.empty()) return {};
  switch (type_) {
    case ModelType::Bpe:
      return encode_bpe(normalized);
    case ModelType::Word:
      return encode_word(normalized);
    case ModelType::Char:
      return encode_char(normalized);
    case ModelType::Unigram:
      break;
  }
  return encode_unigram(normalized);
}

std::string Model::decode(const std::vector<int>& ids) const {
  std::string text, bytes;
  const auto flush_bytes = [&] {  // byte pieces: valid UTF-8 characters, else U+FFFD per byte
    for (std::size_t i = 0; i < bytes.size();) {
      const std::size_t n = valid_char_len(std::string_view(bytes).substr(i));
      text += n > 0 ? bytes.substr(i, n) : std::string("\xEF\xBF\xBD");
      i += n > 0 ? n : 1;
    }
    bytes.clear();
  };
  for (int id : ids) {
    if (id < 0 || id >= size()) continue;
    const Piece& p = piece(id);
    if (p.type == PieceType::Byte) {
      if (const int b = byte_value(p.text); b >= 0) bytes.push_back(static_cast<char>(b));
      continue;
    }
    flush_bytes();
    if (p.type == PieceType::Control) continue;
    if (p.type == PieceType::Unknown) {
      text += unk_surface_;
      continue;
    }
    std::string_view s = p.text;
    if (text.empty() && (add_dummy_prefix_ || remove_extra_whitespaces_) &&
        s.starts_with(kSpaceSymbol)) {
      s.remove_prefix(kSpaceSymbol.size());
    }
    for (std::size_t i = 0; i < s.size();) {
      if (s.substr(i).starts_with(kSpaceSymbol)) {
        text.push_back(' ');
        i += kSpaceSymbol.size();
      } else {
        text.push_back(s[i++]);
      }
    }
  }
  flush_bytes();
  return text;
}

}  // namespace strata::diffusion::spm
