#include "tile_renderer.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace strata::ui {

namespace {

constexpr int kTile = doc::tile_size;

// True when `pixels` stores a tile overlapping the layer-local rect r.
bool hasTiles(const doc::TiledImage& pixels, const doc::Rect& r) {
  for (int ty = doc::tile_index(r.y); ty <= doc::tile_index(r.bottom() - 1); ++ty) {
    for (int tx = doc::tile_index(r.x); tx <= doc::tile_index(r.right() - 1); ++tx) {
      if (pixels.tile({ty, tx})) return true;
    }
  }
  return false;
}

}  // namespace

QImage renderTile(const doc::Document& doc, const doc::ToolPreview& preview, doc::TileKey key, bool showMasks) {
  const doc::Rect area{doc::tile_origin(key.tx), doc::tile_origin(key.ty), kTile, kTile};
  std::array<float, kTile * kTile * 4> acc{};  // premultiplied RGBA in [0,1]
  bool any = false;
  // Pixel i of the tile under colour (r, g, b) at coverage a ("over", premultiplied accumulator).
  const auto over = [&acc, &any](int i, float r, float g, float b, float a) {
    float* d = &acc[static_cast<std::size_t>(i) * 4];
    d[0] = r * a + d[0] * (1 - a);
    d[1] = g * a + d[1] * (1 - a);
    d[2] = b * a + d[2] * (1 - a);
    d[3] = a + d[3] * (1 - a);
    any = true;
  };
  // Raster layers bottom → top first, then every mask's tint over them all (as InvokeAI draws its
  // inpaint masks), wherever the mask sits in the stack.
  for (const bool maskPass : {false, true}) {
    for (const doc::Layer& layer : doc.layers()) {
      if (!layer.visible || layer.is_mask() != maskPass) continue;
      const bool previewed = preview.layer == layer.id;
      const doc::TiledImage& pixels = previewed && preview.pixels ? *preview.pixels : layer.pixels;
      const int lx = previewed && preview.x ? *preview.x : layer.x;
      const int ly = previewed && preview.y ? *preview.y : layer.y;
      const doc::Rect local = area.translated(-lx, -ly);
      if (layer.is_mask()) {
        if (!showMasks || (!layer.inverted && !hasTiles(pixels, local))) continue;
        const doc::Image8 cov = pixels.read(local);
        const float tr = maskTint.redF(), tg = maskTint.greenF(), tb = maskTint.blueF();
        for (int i = 0; i < kTile * kTile; ++i) {
          const int c = layer.inverted ? 255 - cov.pixels[static_cast<std::size_t>(i)] : cov.pixels[static_cast<std::size_t>(i)];
          if (c == 0) continue;
          over(i, tr, tg, tb, 0.5f * static_cast<float>(c) / 255.0f);
        }
        continue;
      }
      if (layer.opacity <= 0 || !hasTiles(pixels, local)) continue;
      const doc::Image8 px = pixels.read(local);
      for (int i = 0; i < kTile * kTile; ++i) {
        const std::uint8_t* s = &px.pixels[static_cast<std::size_t>(i) * 4];
        if (s[3] == 0) continue;
        over(i, s[0] / 255.0f, s[1] / 255.0f, s[2] / 255.0f, s[3] / 255.0f * layer.opacity);
      }
    }
  }
  if (!any) return {};
  QImage out(kTile, kTile, QImage::Format_ARGB32_Premultiplied);
  for (int y = 0; y < kTile; ++y) {
    auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
    for (int x = 0; x < kTile; ++x) {
      const float* d = &acc[static_cast<std::size_t>(y * kTile + x) * 4];
      auto q = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
      line[x] = qRgba(q(d[0]), q(d[1]), q(d[2]), q(d[3]));
    }
  }
  return out;
}

const QImage& TileCache::tile(const doc::Document& doc, const doc::ToolPreview& preview, doc::TileKey key,
                              bool showMasks) {
  const quint64 h = tileHash(key);
  auto it = m_tiles.find(h);
  if (it != m_tiles.end()) return it.value();
  if (m_tiles.size() >= maxTiles) m_tiles.clear();
  ++m_renders;
  return m_tiles.insert(h, renderTile(doc, preview, key, showMasks)).value();
}

void TileCache::invalidate(const QRect& a) {
  if (a.isEmpty()) return;
  const qint64 tilesAcross = (static_cast<qint64>(a.width()) / kTile + 2) * (static_cast<qint64>(a.height()) / kTile + 2);
  if (tilesAcross > m_tiles.size()) {
    // A large area (an inverted mask covers everything): test each cached tile instead.
    for (auto it = m_tiles.begin(); it != m_tiles.end();) {
      const int ty = static_cast<qint32>(static_cast<quint32>(it.key() >> 32));
      const int tx = static_cast<qint32>(static_cast<quint32>(it.key() & 0xffffffffu));
      const QRect r(tx * kTile, ty * kTile, kTile, kTile);
      it = r.intersects(a) ? m_tiles.erase(it) : std::next(it);
    }
    return;
  }
  const int x0 = doc::tile_index(a.x()), x1 = doc::tile_index(a.x() + a.width() - 1);
  const int y0 = doc::tile_index(a.y()), y1 = doc::tile_index(a.y() + a.height() - 1);
  for (int ty = y0; ty <= y1; ++ty) {
    for (int tx = x0; tx <= x1; ++tx) m_tiles.remove(tileHash({ty, tx}));
  }
}

}  // namespace strata::ui
