#include "qt_image.h"

#include <cstring>

namespace strata::ui {

doc::Image8 toImage8(const QImage& image) {
  const QImage rgba = image.convertToFormat(QImage::Format_RGBA8888);
  doc::Image8 out(rgba.width(), rgba.height(), 4);
  const auto rowBytes = static_cast<std::size_t>(rgba.width()) * 4;
  for (int y = 0; y < rgba.height(); ++y) {
    std::memcpy(&out.pixels[static_cast<std::size_t>(y) * rowBytes], rgba.constScanLine(y), rowBytes);
  }
  return out;
}

QImage toQImage(const doc::Image8& image) {
  QImage::Format format = QImage::Format_RGBA8888;
  if (image.channels == 1) format = QImage::Format_Grayscale8;
  if (image.channels == 3) format = QImage::Format_RGB888;
  QImage out(image.width, image.height, format);
  const auto rowBytes = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.channels);
  for (int y = 0; y < image.height; ++y) {
    std::memcpy(out.scanLine(y), &image.pixels[static_cast<std::size_t>(y) * rowBytes], rowBytes);
  }
  return out;
}

}  // namespace strata::ui
