// ftfy's mojibake repair: detect UTF-8 that was decoded with a single-byte encoding (the "badness"
// heuristic), re-encode with that encoding and decode as UTF-8.
// Ref: ftfy 6.1 (ftfy/__init__.py _fix_encoding_one_step_and_explain, ftfy/badness.py,
// ftfy/chardata.py, ftfy/fixes.py restore_byte_a0 / replace_lossy_sequences /
// decode_inconsistent_utf8, ftfy/bad_codecs: sloppy codecs and utf-8-variants).
#include <algorithm>
#include <iterator>
#include <optional>

#include "tokenizer/text_fix.h"
#include "tokenizer/unicode.h"

namespace strata::diffusion::text {
namespace {

struct Decomposition {
  char32_t cp, first, second;
};

#include "tokenizer/ftfy_tables.inc"

template <std::size_t N>
bool in(const char32_t (&set)[N], char32_t c) {
  return std::binary_search(std::begin(set), std::end(set), c);
}

// ---- badness (ftfy.badness.BADNESS_RE) ---------------------------------------------------------

bool lower_acc(char32_t c) {
  return in(kLowerAccented, c);
}
bool upper_acc(char32_t c) {
  return in(kUpperAccented, c);
}
bool box(char32_t c) {
  return in(kBox, c);
}
bool start_p(char32_t c) {
  return in(kStartPunctuation, c);
}
bool end_p(char32_t c) {
  return in(kEndPunctuation, c);
}
bool currency(char32_t c) {
  return in(kCurrency, c);
}
bool numeric(char32_t c) {
  return in(kNumeric, c);
}
bool bad(char32_t c) {
  return in(kBad, c);
}
bool c1(char32_t c) {
  return c >= 0x80 && c <= 0x9F;
}
bool ascii_lower(char32_t c) {
  return c >= U'a' && c <= U'z';
}
bool ascii_letter(char32_t c) {
  return ascii_lower(c) || (c >= U'A' && c <= U'Z');
}
bool one_of(char32_t c, std::u32string_view set) {
  return set.find(c) != std::u32string_view::npos;
}

// Does one alternative of BADNESS_RE match at position i?
bool bad_at(std::u32string_view t, std::size_t i) {
  const std::size_t n = t.size();
  const char32_t a = t[i];
  const char32_t b = i + 1 < n ? t[i + 1] : 0;  // 0 never belongs to any class below
  const char32_t c = i + 2 < n ? t[i + 2] : 0;
  const bool has_b = i + 1 < n, has_c = i + 2 < n;
  if (c1(a)) return true;
  if (!has_b) return false;
  const bool la = lower_acc(a), ua = upper_acc(a), bx = box(a), sp = start_p(a), ep = end_p(a),
             cu = currency(a), nu = numeric(a), bd = bad(a);
  if ((bd || la || ua || bx || sp || ep || cu || nu) && bad(b)) return true;
  if (bd && (lower_acc(b) || upper_acc(b) || box(b) || start_p(b) || end_p(b) || currency(b) ||
             numeric(b))) {
    return true;
  }
  if ((la || in(kLowerCommon, a) || bx || ep || cu || nu) && upper_acc(b)) return true;
  if ((bx || ep || cu || nu) && lower_acc(b)) return true;
  if ((la || bx || ep) && currency(b)) return true;
  if (unicode::is_space(a) && has_c && upper_acc(b) && currency(c)) return true;
  if ((ua || bx || ep) && numeric(b)) return true;
  if ((la || ua || cu || nu || bx) && has_c && end_p(b) && start_p(c)) return true;
  if ((cu || nu || bx) && start_p(b)) return true;
  if (ascii_lower(a) && has_c && upper_acc(b) && (start_p(c) || currency(c))) return true;
  if (bx && in(kKaomoji, b)) return true;
  if ((la || ua || cu || nu || sp || ep) && box(b)) return true;
  if (bx && end_p(b)) return true;
  if ((la || ua) && has_c && end_p(b) && unicode::is_word(c)) return true;
  if ((a == U'Œ' || a == U'œ') && !ascii_letter(b)) return true;
  if (one_of(a, U"ÂÃÎÐ") && (one_of(b, U"€Šš¢£Ÿž\u00a0\u00ad®©°·»–—´") || end_p(b))) return true;
  if (a == U'×' && one_of(b, U"²³")) return true;
  if (a == U'à' && one_of(b, U"²µ¹¼½¾")) return true;
  if (a == U'√' && one_of(b, U"±∂†≠®™´≤≥¥µø")) return true;
  if (a == U'≈' && one_of(b, U"°¢")) return true;
  if (a == U'‚' && b == U'Ä' && has_c && one_of(c, U"ìîïòôúùû†°¢π")) return true;
  if (a == U'‚' && one_of(b, U"âó") && has_c && one_of(c, U"àä°ê")) return true;
  if (a == U'в' && b == U'Ђ') return true;
  const auto cyr_mid = [](char32_t x) {
    return c1(x) || bad(x) || start_p(x) || end_p(x) || currency(x) || x == U'°' || x == U'µ';
  };
  if (one_of(a, U"ВГРС") && has_c && cyr_mid(b) && one_of(c, U"ВГРС")) return true;
  if (a == U'Ã' && (b == 0xA0 || b == U'¡')) return true;
  if (ascii_lower(a)) {  // [a-z]\s?Ã[ ]
    if (b == U'Ã' && has_c && c == U' ') return true;
    if (unicode::is_space(b) && has_c && c == U'Ã' && i + 3 < n && t[i + 3] == U' ') return true;
  }
  if (i == 0 && a == U'Ã' && b == U' ') return true;
  if (a == U'β' && b == U'€' && has_c && one_of(c, U"™\u00a0Ά\u00ad®°")) return true;
  const auto greek_mid = [](char32_t x) {
    return c1(x) || bad(x) || start_p(x) || end_p(x) || currency(x) || x == U'°';
  };
  if (one_of(a, U"ΒΓΞΟ") && has_c && greek_mid(b) && one_of(c, U"ΒΓΞΟ")) return true;
  return false;
}

// ---- single-byte encodings ---------------------------------------------------------------------

constexpr int kEncodingCount = 1 + static_cast<int>(std::size(kCodePageSloppy));  // latin-1 first

bool sloppy(int enc) {
  return enc > 0 && kCodePageSloppy[enc - 1];
}

// text.encode(encoding), false where a character has no byte (ftfy's possible_encoding()).
bool encode_single_byte(std::u32string_view text, int enc, std::string& bytes) {
  bytes.clear();
  bytes.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x80) {
      if (c == 0x1A && sloppy(enc)) return false;  // byte 1A stands for U+FFFD there
      bytes.push_back(static_cast<char>(c));
    } else if (enc == 0) {
      if (c > 0xFF) return false;
      bytes.push_back(static_cast<char>(c));
    } else if (c == 0xFFFD && sloppy(enc)) {
      bytes.push_back('\x1A');
    } else {
      const char32_t* page = kCodePages[enc - 1];
      const char32_t* hit = std::find(page, page + 128, c);
      if (hit == page + 128) return false;
      bytes.push_back(static_cast<char>(0x80 + (hit - page)));
    }
  }
  return true;
}

