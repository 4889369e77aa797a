#include "canvas_view.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QMimeData>
#include <QNativeGestureEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QTabletEvent>
#include <QTimer>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "canvas_overlay.h"
#include "document_controller.h"
#include "image_import.h"
#include "strata/doc/diff.h"
#include "tool_controller.h"

namespace strata::ui {

namespace {
constexpr int kTile = doc::tile_size;
constexpr double kZoomStep = 1.25;
}  // namespace

CanvasView::CanvasView(DocumentController* document, ToolController* tools, QWidget* parent)
    : QWidget(parent), m_document(document), m_tools(tools) {
  setAttribute(Qt::WA_OpaquePaintEvent);
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setAcceptDrops(true);
  setMinimumSize(200, 150);
  connect(document, &DocumentController::areasChanged, this, &CanvasView::onAreasChanged);
  connect(document, &DocumentController::documentReset, this, [this] {
    m_cache.clear();
    m_fitPending = true;
    if (isVisible() && width() > 0) fitToView();
    update();
  });
  connect(document, &DocumentController::layersChanged, this, qOverload<>(&CanvasView::update));  // checkerboard extent
  connect(document, &DocumentController::bboxChanged, this, qOverload<>(&CanvasView::update));
  connect(tools, &ToolController::previewChanged, this, &CanvasView::repaintDocumentArea);
  connect(tools, &ToolController::toolChanged, this, [this] {
    updateCursor();
    update();
  });
  connect(tools, &ToolController::brushChanged, this, qOverload<>(&CanvasView::update));
  updateCursor();
}

double CanvasView::scale() const { return m_zoom / devicePixelRatioF(); }
QPointF CanvasView::widgetToDoc(const QPointF& p) const { return m_origin + p / scale(); }
QPointF CanvasView::docToWidget(const QPointF& d) const { return (d - m_origin) * scale(); }

void CanvasView::setZoom(double zoom, const QPointF& anchor) {
  zoom = std::clamp(zoom, minZoom, maxZoom);
  const QPointF fixed = widgetToDoc(anchor);
  m_zoom = zoom;
  m_origin = fixed - anchor / scale();
  update();
  Q_EMIT zoomChanged(m_zoom);
}

void CanvasView::setView(const QPointF& origin, double zoom) {
  m_fitPending = false;
  m_origin = origin;
  m_zoom = std::clamp(zoom, minZoom, maxZoom);
  update();
  Q_EMIT zoomChanged(m_zoom);
}

void CanvasView::zoomIn() { setZoom(m_zoom * kZoomStep, rect().center()); }
void CanvasView::zoomOut() { setZoom(m_zoom / kZoomStep, rect().center()); }
void CanvasView::actualSize() { setZoom(1.0, rect().center()); }

void CanvasView::fitToView() {
  m_fitPending = false;
  const doc::Document& d = m_document->document();
  doc::Rect area = d.bbox();
  for (const doc::Layer& l : d.layers()) {
    if (l.visible && !l.is_mask()) area = doc::unite(area, doc::tile_extent(l));
  }
  const double margin = 24;
  const double sx = (width() - 2 * margin) / area.width, sy = (height() - 2 * margin) / area.height;
  const double s = std::max(0.01, std::min(sx, sy));  // widget px per doc px
  m_zoom = std::clamp(s * devicePixelRatioF(), minZoom, maxZoom);
  const QPointF centre(area.x + area.width / 2.0, area.y + area.height / 2.0);
  m_origin = centre - QPointF(width() / 2.0, height() / 2.0) / scale();
  update();
  Q_EMIT zoomChanged(m_zoom);
}

void CanvasView::setMasksVisible(bool visible) {
  if (visible == m_showMasks) return;
  m_showMasks = visible;
  m_cache.clear();
  update();
  Q_EMIT masksVisibleChanged(visible);
}

void CanvasView::onAreasChanged(const QVector<QRect>& areas) {
  for (const QRect& a : areas) repaintDocumentArea(a);
}

void CanvasView::repaintDocumentArea(const QRect& area) {
  m_cache.invalidate(area);
  const QRect w = documentToWidgetRect(area);
  if (!w.isEmpty()) update(w);
}

QRect CanvasView::documentToWidgetRect(const QRect& area) const {
  const QPointF a = docToWidget(QPointF(area.left(), area.top()));
  const QPointF b = docToWidget(QPointF(static_cast<double>(area.left()) + area.width(),
                                        static_cast<double>(area.top()) + area.height()));
  const QRectF r(a, b);
  return r.toAlignedRect().adjusted(-2, -2, 2, 2).intersected(rect());
}

void CanvasView::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  p.fillRect(event->rect(), QColor(38, 38, 42));
  const doc::Document& d = m_document->document();
  const doc::ToolPreview preview = m_tools->preview();
  const doc::Rect bbox = preview.bbox ? *preview.bbox : d.bbox();

