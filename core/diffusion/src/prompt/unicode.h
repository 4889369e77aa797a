// prompt/unicode.h — the few Unicode facts the prompt parser needs to match Python's `re`.
//
// A1111 parses prompts with Python 3 `re` on `str`, where `\s`, `\d` and `\w` (hence `\b`) are
// Unicode-aware. These functions reproduce exactly those classes (tables generated from Python's
// unicodedata, see unicode.cpp). Pure functions over immutable tables: safe from any thread.
#pragma once

#include "strata/doc/utf8.h"

#include <string>
#include <string_view>

namespace strata::diffusion::prompt_detail {

// Python `\s` on str (str.isspace()): \t \n \v \f \r, U+001C–U+001F, space, U+0085, U+00A0,
// U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
bool is_space(char32_t c);

// Python `\w` on str: str.isalnum() or '_'. Decides `\b`.
bool is_word(char32_t c);

// Python `\d` on str (general category Nd): the digit's value 0–9, or -1 for any other character.
int decimal_value(char32_t c);

// Decodes UTF-8. Each maximal ill-formed subsequence (stray continuation byte, bad lead byte,
// truncated or overlong sequence, encoded surrogate, > U+10FFFF) becomes one U+FFFD, exactly as
// Python's bytes.decode("utf-8", errors="replace") does. Never throws on content.
std::u32string decode_utf8_lossy(std::string_view bytes);

// Appends the UTF-8 encoding of `c` (a valid scalar value: decode_utf8_lossy only yields those).
using doc::append_utf8;
using doc::encode_utf8;

}  // namespace strata::diffusion::prompt_detail