bool cont(unsigned char b) {
  return b >= 0x80 && b <= 0xBF;
}

// fixes.restore_byte_a0: A_GRAVE_WORD_RE, then ALTERED_UTF8_RE with ' ' → A0 inside each match.
std::string restore_byte_a0(const std::string& in) {
  std::string s;
  s.reserve(in.size() + 8);
  for (std::size_t i = 0; i < in.size(); ++i) {  // b"\xc3 (?! |quele|quela|quilo|s )"
    if (static_cast<unsigned char>(in[i]) == 0xC3 && i + 1 < in.size() && in[i + 1] == ' ') {
      const std::string_view rest = std::string_view(in).substr(i + 2);
      const bool excluded = rest.starts_with(" ") || rest.starts_with("quele") ||
                            rest.starts_with("quela") || rest.starts_with("quilo") ||
                            rest.starts_with("s ");
      if (!excluded) {
        s += "\xC3\xA0 ";
        ++i;
        continue;
      }
    }
    s.push_back(in[i]);
  }
  std::string out;
  out.reserve(s.size());
  const auto u = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  const auto mid = [](unsigned char b) { return b >= 0x80 && b <= 0xBF && b != 0x85 && b != 0xA0; };
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b0 = u(i);
    std::size_t len = 0;
    if ((b0 == 0xC2 || b0 == 0xC3 || b0 == 0xC5 || b0 == 0xCE || b0 == 0xD0 || b0 == 0xD9) &&
        u(i + 1) == ' ') {
      len = 2;
    } else if ((b0 == 0xE2 || b0 == 0xE3) && u(i + 1) == ' ' && mid(u(i + 2))) {
      len = 3;
    } else if (b0 >= 0xE0 && b0 <= 0xE3 && mid(u(i + 1)) && u(i + 2) == ' ') {
      len = 3;
    } else if (b0 == 0xF0 && i + 3 < s.size()) {
      const unsigned char b1 = u(i + 1), b2 = u(i + 2), b3 = u(i + 3);
      if ((b1 == ' ' && cont(b2) && cont(b3)) || (cont(b1) && b2 == ' ' && cont(b3)) ||
          (cont(b1) && cont(b2) && b3 == ' ')) {
        len = 4;
      }
    }
    if (len == 0) {
      out.push_back(s[i++]);
      continue;
    }
    for (std::size_t k = 0; k < len; ++k) out.push_back(s[i + k] == ' ' ? '\xA0' : s[i + k]);
    i += len;
  }
  return out;
}

