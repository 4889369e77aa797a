// strata/doc/utf8.h — UTF-8 encoding and decoding, shared by the tokenizers, the prompt parser
// and the metadata readers. Pure functions; any thread.
//
// Encoding: code points beyond U+10FFFF and UTF-16 surrogates are written as U+FFFD, so the
// output is always valid UTF-8.
//
// Decoding (the one UTF-8 decoder of the project) is lossy and never throws. Well-formed means
// Unicode Table 3-7: lead C2–DF + 1 continuation; E0 A0–BF, E1–EC 80–BF, ED 80–9F, EE–EF 80–BF
// + 1 more; F0 90–BF, F1–F3 80–BF, F4 80–8F + 2 more (continuation = 80–BF). Every *maximal
// subpart* of an ill-formed subsequence becomes exactly one U+FFFD (Unicode §3.9 "U+FFFD
// Substitution of Maximal Subparts"; what Python's bytes.decode("utf-8", errors="replace") and
// the WHATWG decoder do):
//   - a byte that cannot start a sequence (80–BF stray continuation, C0, C1, F5–FF): one U+FFFD
//     for that byte;
//   - a valid lead followed by too few fitting bytes (truncated by the end of the input or by a
//     byte outside the allowed range): one U+FFFD for the lead and the fitting continuation bytes
//     after it; decoding resumes at the byte that did not fit;
//   - overlong forms (C0 xx, C1 xx, E0 80–9F xx, F0 80–8F xx xx), encoded surrogates (ED A0–BF xx)
//     and values above U+10FFFF (F4 90–BF xx xx, F5–F7 …) fail at the lead or at the second
//     byte, so they give one U+FFFD per byte: "C0 AF" → 2, "ED A0 80" → 3, "F4 90 80 80" → 4.
// Hence the decoder yields Unicode scalar values only, and valid input re-encodes byte for byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace strata::doc {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

void append_utf8(std::string& out, char32_t code_point);
std::string encode_utf8(std::u32string_view text);

// One decoding step at bytes[pos] (pos < bytes.size()): a well-formed character (valid = true)
// or one maximal ill-formed subpart (valid = false, code_point = U+FFFD), `length` bytes long
// (always >= 1). A literal U+FFFD in the input comes back with valid = true. Readers that replace
// per byte instead (io::sanitize_utf8, SentencePiece's decoding) write `length` U+FFFDs for an
// ill-formed step: the bytes after its lead are continuation bytes, which never start a character.
struct Utf8Char {
  char32_t code_point;
  std::size_t length;
  bool valid;
};
Utf8Char decode_utf8_char(std::string_view bytes, std::size_t pos);

// Lossy decoding of a whole string by decode_utf8_char (contract above).
std::u32string decode_utf8(std::string_view bytes);

}  // namespace strata::doc
