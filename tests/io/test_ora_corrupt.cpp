// OpenRaster reading of broken and hostile files: each gives the right error code and a message
// naming the file and the entry.
#include <catch2/catch.hpp>

#include "ora_test_util.h"
#include "reference.h"

using namespace strata;
using namespace strata::io;
using doc::ErrorCode;

namespace {

const std::string kOneLayer = R"(<image w="8" h="8"><stack><layer name="L" src="data/0.png"/></stack></image>)";

test::ByteVec good_ora() {
  OraStack s;
  s.width = 8;
  s.height = 8;
  OraLayer l;
  l.name = "L";
  l.pixels = test::pattern_image(8, 8, 4);
  s.layers = {l};
  return encode_ora(s);
}

}  // namespace

TEST_CASE("read_ora: file system errors", "[io][ora][corrupt]") {
  auto dir = test::temp_dir("ora_fs");
  REQUIRE_STRATA_ERROR(read_ora(dir / "missing.ora"), ErrorCode::NotFound, "missing.ora");
  REQUIRE_STRATA_ERROR(read_ora(dir), ErrorCode::IoError, "folder");
  test::write_bytes(dir / "big.ora", good_ora());
  ReadLimits small;
  small.max_file_bytes = 100;
  REQUIRE_STRATA_ERROR(read_ora(dir / "big.ora", small), ErrorCode::TooLarge, "big.ora");
}

TEST_CASE("read_ora: not a zip, truncated, damaged entry", "[io][ora][corrupt]") {
  auto dir = test::temp_dir("ora_corrupt");
  test::write_bytes(dir / "text.ora", test::bytes_of("just some text, not a zip archive at all"));
  REQUIRE_STRATA_ERROR(read_ora(dir / "text.ora"), ErrorCode::CorruptFile, "text.ora: not a readable zip");
  test::write_bytes(dir / "empty.ora", {});
  REQUIRE_STRATA_ERROR(read_ora(dir / "empty.ora"), ErrorCode::CorruptFile, "empty.ora");

  const auto good = good_ora();
  for (std::size_t keep : {good.size() / 2, good.size() - 10, std::size_t{30}}) {
    INFO("truncated to " << keep);
    test::write_bytes(dir / "cut.ora", test::ByteVec(good.begin(), good.begin() + static_cast<long>(keep)));
    REQUIRE_STRATA_ERROR(read_ora(dir / "cut.ora"), ErrorCode::CorruptFile, "cut.ora");
  }
  // Flip a byte inside the stored layer PNG: the zip CRC check catches it.
  auto damaged = good;
  const auto at = test::find_bytes(damaged, "IDAT");
  REQUIRE(at != std::string::npos);
  damaged[at + 8] ^= 0x55;
  REQUIRE_STRATA_ERROR(decode_ora(damaged, "d.ora"), ErrorCode::CorruptFile, "d.ora: data/0.png");
}

