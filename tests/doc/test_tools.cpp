// Tools in core/doc/tools: brush/eraser strokes, move, bbox snapping, colour picker, transform.
#include <catch2/catch.hpp>

#include "strata/doc/commands.h"
#include "strata/doc/error.h"
#include "strata/doc/tools/bbox_tool.h"
#include "strata/doc/tools/brush_tool.h"
#include "strata/doc/tools/color_picker.h"
#include "strata/doc/tools/move_tool.h"
#include "strata/doc/tools/transform.h"

using namespace strata::doc;

namespace {
PointerEvent at(double x, double y, float pressure = 1.0f) {
  PointerEvent e;
  e.x = x;
  e.y = y;
  e.pressure = pressure;
  return e;
}
std::uint8_t coverage(const Document& doc, LayerId id, int x, int y) { return doc.read_region(id, {x, y, 1, 1}).pixels[0]; }
}  // namespace

TEST_CASE("a mask stroke paints the brush opacity as coverage and is one command", "[doc][tools]") {
  Document doc;
  History h(doc);
  const LayerId m = h.push(AddLayer::mask("mask")).id();
  BrushSettings s;
  s.size = 10;
  s.hardness = 1;
  s.opacity = 0.5f;
  BrushTool brush(m, s, BrushMode::Paint);
  brush.begin(doc, at(20.5, 20.5));
  brush.motion(doc, at(30.5, 20.5));
  CHECK(brush.preview().pixels != nullptr);
  CHECK(coverage(doc, m, 20, 20) == 0);  // nothing changes before end()
  auto cmd = brush.end(doc, at(40.5, 20.5));
  REQUIRE(cmd);
  h.push_command(std::move(cmd));
  CHECK(coverage(doc, m, 20, 20) == 128);
  CHECK(coverage(doc, m, 30, 16) == 128);  // 4 px from the stroke's centre line
  CHECK(coverage(doc, m, 40, 20) == 128);
  CHECK(coverage(doc, m, 30, 30) == 0);
  CHECK(coverage(doc, m, 50, 20) == 0);
  CHECK(brush.preview().pixels == nullptr);
  h.undo();
  CHECK(doc.layer(m).pixels.empty());
}

TEST_CASE("soft brushes and pressure make gradients; the eraser lowers coverage", "[doc][tools]") {
  CHECK(dab_alpha(0, 10, 0.5) == 1.0f);
  CHECK(dab_alpha(5, 10, 0.5) == 1.0f);
  CHECK(dab_alpha(8, 10, 0.5) > 0.0f);
  CHECK(dab_alpha(8, 10, 0.5) < 1.0f);
  CHECK(dab_alpha(11, 10, 0.5) == 0.0f);

  Document doc;
  History h(doc);
  const LayerId m = h.push(AddLayer::mask("mask")).id();
  h.push(fill_mask(doc, m, {0, 0, 64, 64}, 255));
  BrushSettings s;
  s.size = 20;
  s.hardness = 1;
  BrushTool eraser(m, s, BrushMode::Erase);
  eraser.begin(doc, at(32.5, 32.5, 0.25f));  // pressure 0.25 → diameter 5
  h.push_command(eraser.end(doc, at(32.5, 32.5, 0.25f)));
  CHECK(coverage(doc, m, 32, 32) == 0);
  CHECK(coverage(doc, m, 32, 36) == 255);  // outside the pressure-shrunk dab
  CHECK(h.undo_text() == "Erase on mask 1 \"mask\"");
}

TEST_CASE("brush refuses a locked layer and paints colour on raster layers", "[doc][tools]") {
  Document doc;
  History h(doc);
  const LayerId r = h.push(AddLayer::empty_raster("paint")).id();
  BrushSettings s;
  s.size = 4;
  s.hardness = 1;
  s.color = {255, 0, 0, 255};
  BrushTool brush(r, s, BrushMode::Paint);
  brush.begin(doc, at(10.5, 10.5));
  h.push_command(brush.end(doc, at(10.5, 10.5)));
  CHECK(pick_color(doc, 10, 10) == Rgba8{255, 0, 0, 255});
  CHECK(pick_color(doc, 20, 20) == Rgba8{0, 0, 0, 0});

  h.push(set_locked(r, true));
  BrushTool locked(r, s, BrushMode::Paint);
  CHECK_THROWS_AS(locked.begin(doc, at(1, 1)), Error);
}

