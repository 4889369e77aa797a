// The canvas view: drops, brush strokes, the bbox tool, metadata recall.
#include <catch2/catch.hpp>

#include <QApplication>
#include <QDropEvent>
#include <QMimeData>
#include <QPushButton>
#include <QUrl>

#include "canvas_view.h"
#include "document_controller.h"
#include "image_import.h"
#include "layers_panel.h"
#include "main_window.h"
#include "message_banner.h"
#include "strata/io/image_codec.h"
#include "strata/io/metadata.h"
#include "tool_controller.h"
#include "ui_test_support.h"

using namespace strata;
using namespace strata::ui;

namespace {

void drop(CanvasView* view, const QList<QUrl>& urls, const QPointF& at, Qt::KeyboardModifiers mods = Qt::NoModifier) {
  QMimeData mime;
  mime.setUrls(urls);
  // As a real drag does: enter (which makes the view the drop target), then drop.
  QDragEnterEvent enter(at.toPoint(), Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, mods);
  QApplication::sendEvent(view, &enter);
  REQUIRE(enter.isAccepted());
  QDropEvent event(at, Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, mods);
  QApplication::sendEvent(view, &event);
}

QUrl fileUrl(const std::filesystem::path& p) { return QUrl::fromLocalFile(QString::fromStdString(p.string())); }

}  // namespace

TEST_CASE("dropping image files creates layers at the drop point", "[ui][drop]") {
  const auto dir = test::uiTempDir("drop");
  test::writeTestPng(dir / "red.png", 10, 8, {255, 0, 0, 255});
  test::writeTestPng(dir / "blue.png", 4, 4, {0, 0, 255, 255});
  MainWindow w;
  CanvasView* view = w.canvas();
  view->resize(800, 600);
  view->setView(QPointF(-100, -50), 2.0);  // widget (x, y) shows document (x/2 − 100, y/2 − 50)

  drop(view, {fileUrl(dir / "red.png")}, QPointF(400, 300));
  const doc::Document& d = w.document()->document();
  REQUIRE(d.layer_count() == 1);
  const doc::Layer& red = d.layers()[0];
  CHECK(red.name == "red");
  CHECK(red.content_bounds() == doc::Rect{100, 100, 10, 8});
  CHECK(w.document()->currentLayer() == red.id);

  drop(view, {fileUrl(dir / "red.png"), fileUrl(dir / "blue.png")}, QPointF(0, 0));
  REQUIRE(d.layer_count() == 3);
  CHECK(d.layers()[2].content_bounds() == doc::Rect{-100, -50, 4, 4});
  CHECK(w.document()->undoStack()->count() == 2);  // several files: one undo step
  w.document()->undoStack()->undo();
  CHECK(d.layer_count() == 1);

  drop(view, {fileUrl(dir / "red.png")}, QPointF(20, 20), Qt::ShiftModifier);
  REQUIRE(d.layer_count() == 2);
  CHECK(d.layers()[1].is_mask());
  CHECK(test::coverageAt(d, d.layers()[1].id, -90, -40) == 76);  // red's grey level (0.299 × 255)
}

TEST_CASE("a corrupt file dropped shows an error and changes nothing", "[ui][drop]") {
  const auto dir = test::uiTempDir("drop_corrupt");
  {
    std::FILE* f = std::fopen((dir / "broken.png").string().c_str(), "wb");
    std::fputs("\x89PNG\r\n\x1a\n garbage that is not a png", f);
    std::fclose(f);
  }
  MainWindow w;
  w.canvas()->setView(QPointF(0, 0), 1.0);
  const std::string before = test::state(w.document()->document());
  drop(w.canvas(), {fileUrl(dir / "broken.png")}, QPointF(10, 10));
  CHECK(test::state(w.document()->document()) == before);
  CHECK(w.document()->undoStack()->count() == 0);
  CHECK_FALSE(w.banner()->isHidden());
  CHECK(w.banner()->kind() == MessageBanner::Kind::Error);
  CHECK(w.banner()->text().contains(QStringLiteral("broken.png")));
}

