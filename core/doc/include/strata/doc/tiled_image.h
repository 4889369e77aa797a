// strata/doc/tiled_image.h — an unbounded 8-bit image stored as shared, copy-on-write tiles.
//
// The plane is infinite in every direction (negative coordinates allowed) and transparent
// (all zero) wherever no tile is stored. Tiles are tile_size × tile_size, interleaved, 1 channel
// (mask coverage) or 4 channels (RGBA, straight alpha). A tile whose pixels are all transparent
// (alpha 0 for RGBA, 0 for 1 channel) is dropped after every write, so `tiles()` only lists tiles
// with content.
//
// Ownership: tiles are immutable once shared. Copying a TiledImage copies only the tile map
// (pointers), so copies are cheap snapshots; a write clones a tile only when another TiledImage
// still holds it. Threads: one TiledImage is used from one thread; distinct copies sharing tiles
// may live on different threads (a shared tile is never written).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <span>
#include <vector>

#include "strata/doc/geometry.h"
#include "strata/doc/image.h"

namespace strata::doc {

inline constexpr int tile_size = 64;

struct Tile {
  int channels = 4;
  std::vector<std::uint8_t> data;  // tile_size * tile_size * channels, row-major

  explicit Tile(int c) : channels(c), data(static_cast<std::size_t>(tile_size * tile_size * c), 0) {}
  std::size_t byte_size() const { return sizeof(Tile) + data.size(); }
};
using TilePtr = std::shared_ptr<const Tile>;

// Tile coordinates: tile (tx, ty) covers pixels [tx*64, tx*64+64) × [ty*64, ty*64+64).
// Ordered row by row (ty, then tx) so iteration order is deterministic.
struct TileKey {
  int ty = 0;
  int tx = 0;
  friend auto operator<=>(const TileKey&, const TileKey&) = default;
};

class TiledImage {
 public:
  explicit TiledImage(int channels = 4);  // 1 or 4

  int channels() const { return channels_; }
  bool empty() const { return tiles_.empty(); }

  // Tight bounds of the non-transparent pixels (scans the stored tiles); empty Rect when empty.
  Rect bounds() const;
  // The pixels of `r` as an Image8 with channels() channels (transparent outside stored tiles).
  Image8 read(const Rect& r) const;
  // Replaces the pixels under `image` placed with its top-left at (x, y). Channel conversion:
  // into 4 channels, a 3-channel image gets alpha 255 and a 1-channel image is opaque grey; into
  // 1 channel only 1-channel images are accepted. Throws Error(InvalidArgument) otherwise.
  void write(const Image8& image, int x, int y);
  // Sets every pixel of `r` to `value` (channels() bytes).
  void fill(const Rect& r, std::span<const std::uint8_t> value);
  void clear(const Rect& r);  // sets `r` transparent
  void clear() {
    tiles_.clear();
    bounds_cache_.reset();
  }

  // Tile-level access, for commands that store before/after tiles.
  const std::map<TileKey, TilePtr>& tiles() const { return tiles_; }
  TilePtr tile(TileKey key) const;
  void set_tile(TileKey key, TilePtr tile);  // nullptr removes; the tile's channels must match
  std::size_t byte_size() const;             // bytes held by the stored tiles (shared ones included)

  // FNV-1a over bounds() and the pixels inside it: equal content gives an equal checksum whatever
  // the tiling history.
  std::uint32_t checksum() const;

 private:
  Tile& writable_tile(TileKey key);  // clones a shared tile, creates a missing one
  void drop_if_transparent(TileKey key);
  Rect scan_bounds() const;

  int channels_;
  std::map<TileKey, TilePtr> tiles_;
  // bounds() scans every pixel; cached until the next change (not thread-safe: a TiledImage, like
  // its Document, belongs to one thread; copies have their own cache).
  mutable std::optional<Rect> bounds_cache_;
};

// Floor division helpers mapping pixels to tiles (correct for negative coordinates).
constexpr int tile_index(int pixel) { return pixel >= 0 ? pixel / tile_size : -((-pixel + tile_size - 1) / tile_size); }
constexpr int tile_origin(int index) { return index * tile_size; }

}  // namespace strata::doc
