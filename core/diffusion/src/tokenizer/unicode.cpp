// Character classes, Python's str.lower() and NFC over generated tables; strict UTF-8 checking.
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

bool decode_utf8_strict(std::string_view bytes, std::u32string& out) {
  out.clear();
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const doc::Utf8Char c = doc::decode_utf8_char(bytes, i);
    if (!c.valid) return false;
    out.push_back(c.code_point);
    i += c.length;
  }
  return true;
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
  if (cp < 0x80) {
    return (cp >= U'0' && cp <= U'9') || (cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z') ||
           cp == U'_';
  }
  return is_letter(cp) || is_number(cp);
}

int decimal_value(char32_t cp) {
  if (cp >= U'0' && cp <= U'9') return static_cast<int>(cp - U'0');
  // Last zero <= cp; cp is a digit when it lies within the 10 code points from that zero.
  const auto* it = std::upper_bound(std::begin(kDigitZeros), std::end(kDigitZeros), cp);
  if (it == std::begin(kDigitZeros)) return -1;
  const char32_t zero = *(it - 1);
  return cp - zero < 10 ? static_cast<int>(cp - zero) : -1;
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
