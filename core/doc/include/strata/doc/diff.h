// strata/doc/diff.h — what changed between two snapshots of a Document, for views that repaint
// only what they must. Cheap: tiles are compared by pointer (copy-on-write tiles that were not
// written are the same object), never by content, so the result may over-report but never
// misses a change. Pure function; any thread that may read both documents.
#pragma once

#include <vector>

#include "strata/doc/document.h"

namespace strata::doc {

// A Rect that stands for "everything" (an inverted mask covers the whole plane).
inline constexpr Rect everywhere{-(1 << 29), -(1 << 29), 1 << 30, 1 << 30};

struct DocumentChange {
  bool layers = false;  // the layer list changed: order, ids, names or properties
  bool bbox = false;
  std::vector<Rect> dirty;  // document areas whose rendering may differ

  bool empty() const { return !layers && !bbox && dirty.empty(); }
};

DocumentChange diff(const Document& before, const Document& after);

// The union of the tiles a layer holds, in document coordinates (cheap: no pixel is read).
Rect tile_extent(const Layer& layer);

}  // namespace strata::doc
