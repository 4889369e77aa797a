#include <catch2/catch.hpp>

#include "strata/doc/commands.h"
#include "strata/doc/dump.h"

using namespace strata::doc;

namespace {
// The document's state without next_id (which, by design, undo never rolls back).
std::string state(const Document& doc) {
  std::string s = dump(doc);
  const auto a = s.find("next_id");
  return s.erase(a, s.find('\n', a) - a + 1);
}
}  // namespace

TEST_CASE("history undo/redo restores every state exactly", "[doc][history]") {
  Document doc;
  History h(doc);
  std::vector<std::string> states{state(doc)};
  const LayerId a = h.push(AddLayer::raster("a", Image8(70, 70, 3, 10), -5, -5)).id();
  states.push_back(state(doc));
  const LayerId b = h.push(std::make_unique<DuplicateLayer>(a)).id();
  states.push_back(state(doc));
  h.push(fill_rect(doc, b, {0, 0, 100, 100}, Rgba8{200, 0, 0, 128}));
  states.push_back(state(doc));
  h.push(std::make_unique<MergeDown>(b));
  states.push_back(state(doc));
  h.push(std::make_unique<DeleteLayer>(a));
  states.push_back(state(doc));

  for (std::size_t i = states.size() - 1; i > 0; --i) {
    CHECK(state(doc) == states[i]);
    h.undo();
  }
  CHECK(state(doc) == states[0]);
  CHECK_FALSE(h.can_undo());
  h.undo();  // no-op
  for (std::size_t i = 1; i < states.size(); ++i) {
    h.redo();
    CHECK(state(doc) == states[i]);
  }
  CHECK_FALSE(h.can_redo());
}

TEST_CASE("a new command clears the redo stack", "[doc][history]") {
  Document doc;
  History h(doc);
  const LayerId a = h.push(AddLayer::empty_raster("a")).id();
  h.push(set_strength(a, 0.4f));
  h.undo();
  CHECK(h.redo_text() == "Set strength of layer 1 \"a\" to 0.40");
  h.push(set_opacity(a, 0.5f));
  CHECK_FALSE(h.can_redo());
  CHECK(h.undo_texts() == std::vector<std::string>{"Set opacity of layer 1 \"a\" to 0.50", "Add layer 1 \"a\""});
}

TEST_CASE("a failed push records nothing", "[doc][history]") {
  Document doc;
  History h(doc);
  CHECK_THROWS(h.push(std::make_unique<DeleteLayer>(LayerId{9})));
  CHECK_FALSE(h.can_undo());
}

TEST_CASE("the byte budget drops the oldest steps and keeps the newest", "[doc][history]") {
  Document doc;
  History h(doc);
  const LayerId a = h.push(AddLayer::empty_raster("a")).id();
  // Each fill of a fresh 64×64 tile keeps one tile alive (~16 KiB).
  for (int i = 0; i < 10; ++i) h.push(fill_rect(doc, a, {i * 64, 0, 64, 64}, Rgba8{1, 2, 3, 255}));
  CHECK(h.undo_texts().size() == 11);
  const std::size_t one_step = h.byte_size() / 11;
  h.set_byte_budget(one_step * 4);
  CHECK(h.byte_size() <= one_step * 4);
  CHECK(h.undo_texts().size() < 11);
  CHECK(h.undo_texts().size() >= 3);
  CHECK(h.undo_text() == "Fill 576 0 64 64 on layer 1 \"a\"");
  h.set_byte_budget(1);
  CHECK(h.undo_texts().size() == 1);  // never drops the newest
  h.undo();
  CHECK(doc.layer(a).pixels.tiles().size() == 9);
}

TEST_CASE("PaintPixels stores only the touched tiles, shared with the document", "[doc][history]") {
  Document doc;
  History h(doc);
  const LayerId a = h.push(AddLayer::raster("a", Image8(640, 640, 3, 1), 0, 0)).id();
  TiledImage stroke = doc.layer(a).pixels;  // a tool paints into a copy
  const std::array<std::uint8_t, 4> ink{9, 9, 9, 255};
  stroke.fill({60, 60, 8, 8}, ink);        // touches 4 tiles
  auto& cmd = h.push(PaintPixels::from_edit(doc, a, stroke, "Brush on"));
  CHECK(cmd.changes().size() == 4);
  CHECK(cmd.text() == "Brush on layer 1 \"a\"");
  CHECK(doc.layer(a).pixels.tile({0, 0}) == cmd.changes()[0].after);
  CHECK(cmd.byte_size() < 8 * sizeof(Tile) + 8 * 64 * 64 * 4 + 1024);
  CHECK(h.push(PaintPixels::from_edit(doc, a, doc.layer(a).pixels)).empty());
}
