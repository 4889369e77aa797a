#include "strata/doc/tiled_image.h"

#include <atomic>
#include <cassert>
#include <cstring>

#include "strata/doc/error.h"

namespace strata::doc {

namespace {

Rect tile_rect(TileKey key) { return {tile_origin(key.tx), tile_origin(key.ty), tile_size, tile_size}; }

bool pixel_transparent(const std::uint8_t* px, int channels) { return px[channels - 1] == 0; }

std::uint32_t fnv1a(std::uint32_t h, const void* data, std::size_t n) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

}  // namespace

TiledImage::TiledImage(int channels) : channels_(channels) { assert(channels == 1 || channels == 4); }

namespace {

// Calls f(key, span) for every tile overlapping r, span being the part of r inside that tile.
template <typename F>
void for_each_tile_span(const Rect& r, F&& f) {
  if (r.empty()) return;
  for (int ty = tile_index(r.y); ty <= tile_index(r.bottom() - 1); ++ty) {
    for (int tx = tile_index(r.x); tx <= tile_index(r.right() - 1); ++tx) {
      const TileKey key{ty, tx};
      f(key, intersect(r, tile_rect(key)));
    }
  }
}

}  // namespace

TilePtr TiledImage::tile(TileKey key) const {
  const auto it = tiles_.find(key);
  return it == tiles_.end() ? nullptr : it->second;
}

void TiledImage::set_tile(TileKey key, TilePtr tile) {
  bounds_cache_.reset();
  if (!tile) {
    tiles_.erase(key);
    return;
  }
  assert(tile->channels == channels_);
  tiles_[key] = std::move(tile);
}

Tile& TiledImage::writable_tile(TileKey key) {
  bounds_cache_.reset();
  auto& slot = tiles_[key];
  if (!slot) {
    slot = std::make_shared<Tile>(channels_);
  } else if (slot.use_count() > 1) {
    slot = std::make_shared<Tile>(*slot);
  } else {
    // Sole owner: pairs with the release in another thread's last shared_ptr release (as Rust's
    // Arc::get_mut does), so that thread's reads happen before our writes.
    std::atomic_thread_fence(std::memory_order_acquire);
  }
  // Every tile is created non-const by make_shared, so writing through it is well defined.
  return const_cast<Tile&>(*slot);
}

void TiledImage::drop_if_transparent(TileKey key) {
  const auto it = tiles_.find(key);
  if (it == tiles_.end()) return;
  const Tile& t = *it->second;
  for (std::size_t i = 0; i < t.data.size(); i += static_cast<std::size_t>(channels_)) {
    if (!pixel_transparent(&t.data[i], channels_)) return;
  }
  tiles_.erase(it);
}

Image8 TiledImage::read(const Rect& r) const {
  Image8 out(std::max(r.width, 0), std::max(r.height, 0), channels_);
  if (r.empty()) return out;
  const auto row_bytes = [&](int w) { return static_cast<std::size_t>(w) * static_cast<std::size_t>(channels_); };
  for_each_tile_span(r, [&](TileKey key, const Rect& span) {
    const auto it = tiles_.find(key);
    if (it == tiles_.end()) return;
    const Tile& t = *it->second;
    const int ox = tile_origin(key.tx);
    const int oy = tile_origin(key.ty);
    for (int y = span.y; y < span.bottom(); ++y) {
      const std::uint8_t* src = &t.data[row_bytes((y - oy) * tile_size + (span.x - ox))];
      std::memcpy(&out.at(span.x - r.x, y - r.y), src, row_bytes(span.width));
    }
  });
  return out;
}

void TiledImage::write(const Image8& image, int x, int y) {
  const int c = image.channels;
  if (!(c == channels_ || (channels_ == 4 && (c == 1 || c == 3)))) {
    throw Error(ErrorCode::InvalidArgument, "writing a " + std::to_string(c) + "-channel image into a " +
                                                std::to_string(channels_) + "-channel layer: expected " +
                                                (channels_ == 4 ? "1, 3 or 4" : "1") + " channels");
  }
  if (image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * c) {
    throw Error(ErrorCode::InvalidArgument, "image buffer holds " + std::to_string(image.pixels.size()) +
                                                " bytes, expected width*height*channels");
  }
  const Rect r{x, y, image.width, image.height};
  for_each_tile_span(r, [&](TileKey key, const Rect& span) {
    Tile& t = writable_tile(key);
    const int ox = tile_origin(key.tx);
    const int oy = tile_origin(key.ty);
    for (int py = span.y; py < span.bottom(); ++py) {
      std::uint8_t* dst = &t.data[static_cast<std::size_t>(((py - oy) * tile_size + (span.x - ox)) * channels_)];
      const std::uint8_t* src = &image.at(span.x - x, py - y);
      if (c == channels_) {
        std::memcpy(dst, src, static_cast<std::size_t>(span.width * c));
        continue;
      }
      for (int i = 0; i < span.width; ++i, dst += 4, src += c) {
        dst[0] = src[0];
        dst[1] = src[c == 3 ? 1 : 0];
        dst[2] = src[c == 3 ? 2 : 0];
        dst[3] = 255;
      }
    }
    drop_if_transparent(key);
  });
}

void TiledImage::fill(const Rect& r, std::span<const std::uint8_t> value) {
  assert(static_cast<int>(value.size()) == channels_);
  for_each_tile_span(r, [&](TileKey key, const Rect& span) {
    Tile& t = writable_tile(key);
    for (int py = span.y; py < span.bottom(); ++py) {
      std::uint8_t* dst = &t.data[static_cast<std::size_t>(
          ((py - tile_origin(key.ty)) * tile_size + (span.x - tile_origin(key.tx))) * channels_)];
      for (int i = 0; i < span.width; ++i, dst += channels_) std::memcpy(dst, value.data(), value.size());
    }
    drop_if_transparent(key);
  });
}

void TiledImage::clear(const Rect& r) {
  bounds_cache_.reset();
  for_each_tile_span(r, [&](TileKey key, const Rect& span) {
    if (!tiles_.contains(key)) return;
    if (span == tile_rect(key)) {
      tiles_.erase(key);
      return;
    }
    Tile& t = writable_tile(key);
    for (int py = span.y; py < span.bottom(); ++py) {
      std::uint8_t* dst = &t.data[static_cast<std::size_t>(
          ((py - tile_origin(key.ty)) * tile_size + (span.x - tile_origin(key.tx))) * channels_)];
      std::memset(dst, 0, static_cast<std::size_t>(span.width * channels_));
    }
    drop_if_transparent(key);
  });
}

Rect TiledImage::bounds() const {
  if (!bounds_cache_) bounds_cache_ = scan_bounds();
  return *bounds_cache_;
}

Rect TiledImage::scan_bounds() const {
  // The tight bounds of one tile's content, in image coordinates (empty when all transparent).
  auto tile_bounds = [this](const TileKey& key, const Tile& tile) {
    int x0 = tile_size, y0 = tile_size, x1 = -1, y1 = -1;
    for (int y = 0; y < tile_size; ++y) {
      for (int x = 0; x < tile_size; ++x) {
        if (pixel_transparent(&tile.data[static_cast<std::size_t>((y * tile_size + x) * channels_)], channels_)) continue;
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
      }
    }
    return x1 < 0 ? Rect{} : Rect{tile_origin(key.tx) + x0, tile_origin(key.ty) + y0, x1 - x0 + 1, y1 - y0 + 1};
  };
  if (tiles_.empty()) return {};
  int tx0 = tiles_.begin()->first.tx, tx1 = tx0;
  const int ty0 = tiles_.begin()->first.ty, ty1 = tiles_.rbegin()->first.ty;  // the map is ordered by ty
  for (const auto& [key, tile] : tiles_) {
    tx0 = std::min(tx0, key.tx);
    tx1 = std::max(tx1, key.tx);
  }
  // Stored tiles hold content, so each extreme lies in the outermost tile row or column: only
  // those tiles are scanned (the perimeter, not the area). Should one of them be transparent after
  // all, every tile is scanned.
  Rect out;
  for (const auto& [key, tile] : tiles_) {
    if (key.tx == tx0 || key.tx == tx1 || key.ty == ty0 || key.ty == ty1) out = unite(out, tile_bounds(key, *tile));
  }
  const bool extremes_found = !out.empty() && out.x < tile_origin(tx0 + 1) && out.right() > tile_origin(tx1) &&
                              out.y < tile_origin(ty0 + 1) && out.bottom() > tile_origin(ty1);
  if (extremes_found) return out;
  out = {};
  for (const auto& [key, tile] : tiles_) out = unite(out, tile_bounds(key, *tile));
  return out;
}

std::size_t TiledImage::byte_size() const {
  std::size_t n = 0;
  for (const auto& [key, tile] : tiles_) n += tile->byte_size();
  return n;
}

std::uint32_t TiledImage::checksum() const {
  const Rect b = bounds();
  std::uint32_t h = 2166136261u;
  const int geom[4] = {b.x, b.y, b.width, b.height};
  h = fnv1a(h, geom, sizeof geom);
  const Image8 pixels = read(b);
  return fnv1a(h, pixels.pixels.data(), pixels.pixels.size());
}

}  // namespace strata::doc
