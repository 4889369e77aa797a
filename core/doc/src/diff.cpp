#include "strata/doc/diff.h"

namespace strata::doc {

namespace {

Rect tile_rect(TileKey k) { return {tile_origin(k.tx), tile_origin(k.ty), tile_size, tile_size}; }

// Where a layer shows when drawn: its tiles, or everything for a visible inverted mask.
Rect drawn_extent(const Layer& l) {
  if (!l.visible) return {};
  if (l.is_mask() && l.inverted) return everywhere;
  return tile_extent(l);
}

bool same_properties(const Layer& a, const Layer& b) {
  return a.kind == b.kind && a.name == b.name && a.x == b.x && a.y == b.y && a.visible == b.visible &&
         a.locked == b.locked && a.opacity == b.opacity && a.strength == b.strength && a.feather == b.feather &&
         a.inverted == b.inverted;
}

bool same_look(const Layer& a, const Layer& b) {
  return a.x == b.x && a.y == b.y && a.visible == b.visible && a.opacity == b.opacity && a.inverted == b.inverted;
}

}  // namespace

Rect tile_extent(const Layer& layer) {
  Rect r;
  for (const auto& [key, tile] : layer.pixels.tiles()) r = unite(r, tile_rect(key));
  return r.translated(layer.x, layer.y);
}

DocumentChange diff(const Document& before, const Document& after) {
  DocumentChange change;
  change.bbox = !(before.bbox() == after.bbox());
  if (change.bbox) {
    change.dirty.push_back(before.bbox());
    change.dirty.push_back(after.bbox());
  }
  const bool same_order = before.order() == after.order();
  if (!same_order) change.layers = true;
  for (const Layer& a : before.layers()) {
    const Layer* b = after.find(a.id);
    if (!b) {
      change.layers = true;
      change.dirty.push_back(drawn_extent(a));
      continue;
    }
    if (!same_properties(a, *b)) change.layers = true;
    if (!same_order && before.index_of(a.id) != after.index_of(a.id)) {
      change.dirty.push_back(drawn_extent(a));
      change.dirty.push_back(drawn_extent(*b));
    } else if (!same_look(a, *b)) {
      change.dirty.push_back(drawn_extent(a));
      change.dirty.push_back(drawn_extent(*b));
    } else if (a.pixels.tiles() != b->pixels.tiles() && a.visible) {
      // Tiles are compared by pointer: report each key whose tile object differs.
      const auto& ta = a.pixels.tiles();
      const auto& tb = b->pixels.tiles();
      for (const auto& [key, tile] : ta) {
        const auto it = tb.find(key);
        if (it == tb.end() || it->second != tile) change.dirty.push_back(tile_rect(key).translated(b->x, b->y));
      }
      for (const auto& [key, tile] : tb) {
        if (!ta.contains(key)) change.dirty.push_back(tile_rect(key).translated(b->x, b->y));
      }
    }
  }
  for (const Layer& b : after.layers()) {
    if (!before.contains(b.id)) {
      change.layers = true;
      change.dirty.push_back(drawn_extent(b));
    }
  }
  std::erase_if(change.dirty, [](const Rect& r) { return r.empty(); });
  return change;
}

}  // namespace strata::doc