TEST_CASE("move tool drags a layer by whole pixels as one command", "[doc][tools]") {
  Document doc;
  History h(doc);
  const LayerId r = h.push(AddLayer::raster("a", Image8(8, 8, 4, 200), 0, 0)).id();
  MoveTool move(r);
  move.begin(doc, at(5, 5));
  move.motion(doc, at(8, 8));
  CHECK(move.preview().x == 3);
  CHECK(doc.layer(r).x == 0);
  CHECK_FALSE(move.take_dirty().empty());
  h.push_command(move.end(doc, at(15.4, -0.6)));
  CHECK(doc.layer(r).x == 10);
  CHECK(doc.layer(r).y == -6);
  MoveTool still(r);
  still.begin(doc, at(1, 1));
  CHECK(still.end(doc, at(1.2, 1.2)) == nullptr);
}

TEST_CASE("bbox tool snaps edges and moves to multiples of 8", "[doc][tools]") {
  Document doc;
  History h(doc);
  CHECK(hit_test_bbox(doc.bbox(), 512, 200, 1.0) == BBoxHandle::Right);
  CHECK(hit_test_bbox(doc.bbox(), 100, 100, 1.0) == BBoxHandle::Move);
  CHECK(hit_test_bbox(doc.bbox(), 0, 0, 1.0) == BBoxHandle::TopLeft);
  CHECK(hit_test_bbox(doc.bbox(), 700, 100, 1.0) == BBoxHandle::None);

  BBoxTool tool;
  tool.begin(doc, at(512, 200));
  tool.motion(doc, at(601, 210));
  CHECK(tool.preview().bbox == Rect{0, 0, 600, 512});
  h.push_command(tool.end(doc, at(601, 210)));
  CHECK(doc.bbox() == Rect{0, 0, 600, 512});

  tool.begin(doc, at(100, 100));
  h.push_command(tool.end(doc, at(103, 205)));
  CHECK(doc.bbox() == Rect{0, 104, 600, 512});

  tool.begin(doc, at(600, 300));  // right edge, dragged past the left one: clamped at bbox_min
  h.push_command(tool.end(doc, at(-50, 300)));
  CHECK(doc.bbox() == Rect{0, 104, 64, 512});

  tool.begin(doc, at(1003, 1003));  // outside: draws a new bbox
  h.push_command(tool.end(doc, at(1300, 1250)));
  CHECK(doc.bbox() == Rect{1000, 1000, 304, 248});
  h.undo();
  CHECK(doc.bbox() == Rect{0, 104, 64, 512});
}

TEST_CASE("transform flips exactly and scales about the content centre", "[doc][tools]") {
  Document doc;
  History h(doc);
  Image8 img(4, 2, 4, 255);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 2; ++x) img.at(x, y, 2) = img.at(x, y, 1) = 0;          // left: red
    for (int x = 2; x < 4; ++x) img.at(x, y, 0) = img.at(x, y, 1) = 0;          // right: blue
  }
  const LayerId r = h.push(AddLayer::raster("a", img, 10, 10)).id();
  h.push_command(transform_layer(doc, r, Transform{1, 1, true, false}));
  CHECK(pick_color(doc, 10, 10) == Rgba8{0, 0, 255, 255});
  CHECK(pick_color(doc, 13, 11) == Rgba8{255, 0, 0, 255});
  CHECK(doc.layer(r).content_bounds() == Rect{10, 10, 4, 2});

  const LayerId g = h.push(AddLayer::raster("g", Image8(8, 8, 4, 100), 0, 0)).id();
  h.push_command(transform_layer(doc, g, Transform{2, 2, false, false}));
  CHECK(doc.layer(g).content_bounds() == Rect{-4, -4, 16, 16});
  CHECK(doc.read_region(g, {4, 4, 1, 1}).pixels == std::vector<std::uint8_t>{100, 100, 100, 100});
  CHECK(transform_layer(doc, g, Transform{}) == nullptr);
  CHECK_THROWS_AS(transform_layer(doc, g, Transform{0, 1, false, false}), Error);
}
