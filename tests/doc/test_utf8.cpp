// The UTF-8 decoder's contract (strata/doc/utf8.h): one U+FFFD per maximal ill-formed subpart.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "strata/doc/utf8.h"

using namespace strata::doc;

namespace {

// n replacement characters
std::u32string fffd(std::size_t n) { return std::u32string(n, U'\uFFFD'); }

}  // namespace

TEST_CASE("decode_utf8: well-formed 1- to 4-byte characters", "[doc][utf8]") {
  CHECK(decode_utf8("") == U"");
  CHECK(decode_utf8(std::string_view("a\0z", 3)) == std::u32string(U"a\0z", 3));
  CHECK(decode_utf8("\x7F") == U"\x7F");
  CHECK(decode_utf8("\xC2\x80") == U"\u0080");                  // smallest 2-byte
  CHECK(decode_utf8("\xC3\xA9") == U"\u00E9");                  // é
  CHECK(decode_utf8("\xDF\xBF") == U"\u07FF");                  // largest 2-byte
  CHECK(decode_utf8("\xE0\xA0\x80") == U"\u0800");              // smallest 3-byte
  CHECK(decode_utf8("\xE7\x8C\xAB") == U"\u732B");              // 猫
  CHECK(decode_utf8("\xED\x9F\xBF") == U"\uD7FF");              // just below the surrogates
  CHECK(decode_utf8("\xEE\x80\x80") == U"\uE000");              // just above them
  CHECK(decode_utf8("\xEF\xBF\xBD") == U"\uFFFD");              // a literal U+FFFD
  CHECK(decode_utf8("\xEF\xBF\xBF") == U"\uFFFF");
  CHECK(decode_utf8("\xF0\x90\x80\x80") == U"\U00010000");      // smallest 4-byte
  CHECK(decode_utf8("\xF0\x9F\x90\xB1") == U"\U0001F431");      // 🐱
  CHECK(decode_utf8("\xF4\x8F\xBF\xBF") == U"\U0010FFFF");      // largest scalar value
  CHECK(decode_utf8("a\xC3\xA9z\xF0\x9F\x90\xB1") == U"a\u00E9z\U0001F431");
}

TEST_CASE("decode_utf8: a byte that cannot start a sequence is one U+FFFD", "[doc][utf8]") {
  CHECK(decode_utf8("\x80") == fffd(1));
  CHECK(decode_utf8("\xBF") == fffd(1));
  CHECK(decode_utf8("\x80\x80\x80") == fffd(3));  // stray continuations: one each
  CHECK(decode_utf8("\xFF") == fffd(1));
  CHECK(decode_utf8("\xFE\xFF") == fffd(2));
  CHECK(decode_utf8("a\xF8z") == U"a\uFFFDz");
  CHECK(decode_utf8("\xC1\xBF") == fffd(2));      // C0/C1 never start a sequence
}

TEST_CASE("decode_utf8: a truncated sequence is one U+FFFD, the next byte decoded afresh",
          "[doc][utf8]") {
  CHECK(decode_utf8("\xC3") == fffd(1));                         // at the end
  CHECK(decode_utf8("\xE2\x82") == fffd(1));
  CHECK(decode_utf8("\xF0\x9F\x90") == fffd(1));
  CHECK(decode_utf8("ab\xC3") == U"ab\uFFFD");
  CHECK(decode_utf8("\xE2\x82z") == U"\uFFFDz");                 // cut by a non-continuation
  CHECK(decode_utf8("\xF0\x9F\x90z") == U"\uFFFDz");
  CHECK(decode_utf8("\xF0\x9Fz") == U"\uFFFDz");
  CHECK(decode_utf8("\xE2\xC3\xA9") == U"\uFFFD\u00E9");         // cut by the next lead
  CHECK(decode_utf8("\xF0\x9F\x90\xF0\x9F\x90\xB1") == U"\uFFFD\U0001F431");
  CHECK(decode_utf8("\xC3\xC3") == fffd(2));
}

TEST_CASE("decode_utf8: overlong forms give one U+FFFD per byte", "[doc][utf8]") {
  CHECK(decode_utf8("\xC0\x80") == fffd(2));          // overlong NUL (Java's modified UTF-8)
  CHECK(decode_utf8("\xC0\xAF") == fffd(2));          // overlong '/'
  CHECK(decode_utf8("\xE0\x80\xAF") == fffd(3));
  CHECK(decode_utf8("\xE0\x9F\xBF") == fffd(3));      // overlong U+07FF
  CHECK(decode_utf8("\xF0\x80\x80\xAF") == fffd(4));
  CHECK(decode_utf8("\xF0\x8F\xBF\xBF") == fffd(4));  // overlong U+FFFF
}

