// strata/doc/tools/move_tool.h — drags a layer; the drag becomes one SetLayerPosition.
#pragma once

#include "strata/doc/tools/tool.h"

namespace strata::doc {

class MoveTool : public Tool {
 public:
  explicit MoveTool(LayerId target) : target_(target) {}

  void begin(const Document& doc, const PointerEvent& e) override;  // throws for a locked layer
  void motion(const Document& doc, const PointerEvent& e) override;
  std::unique_ptr<Command> end(const Document& doc, const PointerEvent& e) override;
  void cancel() override;
  ToolPreview preview() const override;

 private:
  void drag_to(const PointerEvent& e);

  LayerId target_;
  bool active_ = false;
  double start_x_ = 0, start_y_ = 0;
  int layer_x_ = 0, layer_y_ = 0;  // at begin
  int x_ = 0, y_ = 0;              // pending offset
  Rect extent_;                    // the layer's content in layer-local coordinates
};

}  // namespace strata::doc