TEST_CASE("a scripted brush stroke paints the expected mask pixels, one undo step", "[ui][brush]") {
  MainWindow w;
  w.canvas()->resize(600, 400);
  w.canvas()->setView(QPointF(0, 0), 1.0);
  w.layersPanel()->addMaskLayer();
  const doc::LayerId mask = w.document()->currentLayer();
  REQUIRE(w.document()->document().layer(mask).is_mask());
  ToolController* tools = w.tools();
  tools->setTool(ToolKind::Brush);
  tools->setBrushSize(10);
  tools->setBrushHardness(1.0f);
  tools->setBrushOpacity(0.5f);
  const int steps = w.document()->undoStack()->count();

  test::drag(w.canvas(), QPointF(20.5, 20.5), QPointF(60.5, 20.5));
  const doc::Document& d = w.document()->document();
  CHECK(w.document()->undoStack()->count() == steps + 1);
  CHECK(test::coverageAt(d, mask, 20, 20) == 128);
  CHECK(test::coverageAt(d, mask, 40, 17) == 128);
  CHECK(test::coverageAt(d, mask, 60, 20) == 128);
  CHECK(test::coverageAt(d, mask, 40, 30) == 0);
  CHECK(test::coverageAt(d, mask, 70, 20) == 0);

  tools->setTool(ToolKind::Eraser);
  tools->setBrushOpacity(1.0f);
  test::drag(w.canvas(), QPointF(40.5, 20.5), QPointF(40.5, 20.5), 1);
  CHECK(test::coverageAt(d, mask, 40, 20) == 0);
  CHECK(test::coverageAt(d, mask, 20, 20) == 128);
  w.document()->undoStack()->undo();
  CHECK(test::coverageAt(d, mask, 40, 20) == 128);
  w.document()->undoStack()->undo();
  CHECK(d.layer(mask).pixels.empty());
}

TEST_CASE("the bbox tool snaps to multiples of 8", "[ui][bbox]") {
  MainWindow w;
  w.canvas()->resize(800, 600);
  w.canvas()->setView(QPointF(0, 0), 0.5);  // document = 2 × widget
  w.tools()->setTool(ToolKind::BBox);
  test::drag(w.canvas(), QPointF(256, 100), QPointF(300.5, 105));  // right edge 512 → 601
  CHECK(w.document()->document().bbox() == doc::Rect{0, 0, 600, 512});
  test::drag(w.canvas(), QPointF(100, 100), QPointF(101.5, 152.6));  // move by (3, 105.2)
  CHECK(w.document()->document().bbox() == doc::Rect{0, 104, 600, 512});
  const doc::Rect b = w.document()->document().bbox();
  CHECK(b.x % 8 == 0);
  CHECK(b.y % 8 == 0);
  CHECK(b.width % 8 == 0);
  CHECK(b.height % 8 == 0);
  w.document()->undoStack()->undo();
  w.document()->undoStack()->undo();
  CHECK(w.document()->document().bbox() == doc::default_bbox);
}

TEST_CASE("a dropped PNG with generation metadata offers to recall its parameters", "[ui][drop]") {
  const auto dir = test::uiTempDir("drop_meta");
  io::GenerationInfo info;
  info.generator = "Strata 0.1.0";
  info.prompt = "a lighthouse at dusk";
  info.steps = 25;
  info.seed = 1234;
  io::write_png(dir / "gen.png", doc::Image8(16, 16, 3, 90), io::make_generation_text_chunks(info));
  MainWindow w;
  w.canvas()->setView(QPointF(0, 0), 1.0);
  drop(w.canvas(), {fileUrl(dir / "gen.png")}, QPointF(5, 5));
  CHECK(w.document()->document().layer_count() == 1);
  REQUIRE(w.banner()->kind() == MessageBanner::Kind::Question);
  CHECK(w.banner()->text().contains(QStringLiteral("lighthouse")));
  w.banner()->actionButton()->click();
  CHECK(w.document()->settings().prompt == "a lighthouse at dusk");
  CHECK(w.document()->settings().seed == 1234u);
  CHECK(w.document()->isModified());
}

TEST_CASE("a document change re-renders only the tiles it touched", "[ui][canvas]") {
  MainWindow w;
  w.canvas()->resize(640, 480);
  w.canvas()->setView(QPointF(0, 0), 1.0);
  const auto dir = test::uiTempDir("tiles");
  test::writeTestPng(dir / "big.png", 512, 384, {10, 200, 30, 255});
  w.importer()->importFiles({QString::fromStdString((dir / "big.png").string())}, QPoint(0, 0), false);
  QImage first = w.canvas()->grab().toImage();
  const int rendered = w.canvas()->tileCache().renderCount();
  w.layersPanel()->addMaskLayer();
  w.tools()->setTool(ToolKind::Brush);
  w.tools()->setBrushSize(8);
  test::drag(w.canvas(), QPointF(100, 100), QPointF(110, 100));
  w.canvas()->grab();
  const int again = w.canvas()->tileCache().renderCount() - rendered;
  CHECK(again >= 1);
  CHECK(again <= 4);  // the stroke's tile(s), not the 80 tiles on screen
  CHECK_FALSE(first.isNull());
}
