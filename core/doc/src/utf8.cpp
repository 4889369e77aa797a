#include "strata/doc/utf8.h"

#include <cstdint>

namespace strata::doc {

void append_utf8(std::string& out, char32_t code_point) {
  auto u = static_cast<std::uint32_t>(code_point);
  if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) u = 0xFFFD;
  if (u < 0x80) {
    out.push_back(static_cast<char>(u));
  } else if (u < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (u >> 6)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else if (u < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (u >> 12)));
    out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (u >> 18)));
    out.push_back(static_cast<char>(0x80 | ((u >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
  }
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) append_utf8(out, c);
  return out;
}

Utf8Char decode_utf8_char(std::string_view bytes, std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  const unsigned char lead = p[pos];
  if (lead < 0x80) return {lead, 1, true};
  // Sequence length and the allowed range of the second byte (Unicode Table 3-7).
  std::size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) lo = 0xA0;  // no overlongs
    if (lead == 0xED) hi = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) lo = 0x90;  // no overlongs
    if (lead == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {kReplacementCharacter, 1, false};  // 80–C1, F5–FF never start a sequence
  }
  char32_t cp = lead & (0xFFu >> (length + 1));
  std::size_t j = pos + 1;
  for (std::size_t k = 1; k < length; ++k, ++j) {
    const unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
    // The bytes consumed so far form one maximal subpart: one U+FFFD, resume at j.
    if (j >= n || p[j] < min || p[j] > max) return {kReplacementCharacter, j - pos, false};
    cp = (cp << 6) | (p[j] & 0x3Fu);
  }
  return {cp, length, true};
}

std::u32string decode_utf8(std::string_view bytes) {
  std::u32string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const Utf8Char c = decode_utf8_char(bytes, i);
    out.push_back(c.code_point);
    i += c.length;
  }
  return out;
}

}  // namespace strata::doc
