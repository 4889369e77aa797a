// Byte-level BPE with "</w>" word ends, merge for merge the algorithm of openai/CLIP
// simple_tokenizer.py and transformers CLIPTokenizer.bpe(): repeatedly take the lowest-ranked
// adjacent pair and merge all its non-overlapping occurrences left to right. Done here with a
// heap over (rank, position) and a linked list, which gives the same result in O(n log n).
#include "tokenizer/clip_bpe.h"

#include <algorithm>
#include <queue>
#include <stdexcept>

#include "tokenizer/unicode.h"

namespace strata::diffusion::clip {
namespace {

std::uint64_t pair_key(int a, int b) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) |
         static_cast<std::uint32_t>(b);
}

struct ByteTables {
  std::array<char32_t, 256> to_unicode{};
  std::array<std::uint8_t, 256> order{};
};

const ByteTables& byte_tables() {
  static const ByteTables tables = [] {
    ByteTables t;
    std::array<bool, 256> printable{};
    int k = 0;
    const auto add_range = [&](int first, int last) {
      for (int b = first; b <= last; ++b) {
        printable[static_cast<std::size_t>(b)] = true;
        t.to_unicode[static_cast<std::size_t>(b)] = static_cast<char32_t>(b);
        t.order[static_cast<std::size_t>(k++)] = static_cast<std::uint8_t>(b);
      }
    };
    add_range('!', '~');
    add_range(0xA1, 0xAC);
    add_range(0xAE, 0xFF);
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      if (printable[static_cast<std::size_t>(b)]) continue;
      t.to_unicode[static_cast<std::size_t>(b)] = next++;
      t.order[static_cast<std::size_t>(k++)] = static_cast<std::uint8_t>(b);
    }
    return t;
  }();
  return tables;
}

}  // namespace

const std::array<char32_t, 256>& byte_to_unicode() {
  return byte_tables().to_unicode;
}
const std::array<std::uint8_t, 256>& vocabulary_byte_order() {
  return byte_tables().order;
}

BpeModel::BpeModel(std::unordered_map<std::string, int> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges)
    : vocab_(std::move(vocab)) {
  constexpr int kMaxId = 10'000'000;
  int max_id = -1;
  for (const auto& [tok, id] : vocab_) {
    if (id < 0 || id > kMaxId) {
      throw std::invalid_argument("token \"" + tok + "\" has id " + std::to_string(id) +
                                  ", outside 0.." + std::to_string(kMaxId));
    }
    max_id = std::max(max_id, id);
  }
  vocab_end_ = max_id + 1;
  symbols_.assign(static_cast<std::size_t>(vocab_end_), std::string());
  for (const auto& [tok, id] : vocab_) symbols_[static_cast<std::size_t>(id)] = tok;
  const int bos = token_id(kStartOfText), eos = token_id(kEndOfText);
  if (bos < 0 || eos < 0) {
    throw std::invalid_argument("the vocabulary lacks " +
                                std::string(bos < 0 ? kStartOfText : kEndOfText));
  }
  bos_id_ = bos;
  eos_id_ = eos;
  unk_id_ = eos;  // transformers' CLIPTokenizer: unk_token = "<|endoftext|>"

  const auto& to_unicode = byte_to_unicode();
  for (int b = 0; b < 256; ++b) {
    std::string s;
    unicode::append_utf8(s, to_unicode[static_cast<std::size_t>(b)]);
    byte_symbol_[static_cast<std::size_t>(b)] = intern(s);
    byte_end_symbol_[static_cast<std::size_t>(b)] = intern(s + "</w>");
  }
  int rank = 0;
  for (const auto& [left, right] : merges) {
    const int a = intern(left), b = intern(right);
    const int product = intern(left + right);
    merges_[pair_key(a, b)] = Merge{rank++, product};
  }
}

int BpeModel::intern(const std::string& s) {
  if (auto it = vocab_.find(s); it != vocab_.end()) return it->second;
  if (auto it = extra_.find(s); it != extra_.end()) return it->second;
  const int sym = static_cast<int>(symbols_.size());
  symbols_.push_back(s);
  extra_.emplace(s, sym);
  return sym;
}

int BpeModel::token_id(std::string_view token) const {
  auto it = vocab_.find(std::string(token));
  return it == vocab_.end() ? -1 : it->second;
}

std::vector<int> BpeModel::encode_word(std::string_view bytes) const {
  const std::size_t n = bytes.size();
  if (n == 0) return {};
  struct Node {
    int sym;
    int prev;
    int next;
  };
  std::vector<Node> nodes(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    nodes[i] = Node{i + 1 == n ? byte_end_symbol_[b] : byte_symbol_[b], static_cast<int>(i) - 1,
                    i + 1 == n ? -1 : static_cast<int>(i) + 1};
  }
  struct Candidate {
    int rank;
    int pos;  // index of the left node; left-to-right order among equal ranks
    int left;
    int right;
    bool operator>(const Candidate& o) const {
      return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  const auto consider = [&](int pos) {
    if (pos < 0) return;
    const int next = nodes[static_cast<std::size_t>(pos)].next;
    if (next < 0) return;
    const int a = nodes[static_cast<std::size_t>(pos)].sym;
    const int b = nodes[static_cast<std::size_t>(next)].sym;
    if (auto it = merges_.find(pair_key(a, b)); it != merges_.end()) {
      heap.push(Candidate{it->second.rank, pos, a, b});
    }
  };
  for (std::size_t i = 0; i + 1 < n; ++i) consider(static_cast<int>(i));

  std::vector<int> dead(n, 0);
  std::vector<Candidate> batch;
  std::vector<int> merged;
  while (!heap.empty()) {
    // All occurrences of the lowest-ranked pair, in position order. Merging cannot create a new
    // occurrence of the same pair (the product is longer than either half), so the batch is
    // complete; pairs it creates wait for the next round even if their rank is lower.
    const int rank = heap.top().rank;
    batch.clear();
    merged.clear();
    while (!heap.empty() && heap.top().rank == rank) {
      batch.push_back(heap.top());
      heap.pop();
    }
    for (const Candidate& c : batch) {
      Node& left = nodes[static_cast<std::size_t>(c.pos)];
      if (dead[static_cast<std::size_t>(c.pos)] || left.sym != c.left || left.next < 0) continue;
      Node& right = nodes[static_cast<std::size_t>(left.next)];
      if (right.sym != c.right) continue;
      left.sym = merges_.at(pair_key(c.left, c.right)).result;
      dead[static_cast<std::size_t>(left.next)] = 1;
      left.next = right.next;
      if (right.next >= 0) nodes[static_cast<std::size_t>(right.next)].prev = c.pos;
      merged.push_back(c.pos);
    }
    for (int pos : merged) {
      if (dead[static_cast<std::size_t>(pos)]) continue;
      consider(nodes[static_cast<std::size_t>(pos)].prev);
      consider(pos);
    }
  }
  std::vector<int> out;
  for (int i = 0; i >= 0; i = nodes[static_cast<std::size_t>(i)].next) {
    out.push_back(nodes[static_cast<std::size_t>(i)].sym);
  }
  return out;
}

}  // namespace strata::diffusion::clip
