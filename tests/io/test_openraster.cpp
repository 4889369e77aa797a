// OpenRaster: round trips, the archive layout other programs rely on, merged image and thumbnail,
// reading files written by others (groups, foreign attributes), atomic saves.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <csignal>

#include "ora_test_util.h"
#include "reference.h"

using namespace strata;
using namespace strata::io;
using doc::ErrorCode;
namespace fs = std::filesystem;

namespace {

OraStack sample_stack() {
  OraStack s;
  s.width = 64;
  s.height = 48;
  OraLayer top;
  top.name = "a & <b> \"c\" ünï 'q'";
  top.x = -5;
  top.y = -7;
  top.pixels = test::pattern_image(20, 10, 4);
  top.attributes = {{"strata:strength", "0.75"}, {"strata:kind", "mask & more"}};
  OraLayer hidden;
  hidden.name = "line1\nline2\ttab\r";
  hidden.visible = false;
  hidden.locked = true;
  hidden.opacity = 0.3f;
  hidden.composite_op = "svg:multiply";
  hidden.x = 70;  // entirely off the canvas
  hidden.pixels = test::pattern_image(5, 6, 4);
  OraLayer rgb;
  rgb.name = "";
  rgb.pixels = test::pattern_image(64, 48, 3);
  s.layers = {top, hidden, rgb};
  s.strata_json = R"({"version":1,"prompt":"ünï \"x\""})";
  return s;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("OpenRaster round trip keeps every field", "[io][ora]") {
  auto dir = test::temp_dir("ora_round_trip");
  const OraStack s = sample_stack();
  write_ora(dir / "p.ora", s);
  const OraStack r = read_ora(dir / "p.ora");
  CHECK(r.width == 64);
  CHECK(r.height == 48);
  CHECK(r.strata_json == s.strata_json);
  REQUIRE(r.layers.size() == 3);
  for (std::size_t i = 0; i < 2; ++i) {
    INFO("layer " << i);
    const auto &a = s.layers[i], &b = r.layers[i];
    CHECK(b.name == a.name);
    CHECK(b.x == a.x);
    CHECK(b.y == a.y);
    CHECK(b.opacity == a.opacity);  // exact: written as the shortest float
    CHECK(b.visible == a.visible);
    CHECK(b.locked == a.locked);
    CHECK(b.composite_op == a.composite_op);
    CHECK(b.attributes == a.attributes);
    CHECK(b.pixels.channels == 4);
    CHECK(b.pixels.pixels == a.pixels.pixels);
  }
  // The RGB layer comes back as opaque RGBA.
  const auto& rgb = r.layers[2].pixels;
  REQUIRE(rgb.channels == 4);
  CHECK(rgb.at(10, 20, 1) == s.layers[2].pixels.at(10, 20, 1));
  CHECK(rgb.at(10, 20, 3) == 255);
  CHECK(r.layers[2].name.empty());
  CHECK(r.layers[2].composite_op == "svg:src-over");
  // The merged image: canvas size; the visible top layer shows where it covers.
  REQUIRE(r.merged.width == 64);
  REQUIRE(r.merged.height == 48);
  const double sa = s.layers[0].pixels.at(5, 7, 3) / 255.0;
  for (int k = 0; k < 3; ++k) {
    const double expected = s.layers[0].pixels.at(5, 7, k) * sa + s.layers[2].pixels.at(0, 0, k) * (1 - sa);
    CHECK(r.merged.at(0, 0, k) == Approx(expected).margin(1));
  }
  CHECK(r.merged.at(0, 0, 3) == 255);
  CHECK(r.merged.at(40, 40, 2) == s.layers[2].pixels.at(40, 40, 2));
}

