// strata/doc/tools/brush_tool.h — round brush and eraser for inpaint masks and raster layers.
//
// On a mask layer the brush paints denoising strength: brush opacity is the strength the stroke
// leaves (coverage = opacity × 255 where the dab is fully on), soft edges (hardness < 1) and tablet
// pressure make gradients. The eraser lowers coverage (alpha on raster layers) towards 0.
// On a raster layer the brush paints `color` src-over with alpha = dab × opacity.
//
// Within one stroke dabs do not build up: each pixel keeps the highest dab alpha the stroke gave
// it (Krita's "wash" mode), so going over the same spot twice in one stroke changes nothing and an
// opacity of 0.4 leaves exactly 0.4. The result is recomputed from the pixels the layer had at
// begin(), so the whole stroke is one PaintPixels command.
#pragma once

#include "strata/doc/document.h"
#include "strata/doc/tools/tool.h"

namespace strata::doc {

struct BrushSettings {
  float size = 32.0f;      // diameter in document pixels, [1, max_brush_size]
  float hardness = 0.8f;   // [0,1]: the fully-opaque fraction of the radius
  float opacity = 1.0f;    // [0,1]: on masks, the strength painted
  Rgba8 color{255, 255, 255, 255};  // raster layers only
  bool pressure_size = true;        // pressure scales the diameter
  bool pressure_opacity = false;    // pressure scales the alpha
};

inline constexpr float max_brush_size = 1024.0f;

enum class BrushMode { Paint, Erase };

// Alpha in [0,1] of a round dab of `radius` and `hardness` at distance `d` from its centre
// (a one-pixel antialiased rim for hard brushes; a smoothstep falloff for soft ones).
float dab_alpha(double d, double radius, double hardness);

class BrushTool : public Tool {
 public:
  // Throws nothing; begin() checks the target.
  BrushTool(LayerId target, BrushSettings settings, BrushMode mode);

  void begin(const Document& doc, const PointerEvent& e) override;
  void motion(const Document& doc, const PointerEvent& e) override;
  std::unique_ptr<Command> end(const Document& doc, const PointerEvent& e) override;
  void cancel() override;
  ToolPreview preview() const override;

  const BrushSettings& settings() const { return settings_; }

 private:
  void stroke_to(const PointerEvent& e);
  void dab(double x, double y, float pressure);  // layer-local coordinates

  LayerId target_;
  BrushSettings settings_;
  BrushMode mode_;
  bool active_ = false;
  bool is_mask_ = false;
  int layer_x_ = 0, layer_y_ = 0;
  TiledImage original_{4};
  TiledImage edited_{4};
  TiledImage stroke_{1};  // highest dab alpha per pixel so far (0..255)
  PointerEvent last_;
  double carry_ = 0;  // distance walked since the last dab
};

}  // namespace strata::doc
