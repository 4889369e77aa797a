// ftfy-style text repair (everything but mojibake, which lives in mojibake.cpp).
// Ref: ftfy 6.1 (ftfy/__init__.py fix_text / fix_and_explain, ftfy/fixes.py, ftfy/chardata.py),
// CPython Lib/html/__init__.py (numeric character references), transformers CLIPTokenizer
// (whitespace_clean, lower).
#include "tokenizer/text_fix.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "tokenizer/unicode.h"

namespace strata::diffusion::text {
namespace {

struct Decomposition {
  char32_t cp, first, second;
};
struct HtmlEntity {
  const char* name;
  char32_t chars[3];
};

#include "tokenizer/ftfy_tables.inc"
#include "tokenizer/html_entities.inc"

bool is_ascii_alnum(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}
bool is_ascii_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}
bool is_hex_digit(char32_t c) {
  return is_ascii_digit(c) || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
}
int hex_value(char32_t c) {
  if (is_ascii_digit(c)) return static_cast<int>(c - U'0');
  if (c >= U'a' && c <= U'f') return static_cast<int>(c - U'a' + 10);
  return static_cast<int>(c - U'A' + 10);
}

// html.unescape() of a numeric reference "&#…;" (digits already validated), per CPython's
// _replace_charref.
std::u32string numeric_reference(std::u32string_view digits, int base) {
  std::uint64_t num = 0;
  for (char32_t c : digits) {
    num = num * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(hex_value(c));
    if (num > 0x10FFFF) num = 0x110000;  // saturate: anything this large is out of range anyway
  }
  if (num == 0) return U"\uFFFD";
  if (num == 0x0D) return U"\r";
  if (num >= 0x80 && num <= 0x9F) return std::u32string(1, kCodePages[0][num - 0x80]);
  if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) return U"\uFFFD";
  const bool invalid = (num >= 0x01 && num <= 0x08) || num == 0x0B ||
                       (num >= 0x0E && num <= 0x1F) || num == 0x7F ||
                       (num >= 0xFDD0 && num <= 0xFDEF) || (num & 0xFFFE) == 0xFFFE;
  if (invalid) return {};
  return std::u32string(1, static_cast<char32_t>(num));
}

// ftfy _unescape_fixup for one match of "&#?[0-9A-Za-z]{1,24};" (given without '&' and ';').
bool unescape_entity(std::u32string_view body, std::u32string& out) {
  std::string name;
  for (char32_t c : body) name.push_back(static_cast<char>(c));
  auto it = std::lower_bound(
      std::begin(kHtmlEntities), std::end(kHtmlEntities), name,
      [](const HtmlEntity& e, const std::string& n) { return std::strcmp(e.name, n.c_str()) < 0; });
  if (it != std::end(kHtmlEntities) && name == it->name) {
    for (char32_t c : it->chars) {
      if (c != 0) out.push_back(c);
    }
    return true;
  }
  if (body.empty() || body[0] != U'#') return false;
  std::u32string_view digits = body.substr(1);
  int base = 10;
  if (!digits.empty() && (digits[0] == U'x' || digits[0] == U'X')) {
    digits.remove_prefix(1);
    base = 16;
  }
  if (digits.empty()) return false;
  for (char32_t c : digits) {  // a partial match leaves ';' behind in html.unescape: kept as is
    if (base == 10 ? !is_ascii_digit(c) : !is_hex_digit(c)) return false;
  }
  std::u32string decoded = numeric_reference(digits, base);
  if (decoded == U";") return false;  // ftfy keeps references whose result contains ';'
  out += decoded;
  return true;
}

// ftfy chardata.LIGATURES: Latin ligatures and legacy digraphs → their letters.
struct Ligature {
  char32_t cp;
  std::u32string_view letters;
};
constexpr Ligature kLigatures[] = {
    {0x132, U"IJ"},       {0x133, U"ij"},      {0x149, U"\u02BCn"}, {0x1C4, U"D\u017D"},
    {0x1C5, U"D\u017E"},  {0x1C6, U"d\u017E"}, {0x1C7, U"LJ"},      {0x1C8, U"Lj"},
    {0x1C9, U"lj"},       {0x1CA, U"NJ"},      {0x1CB, U"Nj"},      {0x1CC, U"nj"},
    {0x1F1, U"DZ"},       {0x1F2, U"Dz"},      {0x1F3, U"dz"},      {0xFB00, U"ff"},
    {0xFB01, U"fi"},      {0xFB02, U"fl"},     {0xFB03, U"ffi"},    {0xFB04, U"ffl"},
    {0xFB05, U"\u017Ft"}, {0xFB06, U"st"},
};

std::u32string fix_latin_ligatures(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x132) {
      out.push_back(c);
      continue;
    }
    auto it = std::find_if(std::begin(kLigatures), std::end(kLigatures),
                           [c](const Ligature& l) { return l.cp == c; });
    if (it == std::end(kLigatures))
      out.push_back(c);
    else
      out += it->letters;
  }
  return out;
}

