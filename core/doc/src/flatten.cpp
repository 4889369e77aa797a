// flatten.cpp — compose.h's rule 1 alone, for file previews (see flatten() in compose.h): bands of
// 8 rows on every core, layer pixels read straight from their tiles, float accumulators for one
// band only, so a canvas of any size costs about one RGBA copy of itself.
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "blend.h"
#include "strata/doc/compose.h"
#include "strata/doc/error.h"

namespace strata::doc {

namespace {

constexpr int kBand = 8;  // rows per band: its float accumulators stay in a core's L2 cache

// Calls fn(i, q) for every pixel of raster layer `l` inside `band` (document coordinates) that
// lies in a stored tile: i indexes the band row-major, q points at the RGBA pixel.
template <class Fn>
void for_each_pixel(const Layer& l, const Rect& band, Fn&& fn) {
  const Rect part = intersect(l.content_bounds(), band);
  if (part.empty()) return;
  const int lx0 = part.x - l.x, lx1 = part.right() - l.x;  // layer-local columns
  const int tx0 = tile_index(lx0), tx1 = tile_index(lx1 - 1);
  std::vector<TilePtr> row;
  int row_ty = 0;
  for (int y = part.y; y < part.bottom(); ++y) {
    const int ly = y - l.y, ty = tile_index(ly);
    if (row.empty() || ty != row_ty) {
      row.clear();
      for (int tx = tx0; tx <= tx1; ++tx) row.push_back(l.pixels.tile({ty, tx}));
      row_ty = ty;
    }
    const int in_y = ly - tile_origin(ty);
    const std::size_t base = static_cast<std::size_t>(y - band.y) * static_cast<std::size_t>(band.width);
    for (int lx = lx0; lx < lx1;) {
      const int tx = tile_index(lx), in_x = lx - tile_origin(tx);
      const int n = std::min(tile_size - in_x, lx1 - lx);
      if (const TilePtr& t = row[static_cast<std::size_t>(tx - tx0)]) {
        const std::uint8_t* q = &t->data[static_cast<std::size_t>((in_y * tile_size + in_x) * 4)];
        std::size_t i = base + static_cast<std::size_t>(lx + l.x - band.x);
        for (int k = 0; k < n; ++k, q += 4, ++i) fn(i, q);
      }
      lx += n;
    }
  }
}

}  // namespace

Image8 flatten(const Document& doc, const Rect& rect) {
  if (rect.empty()) throw Error(ErrorCode::InvalidArgument, "flatten " + to_string(rect) + ": the area is empty");
  std::vector<const Layer*> layers;  // bottom → top
  for (const Layer& l : doc.layers()) {
    if (l.visible && !l.is_mask() && l.opacity > 0.0f && !intersect(l.content_bounds(), rect).empty()) layers.push_back(&l);
  }
  Image8 out(rect.width, rect.height, 4);
  const int bands = (rect.height + kBand - 1) / kBand;
  std::atomic<int> next{0};
  auto work = [&] {
    std::vector<float> rgb, alpha;
    std::vector<std::uint16_t> start;
    for (int b; (b = next.fetch_add(1)) < bands;) {
      const Rect band{rect.x, rect.y + b * kBand, rect.width, std::min(kBand, rect.height - b * kBand)};
      const std::size_t n = static_cast<std::size_t>(band.area());
      rgb.assign(n * 3, 0.0f);
      alpha.assign(n, 0.0f);
      // An opaque pixel of a fully opaque layer replaces everything below it (compose's rule), so
      // each pixel starts at the topmost such layer: the same result with far less blending
      // where opaque layers overlap.
      constexpr std::uint16_t undecided = 0xFFFF;
      start.assign(n, undecided);
      std::size_t open = layers.size() < undecided ? n : 0;  // (65535+ layers: blend them all)
      for (std::size_t k = layers.size(); k-- > 0 && open > 0;) {
        if (layers[k]->opacity < 1.0f) continue;
        for_each_pixel(*layers[k], band, [&](std::size_t i, const std::uint8_t* q) {
          if (q[3] == 255 && start[i] == undecided) {
            start[i] = static_cast<std::uint16_t>(k);
            --open;
          }
        });
      }
      for (std::size_t k = 0; k < layers.size(); ++k) {
        const float opacity = layers[k]->opacity;
        for_each_pixel(*layers[k], band, [&](std::size_t i, const std::uint8_t* q) {
          if (start[i] == undecided || start[i] <= k) detail::accumulate_over(q, opacity, &rgb[i * 3], &alpha[i]);
        });
      }
      std::uint8_t* dst = &out.pixels[static_cast<std::size_t>(b) * kBand * static_cast<std::size_t>(rect.width) * 4];
      for (std::size_t i = 0; i < n; ++i) detail::straight_rgba(&rgb[i * 3], alpha[i], dst + i * 4);
    }
  };
  const int threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, bands);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace strata::doc
