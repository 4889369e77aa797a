// PNG text chunks: writing (tEXt/iTXt choice), reading tEXt/zTXt/iTXt, damaged chunks.
#include <catch2/catch.hpp>

#include "io_test_util.h"
#include "reference.h"
#include "strata/io/image_codec.h"
#include "strata/io/png_text.h"

using namespace strata;
using namespace strata::io;
using doc::ErrorCode;
using test::ByteVec;

namespace {

// A minimal valid 1x1 RGB PNG with `extra` chunks inserted before IDAT and `trailing` after.
ByteVec png_with(const std::vector<std::pair<std::string, ByteVec>>& extra,
                 const std::vector<std::pair<std::string, ByteVec>>& trailing = {}) {
  ByteVec png = test::png_signature();
  test::add_chunk(png, "IHDR", test::ihdr(1, 1));
  for (const auto& [type, data] : extra) test::add_chunk(png, type, data);
  test::add_chunk(png, "IDAT", test::zlib_compress(std::string("\0\1\2\3", 4)));
  for (const auto& [type, data] : trailing) test::add_chunk(png, type, data);
  test::add_chunk(png, "IEND", {});
  return png;
}

ByteVec concat(std::initializer_list<ByteVec> parts) {
  ByteVec out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace

TEST_CASE("write_png text chunks read back in order, Latin-1 as tEXt and the rest as iTXt", "[io][png_text]") {
  auto dir = test::temp_dir("io_png_text_roundtrip");
  std::vector<TextChunk> text = {
      {"parameters", "a cat\nNegative prompt: dog\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 1x1"},
      {"Comment", "caf\xC3\xA9 cr\xC3\xA8me"},                 // é, è: Latin-1 -> tEXt
      {"Title", "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x90\x88"},  // 日本 🐈: iTXt
      {"Tabbed", "a\tb\r\nc"},                                 // control characters: iTXt
      {"Looks UTF-8", "\xC3\x83\xC2\xA9"},                     // "Ã©" would read back as é from tEXt: iTXt
      {"Empty", ""},                                           // omitted
  };
  auto path = dir / "text.png";
  write_png(path, test::pattern_image(3, 2, 3), text);
  auto back = read_png_text(path);
  std::vector<TextChunk> expected(text.begin(), text.end() - 1);
  CHECK(back == expected);

  auto bytes = test::file_bytes(path);
  CHECK(test::find_bytes(bytes, std::string("tEXtparameters\0", 15)) != std::string::npos);
  CHECK(test::find_bytes(bytes, std::string("tEXtComment\0caf\xE9", 16)) != std::string::npos);
  CHECK(test::find_bytes(bytes, "iTXtTitle") != std::string::npos);
  CHECK(test::find_bytes(bytes, "iTXtTabbed") != std::string::npos);
  CHECK(test::find_bytes(bytes, "iTXtLooks UTF-8") != std::string::npos);
  CHECK(test::find_bytes(bytes, "Empty") == std::string::npos);
  CHECK(read_image(path).width == 3);  // the image is intact
}

TEST_CASE("encode_png refuses keys that are not PNG keywords", "[io][png_text]") {
  auto img = test::pattern_image(1, 1, 3);
  for (std::string key : {std::string(), std::string(" lead"), std::string("trail "), std::string("dou  ble"),
                          std::string(80, 'k'), std::string("\xE6\x97\xA5"), std::string("tab\tkey")}) {
    INFO("key '" << key << "'");
    REQUIRE_STRATA_ERROR(encode_png(img, {{key, "v"}}), ErrorCode::InvalidArgument, "PNG text key");
  }
  CHECK_NOTHROW(encode_png(img, {{std::string(79, 'k'), "v"}, {"caf\xC3\xA9", "v"}}));
}

TEST_CASE("tEXt, zTXt and iTXt (plain and compressed) are all read, before and after IDAT", "[io][png_text]") {
  auto itxt = [](std::string_view key, std::uint8_t flag, const ByteVec& text) {
    return concat({test::bytes_of(key), ByteVec{0, flag, 0}, test::bytes_of("en"), ByteVec{0},
                   test::bytes_of("Titel"), ByteVec{0}, text});
  };
  const std::string big(20000, 'x');
  auto png = png_with(
      {{"tEXt", concat({test::bytes_of("Author"), ByteVec{0}, ByteVec{'J', 0xF6, 'r', 'g'}})},  // Latin-1 ö
       {"zTXt", concat({test::bytes_of("prompt"), ByteVec{0, 0}, test::zlib_compress("{\"3\": {}}")})},
       {"iTXt", itxt("Title", 0, test::bytes_of("\xE2\x9C\x93 ok"))}},
      {{"iTXt", itxt("workflow", 1, test::zlib_compress(big))},
       {"tEXt", concat({test::bytes_of("Software"), ByteVec{0}, test::bytes_of("caf\xC3\xA9")})}});  // UTF-8 in tEXt
  auto chunks = decode_png_text(png, "mixed.png");
  REQUIRE(chunks.size() == 5);
  CHECK(chunks[0] == TextChunk{"Author", "J\xC3\xB6rg"});
  CHECK(chunks[1] == TextChunk{"prompt", "{\"3\": {}}"});
  CHECK(chunks[2] == TextChunk{"Title", "\xE2\x9C\x93 ok"});
  CHECK(chunks[3] == TextChunk{"workflow", big});
  CHECK(chunks[4] == TextChunk{"Software", "caf\xC3\xA9"});
}

TEST_CASE("Invalid UTF-8 in iTXt is replaced, never passed on", "[io][png_text]") {
  auto png = png_with({{"iTXt", concat({test::bytes_of("k"), ByteVec{0, 0, 0, 0, 0}, ByteVec{'a', 0xFF, 'b', 0xE2, 0x82}})}});
  auto chunks = decode_png_text(png, "bad-utf8.png");
  REQUIRE(chunks.size() == 1);
  CHECK(chunks[0].value == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(sanitize_utf8(chunks[0].value) == chunks[0].value);
}

TEST_CASE("Damaged text chunks and truncated files are CorruptFile naming the file", "[io][png_text][corrupt]") {
  auto good = png_with({{"tEXt", concat({test::bytes_of("parameters"), ByteVec{0}, test::bytes_of("hello")})}});
  REQUIRE(decode_png_text(good, "good.png").size() == 1);

  ByteVec bad_crc = good;
  bad_crc[test::find_bytes(bad_crc, "hello")] = 'j';
  REQUIRE_STRATA_ERROR(decode_png_text(bad_crc, "crc.png"), ErrorCode::CorruptFile, "crc.png: CRC mismatch in tEXt");

  for (std::size_t cut : {std::size_t{4}, std::size_t{12}, std::size_t{40}, good.size() - 6}) {
    INFO("cut at " << cut);
    ByteVec part(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut));
    REQUIRE_STRATA_ERROR(decode_png_text(part, "cut.png"), ErrorCode::CorruptFile, "cut.png");
  }
  auto no_keyword_end = png_with({{"tEXt", test::bytes_of("no-nul-here")}});
  REQUIRE_STRATA_ERROR(decode_png_text(no_keyword_end, "kw.png"), ErrorCode::CorruptFile, "no valid keyword");
  ByteVec broken_z = test::zlib_compress("some text that compresses");
  broken_z.resize(broken_z.size() / 2);
  auto bad_z = png_with({{"zTXt", concat({test::bytes_of("k"), ByteVec{0, 0}, broken_z})}});
  REQUIRE_STRATA_ERROR(decode_png_text(bad_z, "z.png"), ErrorCode::CorruptFile, "z.png: compressed text chunk 'k'");
  ByteVec first_not_ihdr = test::png_signature();
  test::add_chunk(first_not_ihdr, "tEXt", test::bytes_of(std::string("a\0b", 3)));
  REQUIRE_STRATA_ERROR(decode_png_text(first_not_ihdr, "order.png"), ErrorCode::CorruptFile, "expected IHDR");
  REQUIRE_STRATA_ERROR(decode_png_text(test::bytes_of("hello"), "txt.png"), ErrorCode::CorruptFile, "not a PNG");
}

TEST_CASE("A zTXt bomb is refused at the text limit", "[io][png_text][limits]") {
  const std::string huge(kMaxTextBytes + 1, 'a');
  auto png = png_with({{"zTXt", concat({test::bytes_of("bomb"), ByteVec{0, 0}, test::zlib_compress(huge)})}});
  CHECK(png.size() < 1024 * 1024);
  REQUIRE_STRATA_ERROR(decode_png_text(png, "bomb.png"), ErrorCode::TooLarge, "bomb.png: text chunk 'bomb'");
}

TEST_CASE("Text conversions", "[io][png_text]") {
  CHECK(latin1_to_utf8("caf\xE9") == "caf\xC3\xA9");
  CHECK(sanitize_utf8("ok \xF0\x9F\x90\x88") == "ok \xF0\x9F\x90\x88");
  CHECK(sanitize_utf8("\xC0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong NUL
  CHECK(sanitize_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}