// fixes.replace_lossy_sequences: LOSSY_UTF8_RE → EF BF BD.
std::string replace_lossy_sequences(const std::string& s) {
  const auto u = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  const auto x1a = [](unsigned char b) { return b == 0x1A; };
  const auto lost = [](unsigned char b) { return b == 0x1A || b == '?'; };        // [\x1a?]
  const auto sub_or_cont = [](unsigned char b) { return b == 0x1A || cont(b); };  // [\x1a\x80-\xbf]
  const auto any3 = [](unsigned char b) { return b == 0x1A || b == '?' || cont(b); };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b0 = u(i), b1 = u(i + 1), b2 = u(i + 2), b3 = u(i + 3), b4 = u(i + 4),
                        b5 = u(i + 5);
    std::size_t len = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF && x1a(b1))
      len = 2;
    else if ((b0 == 0xC2 || b0 == 0xC3) && b1 == '?')
      len = 2;
    else if (b0 == 0xED && b1 >= 0xA0 && b1 <= 0xAF && lost(b2) && b3 == 0xED && b4 >= 0xB0 &&
             b4 <= 0xBF && any3(b5))
      len = 6;
    else if (b0 == 0xED && b1 >= 0xA0 && b1 <= 0xAF && any3(b2) && b3 == 0xED && b4 >= 0xB0 &&
             b4 <= 0xBF && lost(b5))
      len = 6;
    else if (b0 >= 0xE0 && b0 <= 0xEF && lost(b1) && sub_or_cont(b2))
      len = 3;
    else if (b0 >= 0xE0 && b0 <= 0xEF && sub_or_cont(b1) && lost(b2))
      len = 3;
    else if (b0 >= 0xF0 && b0 <= 0xF4 && lost(b1) && sub_or_cont(b2) && sub_or_cont(b3))
      len = 4;
    else if (b0 >= 0xF0 && b0 <= 0xF4 && sub_or_cont(b1) && lost(b2) && sub_or_cont(b3))
      len = 4;
    else if (b0 >= 0xF0 && b0 <= 0xF4 && sub_or_cont(b1) && sub_or_cont(b2) && lost(b3))
      len = 4;
    else if (x1a(b0))
      len = 1;
    if (len == 0 || i + len > s.size()) {
      out.push_back(s[i++]);
      continue;
    }
    out += "\xEF\xBF\xBD";
    i += len;
  }
  return out;
}

