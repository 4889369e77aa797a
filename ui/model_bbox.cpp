#include "model_bbox.h"

#include "document_controller.h"
#include "strata/doc/commands.h"
#include "strata/doc/error.h"

namespace strata::ui {

ModelBBox::ModelBBox(DocumentController* document, QObject* parent)
    : QObject(parent), m_document(document), m_autoSide(doc::default_bbox.width) {
  // Queued: after every view has taken the new document in.
  connect(m_document, &DocumentController::documentReset, this, &ModelBBox::documentReset, Qt::QueuedConnection);
}

bool ModelBBox::followsModel() const {
  const doc::Rect& b = m_document->document().bbox();
  return b.width == m_autoSide && b.height == m_autoSide;
}

void ModelBBox::modelLoaded(int nativeSize) {
  if (nativeSize <= 0) return;
  m_native = nativeSize;
  if (followsModel()) apply(nativeSize);
}

void ModelBBox::documentReset() {
  // A new document (not one opened from a file) starts at the loaded model's size.
  const doc::Document& d = m_document->document();
  const bool fresh = m_document->filePath().isEmpty() && d.layer_count() == 0 && !m_document->isModified();
  if (!fresh || m_native <= 0) return;
  const doc::Rect& b = d.bbox();
  if (b.width == doc::default_bbox.width && b.height == doc::default_bbox.height) {
    m_autoSide = doc::default_bbox.width;
    apply(m_native);
  }
}

void ModelBBox::apply(int side) {
  const doc::Rect& b = m_document->document().bbox();
  if (b.width == side && b.height == side) {
    m_autoSide = side;
    return;
  }
  const doc::Rect to{b.x, b.y, side, side};
  try {
    doc::validate_bbox(to);
  } catch (const doc::Error&) {
    return;  // a native size the bbox cannot take (not a multiple of 8, too large): keep the bbox
  }
  const bool pristine = !m_document->isModified() && m_document->filePath().isEmpty() &&
                        m_document->document().layer_count() == 0;
  if (!m_document->push(std::make_unique<doc::SetBBox>(to))) return;
  m_autoSide = side;
  if (pristine) m_document->undoStack()->setClean();  // an empty untitled canvas asks for no save
}

}  // namespace strata::ui
