// CLIPTokenizer: special-token split, text cleaning, CLIP regex pre-tokenization, cached BPE.
// Ref: transformers 4.30 models/clip/tokenization_clip.py (slow tokenizer, _tokenize, bpe),
// PreTrainedTokenizer.tokenize (added-token split before _tokenize), openai/CLIP
// simple_tokenizer.py (regex, bytes_to_unicode).
#include <algorithm>
#include <unordered_map>

#include "strata/diffusion/clip_tokenizer.h"
#include "tokenizer/clip_tokenizer_impl.h"
#include "tokenizer/text_fix.h"
#include "tokenizer/unicode.h"

namespace strata::diffusion {
namespace clip {
namespace {

// regex IGNORECASE compares simple case folds; after str.lower() the only other code point that
// folds onto a letter of the literals below is U+017F LATIN SMALL LETTER LONG S (→ 's').
bool folds_to(char32_t c, char32_t ascii_lower) {
  return c == ascii_lower || (ascii_lower == U's' && c == 0x17F);
}

std::size_t match_literal(std::u32string_view t, std::size_t i, std::u32string_view lit) {
  if (t.size() - i < lit.size()) return 0;
  for (std::size_t k = 0; k < lit.size(); ++k) {
    if (!folds_to(t[i + k], lit[k])) return 0;
  }
  return lit.size();
}

// What the regex never matches: \s (Unicode White_Space: Python's isspace() minus U+001C..1F),
// and U+0345 COMBINING GREEK YPOGEGRAMMENI, which the `regex` module under IGNORECASE excludes
// from [^\s\p{L}\p{N}] (it case-folds to a letter) without matching it as [\p{L}].
bool is_skipped(char32_t c) {
  return c == 0x345 || (unicode::is_space(c) && !(c >= 0x1C && c <= 0x1F));
}

bool is_other(char32_t c) {
  return !is_skipped(c) && !unicode::is_letter(c) && !unicode::is_number(c);
}

}  // namespace

std::vector<std::string> pre_tokenize(std::u32string_view t) {
  static constexpr std::u32string_view kSpecials[] = {U"<|startoftext|>", U"<|endoftext|>"};
  static constexpr std::u32string_view kContractions[] = {U"'s", U"'t",  U"'re", U"'ve",
                                                          U"'m", U"'ll", U"'d"};
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < t.size()) {
    const char32_t c = t[i];
    if (is_skipped(c)) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    if (c == U'<') {
      for (auto lit : kSpecials) {
        if ((len = match_literal(t, i, lit)) != 0) break;
      }
    } else if (c == U'\'') {
      for (auto lit : kContractions) {
        if ((len = match_literal(t, i, lit)) != 0) break;
      }
    }
    if (len == 0) {
      len = 1;
      if (unicode::is_letter(c)) {
        while (i + len < t.size() && unicode::is_letter(t[i + len])) ++len;
      } else if (!unicode::is_number(c)) {
        while (i + len < t.size() && is_other(t[i + len])) ++len;
      }
    }
    out.push_back(unicode::encode_utf8(t.substr(i, len)));
    i += len;
  }
  return out;
}

}  // namespace clip

namespace {

// Splits raw text at literal special tokens (transformers' added-token trie). Specials are returned
// as pieces with is_special set.
struct Piece {
  std::u32string_view text;
  bool is_special;
};

std::vector<Piece> split_specials(std::u32string_view text) {
  static constexpr std::u32string_view kSpecials[] = {U"<|startoftext|>", U"<|endoftext|>"};
  std::vector<Piece> out;
  std::size_t start = 0, i = 0;
  while (i < text.size()) {
    bool hit = false;
    if (text[i] == U'<') {
      for (auto s : kSpecials) {
        if (text.substr(i, s.size()) == s) {
          if (i > start) out.push_back({text.substr(start, i - start), false});
          out.push_back({text.substr(i, s.size()), true});
          i += s.size();
          start = i;
          hit = true;
          break;
        }
      }
    }
    if (!hit) ++i;
  }
  if (start < text.size()) out.push_back({text.substr(start), false});
  return out;
}

}  // namespace

