// tile_renderer.h — renders one 64×64 document tile for display, and a cache of rendered tiles.
//
// renderTile composites the visible raster layers (opacity applied) and, when masks are shown,
// tints each visible inpaint mask over all of them, whatever its stack position (effective
// coverage: inverted masks show 255 − c), so a result layer accepted on top never hides a mask. A
// tool's preview replaces its layer's pixels or offset. The result is a premultiplied ARGB32
// QImage at document resolution, or a null QImage when nothing shows in the tile (the view then
// draws only the checkerboard). TileCache keeps the rendered tiles until invalidated, so a paint
// only renders what changed. UI thread only.
#pragma once

#include <QColor>
#include <QHash>
#include <QImage>
#include <QRect>

#include "strata/doc/document.h"
#include "strata/doc/tools/tool.h"

namespace strata::ui {

inline const QColor maskTint{232, 48, 96};  // 50 % over the image at full coverage

QImage renderTile(const doc::Document& doc, const doc::ToolPreview& preview, doc::TileKey key, bool showMasks);

class TileCache {
 public:
  // The cached image of `key`, rendering it when missing.
  const QImage& tile(const doc::Document& doc, const doc::ToolPreview& preview, doc::TileKey key, bool showMasks);
  void invalidate(const QRect& documentArea);  // drops every tile overlapping the area
  void clear() { m_tiles.clear(); }
  int size() const { return static_cast<int>(m_tiles.size()); }
  bool contains(doc::TileKey key) const;
  int renderCount() const { return m_renders; }  // tiles rendered so far (tests, benchmarks)

  static constexpr int maxTiles = 8192;  // 128 MiB of tiles; beyond it the cache starts over

 private:
  QHash<quint64, QImage> m_tiles;
  int m_renders = 0;
};

inline quint64 tileHash(doc::TileKey k) {
  return (static_cast<quint64>(static_cast<quint32>(k.ty)) << 32) | static_cast<quint32>(k.tx);
}

inline bool TileCache::contains(doc::TileKey key) const { return m_tiles.contains(tileHash(key)); }

}  // namespace strata::ui
