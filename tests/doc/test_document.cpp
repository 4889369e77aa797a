#include <catch2/catch.hpp>

#include "strata/doc/commands.h"
#include "strata/doc/document.h"
#include "strata/doc/error.h"

using namespace strata::doc;

#define REQUIRE_DOC_ERROR(expr, code_, needle)                 \
  do {                                                         \
    try {                                                      \
      expr;                                                    \
      FAIL("expected doc::Error from " #expr);                 \
    } catch (const Error& e) {                                 \
      CHECK(e.code() == (code_));                              \
      CHECK_THAT(e.what(), Catch::Contains(needle));           \
    }                                                          \
  } while (0)

TEST_CASE("bbox validation names the side, snapping rounds to the grid", "[doc][bbox]") {
  CHECK_NOTHROW(validate_bbox({-8, 3, 512, 64}));
  REQUIRE_DOC_ERROR(validate_bbox({0, 0, 100, 64}), ErrorCode::InvalidArgument, "width expected a multiple of 8");
  REQUIRE_DOC_ERROR(validate_bbox({0, 0, 64, 56}), ErrorCode::InvalidArgument, "height");
  REQUIRE_DOC_ERROR(validate_bbox({0, 0, 64, 8200}), ErrorCode::TooLarge, "found 8200");

  auto [in, out] = GENERATE(table<Rect, Rect>({
      {{0, 0, 512, 512}, {0, 0, 512, 512}},
      {{3, -3, 509, 515}, {0, 0, 512, 512}},
      {{5, -5, 10, 20000}, {8, -8, 64, 8192}},
      {{-12, 12, 100, 68}, {-16, 16, 104, 72}},
  }));
  CAPTURE(to_string(in));
  CHECK(snap_bbox(in) == out);
  CHECK_NOTHROW(validate_bbox(snap_bbox(in)));
}

TEST_CASE("layer ids are never reused", "[doc][layers]") {
  Document doc;
  History h(doc);
  const LayerId a = h.push(AddLayer::empty_raster("a")).id();
  const LayerId b = h.push(AddLayer::mask("b")).id();
  CHECK(a.value == 1);
  CHECK(b.value == 2);
  h.push(std::make_unique<DeleteLayer>(b));
  h.undo();  // b comes back with its id
  CHECK(doc.layer(b).name == "b");
  h.undo();  // undo add b
  h.undo();  // undo add a
  CHECK(doc.layer_count() == 0);
  const LayerId c = h.push(AddLayer::empty_raster("c")).id();
  CHECK(c.value == 3);
}

TEST_CASE("read_region and content_bounds use document coordinates", "[doc][pixels]") {
  Document doc;
  Layer l = Layer::raster(doc.new_layer_id(), "offset");
  l.x = -100;
  l.y = 50;
  doc.insert_layer(std::move(l), 0);
  const LayerId id = doc.order()[0];
  doc.fill(id, {-90, 60, 4, 4}, Rgba8{9, 8, 7, 255});
  CHECK(doc.content_bounds(id) == Rect{-90, 60, 4, 4});
  CHECK(doc.layer(id).pixels.bounds() == Rect{10, 10, 4, 4});
  CHECK(doc.read_region(id, {-90, 60, 1, 1}).pixels == std::vector<std::uint8_t>{9, 8, 7, 255});
}

TEST_CASE("user errors name the layer and leave the document unchanged", "[doc][errors]") {
  Document doc;
  History h(doc);
  const LayerId sky = h.push(AddLayer::raster("sky", Image8(8, 8, 3, 100), 0, 0)).id();
  const LayerId m = h.push(AddLayer::mask("edge")).id();
  h.push(set_locked(sky, true));
  const auto before = doc.layer(sky).pixels.checksum();

  REQUIRE_DOC_ERROR(doc.layer(LayerId{42}), ErrorCode::NotFound, "layer 42: no such layer");
  REQUIRE_DOC_ERROR(doc.fill(sky, {0, 0, 2, 2}, Rgba8{}), ErrorCode::InvalidArgument, "layer 1 \"sky\" is locked");
  REQUIRE_DOC_ERROR(fill_rect(doc, sky, {0, 0, 2, 2}, Rgba8{}), ErrorCode::InvalidArgument, "layer 1 \"sky\" is locked");
  REQUIRE_DOC_ERROR(h.push(std::make_unique<SetLayerPosition>(sky, 3, 3)), ErrorCode::InvalidArgument, "is locked");
  REQUIRE_DOC_ERROR(h.push(std::make_unique<MergeDown>(m)), ErrorCode::InvalidArgument, "mask 2 \"edge\" is a mask");
  REQUIRE_DOC_ERROR(h.push(set_strength(m, 0.5f)), ErrorCode::InvalidArgument, "only raster layers");
  REQUIRE_DOC_ERROR(h.push(set_feather(sky, 3)), ErrorCode::InvalidArgument, "only mask layers");
  REQUIRE_DOC_ERROR(h.push(set_opacity(sky, 1.5f)), ErrorCode::InvalidArgument, "expected a value in [0, 1], found 1.50");
  REQUIRE_DOC_ERROR(h.push(set_feather(m, max_feather + 1)), ErrorCode::InvalidArgument, "found 257");
  REQUIRE_DOC_ERROR(fill_rect(doc, m, {0, 0, 2, 2}, Rgba8{}), ErrorCode::InvalidArgument, "expected a raster layer");
  REQUIRE_DOC_ERROR(write_pixels(doc, m, Image8(2, 2, 4), 0, 0), ErrorCode::InvalidArgument, "mask 2 \"edge\": writing a 4-channel");
  REQUIRE_DOC_ERROR(h.push(std::make_unique<MoveLayer>(sky, 2)), ErrorCode::InvalidArgument, "to index 2");
  REQUIRE_DOC_ERROR(h.push(std::make_unique<SetBBox>(Rect{0, 0, 10, 10})), ErrorCode::InvalidArgument, "bbox 0 0 10 10");

  CHECK(doc.layer(sky).pixels.checksum() == before);
  CHECK(doc.layer(sky).x == 0);
  CHECK(doc.bbox() == default_bbox);
  CHECK(h.undo_text() == "Lock layer 1 \"sky\"");
}

TEST_CASE("a snapshot is independent of later edits and shares untouched tiles", "[doc][snapshot]") {
  Document doc;
  History h(doc);
  const LayerId a = h.push(AddLayer::raster("a", Image8(256, 256, 3, 50), 0, 0)).id();
  const Document snapshot = doc;
  h.push(fill_rect(doc, a, {0, 0, 1, 1}, Rgba8{1, 2, 3, 255}));
  CHECK(snapshot.read_region(a, {0, 0, 1, 1}).pixels[0] == 50);
  CHECK(doc.read_region(a, {0, 0, 1, 1}).pixels[0] == 1);
  int shared = 0;
  for (const auto& [key, tile] : doc.layer(a).pixels.tiles()) shared += snapshot.layer(a).pixels.tile(key) == tile;
  CHECK(shared == 15);  // 16 tiles, one touched
}
