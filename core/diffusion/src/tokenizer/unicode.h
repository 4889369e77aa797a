// tokenizer/unicode.h — the slice of Unicode the CLIP text normaliser needs, without ICU.
//
// UTF-8 decoding with replacement, the character classes of the CLIP regex (\p{L}, \p{N}),
// Python's str.isspace() and str.lower() (full mapping with the final-sigma rule), and NFC.
// Tables are generated from CPython 3.11's unicodedata (Unicode 14.0.0) by gen_unicode_tables.py,
// because the reference tokenizer runs on exactly those. Pure functions: thread-safe.
#pragma once

#include "strata/doc/utf8.h"

#include <string>
#include <string_view>

namespace strata::diffusion::unicode {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes UTF-8; every maximal invalid subsequence (stray continuation byte, truncated or
// overlong sequence, encoded surrogate, value above U+10FFFF) becomes one U+FFFD, as Python's
// bytes.decode("utf-8", errors="replace") does.
std::u32string decode_utf8(std::string_view bytes);
// Strict decoding: false on any invalid sequence (out is then unspecified).
bool decode_utf8_strict(std::string_view bytes, std::u32string& out);
using doc::append_utf8;
using doc::encode_utf8;

bool is_letter(char32_t cp);  // general category L*
bool is_number(char32_t cp);  // general category N*
bool is_space(char32_t cp);   // Python str.isspace() / re's \s on str
bool is_word(char32_t cp);    // Python re's \w on str (approximated as L*, N* or '_')

// Python str.lower(): full lower-case mapping (U+0130 → "i\u0307") and the final-sigma rule.
std::u32string to_lower(std::u32string_view text);
// Unicode Normalization Form C (canonical decomposition, reordering, canonical composition).
std::u32string nfc(std::u32string_view text);

}  // namespace strata::diffusion::unicode
