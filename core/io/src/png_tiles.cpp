// png_tiles.cpp — see png_tiles.h. PNG layout: W3C PNG (Third Edition) §5 (chunks), §7.3 and §9
// (scanline filtering, type 2 "Up"), §10 (zlib stream split across IDAT chunks).
#include "png_tiles.h"

#include <spng.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "detail.h"

namespace strata::io::detail {

namespace {

constexpr std::size_t kIdatBytes = 1u << 18;  // IDAT chunks of up to 256 KiB

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                             static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  out.insert(out.end(), b, b + 4);
}

void put_chunk(std::vector<std::uint8_t>& out, const char type[4], const std::uint8_t* data, std::size_t n) {
  put_be32(out, static_cast<std::uint32_t>(n));
  const std::size_t at = out.size();
  out.insert(out.end(), type, type + 4);
  if (n > 0) out.insert(out.end(), data, data + n);
  put_be32(out, static_cast<std::uint32_t>(crc32(0L, out.data() + at, static_cast<uInt>(n + 4))));
}

// The tiles of one tile row that `rect` crosses, left to right (nullptr where none is stored).
std::vector<doc::TilePtr> tile_row(const doc::TiledImage& tiles, int ty, int tx0, int tx1) {
  std::vector<doc::TilePtr> row;
  row.reserve(static_cast<std::size_t>(tx1 - tx0 + 1));
  for (int tx = tx0; tx <= tx1; ++tx) row.push_back(tiles.tile({ty, tx}));
  return row;
}

// Row y of `rect` as RGBA into `out` (rect.width * 4 bytes).
void gather_row(const std::vector<doc::TilePtr>& row, int tx0, const doc::Rect& rect, int y, int channels,
                const std::array<std::uint8_t, 3>& tint, std::uint8_t* out) {
  const int ty_origin = doc::tile_origin(doc::tile_index(y));
  const int in_y = y - ty_origin;
  for (int x = rect.x; x < rect.right();) {
    const int tx = doc::tile_index(x);
    const int in_x = x - doc::tile_origin(tx);
    const int n = std::min(doc::tile_size - in_x, rect.right() - x);
    std::uint8_t* dst = out + static_cast<std::size_t>(x - rect.x) * 4;
    const doc::TilePtr& t = row[static_cast<std::size_t>(tx - tx0)];
    if (!t) {
      std::memset(dst, 0, static_cast<std::size_t>(n) * 4);
    } else if (channels == 4) {
      std::memcpy(dst, &t->data[static_cast<std::size_t>((in_y * doc::tile_size + in_x) * 4)], static_cast<std::size_t>(n) * 4);
    } else {
      const std::uint8_t* src = &t->data[static_cast<std::size_t>(in_y * doc::tile_size + in_x)];
      for (int i = 0; i < n; ++i, dst += 4) {
        dst[0] = tint[0];
        dst[1] = tint[1];
        dst[2] = tint[2];
        dst[3] = src[i];
      }
    }
    x += n;
  }
}

struct Deflater {
  z_stream z{};
  std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(kIdatBytes);
  std::vector<std::uint8_t>& png;

  explicit Deflater(std::vector<std::uint8_t>& out) : png(out) {
    if (deflateInit(&z, 1) != Z_OK) throw doc::Error(doc::ErrorCode::Runtime, "PNG encode: zlib deflateInit failed");
    z.next_out = buffer.data();
    z.avail_out = static_cast<uInt>(buffer.size());
  }
  ~Deflater() { deflateEnd(&z); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  void emit() {
    const std::size_t n = buffer.size() - z.avail_out;
    if (n > 0) put_chunk(png, "IDAT", buffer.data(), n);
    z.next_out = buffer.data();
    z.avail_out = static_cast<uInt>(buffer.size());
  }
  void feed(std::uint8_t* data, std::size_t n, int flush) {
    z.next_in = data;
    z.avail_in = static_cast<uInt>(n);
    for (;;) {
      const int rc = deflate(&z, flush);
      if (rc == Z_STREAM_ERROR) throw doc::Error(doc::ErrorCode::Runtime, "PNG encode: zlib deflate failed");
      if (z.avail_out == 0) {
        emit();
        continue;
      }
      if (flush == Z_FINISH ? rc == Z_STREAM_END : z.avail_in == 0) break;
    }
  }
};

}  // namespace

std::vector<std::uint8_t> encode_png_rows(int width, int height, const std::function<void(int y, std::uint8_t* rgba)>& row) {
  if (width <= 0 || height <= 0) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "PNG encode: the image is " + std::to_string(width) + "x" +
                                                          std::to_string(height) + ", expected a non-empty image");
  }
  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<std::uint8_t> ihdr;
  put_be32(ihdr, static_cast<std::uint32_t>(width));
  put_be32(ihdr, static_cast<std::uint32_t>(height));
  ihdr.insert(ihdr.end(), {8, 6, 0, 0, 0});  // 8-bit, RGBA, deflate, adaptive filtering, no interlace
  put_chunk(png, "IHDR", ihdr.data(), ihdr.size());

  const std::size_t stride = static_cast<std::size_t>(width) * 4;
  std::vector<std::uint8_t> prev(stride, 0), cur(stride), line(stride + 1);
  line[0] = 2;  // filter type "Up" (the row above the first is all zero)
  Deflater deflater(png);
  for (int y = 0; y < height; ++y) {
    row(y, cur.data());
    for (std::size_t i = 0; i < stride; ++i) line[i + 1] = static_cast<std::uint8_t>(cur[i] - prev[i]);
    deflater.feed(line.data(), line.size(), y + 1 == height ? Z_FINISH : Z_NO_FLUSH);
    cur.swap(prev);
  }
  deflater.emit();
  put_chunk(png, "IEND", nullptr, 0);
  return png;
}

