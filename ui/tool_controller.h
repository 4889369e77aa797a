// tool_controller.h — routes pointer input to the active doc tool and pushes what it emits.
//
// The canvas view converts mouse and tablet events into one doc::PointerEvent (document
// coordinates, pressure) and calls press/move/release. The controller creates the doc::Tool for
// the current tool kind and layer on press, forwards motion, and on release pushes the one
// command the drag produced onto the DocumentController. While a drag lasts, preview() is what
// the view draws instead of the document; previewChanged reports the areas to repaint.
// With no current layer, the brush, eraser and move tools take the topmost visible, unlocked raster
// layer (and make it current); when there is none, a brush stroke first adds a raster layer, and
// the layer and the stroke are one undo step (a cancelled stroke leaves the empty layer, its own
// step); the eraser and move tool then say there is nothing to act on.
// UI thread only.
#pragma once

#include <QColor>
#include <QObject>
#include <QRect>
#include <memory>

#include "strata/doc/tools/brush_tool.h"
#include "strata/doc/tools/tool.h"
#include "undo_command.h"

namespace strata::ui {

class DocumentController;

enum class ToolKind { Brush, Eraser, Move, BBox, ColorPicker };

class ToolController : public QObject {
  Q_OBJECT
 public:
  explicit ToolController(DocumentController* document, QObject* parent = nullptr);
  ~ToolController() override;

  ToolKind tool() const { return m_kind; }
  void setTool(ToolKind kind);

  const doc::BrushSettings& brush() const { return m_brush; }
  void setBrushSize(float size);
  void setBrushHardness(float hardness);
  void setBrushOpacity(float opacity);
  void setBrushColor(const QColor& color);
  void growBrush();    // ] : +10 % (at least 1 px)
  void shrinkBrush();  // [

  void press(const doc::PointerEvent& e);
  void move(const doc::PointerEvent& e);
  void release(const doc::PointerEvent& e);
  void cancel();  // Esc: abandons the drag in progress
  bool isActive() const { return m_active != nullptr; }

  doc::ToolPreview preview() const;

 Q_SIGNALS:
  void toolChanged(strata::ui::ToolKind kind);
  void brushChanged();
  void previewChanged(const QRect& documentArea);
  void colorPicked(const QColor& color);

 private:
  std::unique_ptr<doc::Tool> makeTool();
  doc::LayerId targetLayer();  // the layer a layer tool acts on (see above); empty when none
  void flushDirty();

  DocumentController* m_document;
  ToolKind m_kind = ToolKind::Brush;
  doc::BrushSettings m_brush;
  std::unique_ptr<doc::Tool> m_active;
  MergeKey m_strokeKey;  // the stroke's, when it added its own layer
};

}  // namespace strata::ui
