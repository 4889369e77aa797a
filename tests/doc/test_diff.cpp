// doc::diff: what a view must repaint after a change.
#include <catch2/catch.hpp>

#include "strata/doc/commands.h"
#include "strata/doc/diff.h"

using namespace strata::doc;

TEST_CASE("diff reports changed tiles, layer list changes and the bbox", "[doc][diff]") {
  Document doc;
  History h(doc);
  const LayerId a = h.push(AddLayer::raster("a", Image8(200, 100, 4, 255), 0, 0)).id();
  Document before = doc;
  CHECK(diff(before, doc).empty());

  h.push(fill_rect(doc, a, {70, 10, 4, 4}, Rgba8{1, 2, 3, 255}));
  DocumentChange c = diff(before, doc);
  CHECK_FALSE(c.layers);
  REQUIRE(c.dirty.size() == 1);
  CHECK(c.dirty[0] == Rect{64, 0, 64, 64});

  before = doc;
  h.push(set_strength(a, 0.2f));
  c = diff(before, doc);
  CHECK(c.layers);
  CHECK(c.dirty.empty());  // strength does not change the look

  before = doc;
  h.push(set_visible(a, false));
  c = diff(before, doc);
  CHECK(c.layers);
  CHECK_FALSE(c.dirty.empty());

  before = doc;
  h.push(std::make_unique<SetBBox>(Rect{8, 8, 64, 64}));
  c = diff(before, doc);
  CHECK(c.bbox);
  CHECK_FALSE(c.layers);

  before = doc;
  const LayerId m = h.push(AddLayer::mask("m")).id();
  h.push(set_inverted(m, true));
  c = diff(before, doc);
  CHECK(c.layers);
  REQUIRE(c.dirty.size() == 1);
  CHECK(c.dirty[0] == everywhere);
}
