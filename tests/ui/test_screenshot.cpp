// Renders the main window with three layers and a mask and saves a screenshot under the build
// folder (tests/ui/screenshots/main_window.png) for a person to look at.
#include <catch2/catch.hpp>

#include <QApplication>
#include <QDir>
#include <cmath>

#include "canvas_view.h"
#include "document_controller.h"
#include "layers_panel.h"
#include "main_window.h"
#include "strata/doc/commands.h"
#include "tool_controller.h"
#include "ui_test_support.h"

using namespace strata;
using namespace strata::ui;

namespace {

doc::Image8 gradient(int w, int h) {
  doc::Image8 img(w, h, 4);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      img.at(x, y, 0) = static_cast<std::uint8_t>(40 + 120 * y / h);
      img.at(x, y, 1) = static_cast<std::uint8_t>(90 + 100 * y / h);
      img.at(x, y, 2) = static_cast<std::uint8_t>(200 - 60 * y / h);
      img.at(x, y, 3) = 255;
    }
  }
  return img;
}

doc::Image8 disc(int size, doc::Rgba8 c) {
  doc::Image8 img(size, size, 4);
  const double r = size / 2.0;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const double d = std::hypot(x + 0.5 - r, y + 0.5 - r);
      const double a = std::clamp(r - d, 0.0, 1.0);
      img.at(x, y, 0) = c.r;
      img.at(x, y, 1) = c.g;
      img.at(x, y, 2) = c.b;
      img.at(x, y, 3) = static_cast<std::uint8_t>(std::lround(a * c.a));
    }
  }
  return img;
}

}  // namespace

TEST_CASE("screenshot of the main window with three layers and a mask", "[ui][screenshot]") {
  MainWindow w;
  w.resize(1280, 800);
  DocumentController* c = w.document();
  auto add = [&](std::unique_ptr<doc::AddLayer> cmd) {
    doc::AddLayer* raw = cmd.get();
    c->push(std::move(cmd));
    c->setCurrentLayer(raw->id());
    return raw->id();
  };
  add(doc::AddLayer::raster("sky", gradient(640, 512), -64, 0));
  const doc::LayerId sun = add(doc::AddLayer::raster("sun", disc(160, {250, 210, 60, 255}), 300, 60));
  c->push(doc::set_strength(sun, 0.35f));
  add(doc::AddLayer::raster("hill", disc(420, {40, 120, 60, 230}), -20, 330));
  w.layersPanel()->addMaskLayer();
  w.tools()->setTool(ToolKind::Brush);
  w.tools()->setBrushSize(60);
  w.tools()->setBrushHardness(0.5f);
  w.tools()->setBrushOpacity(0.8f);
  w.show();
  QApplication::processEvents();
  w.canvas()->fitToView();
  // A mask stroke across the lower half, drawn with the mouse.
  const QPointF a = w.canvas()->docToWidget(QPointF(40, 300)), b = w.canvas()->docToWidget(QPointF(420, 380));
  test::drag(w.canvas(), a, b, 24);
  QApplication::processEvents();
  REQUIRE(c->document().layer_count() == 4);

  const QImage shot = w.grab().toImage();
  REQUIRE_FALSE(shot.isNull());
  QDir().mkpath(test::outputDir() + QStringLiteral("/screenshots"));
  const QString path = test::outputDir() + QStringLiteral("/screenshots/main_window.png");
  REQUIRE(shot.save(path));
  CHECK(shot.width() >= 1000);
  WARN("screenshot: " << path.toStdString());
}
