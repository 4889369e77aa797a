// Latin-1 / UTF-8 / UTF-16 conversions used by the PNG and EXIF text readers and writers.
#include <string>

#include "detail.h"
#include "strata/io/png_text.h"

namespace strata::io {

namespace detail {


namespace {

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i, or returns nullopt
// (and advances i by one byte) for an invalid sequence.
std::optional<std::uint32_t> next_utf8(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) { ++i; return c; }
  int extra = 0;
  std::uint32_t cp = 0, min = 0;
  if ((c & 0xE0) == 0xC0) { extra = 1; cp = c & 0x1F; min = 0x80; }
  else if ((c & 0xF0) == 0xE0) { extra = 2; cp = c & 0x0F; min = 0x800; }
  else if ((c & 0xF8) == 0xF0) { extra = 3; cp = c & 0x07; min = 0x10000; }
  else { ++i; return std::nullopt; }
  if (s.size() - i <= static_cast<std::size_t>(extra)) { ++i; return std::nullopt; }
  for (int k = 1; k <= extra; ++k) {
    auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((cc & 0xC0) != 0x80) { ++i; return std::nullopt; }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { ++i; return std::nullopt; }
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

}  // namespace

std::optional<std::string> utf8_to_latin1(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    auto cp = next_utf8(utf8, i);
    if (!cp || *cp > 0xFF) return std::nullopt;
    out.push_back(static_cast<char>(*cp));
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
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    auto cp = detail::next_utf8(text, i);
    if (cp) out.append(text.substr(start, i - start));
    else detail::append_utf8(out, 0xFFFD);
  }
  return out;
}

}  // namespace strata::io
