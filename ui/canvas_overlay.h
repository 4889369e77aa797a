// canvas_overlay.h — what CanvasView draws over and under the tiles (widget coordinates).
#pragma once

#include <QPainter>
#include <QRectF>
#include <QRegion>
#include <QSize>

namespace strata::ui {

// Grey checkerboard (8 logical px squares, fixed to the widget) filling `region`.
void drawCheckerboard(QPainter& painter, const QRegion& region);
// The generation bbox: a dashed frame, eight handles and its size in document pixels ("512 × 768").
void drawBBox(QPainter& painter, const QRectF& frame, const QSize& documentSize, bool active);
// The brush footprint: a circle drawn twice (dark and light) so it shows on any colour.
void drawBrushOutline(QPainter& painter, const QPointF& centre, double radius);

}  // namespace strata::ui
