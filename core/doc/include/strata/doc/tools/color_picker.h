// strata/doc/tools/color_picker.h — reads the colour the visible raster layers compose to.
#pragma once

#include <optional>

#include "strata/doc/tools/tool.h"

namespace strata::doc {

// The composite (visible raster layers, opacity applied, straight alpha) at pixel (x, y).
Rgba8 pick_color(const Document& doc, int x, int y);

// Picks on begin and on every motion; emits no command.
class ColorPickerTool : public Tool {
 public:
  void begin(const Document& doc, const PointerEvent& e) override;
  void motion(const Document& doc, const PointerEvent& e) override;
  std::unique_ptr<Command> end(const Document& doc, const PointerEvent& e) override;
  void cancel() override { active_ = false; }

  // The last colour picked (nullopt before the first pick).
  const std::optional<Rgba8>& picked() const { return picked_; }

 private:
  bool active_ = false;
  std::optional<Rgba8> picked_;
};

}  // namespace strata::doc