TEST_CASE("read_ora: mimetype and stack.xml problems", "[io][ora][corrupt]") {
  auto img = test::pattern_image(8, 8, 4);
  auto no_mime = test::make_zip({{"stack.xml", test::bytes_of(kOneLayer)}, {"data/0.png", encode_png(img)}});
  REQUIRE_STRATA_ERROR(decode_ora(no_mime, "a.ora"), ErrorCode::CorruptFile, "a.ora: mimetype: entry missing");
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(kOneLayer, {{"data/0.png", img}}, "application/zip"), "b.ora"),
                       ErrorCode::CorruptFile, "b.ora: mimetype: expected \"image/openraster\", found \"application/zip\"");
  // Trailing newline is tolerated.
  CHECK(decode_ora(test::make_ora(kOneLayer, {{"data/0.png", img}}, "image/openraster\n"), "c.ora").layers.size() == 1);

  auto no_stack = test::make_zip({{"mimetype", test::bytes_of("image/openraster"), true}});
  REQUIRE_STRATA_ERROR(decode_ora(no_stack, "d.ora"), ErrorCode::CorruptFile, "d.ora: stack.xml: entry missing");

  struct Case {
    std::string xml, fragment;
  };
  const Case cases[] = {
      {"<image w=\"8\" h=\"8\"><stack><layer src=\"data/0.png\"></stack></image>", "stack.xml: line 1: end tag does not match <layer>"},
      {"<image w=\"8\" h=\"8\">\n<stack>\n<layer src=\"data/0.png\" name=\"a &bogus; b\"/></stack></image>", "line 3: unknown entity &bogus;"},
      {"<image w=\"8\" h=\"8\"><stack/></image><extra/>", "content after the root element"},
      {"<image w=\"8\" h=\"8\"><stack>", "is not closed"},
      {"<image w=\"8\" h=\"8\" w=\"9\"><stack/></image>", "duplicate attribute w"},
      {"<image w=\"8\" h=\"8\"><stack><layer src='x' name=\"\xC3\x28\"/></stack></image>", "not valid UTF-8"},
      {"<!DOCTYPE image [<!ENTITY a \"aaaa\">]><image w=\"8\" h=\"8\"><stack/></image>", "internal subset"},
      {"<canvas w=\"8\" h=\"8\"><stack/></canvas>", "root element is <canvas>, expected <image>"},
      {"<image h=\"8\"><stack/></image>", "<image> has no w attribute"},
      {"<image w=\"-3\" h=\"8\"><stack/></image>", "w=\"-3\": expected a positive integer"},
      {"<image w=\"8\" h=\"8\"></image>", "<image> has no <stack>"},
      {"<image w=\"8\" h=\"8\"><stack><layer name=\"nosrc\"/></stack></image>", "layer \"nosrc\" has no src"},
      {"<image w=\"8\" h=\"8\"><stack><layer src=\"data/0.png\" x=\"left\"/></stack></image>", "x=\"left\": expected an integer"},
      {"<image w=\"8\" h=\"8\"><stack><layer src=\"data/0.png\" opacity=\"nan\"/></stack></image>", "opacity=\"nan\": expected a number"},
      {"", "expected the root element"},
  };
  for (const auto& c : cases) {
    INFO(c.xml);
    REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(c.xml, {{"data/0.png", img}}), "x.ora"), ErrorCode::CorruptFile, c.fragment);
  }
  // Deep nesting is refused, not a stack overflow.
  std::string deep = "<image w=\"8\" h=\"8\">";
  for (int i = 0; i < 5000; ++i) deep += "<stack>";
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(deep), "deep.ora"), ErrorCode::CorruptFile, "nested deeper than 64");
}

TEST_CASE("read_ora: layer entries missing or not PNG", "[io][ora][corrupt]") {
  const std::string xml = R"(<image w="8" h="8"><stack><layer name="sky" src="data/7.png"/></stack></image>)";
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(xml), "m.ora"), ErrorCode::CorruptFile,
                       "m.ora: data/7.png: entry missing; layer \"sky\" (stack.xml line 1)");
  auto not_png = test::make_zip({{"mimetype", test::bytes_of("image/openraster"), true},
                                 {"stack.xml", test::bytes_of(xml)},
                                 {"data/7.png", test::bytes_of("this is not a PNG file")}});
  REQUIRE_STRATA_ERROR(decode_ora(not_png, "n.ora"), ErrorCode::CorruptFile, "n.ora: data/7.png");
  // A truncated PNG inside a sound zip.
  auto png = encode_png(test::pattern_image(8, 8, 4));
  png.resize(png.size() / 2);
  auto cut = test::make_zip({{"mimetype", test::bytes_of("image/openraster"), true}, {"stack.xml", test::bytes_of(xml)}, {"data/7.png", png}});
  REQUIRE_STRATA_ERROR(decode_ora(cut, "t.ora"), ErrorCode::CorruptFile, "t.ora: data/7.png");
  // A JPEG where a PNG belongs.
  test::ByteVec jpeg{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x08, 0x00, 0x08, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9};
  auto with_jpeg = test::make_zip({{"mimetype", test::bytes_of("image/openraster"), true}, {"stack.xml", test::bytes_of(xml)}, {"data/7.png", jpeg}});
  REQUIRE_STRATA_ERROR(decode_ora(with_jpeg, "j.ora"), ErrorCode::CorruptFile, "expected a PNG, found JPEG");
}

