#include "strata/doc/tools/move_tool.h"

#include <cmath>

#include "strata/doc/commands.h"

namespace strata::doc {

void MoveTool::begin(const Document& doc, const PointerEvent& e) {
  const Layer& l = doc.layer(target_);
  doc.require_unlocked(target_);
  active_ = true;
  start_x_ = e.x;
  start_y_ = e.y;
  layer_x_ = x_ = l.x;
  layer_y_ = y_ = l.y;
  extent_ = l.pixels.bounds();
}

void MoveTool::drag_to(const PointerEvent& e) {
  const int nx = layer_x_ + static_cast<int>(std::lround(e.x - start_x_));
  const int ny = layer_y_ + static_cast<int>(std::lround(e.y - start_y_));
  if (nx == x_ && ny == y_) return;
  mark_dirty(extent_.translated(x_, y_));
  x_ = nx;
  y_ = ny;
  mark_dirty(extent_.translated(x_, y_));
}

void MoveTool::motion(const Document&, const PointerEvent& e) {
  if (active_) drag_to(e);
}

std::unique_ptr<Command> MoveTool::end(const Document&, const PointerEvent& e) {
  if (!active_) return nullptr;
  drag_to(e);
  active_ = false;
  if (x_ == layer_x_ && y_ == layer_y_) return nullptr;
  return std::make_unique<SetLayerPosition>(target_, x_, y_);
}

void MoveTool::cancel() {
  if (!active_) return;
  mark_dirty(extent_.translated(x_, y_));
  mark_dirty(extent_.translated(layer_x_, layer_y_));
  active_ = false;
}

ToolPreview MoveTool::preview() const {
  if (!active_) return {};
  ToolPreview p;
  p.layer = target_;
  p.x = x_;
  p.y = y_;
  return p;
}

}  // namespace strata::doc