  // Checkerboard under the bbox and under the raster layers' extent.
  QRegion board(documentToWidgetRect(QRect(bbox.x, bbox.y, bbox.width, bbox.height)).adjusted(2, 2, -2, -2));
  for (const doc::Layer& l : d.layers()) {
    if (!l.visible || l.is_mask()) continue;
    const bool previewed = preview.layer == l.id;
    doc::Layer shown;  // only what tile_extent reads: the pixels and the offset, preview applied
    shown.pixels = previewed && preview.pixels ? *preview.pixels : l.pixels;
    shown.x = previewed && preview.x ? *preview.x : l.x;
    shown.y = previewed && preview.y ? *preview.y : l.y;
    const doc::Rect e = doc::tile_extent(shown);
    if (!e.empty()) board += documentToWidgetRect(QRect(e.x, e.y, e.width, e.height)).adjusted(2, 2, -2, -2);
  }
  drawCheckerboard(p, board.intersected(event->region()));

  // Tiles, placed on device-pixel-rounded edges so that neighbours never leave a seam.
  const double dpr = devicePixelRatioF();
  const QRectF exposed = QRectF(event->rect());
  const QPointF tl = widgetToDoc(exposed.topLeft()), br = widgetToDoc(exposed.bottomRight());
  const int tx0 = doc::tile_index(static_cast<int>(std::floor(tl.x()))), tx1 = doc::tile_index(static_cast<int>(std::floor(br.x())));
  const int ty0 = doc::tile_index(static_cast<int>(std::floor(tl.y()))), ty1 = doc::tile_index(static_cast<int>(std::floor(br.y())));
  auto edge = [&](double docCoord, double originCoord) { return std::round((docCoord - originCoord) * m_zoom) / dpr; };
  p.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 1.0);
  // Frame budget: tiles already cached are always drawn; missing ones are rendered until the
  // budget is spent, the rest on the next frames (zooming out over many layers reveals hundreds
  // of new tiles at once; the view stays fluid and fills in progressively).
  QElapsedTimer frameTimer;
  frameTimer.start();
  bool deferred = false;
  for (int ty = ty0; ty <= ty1; ++ty) {
    for (int tx = tx0; tx <= tx1; ++tx) {
      if (m_frameBudgetNs > 0 && !m_cache.contains({ty, tx}) && frameTimer.nsecsElapsed() > m_frameBudgetNs) {
        deferred = true;
        continue;
      }
      const QImage& img = m_cache.tile(d, preview, {ty, tx}, m_showMasks);
      if (img.isNull()) continue;
      const double x0 = edge(tx * kTile, m_origin.x()), x1 = edge((tx + 1) * kTile, m_origin.x());
      const double y0 = edge(ty * kTile, m_origin.y()), y1 = edge((ty + 1) * kTile, m_origin.y());
      p.drawImage(QRectF(x0, y0, x1 - x0, y1 - y0), img);
    }
  }

  if (deferred) QTimer::singleShot(0, this, [this] { update(); });

  if (!m_overlay.isNull() && !m_overlayRect.isEmpty()) {
    const QRectF target(docToWidget(QPointF(m_overlayRect.left(), m_overlayRect.top())),
                        docToWidget(QPointF(m_overlayRect.left() + m_overlayRect.width(),
                                            m_overlayRect.top() + m_overlayRect.height())));
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.drawImage(target, m_overlay);
  }

  // Overlays.
  const QRectF frame(docToWidget(QPointF(bbox.x, bbox.y)), docToWidget(QPointF(bbox.right(), bbox.bottom())));
  drawBBox(p, frame, QSize(bbox.width, bbox.height), m_tools->tool() == ToolKind::BBox);
  const bool brushLike = m_tools->tool() == ToolKind::Brush || m_tools->tool() == ToolKind::Eraser;
  if (brushLike && m_hover.x() >= 0 && !m_spaceHeld) {
    drawBrushOutline(p, m_hover, m_tools->brush().size * 0.5 * scale());
  }
}

void CanvasView::setOverlayImage(const QImage& image, const QRect& documentRect) {
  const QRect before = documentToWidgetRect(m_overlayRect);
  m_overlay = image;
  m_overlayRect = image.isNull() ? QRect() : documentRect;
  update(before.united(documentToWidgetRect(m_overlayRect)));
}

void CanvasView::resizeEvent(QResizeEvent*) {
  if (m_fitPending) fitToView();
}

void CanvasView::panBy(const QPointF& delta) {
  m_origin -= delta / scale();
  update();
}

void CanvasView::wheelEvent(QWheelEvent* event) {
  const bool touchpadScroll = !event->pixelDelta().isNull() && !(event->modifiers() & Qt::ControlModifier);
  if (touchpadScroll) {
    panBy(QPointF(event->pixelDelta()));
  } else if (event->angleDelta().y() != 0) {
    setZoom(m_zoom * std::pow(kZoomStep, event->angleDelta().y() / 120.0), event->position());
  }
  event->accept();
}

