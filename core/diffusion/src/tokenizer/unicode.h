// tokenizer/unicode.h — the slice of Unicode the CLIP text normaliser and the prompt parser need,
// without ICU: the one home of core/diffusion's character classes.
//
// The character classes of the CLIP regex (\p{L}, \p{N}) and of Python 3 `re` on str (\s, \w, \d;
// A1111 parses prompts with them, so the prompt part uses these too), Python's str.lower() (full
// mapping with the final-sigma rule), and NFC. UTF-8 decoding is strata/doc/utf8.h's.
// Tables are generated from CPython 3.11's unicodedata (Unicode 14.0.0) by gen_unicode_tables.py,
// because the reference tokenizer runs on exactly those. Pure functions: thread-safe.
#pragma once

#include "strata/doc/utf8.h"

#include <string>
#include <string_view>

namespace strata::diffusion::unicode {

constexpr char32_t kReplacement = doc::kReplacementCharacter;

// Lossy decoding, strata/doc/utf8.h's contract (one U+FFFD per maximal ill-formed subpart, as
// Python's bytes.decode("utf-8", errors="replace")).
using doc::decode_utf8;
// Strict decoding: false on any ill-formed sequence (out is then unspecified).
bool decode_utf8_strict(std::string_view bytes, std::u32string& out);
using doc::append_utf8;
using doc::encode_utf8;

bool is_letter(char32_t cp);  // general category L*
bool is_number(char32_t cp);  // general category N*
// Python str.isspace() / re's \s on str: \t \n \v \f \r, U+001C–U+001F, space, U+0085, U+00A0,
// U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
bool is_space(char32_t cp);
// Python re's \w on str: L*, N* or '_' (in Python 3.11 exactly str.isalnum() or '_'). Decides \b.
bool is_word(char32_t cp);
// Python re's \d on str (general category Nd): the digit's value 0–9, or -1 for any other character.
int decimal_value(char32_t cp);

// Python str.lower(): full lower-case mapping (U+0130 → "i\u0307") and the final-sigma rule.
std::u32string to_lower(std::u32string_view text);
// Unicode Normalization Form C (canonical decomposition, reordering, canonical composition).
std::u32string nfc(std::u32string_view text);

}  // namespace strata::diffusion::unicode