TEST_CASE("OpenRaster layout: mimetype first and stored, stack.xml, merged, thumbnail", "[io][ora]") {
  OraStack s;
  s.width = 600;
  s.height = 300;
  OraLayer l;
  l.name = "a & <b>";
  l.pixels = test::solid_rgba(600, 300, 10, 20, 30, 255);
  s.layers = {l};
  const test::ByteVec bytes = encode_ora(s);
  // Local file header of the first entry (APPNOTE 4.3.7).
  REQUIRE(bytes.size() > 54);
  CHECK(test::as_text({bytes.begin(), bytes.begin() + 4}) == "PK\x03\x04");
  CHECK((bytes[6] & 0x08) == 0);               // no data descriptor
  CHECK((bytes[8] | (bytes[9] << 8)) == 0);    // STORED
  CHECK((bytes[26] | (bytes[27] << 8)) == 8);  // name length
  CHECK((bytes[28] | (bytes[29] << 8)) == 0);  // no extra field
  CHECK(test::as_text({bytes.begin() + 30, bytes.begin() + 38}) == "mimetype");
  CHECK(test::as_text({bytes.begin() + 38, bytes.begin() + 54}) == "image/openraster");

  const std::string xml = test::as_text(test::zip_entry(bytes, "stack.xml"));
  CHECK(xml.find("<image version=\"0.0.5\" w=\"600\" h=\"300\"") != std::string::npos);
  CHECK(xml.find("name=\"a &amp; &lt;b&gt;\" src=\"data/0.png\" x=\"0\" y=\"0\" opacity=\"1\" visibility=\"visible\"") != std::string::npos);
  auto merged = decode_image(test::zip_entry(bytes, "mergedimage.png"), "merged");
  CHECK(merged.width == 600);
  CHECK(merged.height == 300);
  CHECK(merged.channels == 4);
  auto thumb = decode_image(test::zip_entry(bytes, "Thumbnails/thumbnail.png"), "thumb");
  CHECK(thumb.width == 256);
  CHECK(thumb.height == 128);
  CHECK(thumb.at(100, 50, 0) == 10);
  CHECK(thumb.at(100, 50, 3) == 255);
  CHECK(test::zip_entry(bytes, "data/0.png").size() > 0);
  // No strata entry when there is no JSON.
  CHECK_THROWS(test::zip_entry(bytes, "strata/project.json"));
}

TEST_CASE("OpenRaster merged image composites visible layers with opacity", "[io][ora]") {
  OraStack s;
  s.width = 4;
  s.height = 2;
  OraLayer blue, red, green;
  blue.pixels = test::solid_rgba(2, 2, 0, 0, 255, 255);
  blue.opacity = 0.5f;
  green.pixels = test::solid_rgba(4, 2, 0, 255, 0, 255);
  green.visible = false;
  red.pixels = test::solid_rgba(4, 2, 255, 0, 0, 255);
  s.layers = {blue, green, red};
  const OraStack r = decode_ora(encode_ora(s), "m.ora");
  REQUIRE(r.merged.width == 4);
  CHECK(int(r.merged.at(0, 0, 0)) == Approx(127.5).margin(1));
  CHECK(int(r.merged.at(0, 0, 2)) == Approx(127.5).margin(1));
  CHECK(r.merged.at(0, 0, 1) == 0);
  CHECK(r.merged.at(3, 1, 0) == 255);
  CHECK(r.merged.at(3, 1, 3) == 255);
  // A given merged image is written as is.
  s.merged = test::solid_rgba(4, 2, 1, 2, 3, 4);
  CHECK(decode_ora(encode_ora(s), "m.ora").merged.pixels == s.merged.pixels);
  ReadLimits no_merged;
  no_merged.load_merged = false;
  CHECK(decode_ora(encode_ora(s), "m.ora", no_merged).merged.empty());
}

TEST_CASE("OpenRaster reads files from other programs: groups, foreign attributes", "[io][ora]") {
  const std::string xml = R"(<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE image>
<!-- written by hand -->
<image w="10" h="8" version="0.0.3" xmlns:krita="http://krita.org">
  <stack>
    <layer name="top" src="data/a.png" x="1.4" y="-2" selected="true" krita:foo="x" strata:strength="0.5"/>
    <stack name="group" x="3" y="4" opacity="0.5" visibility="hidden">
      <layer name="inner &#x263A; &#65;" src="data/b.png" x="1" y="1" opacity="0.5" edit-locked="true"/>
    </stack>
    <text>ignored</text>
    <layer name="plain" src="data/a.png"><![CDATA[ <not a tag> ]]></layer>
  </stack>
</image>)";
  auto bytes = test::make_ora(xml, {{"data/a.png", test::pattern_image(3, 2, 4)}, {"data/b.png", test::pattern_image(2, 2, 3)}});
  const OraStack r = decode_ora(bytes, "other.ora");
  REQUIRE(r.layers.size() == 3);
  CHECK(r.layers[0].x == 1);
  CHECK(r.layers[0].y == -2);
  CHECK(r.layers[0].attributes == std::map<std::string, std::string>{{"selected", "true"}, {"strata:strength", "0.5"}});
  CHECK(r.layers[1].name == "inner \u263A A");
  CHECK(r.layers[1].x == 4);
  CHECK(r.layers[1].y == 5);
  CHECK(r.layers[1].opacity == Approx(0.25f));
  CHECK_FALSE(r.layers[1].visible);
  CHECK(r.layers[1].locked);
  CHECK(r.layers[1].pixels.channels == 4);
  CHECK(r.layers[2].name == "plain");
  CHECK(r.layers[2].visible);
  CHECK(r.merged.empty());  // no mergedimage.png in this file
  CHECK(r.strata_json.empty());
}

