#include "canvas_overlay.h"

#include <QPainterPath>
#include <QPixmap>

namespace strata::ui {

void drawCheckerboard(QPainter& painter, const QRegion& region) {
  static const QPixmap pattern = [] {
    QPixmap pm(16, 16);
    pm.fill(QColor(204, 204, 204));
    QPainter p(&pm);
    p.fillRect(0, 0, 8, 8, QColor(153, 153, 153));
    p.fillRect(8, 8, 8, 8, QColor(153, 153, 153));
    return pm;
  }();
  painter.save();
  painter.setClipRegion(region);
  painter.fillRect(region.boundingRect(), QBrush(pattern));
  painter.restore();
}

void drawBBox(QPainter& painter, const QRectF& frame, const QSize& size, bool active) {
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, false);
  painter.setBrush(Qt::NoBrush);
  painter.setPen(QPen(QColor(0, 0, 0, 160), 3));
  painter.drawRect(frame);
  QPen dash(active ? QColor(255, 200, 40) : QColor(255, 255, 255), 1, Qt::DashLine);
  dash.setCosmetic(true);
  painter.setPen(dash);
  painter.drawRect(frame);

  const double h = 7;
  const QPointF pts[] = {frame.topLeft(), frame.topRight(), frame.bottomLeft(), frame.bottomRight(),
                         {frame.center().x(), frame.top()}, {frame.center().x(), frame.bottom()},
                         {frame.left(), frame.center().y()}, {frame.right(), frame.center().y()}};
  painter.setPen(QPen(QColor(20, 20, 20), 1));
  painter.setBrush(QColor(255, 255, 255));
  for (const QPointF& p : pts) painter.drawRect(QRectF(p.x() - h / 2, p.y() - h / 2, h, h));

  const QString label = QStringLiteral("%1 × %2").arg(size.width()).arg(size.height());
  QFont font = painter.font();
  font.setPointSizeF(9);
  painter.setFont(font);
  const QRectF text = painter.fontMetrics().boundingRect(label).adjusted(-5, -2, 5, 2);
  QRectF box(frame.left(), frame.top() - text.height() - 4, text.width(), text.height());
  if (box.top() < 0) box.moveTop(frame.top() + 4), box.moveLeft(frame.left() + 4);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(0, 0, 0, 170));
  painter.drawRoundedRect(box, 3, 3);
  painter.setPen(QColor(255, 255, 255));
  painter.drawText(box, Qt::AlignCenter, label);
  painter.restore();
}

void drawBrushOutline(QPainter& painter, const QPointF& centre, double radius) {
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setBrush(Qt::NoBrush);
  painter.setPen(QPen(QColor(0, 0, 0, 200), 1.5));
  painter.drawEllipse(centre, radius + 1, radius + 1);
  painter.setPen(QPen(QColor(255, 255, 255, 220), 1));
  painter.drawEllipse(centre, radius, radius);
  painter.restore();
}

}  // namespace strata::ui
