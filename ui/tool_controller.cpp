#include "tool_controller.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "document_controller.h"
#include "strata/doc/commands.h"
#include "strata/doc/error.h"
#include "strata/doc/tools/bbox_tool.h"
#include "strata/doc/tools/color_picker.h"
#include "strata/doc/tools/move_tool.h"

namespace strata::ui {

ToolController::ToolController(DocumentController* document, QObject* parent)
    : QObject(parent), m_document(document) {
  m_brush.color = {255, 255, 255, 255};
  // Anything that replaces the document ends a drag in progress.
  connect(document, &DocumentController::documentReset, this, &ToolController::cancel);
}

ToolController::~ToolController() = default;

void ToolController::setTool(ToolKind kind) {
  if (kind == m_kind) return;
  cancel();
  m_kind = kind;
  Q_EMIT toolChanged(kind);
}

void ToolController::setBrushSize(float size) {
  m_brush.size = std::clamp(size, 1.0f, doc::max_brush_size);
  Q_EMIT brushChanged();
}
void ToolController::setBrushHardness(float hardness) {
  m_brush.hardness = std::clamp(hardness, 0.0f, 1.0f);
  Q_EMIT brushChanged();
}
void ToolController::setBrushOpacity(float opacity) {
  m_brush.opacity = std::clamp(opacity, 0.0f, 1.0f);
  Q_EMIT brushChanged();
}
void ToolController::setBrushColor(const QColor& c) {
  m_brush.color = {static_cast<std::uint8_t>(c.red()), static_cast<std::uint8_t>(c.green()),
                   static_cast<std::uint8_t>(c.blue()), 255};
  Q_EMIT brushChanged();
}
void ToolController::growBrush() { setBrushSize(std::max(m_brush.size + 1.0f, std::round(m_brush.size * 1.1f))); }
void ToolController::shrinkBrush() { setBrushSize(std::min(m_brush.size - 1.0f, std::round(m_brush.size / 1.1f))); }

doc::LayerId ToolController::targetLayer() {
  if (const doc::LayerId current = m_document->currentLayer()) return current;
  // No layer selected: the topmost visible, unlocked raster layer becomes the current one.
  const auto& layers = m_document->document().layers();
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    if (!it->is_mask() && it->visible && !it->locked) {
      m_document->setCurrentLayer(it->id);
      return it->id;
    }
  }
  if (m_kind != ToolKind::Brush) return {};
  // Nothing to paint on: the stroke makes its own layer, in the same undo step as the stroke.
  m_strokeKey = m_document->newMergeKey();
  auto add = std::make_unique<doc::AddLayer>(
      doc::Layer::raster({}, tr("Layer %1").arg(layers.size() + 1).toStdString()));
  doc::AddLayer* raw = add.get();
  if (!m_document->push(std::move(add), m_strokeKey)) return {};
  m_document->setCurrentLayer(raw->id());
  return raw->id();
}

std::unique_ptr<doc::Tool> ToolController::makeTool() {
  switch (m_kind) {
    case ToolKind::Brush:
    case ToolKind::Eraser:
    case ToolKind::Move: {
      const doc::LayerId layer = targetLayer();
      if (!layer) {
        m_document->reportInfo(m_kind == ToolKind::Move ? tr("Nothing to move: the document has no unlocked layer.")
                                                        : tr("Nothing to erase: the document has no unlocked layer."));
        return nullptr;
      }
      if (m_kind == ToolKind::Move) return std::make_unique<doc::MoveTool>(layer);
      return std::make_unique<doc::BrushTool>(layer, m_brush,
                                              m_kind == ToolKind::Brush ? doc::BrushMode::Paint : doc::BrushMode::Erase);
    }
    case ToolKind::BBox: return std::make_unique<doc::BBoxTool>();
    case ToolKind::ColorPicker: return std::make_unique<doc::ColorPickerTool>();
  }
  return nullptr;
}

void ToolController::press(const doc::PointerEvent& e) {
  cancel();
  m_strokeKey = {};
  auto tool = makeTool();
  if (!tool) return;
  try {
    tool->begin(m_document->document(), e);
  } catch (const doc::Error& err) {
    m_document->reportError(QString::fromStdString(err.what()), ErrorTopic::Edit);
    return;
  }
  m_active = std::move(tool);
  flushDirty();
}

void ToolController::move(const doc::PointerEvent& e) {
  if (!m_active) return;
  m_active->motion(m_document->document(), e);
  if (auto* picker = dynamic_cast<doc::ColorPickerTool*>(m_active.get()); picker && picker->picked()) {
    const doc::Rgba8 c = *picker->picked();
    Q_EMIT colorPicked(QColor(c.r, c.g, c.b));
  }
  flushDirty();
}

void ToolController::release(const doc::PointerEvent& e) {
  if (!m_active) return;
  std::unique_ptr<doc::Tool> tool = std::move(m_active);
  std::unique_ptr<doc::Command> command;
  try {
    command = tool->end(m_document->document(), e);
  } catch (const doc::Error& err) {
    m_document->reportError(QString::fromStdString(err.what()), ErrorTopic::Edit);
  }
  if (auto* picker = dynamic_cast<doc::ColorPickerTool*>(tool.get()); picker && picker->picked()) {
    const doc::Rgba8 c = *picker->picked();
    setBrushColor(QColor(c.r, c.g, c.b));
    Q_EMIT colorPicked(QColor(c.r, c.g, c.b));
  }
  const doc::Rect dirty = tool->take_dirty();
  tool.reset();
  // The preview is gone: repaint its area even when the command changes nothing (or fails).
  if (!dirty.empty()) Q_EMIT previewChanged(QRect(dirty.x, dirty.y, dirty.width, dirty.height));
  if (command) m_document->push(std::move(command), std::exchange(m_strokeKey, {}));
}

void ToolController::cancel() {
  if (!m_active) return;
  m_active->cancel();
  flushDirty();
  m_active.reset();
}

doc::ToolPreview ToolController::preview() const { return m_active ? m_active->preview() : doc::ToolPreview{}; }

void ToolController::flushDirty() {
  const doc::Rect r = m_active->take_dirty();
  if (!r.empty()) Q_EMIT previewChanged(QRect(r.x, r.y, r.width, r.height));
}

}  // namespace strata::ui
