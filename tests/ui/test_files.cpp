// Files through the UI: save → open round trip, corrupt files, autosave and restore, export.
#include <catch2/catch.hpp>

#include <QFile>

#include "document_controller.h"
#include "layers_panel.h"
#include "main_window.h"
#include "message_banner.h"
#include "project_files.h"
#include "strata/doc/commands.h"
#include "strata/io/image_codec.h"
#include "ui_test_support.h"

using namespace strata;
using namespace strata::ui;

namespace {

// Two raster layers (one offset, one with strength 0.4), a painted mask, a moved bbox, settings.
void buildDocument(MainWindow& w) {
  DocumentController* c = w.document();
  w.layersPanel()->addRasterLayer();
  const doc::LayerId a = c->currentLayer();
  c->push(doc::fill_rect(c->document(), a, {-16, 0, 100, 80}, doc::Rgba8{200, 120, 40, 255}));
  w.layersPanel()->addRasterLayer();
  const doc::LayerId b = c->currentLayer();
  c->push(doc::fill_rect(c->document(), b, {30, 30, 50, 50}, doc::Rgba8{20, 90, 220, 180}));
  c->push(doc::set_strength(b, 0.4f));
  w.layersPanel()->addMaskLayer();
  const doc::LayerId m = c->currentLayer();
  c->push(doc::fill_mask(c->document(), m, {10, 10, 40, 20}, 200));
  c->push(doc::set_feather(m, 6));
  c->push(std::make_unique<doc::SetBBox>(doc::Rect{-8, 8, 256, 192}));
  io::GenerationInfo info;
  info.prompt = "harbour";
  info.steps = 30;
  c->setSettings(info);
}

}  // namespace

TEST_CASE("save then open round-trips the document through the UI", "[ui][files]") {
  const auto dir = test::uiTempDir("roundtrip");
  const QString path = QString::fromStdString((dir / "scene.ora").string());
  MainWindow w;
  buildDocument(w);
  CHECK(w.document()->isModified());
  CHECK(w.isWindowModified());
  REQUIRE(w.files()->saveAs(path));
  CHECK_FALSE(w.document()->isModified());
  CHECK(w.files()->recentFiles().value(0).endsWith(QStringLiteral("scene.ora")));

  MainWindow other;
  REQUIRE(other.files()->open(path));
  CHECK(test::state(other.document()->document()) == test::state(w.document()->document()));
  CHECK(other.document()->settings().prompt == "harbour");
  CHECK(other.document()->filePath() == path);
  CHECK_FALSE(other.document()->isModified());
  CHECK(other.document()->undoStack()->count() == 0);
  CHECK(other.windowTitle().startsWith(QStringLiteral("scene.ora")));
}

TEST_CASE("opening a corrupt file shows an error and changes nothing", "[ui][files]") {
  const auto dir = test::uiTempDir("corrupt_open");
  const QString path = QString::fromStdString((dir / "broken.ora").string());
  {
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write("PK\x03\x04 this is not really a zip archive");
  }
  MainWindow w;
  buildDocument(w);
  const std::string before = test::state(w.document()->document());
  const int steps = w.document()->undoStack()->count();
  CHECK_FALSE(w.files()->open(path));
  CHECK(test::state(w.document()->document()) == before);
  CHECK(w.document()->undoStack()->count() == steps);
  CHECK(w.banner()->kind() == MessageBanner::Kind::Error);
  CHECK(w.banner()->text().contains(QStringLiteral("broken.ora")));
  CHECK_FALSE(w.files()->open(QString::fromStdString((dir / "missing.ora").string())));
  CHECK(test::state(w.document()->document()) == before);
}

TEST_CASE("unsaved changes are confirmed before they are lost", "[ui][files]") {
  MainWindow w;
  buildDocument(w);
  int asked = 0;
  w.files()->setConfirmHandler([&] {
    ++asked;
    return ProjectFiles::Answer::Cancel;
  });
  CHECK_FALSE(w.files()->newDocument());
  CHECK(asked == 1);
  CHECK(w.document()->document().layer_count() == 3);
  w.files()->setConfirmHandler([&] { return ProjectFiles::Answer::Discard; });
  CHECK(w.files()->newDocument());
  CHECK(w.document()->document().layer_count() == 0);
  CHECK_FALSE(w.document()->isModified());
}

TEST_CASE("autosave writes the document and a new session can restore it", "[ui][files]") {
  std::string saved;
  {
    MainWindow w;
    w.files()->discardAutosave();
    buildDocument(w);
    REQUIRE(w.files()->autosaveNow());
    CHECK_FALSE(w.files()->autosaveNow());  // nothing changed since
    saved = test::state(w.document()->document());
  }  // "crash": the window goes away without closeEvent
  MainWindow next;
  REQUIRE(next.files()->hasAutosave());
  next.offerAutosaveRestore();
  CHECK(next.banner()->kind() == MessageBanner::Kind::Question);
  REQUIRE(next.files()->restoreAutosave());
  CHECK(test::state(next.document()->document()) == saved);
  CHECK(next.document()->isModified());
  next.files()->discardAutosave();
  CHECK_FALSE(next.files()->hasAutosave());
}

TEST_CASE("export writes the bbox or the whole canvas as PNG", "[ui][files]") {
  const auto dir = test::uiTempDir("export");
  MainWindow w;
  buildDocument(w);
  const QString bbox = QString::fromStdString((dir / "bbox.png").string());
  const QString canvas = QString::fromStdString((dir / "canvas.png").string());
  REQUIRE(w.files()->exportPng(bbox, true));
  REQUIRE(w.files()->exportPng(canvas, false));
  const io::ImageHeader hb = io::read_image_header(bbox.toStdString());
  CHECK(hb.width == 256);
  CHECK(hb.height == 192);
  const io::ImageHeader hc = io::read_image_header(canvas.toStdString());
  CHECK(hc.width == 100);
  CHECK(hc.height == 80);
}
