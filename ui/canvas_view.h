// canvas_view.h — the canvas: a plain QWidget painting the document from a tile cache.
//
// No QGraphicsView (Drawpile's software canvas): paintEvent draws a dark background, a
// checkerboard under the bbox and the layers' extent, the cached 64×64 tiles that intersect the
// exposed area, then the overlays (bbox with handles and size, brush outline). Document changes
// invalidate only their tiles and repaint only their screen area. The canvas is unbounded.
//
// View transform: zoom() is device pixels per document pixel, so 100 % shows one image pixel per
// physical pixel on HiDPI screens too; widget (logical) = (document − origin) · zoom / dpr.
// Navigation: wheel zooms about the cursor (a touchpad's pixel scroll pans, Ctrl+scroll zooms,
// pinch zooms); space-drag and the middle button pan. Mouse and tablet input become one
// doc::PointerEvent for the ToolController. Files and images dropped on the view are imported
// at the drop point (Shift: as an inpaint mask). UI thread only.
#pragma once

#include <QGuiApplication>
#include <QImage>
#include <QPointF>
#include <QWidget>

#include "tile_renderer.h"

namespace strata::ui {

class DocumentController;
class ToolController;
class ImageImporter;

class CanvasView : public QWidget {
  Q_OBJECT
 public:
  CanvasView(DocumentController* document, ToolController* tools, QWidget* parent = nullptr);

  void setImporter(ImageImporter* importer) { m_importer = importer; }

  double zoom() const { return m_zoom; }
  static constexpr double minZoom = 1.0 / 32, maxZoom = 64.0;
  void setZoom(double zoom, const QPointF& anchor);  // anchor: widget position kept fixed
  void setView(const QPointF& origin, double zoom);   // document point at the widget's top-left
  QPointF origin() const { return m_origin; }
  QPointF widgetToDoc(const QPointF& p) const;
  QPointF docToWidget(const QPointF& d) const;
  double scale() const;  // widget pixels per document pixel

  bool masksVisible() const { return m_showMasks; }
  // An image drawn over the tiles at a document rectangle (a live preview or a staged result;
  // smoothly scaled when its size differs). A null image removes it.
  void setOverlayImage(const QImage& image, const QRect& documentRect);
  const QImage& overlayImage() const { return m_overlay; }
  const TileCache& tileCache() const { return m_cache; }

 public Q_SLOTS:
  void zoomIn();
  void zoomOut();
  void fitToView();   // the bbox and every layer's content
  void actualSize();  // 100 %
  void setMasksVisible(bool visible);
  // Time a frame may spend rendering tiles missing from the cache (the rest follow on the next
  // frames); 0 = render everything in one frame. Default 6 ms, or 0 on the offscreen platform
  // (tests and screenshots want complete frames).
  void setFrameBudget(qint64 nanoseconds) { m_frameBudgetNs = nanoseconds; }
  void toggleMasks() { setMasksVisible(!m_showMasks); }

 Q_SIGNALS:
  void zoomChanged(double zoom);
  void cursorMoved(const QPoint& documentPixel);
  void masksVisibleChanged(bool visible);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void tabletEvent(QTabletEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  bool event(QEvent* event) override;

 private:
  void onAreasChanged(const QVector<QRect>& areas);
  void repaintDocumentArea(const QRect& area);
  QRect documentToWidgetRect(const QRect& area) const;
  doc::PointerEvent pointerEvent(const QPointF& widgetPos, float pressure, Qt::KeyboardModifiers mods) const;
  void panBy(const QPointF& widgetDelta);
  void updateCursor();

  DocumentController* m_document;
  ToolController* m_tools;
  ImageImporter* m_importer = nullptr;
  TileCache m_cache;
  QPointF m_origin{-64, -64};
  double m_zoom = 1.0;
  bool m_showMasks = true;
  qint64 m_frameBudgetNs = QGuiApplication::platformName() == QLatin1String("offscreen") ? 0 : 6'000'000;
  bool m_fitPending = true;
  bool m_spaceHeld = false;
  bool m_panning = false;
  bool m_drawing = false;
  bool m_tabletDown = false;
  QPointF m_lastPan;
  QPointF m_hover{-1, -1};
  QImage m_overlay;
  QRect m_overlayRect;
};

}  // namespace strata::ui