TEST_CASE("OpenRaster saves are atomic: a failed save keeps the old file", "[io][ora][atomic]") {
  auto dir = test::temp_dir("ora_atomic");
  const auto path = dir / "p.ora";
  const OraStack s = sample_stack();
  write_ora(path, s);
  const auto before = test::file_bytes(path);
  CHECK(names_in(dir) == std::vector<std::string>{"p.ora"});

  // A write that fails half way (file size limit).
  OraStack bigger = s;
  bigger.layers[2].pixels = test::pattern_image(512, 512, 4);
  {
    test::FileSizeLimit limit(before.size() + 100);
    REQUIRE_STRATA_ERROR(write_ora(path, bigger), ErrorCode::IoError, "p.ora");
  }
  CHECK(test::file_bytes(path) == before);
  CHECK(names_in(dir) == std::vector<std::string>{"p.ora"});

  // A stack that cannot be written fails before touching the file.
  OraStack bad = s;
  bad.layers[0].opacity = std::nanf("");
  REQUIRE_STRATA_ERROR(write_ora(path, bad), ErrorCode::InvalidArgument, "opacity");
  bad = s;
  bad.layers[0].attributes["other:x"] = "1";
  REQUIRE_STRATA_ERROR(write_ora(path, bad), ErrorCode::InvalidArgument, "other:x");
  bad = s;
  bad.layers[0].attributes["opacity"] = "1";
  REQUIRE_STRATA_ERROR(write_ora(path, bad), ErrorCode::InvalidArgument, "opacity");
  for (const char* key : {"xmlns", "strata:a:b", "strata:", "1x", "krita:x"}) {
    bad = s;
    bad.layers[0].attributes[key] = "1";
    REQUIRE_STRATA_ERROR(write_ora(path, bad), ErrorCode::InvalidArgument, key);
  }
  bad = s;
  bad.width = 70000;
  REQUIRE_STRATA_ERROR(write_ora(path, bad), ErrorCode::TooLarge, "70000x48");
  bad = s;
  bad.layers[1].pixels.pixels.pop_back();
  REQUIRE_STRATA_ERROR(write_ora(path, bad), ErrorCode::InvalidArgument, "pixel buffer");
  bad = s;
  bad.width = 0;
  REQUIRE_STRATA_ERROR(write_ora(path, bad), ErrorCode::InvalidArgument, "p.ora");
  bad = s;
  bad.merged = test::pattern_image(3, 3, 4);
  REQUIRE_STRATA_ERROR(write_ora(path, bad), ErrorCode::InvalidArgument, "merged");
  CHECK(test::file_bytes(path) == before);

  // A missing folder.
  REQUIRE_STRATA_ERROR(write_ora(dir / "nope" / "p.ora", s), ErrorCode::NotFound, "nope");
  CHECK(names_in(dir) == std::vector<std::string>{"p.ora"});
  // Reading never modifies the file.
  (void)read_ora(path);
  CHECK(test::file_bytes(path) == before);
}

TEST_CASE("OpenRaster writes an empty layer as one transparent pixel and no layers at all", "[io][ora]") {
  OraStack s;
  s.width = 3;
  s.height = 3;
  s.layers.resize(1);
  s.layers[0].name = "empty";
  OraStack r = decode_ora(encode_ora(s), "e.ora");
  REQUIRE(r.layers.size() == 1);
  CHECK(r.layers[0].pixels.width == 1);
  CHECK(r.layers[0].pixels.pixels == std::vector<std::uint8_t>{0, 0, 0, 0});
  s.layers.clear();
  r = decode_ora(encode_ora(s), "e.ora");
  CHECK(r.layers.empty());
  CHECK(r.merged.width == 3);
}