std::u32string fix_character_width(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c != 0x3000 && (c < 0xFF01 || c > 0xFFEF)) {
      out.push_back(c);
      continue;
    }
    auto it = std::lower_bound(std::begin(kWidthMap), std::end(kWidthMap), c,
                               [](const Decomposition& d, char32_t x) { return d.cp < x; });
    if (it == std::end(kWidthMap) || it->cp != c) {
      out.push_back(c);
      continue;
    }
    out.push_back(it->first);
    if (it->second != 0) out.push_back(it->second);
  }
  return out;
}

std::u32string uncurl_quotes(std::u32string_view text) {
  std::u32string out(text);
  for (char32_t& c : out) {
    if (c == 0x2BC || (c >= 0x2018 && c <= 0x201B))
      c = U'\'';
    else if (c >= 0x201C && c <= 0x201F)
      c = U'"';
  }
  return out;
}

std::u32string fix_line_breaks(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if (c == U'\r' && i + 1 < text.size() && text[i + 1] == U'\n') continue;  // CRLF → LF
    out.push_back(c == U'\r' || c == 0x2028 || c == 0x2029 || c == 0x85 ? U'\n' : c);
  }
  return out;
}

std::u32string fix_surrogates(std::u32string_view text) {
  std::u32string out(text);  // UTF-32 cannot pair surrogates: any left over becomes U+FFFD
  for (char32_t& c : out) {
    if (c >= 0xD800 && c <= 0xDFFF) c = unicode::kReplacement;
  }
  return out;
}

// One ftfy fix_and_explain() run over a segment (one line).
std::u32string fix_segment(std::u32string_view segment, bool unescape) {
  if (segment.find(U'<') != std::u32string_view::npos) unescape = false;
  std::u32string text(segment);
  for (int round = 0; round < 16; ++round) {  // ftfy loops until stable; 16 is never reached
    std::u32string orig = text;
    if (unescape) text = unescape_html(text);
    text = fix_encoding(text);
    text = fix_c1_controls(text);
    text = fix_latin_ligatures(text);
    text = fix_character_width(text);
    text = uncurl_quotes(text);
    text = fix_line_breaks(text);
    text = fix_surrogates(text);
    text = remove_terminal_escapes(text);
    text = remove_control_chars(text);
    text = unicode::nfc(text);
    if (text == orig) break;
  }
  return text;
}

}  // namespace

std::u32string unescape_html(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != U'&') {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t j = i + 1;
    if (j < text.size() && text[j] == U'#') ++j;
    const std::size_t body_start = j;
    while (j < text.size() && j - body_start < 25 && is_ascii_alnum(text[j])) ++j;
    const std::size_t len = j - body_start;
    if (len >= 1 && len <= 24 && j < text.size() && text[j] == U';' &&
        unescape_entity(text.substr(i + 1, j - i - 1), out)) {
      i = j + 1;
      continue;
    }
    out.push_back(text[i++]);
  }
  return out;
}

std::u32string fix_c1_controls(std::u32string_view text) {
  std::u32string out(text);
  for (char32_t& c : out) {
    if (c >= 0x80 && c <= 0x9F) c = kCodePages[0][c - 0x80];  // sloppy windows-1252
  }
  return out;
}

std::u32string remove_terminal_escapes(std::u32string_view text) {
  // ANSI_RE = "\033\[((?:\d|;)*)([a-zA-Z])"
  std::u32string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == 0x1B && i + 1 < text.size() && text[i + 1] == U'[') {
      std::size_t j = i + 2;
      while (j < text.size() && (is_ascii_digit(text[j]) || text[j] == U';')) ++j;
      if (j < text.size() &&
          ((text[j] >= U'a' && text[j] <= U'z') || (text[j] >= U'A' && text[j] <= U'Z'))) {
        i = j + 1;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

std::u32string remove_control_chars(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    const bool control = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F ||
                         (c >= 0x206A && c <= 0x206F) || c == 0xFEFF ||
                         (c >= 0xFFF9 && c <= 0xFFFC);
    if (!control) out.push_back(c);
  }
  return out;
}

std::u32string fix_text(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  bool unescape = true;  // "auto": switched off for good once a segment holds a literal '<'
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t brk = text.find(U'\n', pos);
    brk = brk == std::u32string_view::npos ? text.size() : brk + 1;
    const std::u32string_view segment = text.substr(pos, brk - pos);
    if (segment.find(U'<') != std::u32string_view::npos) unescape = false;
    out += fix_segment(segment, unescape);
    pos = brk;
  }
  return out;
}

std::u32string clip_clean(std::u32string_view text) {
  const std::u32string fixed = fix_text(text);
  std::u32string collapsed;
  collapsed.reserve(fixed.size());
  bool in_space = false;
  for (char32_t c : fixed) {
    if (unicode::is_space(c)) {
      in_space = true;
      continue;
    }
    if (in_space && !collapsed.empty()) collapsed.push_back(U' ');
    in_space = false;
    collapsed.push_back(c);
  }
  return unicode::to_lower(collapsed);
}

}  // namespace strata::diffusion::text