bool CanvasView::event(QEvent* event) {
  if (event->type() == QEvent::NativeGesture) {
    auto* g = static_cast<QNativeGestureEvent*>(event);
    if (g->gestureType() == Qt::ZoomNativeGesture) {
      setZoom(m_zoom * (1.0 + g->value()), g->position());
      return true;
    }
  }
  return QWidget::event(event);
}

doc::PointerEvent CanvasView::pointerEvent(const QPointF& pos, float pressure, Qt::KeyboardModifiers mods) const {
  const QPointF d = widgetToDoc(pos);
  doc::PointerEvent e;
  e.x = d.x();
  e.y = d.y();
  e.pressure = pressure;
  e.shift = mods & Qt::ShiftModifier;
  e.ctrl = mods & Qt::ControlModifier;
  e.alt = mods & Qt::AltModifier;
  e.zoom = scale();
  return e;
}

void CanvasView::mousePressEvent(QMouseEvent* event) {
  setFocus();
  if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
    m_panning = true;
    m_lastPan = event->position();
    updateCursor();
    return;
  }
  if (event->button() == Qt::LeftButton && !m_tabletDown) {
    m_drawing = true;
    m_tools->press(pointerEvent(event->position(), 1.0f, event->modifiers()));
  }
}

void CanvasView::mouseMoveEvent(QMouseEvent* event) {
  const QPointF old = m_hover;
  m_hover = event->position();
  const QPointF d = widgetToDoc(m_hover);
  Q_EMIT cursorMoved(QPoint(static_cast<int>(std::floor(d.x())), static_cast<int>(std::floor(d.y()))));
  if (m_panning) {
    panBy(event->position() - m_lastPan);
    m_lastPan = event->position();
    return;
  }
  if (m_drawing && !m_tabletDown) m_tools->move(pointerEvent(event->position(), 1.0f, event->modifiers()));
  if (m_tools->tool() == ToolKind::Brush || m_tools->tool() == ToolKind::Eraser) {
    const double r = m_tools->brush().size * 0.5 * scale() + 4;
    update(QRectF(old.x() - r, old.y() - r, 2 * r, 2 * r).toAlignedRect());
    update(QRectF(m_hover.x() - r, m_hover.y() - r, 2 * r, 2 * r).toAlignedRect());
  }
}

void CanvasView::mouseReleaseEvent(QMouseEvent* event) {
  if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
    m_panning = false;
    updateCursor();
    return;
  }
  if (event->button() == Qt::LeftButton && m_drawing && !m_tabletDown) {
    m_drawing = false;
    m_tools->release(pointerEvent(event->position(), 1.0f, event->modifiers()));
  }
}

void CanvasView::tabletEvent(QTabletEvent* event) {
  const float pressure = static_cast<float>(event->pressure());
  switch (event->type()) {
    case QEvent::TabletPress:
      if (m_spaceHeld) return event->ignore();  // pan through the synthesized mouse events
      m_tabletDown = true;
      m_tools->press(pointerEvent(event->position(), pressure, event->modifiers()));
      break;
    case QEvent::TabletMove:
      m_hover = event->position();
      if (m_tabletDown) m_tools->move(pointerEvent(event->position(), pressure, event->modifiers()));
      update();
      break;
    case QEvent::TabletRelease:
      if (m_tabletDown) m_tools->release(pointerEvent(event->position(), pressure, event->modifiers()));
      m_tabletDown = false;
      break;
    default: return event->ignore();
  }
  event->accept();
}

void CanvasView::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    m_spaceHeld = true;
    updateCursor();
    return;
  }
  QWidget::keyPressEvent(event);
}

void CanvasView::keyReleaseEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    m_spaceHeld = false;
    updateCursor();
    return;
  }
  QWidget::keyReleaseEvent(event);
}

void CanvasView::leaveEvent(QEvent*) {
  m_hover = {-1, -1};
  update();
}

void CanvasView::updateCursor() {
  if (m_panning) return setCursor(Qt::ClosedHandCursor);
  if (m_spaceHeld) return setCursor(Qt::OpenHandCursor);
  switch (m_tools->tool()) {
    case ToolKind::Move: return setCursor(Qt::SizeAllCursor);
    case ToolKind::BBox: return setCursor(Qt::ArrowCursor);
    default: return setCursor(Qt::CrossCursor);
  }
}

void CanvasView::dragEnterEvent(QDragEnterEvent* event) {
  if (m_importer && ImageImporter::canImport(event->mimeData())) event->acceptProposedAction();
}

void CanvasView::dragMoveEvent(QDragMoveEvent* event) {
  if (m_importer && ImageImporter::canImport(event->mimeData())) event->acceptProposedAction();
}

void CanvasView::dropEvent(QDropEvent* event) {
  if (!m_importer) return;
  const QPointF d = widgetToDoc(event->position());
  const QPoint at(static_cast<int>(std::floor(d.x())), static_cast<int>(std::floor(d.y())));
  const bool asMask = event->modifiers() & Qt::ShiftModifier;
  m_importer->importMimeData(event->mimeData(), at, asMask);
  event->acceptProposedAction();
}

}  // namespace strata::ui
