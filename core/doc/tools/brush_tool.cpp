#include "strata/doc/tools/brush_tool.h"

#include <algorithm>
#include <cmath>

#include "strata/doc/commands.h"
#include "strata/doc/error.h"

namespace strata::doc {

float dab_alpha(double d, double radius, double hardness) {
  const double outer = radius + 0.5;
  const double inner = std::max(0.0, std::min(radius * std::clamp(hardness, 0.0, 1.0), radius - 0.5));
  if (d <= inner) return 1.0f;
  if (d >= outer) return 0.0f;
  const double t = (d - inner) / (outer - inner);
  return static_cast<float>(1.0 - t * t * (3.0 - 2.0 * t));
}

BrushTool::BrushTool(LayerId target, BrushSettings settings, BrushMode mode)
    : target_(target), settings_(settings), mode_(mode) {
  settings_.size = std::clamp(settings_.size, 1.0f, max_brush_size);
  settings_.hardness = std::clamp(settings_.hardness, 0.0f, 1.0f);
  settings_.opacity = std::clamp(settings_.opacity, 0.0f, 1.0f);
}

void BrushTool::begin(const Document& doc, const PointerEvent& e) {
  const Layer& l = doc.layer(target_);
  doc.require_unlocked(target_);
  is_mask_ = l.is_mask();
  layer_x_ = l.x;
  layer_y_ = l.y;
  original_ = l.pixels;
  edited_ = l.pixels;
  stroke_ = TiledImage(1);
  active_ = true;
  carry_ = 0;
  last_ = e;
  dab(e.x - layer_x_, e.y - layer_y_, e.pressure);
}

void BrushTool::motion(const Document&, const PointerEvent& e) {
  if (active_) stroke_to(e);
}

std::unique_ptr<Command> BrushTool::end(const Document& doc, const PointerEvent& e) {
  if (!active_) return nullptr;
  stroke_to(e);
  active_ = false;
  auto cmd = PaintPixels::from_edit(doc, target_, edited_, mode_ == BrushMode::Erase ? "Erase on" : "Paint on");
  original_ = edited_ = TiledImage(is_mask_ ? 1 : 4);
  stroke_ = TiledImage(1);
  if (cmd->empty()) return nullptr;
  return cmd;
}

void BrushTool::cancel() {
  if (!active_) return;
  mark_dirty(stroke_.bounds().translated(layer_x_, layer_y_));
  active_ = false;
  original_ = edited_ = TiledImage(is_mask_ ? 1 : 4);
  stroke_ = TiledImage(1);
}

ToolPreview BrushTool::preview() const {
  if (!active_) return {};
  ToolPreview p;
  p.layer = target_;
  p.pixels = &edited_;
  return p;
}

void BrushTool::stroke_to(const PointerEvent& e) {
  const double x0 = last_.x - layer_x_, y0 = last_.y - layer_y_;
  const double x1 = e.x - layer_x_, y1 = e.y - layer_y_;
  const double len = std::hypot(x1 - x0, y1 - y0);
  const double spacing = std::max(0.5, settings_.size * 0.1);
  double t = spacing - carry_;  // distance along the segment of the next dab
  while (t <= len) {
    const double f = len > 0 ? t / len : 1.0;
    dab(x0 + (x1 - x0) * f, y0 + (y1 - y0) * f, last_.pressure + static_cast<float>(f) * (e.pressure - last_.pressure));
    t += spacing;
  }
  carry_ = len - (t - spacing);
  last_ = e;
}

void BrushTool::dab(double cx, double cy, float pressure) {
  pressure = std::clamp(pressure, 0.0f, 1.0f);
  const double radius = settings_.size * 0.5 * (settings_.pressure_size ? std::max(pressure, 0.05f) : 1.0f);
  const double scale = settings_.pressure_opacity ? pressure : 1.0;
  const int x0 = static_cast<int>(std::floor(cx - radius - 1)), y0 = static_cast<int>(std::floor(cy - radius - 1));
  const int x1 = static_cast<int>(std::ceil(cx + radius + 1)), y1 = static_cast<int>(std::ceil(cy + radius + 1));
  const Rect r{x0, y0, x1 - x0, y1 - y0};

  Image8 stroke = stroke_.read(r);
  bool changed = false;
  for (int y = 0; y < r.height; ++y) {
    for (int x = 0; x < r.width; ++x) {
      const double d = std::hypot(r.x + x + 0.5 - cx, r.y + y + 0.5 - cy);
      const auto a = static_cast<std::uint8_t>(std::lround(255.0 * scale * dab_alpha(d, radius, settings_.hardness)));
      std::uint8_t& s = stroke.at(x, y);
      if (a > s) {
        s = a;
        changed = true;
      }
    }
  }
  if (!changed) return;
  stroke_.write(stroke, r.x, r.y);

  // Recompute the edited pixels under the dab from the original ones and the stroke alpha.
  Image8 out = original_.read(r);
  const float opacity = settings_.opacity;
  const Rgba8 c = settings_.color;
  for (int y = 0; y < r.height; ++y) {
    for (int x = 0; x < r.width; ++x) {
      const float a = stroke.at(x, y) / 255.0f;
      if (a <= 0) continue;
      if (is_mask_) {
        std::uint8_t& o = out.at(x, y);
        const float v = mode_ == BrushMode::Paint ? o + (opacity * 255.0f - o) * a : o * (1.0f - a * opacity);
        o = static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 255.0f)));
        continue;
      }
      std::uint8_t* o = &out.at(x, y, 0);
      if (mode_ == BrushMode::Erase) {
        o[3] = static_cast<std::uint8_t>(std::lround(o[3] * (1.0f - a * opacity)));
        continue;
      }
      const float sa = a * opacity * (c.a / 255.0f);
      const float da = o[3] / 255.0f;
      const float oa = sa + da * (1.0f - sa);
      if (oa <= 0) continue;
      const std::uint8_t src[3] = {c.r, c.g, c.b};
      for (int k = 0; k < 3; ++k) {
        o[k] = static_cast<std::uint8_t>(std::lround((src[k] * sa + o[k] * da * (1.0f - sa)) / oa));
      }
      o[3] = static_cast<std::uint8_t>(std::lround(oa * 255.0f));
    }
  }
  edited_.write(out, r.x, r.y);
  mark_dirty(r.translated(layer_x_, layer_y_));
}

}  // namespace strata::doc
