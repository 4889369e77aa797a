#include "strata/doc/tools/bbox_tool.h"

#include <algorithm>
#include <cmath>

#include "strata/doc/commands.h"

namespace strata::doc {

int snap_to_grid(double v) { return static_cast<int>(std::lround(v / bbox_step)) * bbox_step; }

BBoxHandle hit_test_bbox(const Rect& b, double x, double y, double zoom) {
  const double tol = handle_tolerance / std::max(zoom, 1e-6);
  const bool near_left = std::abs(x - b.x) <= tol, near_right = std::abs(x - b.right()) <= tol;
  const bool near_top = std::abs(y - b.y) <= tol, near_bottom = std::abs(y - b.bottom()) <= tol;
  const bool in_x = x >= b.x - tol && x <= b.right() + tol;
  const bool in_y = y >= b.y - tol && y <= b.bottom() + tol;
  if (!in_x || !in_y) return BBoxHandle::None;
  if (near_top && near_left) return BBoxHandle::TopLeft;
  if (near_top && near_right) return BBoxHandle::TopRight;
  if (near_bottom && near_left) return BBoxHandle::BottomLeft;
  if (near_bottom && near_right) return BBoxHandle::BottomRight;
  if (near_left) return BBoxHandle::Left;
  if (near_right) return BBoxHandle::Right;
  if (near_top) return BBoxHandle::Top;
  if (near_bottom) return BBoxHandle::Bottom;
  return BBoxHandle::Move;
}

void BBoxTool::begin(const Document& doc, const PointerEvent& e) {
  active_ = true;
  start_ = rect_ = doc.bbox();
  start_x_ = e.x;
  start_y_ = e.y;
  handle_ = hit_test_bbox(start_, e.x, e.y, e.zoom);
  if (handle_ == BBoxHandle::None) {
    // Draw a new bbox: anchor its top-left at the press point, then drag the bottom-right corner.
    start_ = {snap_to_grid(e.x), snap_to_grid(e.y), bbox_min, bbox_min};
    handle_ = BBoxHandle::BottomRight;
  }
  mark_dirty(rect_);
  drag_to(e);
}

void BBoxTool::drag_to(const PointerEvent& e) {
  const Rect& s = start_;
  int left = s.x, top = s.y, right = s.right(), bottom = s.bottom();
  auto moves = [&](BBoxHandle a, BBoxHandle b, BBoxHandle c) { return handle_ == a || handle_ == b || handle_ == c; };
  if (handle_ == BBoxHandle::Move) {
    left = snap_to_grid(s.x + (e.x - start_x_));
    top = snap_to_grid(s.y + (e.y - start_y_));
    right = left + s.width;
    bottom = top + s.height;
  } else {
    if (moves(BBoxHandle::Left, BBoxHandle::TopLeft, BBoxHandle::BottomLeft)) {
      left = std::clamp(snap_to_grid(e.x), right - bbox_max, right - bbox_min);
    }
    if (moves(BBoxHandle::Right, BBoxHandle::TopRight, BBoxHandle::BottomRight)) {
      right = std::clamp(snap_to_grid(e.x), left + bbox_min, left + bbox_max);
    }
    if (moves(BBoxHandle::Top, BBoxHandle::TopLeft, BBoxHandle::TopRight)) {
      top = std::clamp(snap_to_grid(e.y), bottom - bbox_max, bottom - bbox_min);
    }
    if (moves(BBoxHandle::Bottom, BBoxHandle::BottomLeft, BBoxHandle::BottomRight)) {
      bottom = std::clamp(snap_to_grid(e.y), top + bbox_min, top + bbox_max);
    }
  }
  const Rect next{left, top, right - left, bottom - top};
  if (next == rect_) return;
  mark_dirty(rect_);
  rect_ = next;
  mark_dirty(rect_);
}

void BBoxTool::motion(const Document&, const PointerEvent& e) {
  if (active_) drag_to(e);
}

std::unique_ptr<Command> BBoxTool::end(const Document& doc, const PointerEvent& e) {
  if (!active_) return nullptr;
  drag_to(e);
  active_ = false;
  const Rect r = snap_bbox(rect_);
  if (r == doc.bbox()) return nullptr;
  return std::make_unique<SetBBox>(r);
}

void BBoxTool::cancel() {
  if (!active_) return;
  mark_dirty(rect_);
  active_ = false;
}

ToolPreview BBoxTool::preview() const {
  if (!active_) return {};
  ToolPreview p;
  p.bbox = rect_;
  return p;
}

}  // namespace strata::doc
