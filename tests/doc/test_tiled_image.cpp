#include <catch2/catch.hpp>

#include <algorithm>
#include <array>

#include "strata/doc/error.h"
#include "strata/doc/tiled_image.h"

using namespace strata::doc;

namespace {
const std::array<std::uint8_t, 4> red{255, 0, 0, 255};
}

TEST_CASE("tile_index floors for negative coordinates", "[doc][tiles]") {
  CHECK(tile_index(0) == 0);
  CHECK(tile_index(63) == 0);
  CHECK(tile_index(64) == 1);
  CHECK(tile_index(-1) == -1);
  CHECK(tile_index(-64) == -1);
  CHECK(tile_index(-65) == -2);
}

TEST_CASE("an empty tiled image reads transparent everywhere", "[doc][tiles]") {
  TiledImage img;
  CHECK(img.empty());
  CHECK(img.bounds().empty());
  const Image8 r = img.read({-100, -100, 3, 2});
  CHECK(r.width == 3);
  CHECK(r.channels == 4);
  CHECK(std::all_of(r.pixels.begin(), r.pixels.end(), [](auto v) { return v == 0; }));
}

TEST_CASE("fill spans tiles, including negative ones, with tight bounds", "[doc][tiles]") {
  TiledImage img;
  img.fill({-10, -3, 20, 5}, red);
  CHECK(img.tiles().size() == 4);  // (-1,-1) (0,-1) (-1,0) (0,0)
  CHECK(img.bounds() == Rect{-10, -3, 20, 5});
  const Image8 r = img.read({-11, -4, 22, 7});
  CHECK(r.at(0, 0, 3) == 0);
  CHECK(r.at(1, 1, 0) == 255);
  CHECK(r.at(20, 5, 3) == 255);
  CHECK(r.at(21, 6, 3) == 0);
}

TEST_CASE("clearing drops transparent tiles", "[doc][tiles]") {
  TiledImage img;
  img.fill({0, 0, 100, 10}, red);
  REQUIRE(img.tiles().size() == 2);
  img.clear({64, 0, 64, 64});
  CHECK(img.tiles().size() == 1);
  CHECK(img.bounds() == Rect{0, 0, 64, 10});
  img.clear({0, 0, 64, 10});  // a partial clear that leaves the tile empty
  CHECK(img.empty());
  // Writing fully transparent pixels stores nothing.
  img.write(Image8(10, 10, 4), 5, 5);
  CHECK(img.empty());
}

TEST_CASE("copies share tiles and writes clone only shared tiles", "[doc][tiles]") {
  TiledImage a;
  a.fill({0, 0, 128, 64}, red);
  const TiledImage snapshot = a;
  const TilePtr left = a.tile({0, 0});
  const TilePtr right = a.tile({0, 1});
  CHECK(snapshot.tile({0, 0}) == left);

  a.fill({0, 0, 1, 1}, std::array<std::uint8_t, 4>{0, 255, 0, 255});
  CHECK(a.tile({0, 0}) != left);       // cloned: the snapshot still holds it
  CHECK(a.tile({0, 1}) == right);      // untouched tiles stay shared
  CHECK(snapshot.read({0, 0, 1, 1}).pixels[0] == 255);  // snapshot unchanged
  CHECK(a.read({0, 0, 1, 1}).pixels[1] == 255);

  const Tile* cloned = a.tile({0, 0}).get();
  a.fill({1, 0, 1, 1}, red);
  CHECK(a.tile({0, 0}).get() == cloned);  // sole owner: written in place
}

TEST_CASE("write converts channels and rejects what it cannot", "[doc][tiles]") {
  TiledImage rgba;
  Image8 rgb(2, 1, 3);
  rgb.pixels = {1, 2, 3, 4, 5, 6};
  rgba.write(rgb, -1, 0);
  CHECK(rgba.read({-1, 0, 2, 1}).pixels == std::vector<std::uint8_t>{1, 2, 3, 255, 4, 5, 6, 255});
  Image8 grey(1, 1, 1, 7);
  rgba.write(grey, 5, 5);
  CHECK(rgba.read({5, 5, 1, 1}).pixels == std::vector<std::uint8_t>{7, 7, 7, 255});

  TiledImage mask(1);
  mask.write(grey, 0, 0);
  CHECK(mask.read({0, 0, 1, 1}).pixels == std::vector<std::uint8_t>{7});
  try {
    mask.write(rgb, 0, 0);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::InvalidArgument);
    CHECK_THAT(e.what(), Catch::Contains("3-channel"));
  }
}

TEST_CASE("checksum depends on content, not on how it got there", "[doc][tiles]") {
  TiledImage a, b;
  a.fill({0, 0, 200, 3}, red);
  b.fill({0, 0, 300, 3}, red);
  b.clear({200, 0, 100, 3});
  CHECK(a.checksum() == b.checksum());
  b.fill({0, 0, 1, 1}, std::array<std::uint8_t, 4>{1, 0, 0, 255});
  CHECK(a.checksum() != b.checksum());
  CHECK(TiledImage().checksum() == TiledImage(1).checksum());
}