// ftfy's "utf-8-variants": strict UTF-8 plus CESU-8 surrogate pairs and Java's C0 80 for U+0000.
bool decode_utf8_variants(const std::string& s, std::u32string& out) {
  if (s.find('\xED') == std::string::npos && s.find('\xC0') == std::string::npos) {
    return unicode::decode_utf8_strict(s, out);
  }
  out.clear();
  std::size_t start = 0;
  std::u32string piece;
  const auto u = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  for (std::size_t i = 0; i < s.size();) {
    std::optional<char32_t> special;
    std::size_t len = 0;
    if (u(i) == 0xC0 && u(i + 1) == 0x80) {
      special = 0;
      len = 2;
    } else if (u(i) == 0xED && u(i + 1) >= 0xA0 && u(i + 1) <= 0xAF && cont(u(i + 2)) &&
               u(i + 3) == 0xED && u(i + 4) >= 0xB0 && u(i + 4) <= 0xBF && cont(u(i + 5))) {
      const char32_t hi = 0xD000 | ((u(i + 1) & 0x3F) << 6) | (u(i + 2) & 0x3F);
      const char32_t lo = 0xD000 | ((u(i + 4) & 0x3F) << 6) | (u(i + 5) & 0x3F);
      special = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
      len = 6;
    }
    if (!special) {
      ++i;
      continue;
    }
    if (!unicode::decode_utf8_strict(std::string_view(s).substr(start, i - start), piece)) {
      return false;
    }
    out += piece;
    out.push_back(*special);
    i += len;
    start = i;
  }
  if (!unicode::decode_utf8_strict(std::string_view(s).substr(start), piece)) return false;
  out += piece;
  return true;
}

// UTF8_DETECTOR_RE: ([f2][c] | [f3][c]{2} | [f4][c]{3})+ — length of the match at i, 0 if none.
std::size_t utf8_detector_at(std::u32string_view t, std::size_t i) {
  std::size_t j = i;
  while (j < t.size()) {
    std::size_t need = 0;
    if (in(kUtf8FirstOf2, t[j]))
      need = 1;
    else if (in(kUtf8FirstOf3, t[j]))
      need = 2;
    else if (in(kUtf8FirstOf4, t[j]))
      need = 3;
    if (need == 0 || j + need >= t.size()) break;
    bool ok = true;
    for (std::size_t k = 1; k <= need; ++k) ok = ok && in(kUtf8Continuation, t[j + k]);
    if (!ok) break;
    j += need + 1;
  }
  return j - i;
}

std::u32string decode_inconsistent_utf8(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_detector_at(text, i);
    if (len == 0) {
      out.push_back(text[i++]);
      continue;
    }
    const std::u32string_view sub = text.substr(i, len);
    if (len < text.size() && is_bad(sub))
      out += fix_encoding(sub);
    else
      out += sub;
    i += len;
  }
  return out;
}

std::u32string fix_encoding_one_step(std::u32string_view text) {
  if (text.empty()) return std::u32string(text);
  if (std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x80; }) || !is_bad(text)) {
    return std::u32string(text);
  }
  bool latin1_possible = false;
  std::string bytes;
  std::u32string decoded;
  for (int enc = 0; enc < kEncodingCount; ++enc) {
    if (!encode_single_byte(text, enc, bytes)) continue;
    if (enc == 0) latin1_possible = true;
    bytes = restore_byte_a0(bytes);
    if (sloppy(enc)) bytes = replace_lossy_sequences(bytes);
    if (decode_utf8_variants(bytes, decoded)) return decoded;
  }
  std::u32string fixed = decode_inconsistent_utf8(text);
  if (fixed != text) return fixed;
  if (latin1_possible) {
    // latin-1 bytes decoded as strict windows-1252: fails on its five unassigned bytes.
    std::u32string w(text);
    bool ok = true;
    for (char32_t& c : w) {
      if (c >= 0x80 && c <= 0x9F) {
        if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D) ok = false;
        c = kCodePages[0][c - 0x80];
      }
    }
    if (ok && w != text) return w;
  }
  if (std::any_of(text.begin(), text.end(), c1)) return fix_c1_controls(text);
  return std::u32string(text);
}

}  // namespace

bool is_bad(std::u32string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (bad_at(text, i)) return true;
  }
  return false;
}

std::u32string fix_encoding(std::u32string_view text) {
  std::u32string current(text);
  for (int step = 0; step < 32; ++step) {  // ftfy loops until stable; each step shrinks or stops
    std::u32string next = fix_encoding_one_step(current);
    if (next == current) break;
    current = std::move(next);
  }
  return current;
}

}  // namespace strata::diffusion::text