std::vector<std::uint8_t> encode_png_from_tiles(const doc::TiledImage& tiles, const doc::Rect& rect,
                                                std::array<std::uint8_t, 3> tint) {
  if (rect.empty()) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "PNG encode: the region is " + std::to_string(rect.width) + "x" +
                                                          std::to_string(rect.height) + ", expected a non-empty region");
  }
  const int tx0 = doc::tile_index(rect.x), tx1 = doc::tile_index(rect.right() - 1);
  std::vector<doc::TilePtr> row;
  int row_ty = 0;
  return encode_png_rows(rect.width, rect.height, [&](int i, std::uint8_t* out) {
    const int y = rect.y + i, ty = doc::tile_index(y);
    if (row.empty() || ty != row_ty) {
      row = tile_row(tiles, ty, tx0, tx1);
      row_ty = ty;
    }
    gather_row(row, tx0, rect, y, tiles.channels(), tint, out);
  });
}

doc::Image8 tiles_to_rgba(const doc::TiledImage& tiles, const doc::Rect& rect, std::array<std::uint8_t, 3> tint) {
  doc::Image8 out(rect.width, rect.height, 4);
  if (rect.empty()) return out;
  const int tx0 = doc::tile_index(rect.x), tx1 = doc::tile_index(rect.right() - 1);
  const std::size_t stride = static_cast<std::size_t>(rect.width) * 4;
  for (int ty = doc::tile_index(rect.y); ty <= doc::tile_index(rect.bottom() - 1); ++ty) {
    const std::vector<doc::TilePtr> row = tile_row(tiles, ty, tx0, tx1);
    const int y0 = std::max(rect.y, doc::tile_origin(ty)), y1 = std::min(rect.bottom(), doc::tile_origin(ty + 1));
    for (int y = y0; y < y1; ++y) {
      gather_row(row, tx0, rect, y, tiles.channels(), tint, &out.pixels[static_cast<std::size_t>(y - rect.y) * stride]);
    }
  }
  return out;
}

DecodedTiles decode_png_to_tiles(std::span<const std::uint8_t> png, std::string_view name, const ReadOptions& options) {
  DecodedTiles out;
  doc::TiledImage& tiles = out.tiles;
  struct Free {
    void operator()(spng_ctx* c) const { spng_ctx_free(c); }
  };
  std::unique_ptr<spng_ctx, Free> ctx(spng_ctx_new(0));
  spng_ihdr ihdr{};
  const bool fast = ctx && spng_set_chunk_limits(ctx.get(), png.size(), kPngChunkCacheBytes) == 0 &&
                    spng_set_png_buffer(ctx.get(), png.data(), png.size()) == 0 &&
                    spng_get_ihdr(ctx.get(), &ihdr) == 0 && ihdr.bit_depth == 8 && ihdr.interlace_method == 0 &&
                    (ihdr.color_type == SPNG_COLOR_TYPE_TRUECOLOR || ihdr.color_type == SPNG_COLOR_TYPE_TRUECOLOR_ALPHA);
  const auto pixels = static_cast<std::uint64_t>(ihdr.width) * ihdr.height;
  if (!fast || static_cast<int>(ihdr.width) > options.max_width || static_cast<int>(ihdr.height) > options.max_height ||
      pixels > options.max_pixels) {
    // Any other PNG (and the limit errors, with their messages): decoded whole, then tiled.
    const doc::Image8 image = decode_image(png, name, options);
    tiles.write(image, 0, 0);
    out.width = image.width;
    out.height = image.height;
    return out;
  }
  const bool rgba = ihdr.color_type == SPNG_COLOR_TYPE_TRUECOLOR_ALPHA;
  const int fmt = rgba ? SPNG_FMT_RGBA8 : SPNG_FMT_RGB8;
  const int width = static_cast<int>(ihdr.width), height = static_cast<int>(ihdr.height);
  out.width = width;
  out.height = height;
  if (const int rc = spng_decode_image(ctx.get(), nullptr, 0, fmt, SPNG_DECODE_PROGRESSIVE); rc != 0) {
    corrupt(name, std::string("PNG data is damaged: ") + spng_strerror(rc));
  }
  const int c = rgba ? 4 : 3;
  const std::size_t stride = static_cast<std::size_t>(width) * static_cast<std::size_t>(c);
  doc::Image8 band(width, doc::tile_size, c);
  for (int y0 = 0; y0 < height; y0 += doc::tile_size) {
    const int rows = std::min(doc::tile_size, height - y0);
    for (int r = 0; r < rows; ++r) {
      const int rc = spng_decode_row(ctx.get(), band.pixels.data() + static_cast<std::size_t>(r) * stride, stride);
      if (rc != 0 && !(rc == SPNG_EOI && y0 + r + 1 == height)) {
        corrupt(name, std::string("PNG data is damaged or truncated: ") + spng_strerror(rc));
      }
    }
    if (rows < doc::tile_size) {
      band.height = rows;
      band.pixels.resize(static_cast<std::size_t>(rows) * stride);
    }
    tiles.write(band, 0, y0);
  }
  return out;
}

}  // namespace strata::io::detail