TEST_CASE("read_ora: sizes beyond the limits are refused before allocating", "[io][ora][corrupt]") {
  auto img = test::pattern_image(8, 8, 4);
  const std::string huge = R"(<image w="100000" h="100000"><stack/></image>)";
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(huge), "h.ora"), ErrorCode::TooLarge, "h.ora: stack.xml: canvas w is 100000");
  const std::string big = R"(<image w="60000" h="60000"><stack/></image>)";
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(big), "g.ora"), ErrorCode::TooLarge, "more than the limit of");

  // A PNG header claiming 60000x60000 in a few bytes.
  auto lying = test::png_signature();
  test::add_chunk(lying, "IHDR", test::ihdr(60000, 60000, 6));
  test::add_chunk(lying, "IDAT", test::zlib_compress("x"));
  test::add_chunk(lying, "IEND", {});
  auto bomb = test::make_zip({{"mimetype", test::bytes_of("image/openraster"), true},
                              {"stack.xml", test::bytes_of(kOneLayer)},
                              {"data/0.png", lying}});
  const long before = test::vm_peak_kib();
  REQUIRE_STRATA_ERROR(decode_ora(bomb, "p.ora"), ErrorCode::TooLarge, "p.ora: data/0.png");
  CHECK(test::vm_peak_kib() - before < 512 * 1024);  // decoding would need 13 GiB

  // Limits on layers and total bytes.
  std::string many = "<image w=\"8\" h=\"8\"><stack>";
  for (int i = 0; i < 5; ++i) many += "<layer src=\"data/0.png\"/>";
  many += "</stack></image>";
  ReadLimits limits;
  limits.max_layers = 4;
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(many, {{"data/0.png", img}}), "l.ora", limits), ErrorCode::TooLarge, "4 layers");
  limits = {};
  limits.max_total_bytes = 600;  // stack.xml + five 8x8 PNG entries fit, their decoded pixels do not
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(many, {{"data/0.png", img}}), "t.ora", limits), ErrorCode::TooLarge, "t.ora: data/0.png");
  limits.max_total_bytes = 100;
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(many, {{"data/0.png", img}}), "t.ora", limits), ErrorCode::TooLarge, "t.ora:");
  limits = {};
  limits.max_layer_pixels = 63;
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(kOneLayer, {{"data/0.png", img}}), "s.ora", limits), ErrorCode::TooLarge, "s.ora: data/0.png");
  limits = {};
  limits.max_canvas_pixels = 63;
  REQUIRE_STRATA_ERROR(decode_ora(test::make_ora(kOneLayer, {{"data/0.png", img}}), "c.ora", limits), ErrorCode::TooLarge, "c.ora: stack.xml");
}

TEST_CASE("read_ora: a merged image of the wrong size is skipped", "[io][ora][corrupt]") {
  auto img = test::pattern_image(8, 8, 4);
  auto bytes = test::make_ora(kOneLayer, {{"data/0.png", img}, {"mergedimage.png", test::pattern_image(4, 4, 4)}});
  auto r = decode_ora(bytes, "w.ora");
  CHECK(r.merged.empty());
  CHECK(r.layers.size() == 1);
  auto broken = test::make_zip({{"mimetype", test::bytes_of("image/openraster"), true},
                                {"stack.xml", test::bytes_of(kOneLayer)},
                                {"data/0.png", encode_png(img)},
                                {"mergedimage.png", test::bytes_of("garbage")}});
  REQUIRE_STRATA_ERROR(decode_ora(broken, "b.ora"), ErrorCode::CorruptFile, "b.ora: mergedimage.png");
}
