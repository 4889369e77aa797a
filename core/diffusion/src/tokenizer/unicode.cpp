// UTF-8, character classes, Python's str.lower() and NFC over generated tables.
// Ref: Unicode Standard ch. 3 (Table 3-7 well-formed UTF-8, §3.11 normalization, §3.12 Hangul),
// CPython Objects/unicodeobject.c (final-sigma context of str.lower()).
#include "tokenizer/unicode.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace strata::diffusion::unicode {
namespace {

struct CodeRange {
  char32_t first, last;
};
struct LowerRange {
  char32_t first, last;
  std::int32_t delta;
  std::int32_t stride;
};
struct ClassRange {
  char32_t first, last;
  std::uint8_t ccc;
};
struct Decomposition {
  char32_t cp, first, second;
};
struct Composition {
  char32_t first, second, composed;
};

#include "tokenizer/unicode_tables.inc"

template <std::size_t N>
bool in_ranges(const CodeRange (&table)[N], char32_t cp) {
  auto it = std::upper_bound(std::begin(table), std::end(table), cp,
                             [](char32_t c, const CodeRange& r) { return c < r.first; });
  return it != std::begin(table) && cp <= std::prev(it)->last;
}

// Hangul syllable arithmetic (Unicode §3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

std::uint8_t combining_class(char32_t cp) {
  auto it = std::upper_bound(std::begin(kCombiningClasses), std::end(kCombiningClasses), cp,
                             [](char32_t c, const ClassRange& r) { return c < r.first; });
  if (it == std::begin(kCombiningClasses)) return 0;
  --it;
  return cp <= it->last ? it->ccc : 0;
}

void decompose(char32_t cp, std::u32string& out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    const char32_t s = cp - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
    return;
  }
  auto it = std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), cp,
                             [](const Decomposition& d, char32_t c) { return d.cp < c; });
  if (it == std::end(kDecompositions) || it->cp != cp) {
    out.push_back(cp);
    return;
  }
  decompose(it->first, out);  // depth is bounded by the data (at most 4 levels)
  if (it->second != 0) decompose(it->second, out);
}

char32_t compose(char32_t a, char32_t b) {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount) {
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  }
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase &&
      b < kTBase + kTCount) {
    return a + (b - kTBase);
  }
  auto it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions), a,
                             [](const Composition& c, char32_t x) { return c.first < x; });
  for (; it != std::end(kCompositions) && it->first == a; ++it) {
    if (it->second == b) return it->composed;
  }
  return 0;
}

char32_t simple_lower(char32_t cp) {
  auto it = std::upper_bound(std::begin(kLowerRanges), std::end(kLowerRanges), cp,
                             [](char32_t c, const LowerRange& r) { return c < r.first; });
  if (it == std::begin(kLowerRanges)) return cp;
  --it;
  if (cp > it->last || (cp - it->first) % it->stride != 0) return cp;
  return static_cast<char32_t>(static_cast<std::int32_t>(cp) + it->delta);
}

bool is_cased(char32_t cp) {
  return in_ranges(kCasedRanges, cp);
}
bool is_case_ignorable(char32_t cp) {
  return in_ranges(kCaseIgnorableRanges, cp);
}

// CPython's rule: Σ becomes ς when preceded by a cased letter and not followed by one, skipping
// case-ignorable characters on both sides.
bool final_sigma(std::u32string_view text, std::size_t i) {
  std::size_t j = i;
  while (j > 0 && is_case_ignorable(text[j - 1])) --j;
  if (j == 0 || !is_cased(text[j - 1])) return false;
  std::size_t k = i + 1;
  while (k < text.size() && is_case_ignorable(text[k])) ++k;
  return k == text.size() || !is_cased(text[k]);
}

}  // namespace

std::u32string decode_utf8(std::string_view bytes) {
  std::u32string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    int need = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    char32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 1;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 2;
      cp = b0 & 0x0F;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 3;
      cp = b0 & 0x07;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {
      out.push_back(kReplacement);
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    bool ok = true;
    for (int k = 0; k < need; ++k, ++j) {
      if (j >= n) {
        ok = false;
        break;
      }
      const auto b = static_cast<unsigned char>(bytes[j]);
      const unsigned char min = k == 0 ? lo : 0x80, max = k == 0 ? hi : 0xBF;
      if (b < min || b > max) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    out.push_back(ok ? cp : kReplacement);
    i = j;  // on failure j points at the first byte that did not fit: it is decoded afresh
  }
  return out;
}

bool decode_utf8_strict(std::string_view bytes, std::u32string& out) {
  out = decode_utf8(bytes);
  // decode_utf8 only emits U+FFFD for errors or for a literal EF BF BD; tell them apart.
  if (out.find(kReplacement) == std::u32string::npos) return true;
  std::string round_trip = encode_utf8(out);
  return round_trip == bytes;
}



bool is_letter(char32_t cp) {
  return in_ranges(kLetterRanges, cp);
}
bool is_number(char32_t cp) {
  return in_ranges(kNumberRanges, cp);
}

bool is_space(char32_t cp) {
  switch (cp) {
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F) ||
             (cp >= 0x2000 && cp <= 0x200A);
  }
}

bool is_word(char32_t cp) {
  return cp == U'_' || is_letter(cp) || is_number(cp);
}

std::u32string to_lower(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t cp = text[i];
    if (cp < 0x80) {
      out.push_back(cp >= U'A' && cp <= U'Z' ? cp + 32 : cp);
    } else if (cp == 0x130) {  // LATIN CAPITAL LETTER I WITH DOT ABOVE: the one two-char mapping
      out.push_back(U'i');
      out.push_back(0x307);
    } else if (cp == 0x3A3) {
      out.push_back(final_sigma(text, i) ? 0x3C2 : 0x3C3);
    } else {
      out.push_back(simple_lower(cp));
    }
  }
  return out;
}

std::u32string nfc(std::u32string_view text) {
  // Fast path: ASCII-only text is already NFC.
  if (std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x300; })) {
    return std::u32string(text);
  }
  std::u32string d;
  d.reserve(text.size() + 8);
  for (char32_t cp : text) decompose(cp, d);
  // Canonical ordering: stable insertion sort of each run of non-starters by combining class.
  for (std::size_t i = 1; i < d.size(); ++i) {
    const std::uint8_t c = combining_class(d[i]);
    if (c == 0) continue;
    std::size_t j = i;
    while (j > 0) {
      const std::uint8_t prev = combining_class(d[j - 1]);
      if (prev == 0 || prev <= c) break;
      std::swap(d[j - 1], d[j]);
      --j;
    }
  }
  // Canonical composition.
  std::u32string out;
  out.reserve(d.size());
  std::size_t starter = std::u32string::npos;
  int last_class = -1;  // class of the last character kept after the starter; -1: none
  for (char32_t cp : d) {
    const int c = combining_class(cp);
    if (starter != std::u32string::npos) {
      const bool blocked = last_class != -1 && (last_class == 0 || last_class >= c);
      if (!blocked) {
        if (const char32_t composed = compose(out[starter], cp); composed != 0) {
          out[starter] = composed;
          continue;
        }
      }
    }
    if (c == 0) {
      starter = out.size();
      last_class = -1;
    } else {
      last_class = c;
    }
    out.push_back(cp);
  }
  return out;
}

}  // namespace strata::diffusion::unicode
