// strata/doc/utf8.h — UTF-8 encoding of code points, shared by the tokenizers, the prompt parser
// and the metadata readers. Code points beyond U+10FFFF and UTF-16 surrogates are written as
// U+FFFD, so the output is always valid UTF-8. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

namespace strata::doc {

void append_utf8(std::string& out, char32_t code_point);
std::string encode_utf8(std::u32string_view text);

}  // namespace strata::doc
