// Latin-1 / UTF-8 / UTF-16 conversions used by the PNG and EXIF text readers and writers.
#include <string>

#include "detail.h"
#include "strata/doc/utf8.h"
#include "strata/io/png_text.h"

namespace strata::io {

namespace detail {

std::optional<std::string> utf8_to_latin1(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const doc::Utf8Char c = doc::decode_utf8_char(utf8, i);
    if (!c.valid || c.code_point > 0xFF) return std::nullopt;
    out.push_back(static_cast<char>(c.code_point));
    i += c.length;
  }
  return out;
}

}  // namespace detail

std::string latin1_to_utf8(std::string_view latin1) {
  std::string out;
  out.reserve(latin1.size());
  for (char c : latin1) detail::append_utf8(out, static_cast<unsigned char>(c));
  return out;
}

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const doc::Utf8Char c = doc::decode_utf8_char(text, i);
    if (c.valid) {
      out.append(text.substr(i, c.length));
    } else {
      for (std::size_t k = 0; k < c.length; ++k) doc::append_utf8(out, doc::kReplacementCharacter);
    }
    i += c.length;
  }
  return out;
}

}  // namespace strata::io
