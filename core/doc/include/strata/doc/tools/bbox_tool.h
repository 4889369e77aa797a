// strata/doc/tools/bbox_tool.h — moves and resizes the generation bbox, snapped to the 8 px grid.
//
// Pressing inside the bbox moves it; pressing on an edge or corner handle (within
// handle_tolerance screen pixels) drags that side; pressing outside draws a new bbox from the press
// point. Every edge that moves is snapped to a multiple of bbox_step, and sides stay within
// [bbox_min, bbox_max], so the preview is always a valid bbox. The drag is one SetBBox.
#pragma once

#include "strata/doc/tools/tool.h"

namespace strata::doc {

enum class BBoxHandle { None, Move, Left, Right, Top, Bottom, TopLeft, TopRight, BottomLeft, BottomRight };

inline constexpr double handle_tolerance = 8.0;  // screen pixels

// The handle under (x, y) for a bbox drawn at `zoom` (screen pixels per document pixel).
BBoxHandle hit_test_bbox(const Rect& bbox, double x, double y, double zoom);
// Multiple of bbox_step nearest to v.
int snap_to_grid(double v);

class BBoxTool : public Tool {
 public:
  void begin(const Document& doc, const PointerEvent& e) override;
  void motion(const Document& doc, const PointerEvent& e) override;
  std::unique_ptr<Command> end(const Document& doc, const PointerEvent& e) override;
  void cancel() override;
  ToolPreview preview() const override;

  BBoxHandle handle() const { return handle_; }
  const Rect& rect() const { return rect_; }

 private:
  void drag_to(const PointerEvent& e);

  bool active_ = false;
  BBoxHandle handle_ = BBoxHandle::None;
  Rect start_, rect_;
  double start_x_ = 0, start_y_ = 0;
};

}  // namespace strata::doc
