// prompt/attention.cpp — A1111 prompt-attention parsing.
//
// Ref: AUTOMATIC1111/stable-diffusion-webui modules/prompt_parser.py @ 28bd8e14,
// parse_prompt_attention(). That function scans the prompt with one regex whose alternatives are,
// in priority order:
//   \( \) \[ \] \\   an escaped character      \   a lone backslash (emits "")
//   (  [              open a bracket            :\s*([+-]?[.\d]+)\s*\)   close "(" with a weight
//   )  ]              close a bracket           [^\\()\[\]:]+   a text run      :   a colon
// Every close multiplies all entries appended since the matching open; unclosed brackets apply at
// the end (all "(" first, oldest first, then all "["); equal-weight neighbours are merged last.
// The scanner below is that regex written by hand over code points, and the arithmetic is done in
// double in the same order as Python, so weights come out bit-identical before the final cast.
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "strata/diffusion/prompt.h"
#include "strata/doc/error.h"
#include "strata/doc/utf8.h"
#include "tokenizer/unicode.h"  // Python re's \s, \w, \d on str (shared with the tokenizer)

namespace strata::diffusion {
namespace {

using doc::Error;
using doc::ErrorCode;
using unicode::decimal_value;
using unicode::is_space;
using unicode::is_word;

constexpr double kRoundMultiplier = 1.1;
constexpr double kSquareMultiplier = 1 / 1.1;  // A1111 multiplies by this constant; never divides
constexpr std::u32string_view kBreak = U"BREAK";

struct Entry {
  std::u32string text;
  double weight = 1.0;
  bool is_break = false;
};

// `:\s*([+-]?[.\d]+)\s*\)` anchored at `pos` (which holds ':'). The regex cannot backtrack into a
// different match, so a greedy scan decides it. `number` receives the group; returns the end.
std::optional<std::size_t> match_weight(std::u32string_view s, std::size_t pos, std::u32string_view& number) {
  std::size_t i = pos + 1;
  while (i < s.size() && is_space(s[i])) ++i;
  const std::size_t begin = i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t digits = i;
  while (i < s.size() && (s[i] == '.' || decimal_value(s[i]) >= 0)) ++i;
  if (i == digits) return std::nullopt;
  number = s.substr(begin, i - begin);
  while (i < s.size() && is_space(s[i])) ++i;
  if (i == s.size() || s[i] != ')') return std::nullopt;
  return i + 1;
}

// Python float() of a string matching [+-]?[.\d]+ (Unicode digits allowed): correctly rounded,
// ±inf on overflow, ±0 on underflow; Error where float() raises ("1.2.3", ".", "+.").
// `position` (0-based code point index of the number) only serves the error message.
double to_weight(std::u32string_view number, std::size_t position) {
  std::string ascii;
  for (char32_t c : number) {
    const int d = decimal_value(c);
    ascii.push_back(d >= 0 ? static_cast<char>('0' + d) : static_cast<char>(c));  // '+', '-', '.'
  }
  const bool negative = !ascii.empty() && ascii.front() == '-';
  const std::size_t skip = (!ascii.empty() && (ascii.front() == '+' || ascii.front() == '-')) ? 1 : 0;
  const char* first = ascii.data() + skip;
  const char* last = ascii.data() + ascii.size();
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(first, last, value, std::chars_format::fixed);
  if (ec == std::errc::invalid_argument || ptr != last) {
    throw Error(ErrorCode::InvalidArgument,
                "prompt: the attention weight \"" + doc::encode_utf8(number) +
                    "\" at character " + std::to_string(position + 1) +
                    " is not a number; write a weight as (text:1.2)");
  }
  if (ec == std::errc::result_out_of_range) {
    // No exponent is possible here, so a non-zero digit before the point means overflow.
    bool large = false;
    for (const char* c = first; c != last && *c != '.'; ++c) large = large || *c != '0';
    value = large ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return negative ? -value : value;
}

class AttentionParser {
 public:
  explicit AttentionParser(std::u32string_view s) : s_(s) {}

  std::vector<Entry> run() {
    std::size_t i = 0;
    while (i < s_.size()) i = step(i);
    for (std::size_t start : round_) multiply_range(start, kRoundMultiplier);
    for (std::size_t start : square_) multiply_range(start, kSquareMultiplier);
    if (res_.empty()) append({});
    return merge_equal_weights();
  }

 private:
  // Consumes one regex token starting at i; returns the position after it.
  std::size_t step(std::size_t i) {
    const char32_t c = s_[i];
    if (c == '\\') {
      if (i + 1 < s_.size() && is_escapable(s_[i + 1])) {
        append(std::u32string(1, s_[i + 1]));
        return i + 2;
      }
      append({});  // a lone backslash: text[1:] of "\" is ""
      return i + 1;
    }
    if (c == '(') {
      round_.push_back(res_.size());
      return i + 1;
    }
    if (c == '[') {
      square_.push_back(res_.size());
      return i + 1;
    }
    if (c == ':') {
      std::u32string_view number;
      if (const auto end = match_weight(s_, i, number)) {
        if (!round_.empty()) {
          const std::size_t start = round_.back();
          round_.pop_back();
          multiply_range(start, to_weight(number, static_cast<std::size_t>(number.data() - s_.data())));
        } else {
          add_text(s_.substr(i, *end - i));  // ":1.5)" with no "(" open is text
        }
        return *end;
      }
      add_text(s_.substr(i, 1));
      return i + 1;
    }
    if (c == ')' && !round_.empty()) {
      const std::size_t start = round_.back();
      round_.pop_back();
      multiply_range(start, kRoundMultiplier);
      return i + 1;
    }
    if (c == ']' && !square_.empty()) {
      const std::size_t start = square_.back();
      square_.pop_back();
      multiply_range(start, kSquareMultiplier);
      return i + 1;
    }
    if (c == ')' || c == ']') {
      add_text(s_.substr(i, 1));
      return i + 1;
    }
    std::size_t j = i;
    while (j < s_.size() && !is_special(s_[j])) ++j;
    add_text(s_.substr(i, j - i));
    return j;
  }

  static bool is_escapable(char32_t c) { return c == '(' || c == ')' || c == '[' || c == ']' || c == '\\'; }
  static bool is_special(char32_t c) { return is_escapable(c) || c == ':'; }

  // re.split(r"\s*\bBREAK\b\s*", text): each part becomes an entry, a BREAK marker between parts.
  // `\b` looks only inside `text` (the string split() sees), not at the prompt around it.
  void add_text(std::u32string_view text) {
    std::size_t part_begin = 0;
    std::size_t p = 0;
    while (p < text.size()) {
      std::size_t q = p;
      while (q < text.size() && is_space(text[q])) ++q;
      if (const auto end = match_break(text, q)) {
        append(std::u32string(text.substr(part_begin, p - part_begin)));
        append(std::u32string(kBreak), -1.0, true);
        part_begin = p = *end;
      } else {
        p = q > p ? q : p + 1;  // every start inside a whitespace run reaches the same q
      }
    }
    append(std::u32string(text.substr(part_begin)));
  }

  // `\bBREAK\b\s*` at q: returns the end of the trailing whitespace.
  static std::optional<std::size_t> match_break(std::u32string_view text, std::size_t q) {
    if (text.substr(q, kBreak.size()) != kBreak) return std::nullopt;
    if (q > 0 && is_word(text[q - 1])) return std::nullopt;
    std::size_t e = q + kBreak.size();
    if (e < text.size() && is_word(text[e])) return std::nullopt;
    while (e < text.size() && is_space(text[e])) ++e;
    return e;
  }

  void append(std::u32string text, double weight = 1.0, bool is_break = false) {
    res_.push_back(Entry{std::move(text), weight, is_break});
    weights_.push_back(weight);
  }

  void multiply_range(std::size_t start, double multiplier) {
    for (std::size_t p = start; p < weights_.size(); ++p) weights_[p] *= multiplier;
  }

  // Python: while i + 1 < len(res): merge res[i+1] into res[i] when the weights compare equal.
  // The merged entry keeps the first weight; a BREAK merged with text is text (A1111 then sees
  // text != "BREAK" or weight != -1 and tokenizes it).
  std::vector<Entry> merge_equal_weights() {
    std::vector<Entry> out;
    out.reserve(res_.size());
    for (std::size_t i = 0; i < res_.size(); ++i) {
      Entry& e = res_[i];
      e.weight = weights_[i];
      if (!out.empty() && out.back().weight == e.weight) {
        out.back().text += e.text;
        out.back().is_break = false;
      } else {
        out.push_back(std::move(e));
      }
    }
    return out;
  }

  std::u32string_view s_;
  std::vector<Entry> res_;       // A1111's `res`: text and BREAK flag (weight unused until merged)
  std::vector<double> weights_;  // … and its weights, kept apart so multiply_range() streams
  std::vector<std::size_t> round_;   // res_.size() at each open "(" (a stack)
  std::vector<std::size_t> square_;  // the same for "["
};

}  // namespace

std::vector<PromptFragment> parse_prompt_attention(std::string_view prompt) {
  if (prompt.size() > kMaxPromptBytes) {
    throw Error(ErrorCode::TooLarge, "prompt: " + std::to_string(prompt.size()) +
                                         " bytes; the limit is " + std::to_string(kMaxPromptBytes));
  }
  const std::u32string text = doc::decode_utf8(prompt);
  std::vector<Entry> entries = AttentionParser(text).run();
  std::vector<PromptFragment> out;
  out.reserve(entries.size());
  for (const Entry& e : entries) {
    out.push_back(PromptFragment{doc::encode_utf8(e.text), static_cast<float>(e.weight), e.is_break});
  }
  return out;
}

}  // namespace strata::diffusion
