// qt_image.h — conversions between doc::Image8 (straight alpha) and QImage. Values; any thread.
#pragma once

#include <QImage>
#include <QRect>

#include "strata/doc/geometry.h"
#include "strata/doc/image.h"

namespace strata::ui {

// RGBA (4 channels, straight alpha) copy of any QImage.
doc::Image8 toImage8(const QImage& image);
// 1, 3 or 4 channel Image8 → QImage (Format_RGBA8888 / RGB888 / Grayscale8).
QImage toQImage(const doc::Image8& image);

inline QRect toQRect(const doc::Rect& r) { return {r.x, r.y, r.width, r.height}; }
inline doc::Rect toRect(const QRect& r) { return {r.x(), r.y(), r.width(), r.height()}; }

}  // namespace strata::ui