TEST_CASE("decode_utf8: encoded surrogates give one U+FFFD per byte", "[doc][utf8]") {
  CHECK(decode_utf8("\xED\xA0\x80") == fffd(3));                       // U+D800
  CHECK(decode_utf8("\xED\xBF\xBF") == fffd(3));                       // U+DFFF
  CHECK(decode_utf8("\xED\xA0\xBD\xED\xB0\xB1") == fffd(6));           // CESU-8 pair
  CHECK(decode_utf8("\xED\xA0") == fffd(2));
}

TEST_CASE("decode_utf8: values above U+10FFFF give one U+FFFD per byte", "[doc][utf8]") {
  CHECK(decode_utf8("\xF4\x90\x80\x80") == fffd(4));  // U+110000
  CHECK(decode_utf8("\xF4\xBF\xBF\xBF") == fffd(4));
  CHECK(decode_utf8("\xF5\x80\x80\x80") == fffd(4));  // F5–F7 leads
  CHECK(decode_utf8("\xF7\xBF\xBF\xBF") == fffd(4));
}

TEST_CASE("decode_utf8_char reports each step's length and validity", "[doc][utf8]") {
  const std::string_view s("a\xE2\x82z\xEF\xBF\xBD\xF0\x9F\x90\xB1\x80", 12);
  struct Step {
    char32_t cp;
    std::size_t length;
    bool valid;
  };
  const Step expected[] = {{U'a', 1, true},    {0xFFFD, 2, false}, {U'z', 1, true},
                           {0xFFFD, 3, true},  {0x1F431, 4, true}, {0xFFFD, 1, false}};
  std::size_t pos = 0;
  for (const Step& e : expected) {
    REQUIRE(pos < s.size());
    const Utf8Char c = decode_utf8_char(s, pos);
    CHECK(c.code_point == e.cp);
    CHECK(c.length == e.length);
    CHECK(c.valid == e.valid);
    pos += c.length;
  }
  CHECK(pos == s.size());
}

TEST_CASE("decode_utf8 yields scalar values only; valid input round-trips", "[doc][utf8]") {
  // Every 1- and 2-byte input, and every 3-byte input with a lead of E0, ED, EF or F4.
  for (int a = 0; a < 256; ++a) {
    for (int b = -1; b < 256; ++b) {
      std::string s(1, static_cast<char>(a));
      if (b >= 0) s.push_back(static_cast<char>(b));
      const std::u32string d = decode_utf8(s);
      for (char32_t c : d) REQUIRE((c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF)));
      if (d.find(U'\uFFFD') == std::u32string::npos) REQUIRE(encode_utf8(d) == s);
    }
  }
  for (int lead : {0xE0, 0xED, 0xEF, 0xF4}) {
    for (int b = 0x80; b < 0xC0; ++b) {
      for (int c = 0x80; c < 0xC0; ++c) {
        const std::string s{static_cast<char>(lead), static_cast<char>(b), static_cast<char>(c)};
        const std::u32string d = decode_utf8(s);
        for (char32_t x : d) REQUIRE((x <= 0x10FFFF && (x < 0xD800 || x > 0xDFFF)));
        if (d.size() == 1 && d[0] != U'\uFFFD') REQUIRE(encode_utf8(d) == s);
      }
    }
  }
  // Whatever the input, decoding the re-encoded text changes nothing.
  const std::string junk("\xC0\x80\xED\xA0\x80\xF4\x90\x80\x80\xE2\x82z\xF0\x9F\x90\xB1\xFF", 17);
  const std::u32string once = decode_utf8(junk);
  CHECK(decode_utf8(encode_utf8(once)) == once);
}

TEST_CASE("decode_utf8_char: an ill-formed step is a lead and continuation bytes only",
          "[doc][utf8]") {
  // So readers that replace per byte (io::sanitize_utf8) may write `length` U+FFFDs: decoding
  // afresh from any byte after the lead would give one U+FFFD per byte as well.
  for (int a = 0x80; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      for (int c : {0x00, 0x41, 0x80, 0x9F, 0xA0, 0xBF, 0xC3}) {
        const std::string s{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
        const Utf8Char step = decode_utf8_char(s, 0);
        REQUIRE(step.length >= 1);
        if (step.valid) continue;
        REQUIRE(step.code_point == kReplacementCharacter);
        for (std::size_t k = 1; k < step.length; ++k) {
          const Utf8Char rest = decode_utf8_char(s, k);
          REQUIRE((!rest.valid && rest.length == 1));
        }
      }
    }
  }
}
