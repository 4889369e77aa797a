// The CLIP tokenizer's text pipeline piece by piece: UTF-8, Python's str.lower(), NFC, the ftfy
// steps (expected values are ftfy's own documented examples and CPython's outputs), the CLIP regex.
#include <catch2/catch.hpp>

#include <string>

#include "tokenizer/clip_tokenizer_impl.h"
#include "tokenizer/text_fix.h"
#include "tokenizer/unicode.h"

using namespace strata::diffusion;

namespace {
std::string utf8(std::u32string_view s) {
  return unicode::encode_utf8(s);
}
}  // namespace

TEST_CASE("UTF-8 decoding replaces each maximal invalid subsequence", "[tokenizer]") {
  using unicode::decode_utf8;
  CHECK(decode_utf8("a\xC3\xA9z") == U"a\u00E9z");
  CHECK(decode_utf8("\xF0\x9F\x90\xB1") == U"\U0001F431");
  CHECK(decode_utf8("\xFF") == U"\uFFFD");
  CHECK(decode_utf8("\x80\x80") == U"\uFFFD\uFFFD");            // stray continuations
  CHECK(decode_utf8("\xE2\x82z") == U"\uFFFDz");                // truncated 3-byte sequence
  CHECK(decode_utf8("\xC0\xAF") == U"\uFFFD\uFFFD");            // overlong '/'
  CHECK(decode_utf8("\xED\xA0\x80") == U"\uFFFD\uFFFD\uFFFD");  // encoded surrogate
  CHECK(decode_utf8("\xF4\x90\x80\x80") == U"\uFFFD\uFFFD\uFFFD\uFFFD");  // above U+10FFFF
  CHECK(decode_utf8("\xF0\x9F\x90") == U"\uFFFD");                        // truncated at the end
  std::u32string out;
  CHECK(unicode::decode_utf8_strict("\xEF\xBF\xBD", out));  // a real U+FFFD is valid
  CHECK_FALSE(unicode::decode_utf8_strict("ab\xC3", out));
  CHECK(unicode::encode_utf8(U"\u00E9\U0001F431") == "\xC3\xA9\xF0\x9F\x90\xB1");
}

TEST_CASE("to_lower is Python's str.lower()", "[tokenizer]") {
  using unicode::to_lower;
  CHECK(to_lower(U"HeLLo") == U"hello");
  CHECK(to_lower(U"\u039A\u038C\u03A3\u039C\u039F\u03A3") ==
        U"\u03BA\u03CC\u03C3\u03BC\u03BF\u03C2");
  CHECK(to_lower(U"\u03A3\u0391") == U"\u03C3\u03B1");  // initial sigma
  CHECK(to_lower(U"A.\u03A3") == U"a.\u03C2");          // '.' is case-ignorable
  CHECK(to_lower(U"\u0391\u03A3\u0301\u0391") == U"\u03B1\u03C3\u0301\u03B1");
  CHECK(to_lower(U"\u0130stanbul") == U"i\u0307stanbul");  // the one two-code-point mapping
  CHECK(to_lower(U"\u01C5\u1E9E\u212A\u2126") == U"\u01C6\u00DF\u006B\u03C9");
  CHECK(to_lower(U"\u0410\u042F\u0401") == U"\u0430\u044F\u0451");
}

TEST_CASE("nfc composes, reorders and honours exclusions", "[tokenizer]") {
  using unicode::nfc;
  CHECK(nfc(U"e\u0301") == U"\u00E9");
  CHECK(nfc(U"\u1100\u1161\u11A8") == U"\uAC01");  // Hangul L V T
  CHECK(nfc(U"a\u0323\u0302") == U"\u1EAD");
  CHECK(nfc(U"a\u0302\u0323") == U"\u1EAD");  // reordered by combining class first
  CHECK(nfc(U"\u212B") == U"\u00C5");         // singleton decomposition
  CHECK(nfc(U"\u0344") == U"\u0308\u0301");   // non-starter decomposition is excluded
  CHECK(nfc(U"A\u030A\u0301") == U"\u01FA");
  CHECK(nfc(U"q\u0307\u0323") == U"q\u0323\u0307");
  CHECK(nfc(U"plain ascii") == U"plain ascii");
}

TEST_CASE("character classes of the CLIP regex", "[tokenizer]") {
  CHECK(unicode::is_letter(U'a'));
  CHECK(unicode::is_letter(0x732B));       // 猫 (Lo)
  CHECK_FALSE(unicode::is_letter(0x947));  // Devanagari vowel sign (Mc) splits words
  CHECK(unicode::is_number(U'7'));
  CHECK(unicode::is_number(0xBD));    // ½ (No)
  CHECK(unicode::is_number(0x2167));  // Ⅷ (Nl)
  CHECK(unicode::is_space(0x3000));
  CHECK(unicode::is_space(0x1F));  // Python counts U+001F as whitespace
  CHECK_FALSE(unicode::is_space(0x200B));
}