CLIPTokenizer::CLIPTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CLIPTokenizer::CLIPTokenizer(CLIPTokenizer&&) noexcept = default;
CLIPTokenizer& CLIPTokenizer::operator=(CLIPTokenizer&&) noexcept = default;
CLIPTokenizer::~CLIPTokenizer() = default;

namespace {

// Symbols of every pre-token of `text`, specials as their ids (which are symbols too).
template <typename Sink>
void for_each_symbol(const CLIPTokenizer::Impl& impl, std::string_view text, Sink&& sink) {
  const clip::BpeModel& model = impl.model;
  const std::u32string decoded = unicode::decode_utf8(text);
  for (const auto& piece : split_specials(decoded)) {
    if (piece.is_special) {
      sink(piece.text.size() == clip::kStartOfText.size() ? model.bos_id() : model.eos_id());
      continue;
    }
    for (const std::string& pre : clip::pre_tokenize(text::clip_clean(piece.text))) {
      if (pre == clip::kStartOfText) {
        sink(model.bos_id());
        continue;
      }
      if (pre == clip::kEndOfText) {
        sink(model.eos_id());
        continue;
      }
      {
        std::lock_guard lock(impl.cache_mutex);
        if (auto it = impl.cache.find(pre); it != impl.cache.end()) {
          for (int s : it->second) sink(s);
          continue;
        }
      }
      std::vector<int> symbols = model.encode_word(pre);
      for (int s : symbols) sink(s);
      std::lock_guard lock(impl.cache_mutex);
      if (impl.cache.size() >= CLIPTokenizer::Impl::kCacheLimit) impl.cache.clear();
      impl.cache.emplace(pre, std::move(symbols));
    }
  }
}

}  // namespace

std::vector<int> CLIPTokenizer::encode(std::string_view text) const {
  std::vector<int> ids;
  for_each_symbol(*impl_, text, [&](int s) { ids.push_back(impl_->model.to_id(s)); });
  return ids;
}

std::vector<std::string> CLIPTokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> tokens;
  for_each_symbol(*impl_, text, [&](int s) { tokens.push_back(impl_->model.symbol(s)); });
  return tokens;
}

int CLIPTokenizer::bos_id() const {
  return impl_->model.bos_id();
}
int CLIPTokenizer::eos_id() const {
  return impl_->model.eos_id();
}
int CLIPTokenizer::pad_id() const {
  return impl_->model.eos_id();
}
int CLIPTokenizer::vocab_size() const {
  return impl_->model.vocab_end();
}

std::string CLIPTokenizer::token(int id) const {
  if (id < 0 || id >= impl_->model.vocab_end()) return {};
  return impl_->model.symbol(id);
}

int CLIPTokenizer::token_id(std::string_view token) const {
  return impl_->model.token_id(token);
}

std::string CLIPTokenizer::decode(std::span<const int> ids) const {
  static const std::unordered_map<char32_t, char> byte_of = [] {
    std::unordered_map<char32_t, char> m;
    const auto& to_unicode = clip::byte_to_unicode();
    for (int b = 0; b < 256; ++b) m[to_unicode[static_cast<std::size_t>(b)]] = static_cast<char>(b);
    return m;
  }();
  std::string bytes;
  for (int id : ids) {
    for (char32_t c : unicode::decode_utf8(token(id))) {
      if (auto it = byte_of.find(c); it != byte_of.end()) bytes.push_back(it->second);
    }
  }
  const std::string text = unicode::encode_utf8(unicode::decode_utf8(bytes));
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 4, "</w>") == 0) {
      out.push_back(' ');
      i += 4;
    } else {
      out.push_back(text[i++]);
    }
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

}  // namespace strata::diffusion
