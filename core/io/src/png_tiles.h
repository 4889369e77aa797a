// png_tiles.h (private) — PNG straight from and into a document's tiles, with no whole-layer copy:
// what makes saving and opening large projects fast and lean (docs/PERFORMANCE.md).
//
// encode_png_from_tiles writes an 8-bit RGBA, non-interlaced PNG of `rect` of `tiles`, gathering
// one row at a time from the tiles (transparent where none is stored), "up" filter on every row
// and zlib level 1: the fastest setting that still compresses smooth layers 20-100×. One-channel
// tiles (mask coverage) are written as `tint` with the coverage as alpha.
// decode_png_to_tiles decodes a PNG into RGBA tiles with its top-left pixel at (0, 0), 64 rows at
// a time: 8-bit RGB/RGBA non-interlaced PNGs (what Strata and most programs write) are decoded
// row by row with libspng; any other PNG is decoded whole by decode_image and then tiled.
//
// Thread-safety: reentrant (distinct TiledImage copies may share tiles across threads: tiles are
// only read here). Errors: doc::Error — InvalidArgument for an empty rect or bad channels,
// CorruptFile (messages start with `name`) for damaged PNG data, Runtime for zlib failures.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "strata/doc/tiled_image.h"
#include "strata/io/image_codec.h"

namespace strata::io::detail {

// The general form: an 8-bit RGBA PNG whose row y (width * 4 bytes) `row` writes into its argument.
std::vector<std::uint8_t> encode_png_rows(int width, int height, const std::function<void(int y, std::uint8_t* rgba)>& row);

std::vector<std::uint8_t> encode_png_from_tiles(const doc::TiledImage& tiles, const doc::Rect& rect,
                                                std::array<std::uint8_t, 3> tint = {0, 0, 0});

struct DecodedTiles {
  doc::TiledImage tiles{4};
  int width = 0, height = 0;  // the PNG's size
};
DecodedTiles decode_png_to_tiles(std::span<const std::uint8_t> png, std::string_view name, const ReadOptions& options);

// `rect` of `tiles` as one RGBA image, coverage tinted as encode_png_from_tiles writes it.
doc::Image8 tiles_to_rgba(const doc::TiledImage& tiles, const doc::Rect& rect, std::array<std::uint8_t, 3> tint);

}  // namespace strata::io::detail
