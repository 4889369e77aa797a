// OpenRaster layers straight from and into tiles (OraLayer::tiled): the PNG written from tiles
// holds exactly the tiles' pixels (coverage tinted), reading into tiles gives the same pixels as
// reading into images for every kind of PNG, and projects load foreign, unaligned layers exactly.
#include <catch2/catch.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "ora_test_util.h"
#include "reference.h"
#include "strata/doc/commands.h"
#include "strata/doc/dump.h"
#include "strata/io/project.h"

using namespace strata;
using namespace strata::io;

namespace {

// A tiled image with content across tile borders, at negative coordinates and with a hole.
doc::TiledImage sample_tiles(int channels) {
  doc::TiledImage t(channels);
  doc::Image8 im = test::pattern_image(150, 90, channels);
  if (channels == 4) {
    for (std::size_t i = 3; i < im.pixels.size(); i += 4) im.pixels[i] = static_cast<std::uint8_t>(i % 7 == 0 ? 0 : 40 + i % 200);
  }
  t.write(im, -70, -20);
  t.clear({-10, 0, 64, 64});  // a fully transparent stretch: missing tiles read as zero
  return t;
}

doc::Image8 tinted(const doc::Image8& coverage, std::array<std::uint8_t, 3> tint) {
  doc::Image8 out(coverage.width, coverage.height, 4);
  for (std::size_t i = 0; i < coverage.pixels.size(); ++i) {
    for (int k = 0; k < 3; ++k) out.pixels[i * 4 + static_cast<std::size_t>(k)] = tint[static_cast<std::size_t>(k)];
    out.pixels[i * 4 + 3] = coverage.pixels[i];
  }
  return out;
}

OraStack one_layer_stack(OraLayer layer, int w, int h) {
  OraStack s;
  s.width = w;
  s.height = h;
  s.layers.push_back(std::move(layer));
  return s;
}

}  // namespace

TEST_CASE("OpenRaster: a tiled layer is written with exactly the tiles' pixels", "[io][ora][tiles]") {
  for (const int channels : {4, 1}) {
    CAPTURE(channels);
    const doc::TiledImage tiles = sample_tiles(channels);
    const doc::Rect rect{-75, -25, 160, 101};  // not tile-aligned, wider than the content
    OraLayer l;
    l.name = "tiled";
    l.tiled = OraTiles{tiles, rect, {255, 32, 96}};
    const OraStack r = decode_ora(encode_ora(one_layer_stack(l, 200, 120)), "t.ora");
    REQUIRE(r.layers.size() == 1);
    const doc::Image8 want = channels == 4 ? tiles.read(rect) : tinted(tiles.read(rect), {255, 32, 96});
    CHECK(r.layers[0].pixels.width == rect.width);
    CHECK(r.layers[0].pixels.height == rect.height);
    CHECK(r.layers[0].pixels.pixels == want.pixels);
    CHECK(r.merged.width == 200);  // composited from the tiles when no merged image is given
  }
}

TEST_CASE("OpenRaster: reading into tiles gives the pixels reading into images gives", "[io][ora][tiles]") {
  // Strata's own RGBA, an RGB PNG, and PNGs that take the whole-image path: 16-bit, grey, palette-free
  // grey+alpha and interlaced (written by OpenCV/libpng).
  std::vector<std::pair<std::string, test::ByteVec>> pngs;
  pngs.push_back({"rgba", encode_png(test::pattern_image(130, 70, 4))});
  pngs.push_back({"rgb", encode_png(test::pattern_image(65, 129, 3))});
  pngs.push_back({"grey", encode_png(test::pattern_image(31, 17, 1))});
  {
    cv::Mat m16(40, 50, CV_16UC3);
    cv::randu(m16, 0, 65535);
    std::vector<std::uint8_t> b;
    cv::imencode(".png", m16, b);
    pngs.push_back({"16-bit", b});
  }
  for (const auto& [label, png] : pngs) {
    CAPTURE(label);
    const std::string xml = R"(<image w="200" h="200"><stack><layer src="data/a.png" x="3" y="5"/></stack></image>)";
    const auto ora = test::make_zip({{"mimetype", test::bytes_of("image/openraster"), true},
                                     {"stack.xml", test::bytes_of(xml)},
                                     {"data/a.png", png, true}});
    ReadLimits as_tiles;
    as_tiles.layers_as_tiles = true;
    const OraStack a = decode_ora(ora, "a.ora"), b = decode_ora(ora, "a.ora", as_tiles);
    REQUIRE(b.layers[0].tiled);
    CHECK(b.layers[0].pixels.empty());
    const doc::Image8& want = a.layers[0].pixels;
    CHECK(b.layers[0].tiled->rect == doc::Rect{0, 0, want.width, want.height});
    CHECK(b.layers[0].tiled->tiles.read(b.layers[0].tiled->rect).pixels == want.pixels);
  }
}

TEST_CASE("OpenRaster: damaged layer data read into tiles is CorruptFile naming the entry", "[io][ora][tiles][bad-input]") {
  auto png = encode_png(test::pattern_image(100, 100, 4));
  png.resize(png.size() - 40);  // the end of the image data is lost
  const std::string xml = R"(<image w="100" h="100"><stack><layer src="data/a.png"/></stack></image>)";
  const auto ora = test::make_zip({{"mimetype", test::bytes_of("image/openraster"), true},
                                   {"stack.xml", test::bytes_of(xml)},
                                   {"data/a.png", png, true}});
  ReadLimits as_tiles;
  as_tiles.layers_as_tiles = true;
  try {
    decode_ora(ora, "broken.ora", as_tiles);
    FAIL("damaged PNG accepted");
  } catch (const doc::Error& e) {
    CHECK(e.code() == doc::ErrorCode::CorruptFile);
    CHECK_THAT(e.what(), Catch::Contains("broken.ora: data/a.png"));
  }
}

TEST_CASE("project: layers at offsets that are not tile-aligned load exactly", "[io][project][tiles]") {
  const auto dir = test::temp_dir("project_unaligned");
  // As another program writes it: layers at arbitrary offsets, one of them a Strata mask.
  OraStack s;
  s.width = 300;
  s.height = 200;
  OraLayer mask;
  mask.name = "mask";
  mask.x = 37;
  mask.y = -11;
  mask.pixels = test::pattern_image(90, 70, 4);
  mask.attributes["strata:kind"] = "mask";
  OraLayer paint;
  paint.name = "paint";
  paint.x = -29;
  paint.y = 71;
  paint.pixels = test::pattern_image(170, 66, 4);
  s.layers = {mask, paint};
  write_ora(dir / "foreign.ora", s);
  const Project p = load_project(dir / "foreign.ora");
  REQUIRE(p.document.layer_count() == 2);
  const doc::Layer& painted = p.document.layers()[0];
  const doc::Layer& masked = p.document.layers()[1];
  CHECK(painted.name == "paint");
  CHECK(p.document.read_region(painted.id, {-29, 71, 170, 66}).pixels == paint.pixels.pixels);
  const doc::Image8 coverage = p.document.read_region(masked.id, {37, -11, 90, 70});
  REQUIRE(coverage.channels == 1);
  for (std::size_t i = 0; i < coverage.pixels.size(); ++i) REQUIRE(coverage.pixels[i] == mask.pixels.pixels[i * 4 + 3]);
  // Nothing outside the placed pixels.
  CHECK(painted.pixels.bounds() == doc::Rect{-29, 71, 170, 66});
  // And the document survives a save and open of its own.
  io::save_project(dir / "again.ora", p);
  CHECK(doc::dump(io::load_project(dir / "again.ora").document) == doc::dump(p.document));
}