TEST_CASE("unescape_html follows ftfy", "[tokenizer]") {
  using text::unescape_html;
  CHECK(unescape_html(U"&lt;tag&gt;") == U"<tag>");
  CHECK(unescape_html(U"&Jscr;ohn &HilbertSpace;ancock") == U"\U0001D4A5ohn \u210Bancock");
  CHECK(unescape_html(U"P&EACUTE;REZ") == U"P\u00C9REZ");
  CHECK(unescape_html(U"BUNDESSTRA&SZLIG;E") == U"BUNDESSTRASSE");
  CHECK(unescape_html(U"&ntilde; &Ntilde; &NTILDE; &nTILDE;") == U"\u00F1 \u00D1 \u00D1 &nTILDE;");
  CHECK(unescape_html(U"&#39;&#x41;&#X42;") == U"'AB");
  CHECK(unescape_html(U"&#59;") == U"&#59;");  // ftfy leaves a reference that decodes to ';'
  CHECK(unescape_html(U"&#0;") == U"\uFFFD");
  CHECK(unescape_html(U"a&#1;b") == U"ab");      // html.unescape drops invalid code points
  CHECK(unescape_html(U"&#128;") == U"\u20AC");  // C1 references are read as windows-1252
  CHECK(unescape_html(U"&#99999999999999999999;") == U"\uFFFD");
  CHECK(unescape_html(U"&#12ab; &amp &nosuch; &;") == U"&#12ab; &amp &nosuch; &;");
}

TEST_CASE("fix_encoding repairs UTF-8 mojibake", "[tokenizer]") {
  using text::fix_encoding;
  CHECK(fix_encoding(U"s\u00C3\u00B3") == U"s\u00F3");
  CHECK(fix_encoding(U"\u00C3\u00B3") == U"\u00F3");
  CHECK(fix_encoding(U"voil\u00C3 le travail") == U"voil\u00E0 le travail");  // restore_byte_a0
  CHECK(fix_encoding(U"&ATILDE;&SUP3;") == U"&ATILDE;&SUP3;");
  // lossy windows-1252: the last quote lost its third byte
  CHECK(fix_encoding(U"\u00E2\u20AC\u0153 like this \u00E2\u20AC\uFFFD") ==
        U"\u201C like this \uFFFD");
  CHECK(fix_encoding(U"caf\u00E9 cr\u00E8me") == U"caf\u00E9 cr\u00E8me");  // not mojibake
  CHECK(text::is_bad(U"\u00C3\u00A9"));
  CHECK_FALSE(text::is_bad(U"na\u00EFve caf\u00E9"));
}

TEST_CASE("fix_text applies the ftfy steps in order", "[tokenizer]") {
  const auto fix = [](std::u32string_view s) { return utf8(text::fix_text(s)); };
  CHECK(fix(U"u\u00CC\u02C6nicode") == "\u00FCnicode");
  CHECK(fix(U"&macr;\\_(\u00E3\u0083\u0084)_/&macr;") == "\u00AF\\_(\u30C4)_/\u00AF");
  CHECK(fix(U"Broken text&hellip; it&#x2019;s \uFB02ubberi\uFB01c!") ==
        "Broken text\u2026 it's flubberific!");
  CHECK(fix(U"\uFF2C\uFF2F\uFF35\uFF24\u3000\uFF2E\uFF2F\uFF29\uFF33\uFF25\uFF33") ==
        "LOUD NOISES");
  CHECK(fix(U"\uFF35\uFF80\uFF70\uFF9D") == "U\u30BF\u30FC\u30F3");
  CHECK(fix(U"\uFEFFParty like\nit&rsquo;s 1999!") == "Party like\nit's 1999!");
  CHECK(fix(U"\x1B[36;44mI'm blue, da ba dee\x1B[0m") == "I'm blue, da ba dee");
  CHECK(fix(U"a\r\nb\rc\u2028d\u2029e") == "a\nb\nc\nd\ne");
  CHECK(fix(U"price \u0080") == "price \u20AC");
  CHECK(fix(U"\u201Chere\u2019s a test\u201D") == "\"here's a test\"");
  CHECK(fix(U"\u0132 \u01C4 \uFB06") == "IJ D\u017D st");
  // "auto" HTML: a segment with a literal '<' switches unescaping off from there on
  CHECK(fix(U"&amp;\n<html>\n&amp;") == "&\n<html>\n&amp;");
  CHECK(fix(U"a\x01\x7F\u206A\uFFFCb\tc\x0C") == "ab\tc\x0C");
}

TEST_CASE("clip_clean collapses whitespace, strips and lower-cases", "[tokenizer]") {
  CHECK(utf8(text::clip_clean(U"  A\t\tB \u3000 C\n")) == "a b c");
  CHECK(utf8(text::clip_clean(U"\x1C\x1D")) == "");
  CHECK(utf8(text::clip_clean(U"")) == "");
}

TEST_CASE("pre_tokenize splits like the CLIP regex", "[tokenizer]") {
  using V = std::vector<std::string>;
  CHECK(clip::pre_tokenize(U"it's a dog's life") == V{"it", "'s", "a", "dog", "'s", "life"});
  CHECK(clip::pre_tokenize(U"''s 'x") == V{"''", "s", "'", "x"});
  CHECK(clip::pre_tokenize(U"'re've 'll'd'm") == V{"'re", "'ve", "'ll", "'d", "'m"});
  CHECK(clip::pre_tokenize(U"1234 ab12") == V{"1", "2", "3", "4", "ab", "1", "2"});
  CHECK(clip::pre_tokenize(U"a<|endoftext|>b!<|startoftext|>") ==
        V{"a", "<|endoftext|>", "b", "!<|", "startoftext", "|>"});
  CHECK(clip::pre_tokenize(U"\u017Fx '\u017F") == V{"\u017Fx", "'\u017F"});  // long s folds to s
  CHECK(clip::pre_tokenize(U"na\u0308ive") == V{"na", "\u0308", "ive"});     // marks are "other"
  // U+0345 folds to a letter, so regex's IGNORECASE neither matches nor keeps it.
  CHECK(clip::pre_tokenize(U"a\u0345b !\u0345!") == V{"a", "b", "!", "!"});
}
