// strata/doc/tools/tool.h — interactive tools that turn pointer input into doc::Commands.
//
// A tool is driven by one drag: begin → motion* → end. While the drag lasts, the tool edits
// nothing in the document; it keeps its work in progress to itself (a copy of the layer's tiles, a
// pending offset, a pending bbox) and exposes it through preview() so a view can draw it. end()
// returns the one Command the drag amounts to (nullptr when nothing changed); the caller pushes it
// on its undo stack. One stroke = one command (Drawpile libclient/tools/tool.h; Pencil2D's
// PointerEvent merges mouse and tablet input into one event).
//
// Errors: begin() throws doc::Error (InvalidArgument/NotFound) when the tool cannot act on its
// target (a locked layer, a mask tool on a raster layer...), before anything is kept.
// Threads: a tool and the Document it reads belong to one thread (the UI thread).
#pragma once

#include <memory>
#include <optional>

#include "strata/doc/command.h"
#include "strata/doc/geometry.h"

namespace strata::doc {

// One pointer sample, mouse or tablet, in document coordinates. Pixel (px, py) covers
// [px, px+1) × [py, py+1), so its centre is (px + 0.5, py + 0.5).
struct PointerEvent {
  double x = 0;
  double y = 0;
  float pressure = 1.0f;  // [0,1]; a mouse reports 1
  bool shift = false;
  bool ctrl = false;
  bool alt = false;
  double zoom = 1.0;  // screen pixels per document pixel, for hit tolerances
};

// What a view draws instead of the document while a drag is in progress. Fields not set mean
// "as in the document".
struct ToolPreview {
  LayerId layer;                        // the layer being edited, if any
  const TiledImage* pixels = nullptr;   // replaces that layer's pixels (layer-local coordinates)
  std::optional<int> x, y;              // replaces that layer's offset
  std::optional<Rect> bbox;             // replaces the document's bbox
};

class Tool {
 public:
  virtual ~Tool() = default;

  virtual void begin(const Document& doc, const PointerEvent& e) = 0;
  virtual void motion(const Document& doc, const PointerEvent& e) = 0;
  // Ends the drag. The document must be the one begin() saw (unchanged since).
  virtual std::unique_ptr<Command> end(const Document& doc, const PointerEvent& e) = 0;
  // Abandons the drag; preview() goes back to empty.
  virtual void cancel() = 0;

  virtual ToolPreview preview() const { return {}; }

  // The document area whose look changed since the last call (empty when none), for partial
  // repaints. Resets the accumulated area.
  Rect take_dirty() {
    const Rect r = dirty_;
    dirty_ = {};
    return r;
  }

 protected:
  void mark_dirty(const Rect& r) { dirty_ = unite(dirty_, r); }

 private:
  Rect dirty_;
};

}  // namespace strata::doc
