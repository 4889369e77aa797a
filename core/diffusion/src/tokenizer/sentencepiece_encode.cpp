// SentencePiece segmentation of normalized text: unigram Viterbi, BPE by piece score, word, char.
// Ref: google/sentencepiece v0.1.97 src/unigram_model.cc (Model::EncodeOptimized, scores and
// tie-breaking included), bpe_model.cc (Model::SampleEncode without dropout), word_model.cc,
// char_model.cc, util.h (OneCharLen, SplitIntoWords).
#include <algorithm>
#include <queue>

#include "tokenizer/sentencepiece_model.h"

namespace strata::diffusion::spm {
namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";
constexpr float kUnkPenalty = 10.0f;

std::size_t one_char_len(std::string_view s) {
  static constexpr unsigned char kLen[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  return std::min<std::size_t>(kLen[static_cast<unsigned char>(s[0]) >> 4], s.size());
}

}  // namespace

std::vector<std::pair<std::string, int>> Model::encode_unigram(std::string_view text) const {
  struct Best {
    int id = -1;
    float score = 0;     // best path score ending here
    int starts_at = -1;  // start of the last piece of that path
  };
  const std::size_t size = text.size();
  const float unk_score = min_score_ - kUnkPenalty;
  std::vector<Best> best(size + 1);
  std::size_t start = 0;
  while (start < size) {
    const float till_here = best[start].score;
    const std::size_t mblen = one_char_len(text.substr(start));
    bool has_single = false;
    const std::size_t max_len = std::min(max_piece_bytes_, size - start);
    for (std::size_t len = 1; len <= max_len; ++len) {  // shorter pieces first, like the trie
      auto it = normal_.find(std::string(text.substr(start, len)));
      if (it == normal_.end()) continue;
      const int id = it->second;
      const Piece& p = piece(id);
      if (p.type == PieceType::Unused) continue;
      // libsentencepiece computes this in double (the user-defined bonus is a double expression)
      // and stores the winner as float.
      const double score = p.type == PieceType::UserDefined
                               ? static_cast<double>(static_cast<float>(len) * max_score_) - 0.1
                               : static_cast<double>(p.score);
      const double candidate = score + static_cast<double>(till_here);
      Best& target = best[start + len];
      if (target.starts_at == -1 || candidate > static_cast<double>(target.score)) {
        target = Best{id, static_cast<float>(candidate), static_cast<int>(start)};
      }
      if (len == mblen) has_single = true;
    }
    if (!has_single) {
      Best& target = best[start + mblen];
      const float candidate = unk_score + till_here;
      if (target.starts_at == -1 || candidate > target.score) {
        target = Best{unk_id_, candidate, static_cast<int>(start)};
      }
    }
    start += mblen;
  }
  std::vector<std::pair<std::string, int>> out;
  for (std::size_t end = size; end > 0;) {
    const Best& node = best[end];
    const auto from = static_cast<std::size_t>(node.starts_at);
    out.emplace_back(std::string(text.substr(from, end - from)), node.id);
    end = from;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<std::pair<std::string, int>> Model::encode_bpe(std::string_view text) const {
  struct Symbol {
    int prev;
    int next;
    bool freeze;  // user-defined symbols never merge
    std::size_t begin;
    std::size_t len;  // 0 once merged into its left neighbour
  };
  struct Pair {
    int left;
    int right;
    float score;
    std::size_t size;
  };
  // Highest score first; among equal scores the leftmost.
  const auto lower = [](const Pair& a, const Pair& b) {
    return a.score < b.score || (a.score == b.score && a.left > b.left);
  };
  std::priority_queue<Pair, std::vector<Pair>, decltype(lower)> agenda(lower);
  std::unordered_map<std::string, std::pair<std::string, std::string>> rev_merge;
  std::vector<Symbol> symbols;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t user = user_defined_prefix(text.substr(pos));
    const std::size_t len = user > 0 ? user : one_char_len(text.substr(pos));
    const int index = static_cast<int>(symbols.size());
    symbols.push_back(
        Symbol{index - 1, pos + len < text.size() ? index + 1 : -1, user > 0, pos, len});
    pos += len;
  }
  const auto view = [&](const Symbol& s) { return text.substr(s.begin, s.len); };
  const auto maybe_add = [&](int left, int right) {
    if (left == -1 || right == -1) return;
    const Symbol& l = symbols[static_cast<std::size_t>(left)];
    const Symbol& r = symbols[static_cast<std::size_t>(right)];
    if (l.freeze || r.freeze) return;
    const std::string merged(text.substr(l.begin, l.len + r.len));
    auto it = normal_.find(merged);
    if (it == normal_.end()) return;
    agenda.push(Pair{left, right, piece(it->second).score, merged.size()});
    if (piece(it->second).type == PieceType::Unused) {
      rev_merge[merged] = {std::string(view(l)), std::string(view(r))};
    }
  };
  for (std::size_t i = 1; i < symbols.size(); ++i) {
    maybe_add(static_cast<int>(i) - 1, static_cast<int>(i));
  }
  while (!agenda.empty()) {
    const Pair top = agenda.top();
    agenda.pop();
    Symbol& l = symbols[static_cast<std::size_t>(top.left)];
    Symbol& r = symbols[static_cast<std::size_t>(top.right)];
    if (l.len == 0 || r.len == 0 || l.len + r.len != top.size) continue;  // stale
    l.len += r.len;
    l.next = r.next;
    if (r.next >= 0) symbols[static_cast<std::size_t>(r.next)].prev = top.left;
    r.len = 0;
    maybe_add(l.prev, top.left);
    maybe_add(top.left, l.next);
  }
  std::vector<std::pair<std::string, int>> out;
  // Unused pieces are split back into the two pieces they were merged from.
  const auto resegment = [&](const auto& self, const std::string& w) -> void {
    const int id = piece_to_id(w);
    auto it = rev_merge.find(w);
    if (piece(id).type != PieceType::Unused || it == rev_merge.end()) {
      out.emplace_back(w, id);
      return;
    }
    self(self, it->second.first);
    self(self, it->second.second);
  };
  for (int i = symbols.empty() ? -1 : 0; i != -1; i = symbols[static_cast<std::size_t>(i)].next) {
    resegment(resegment, std::string(view(symbols[static_cast<std::size_t>(i)])));
  }
  return out;
}

std::vector<std::pair<std::string, int>> Model::encode_word(std::string_view text) const {
  // Words start at the text start and at each space symbol (end after it when whitespace is a
  // suffix).
  std::vector<std::pair<std::string, int>> out;
  std::string word;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t len = one_char_len(text.substr(pos));
    const bool ws = text.substr(pos, len) == kSpaceSymbol;
    if (!whitespace_suffix_ && ws && !word.empty()) {
      out.emplace_back(word, piece_to_id(word));
      word.clear();
    }
    word += text.substr(pos, len);
    if (whitespace_suffix_ && ws) {
      out.emplace_back(word, piece_to_id(word));
      word.clear();
    }
    pos += len;
  }
  if (!word.empty()) out.emplace_back(word, piece_to_id(word));
  return out;
}

std::vector<std::pair<std::string, int>> Model::encode_char(std::string_view text) const {
  std::vector<std::pair<std::string, int>> out;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t len = one_char_len(text.substr(pos));
    const std::string c(text.substr(pos, len));
    out.emplace_back(c, piece_to_id(c));
    pos += len;
  }
  return out;
}

}  // namespace strata::diffusion::spm
