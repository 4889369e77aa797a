#include "strata/doc/tools/color_picker.h"

#include <cmath>

#include "strata/doc/compose.h"

namespace strata::doc {

Rgba8 pick_color(const Document& doc, int x, int y) {
  const Composition c = compose(doc, Rect{x, y, 1, 1});
  return {c.rgba.pixels[0], c.rgba.pixels[1], c.rgba.pixels[2], c.rgba.pixels[3]};
}

namespace {
Rgba8 pick_at(const Document& doc, const PointerEvent& e) {
  return pick_color(doc, static_cast<int>(std::floor(e.x)), static_cast<int>(std::floor(e.y)));
}
}  // namespace

void ColorPickerTool::begin(const Document& doc, const PointerEvent& e) {
  active_ = true;
  picked_ = pick_at(doc, e);
}

void ColorPickerTool::motion(const Document& doc, const PointerEvent& e) {
  if (active_) picked_ = pick_at(doc, e);
}

std::unique_ptr<Command> ColorPickerTool::end(const Document& doc, const PointerEvent& e) {
  if (active_) picked_ = pick_at(doc, e);
  active_ = false;
  return nullptr;
}

}  // namespace strata::doc
