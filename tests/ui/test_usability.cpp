// What a user sees and types: the strength number box (commits on Enter / focus-out, reads 0.3, .3
// and 30 %), painting with no layer, "Cancelling…", error banners that go away once their cause is
// fixed, generation metadata in exported PNGs (kept in the saved project), the embedded model's vocabulary under the prompt,
// and File ▸ Import image as layer.
#include <catch2/catch.hpp>

#include <QAction>
#include <QApplication>
#include <QFocusEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QKeyEvent>

#include "action_registry.h"
#include "document_controller.h"
#include "fake_generation_service.h"
#include "generation_fixture.h"
#include "generation_controller.h"
#include "layers_panel.h"
#include "main_window.h"
#include "message_banner.h"
#include "model_picker.h"
#include "model_vocabulary.h"
#include "project_files.h"
#include "prompt_edit.h"
#include "prompt_panel.h"
#include "strata/doc/commands.h"
#include "strata/io/metadata.h"
#include "tool_controller.h"
#include "ui_test_support.h"

using namespace strata;
using namespace strata::ui;
using test::addLayer;
using Window = test::Fixture;

namespace {

void key(QWidget* w, int key, const QString& text = {}) {
  QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, text);
  QApplication::sendEvent(w, &press);
  QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier, text);
  QApplication::sendEvent(w, &release);
}

// Replaces the box's text by typing `text`, one key at a time.
void typeInto(QDoubleSpinBox* spin, const QString& text) {
  spin->selectAll();
  for (const QChar ch : text) key(spin, ch == u' ' ? int{Qt::Key_Space} : int{ch.toUpper().unicode()}, QString(ch));
}

}  // namespace

TEST_CASE("strength text: 0.3, .3, 0,3, 30 %, 30 and nonsense", "[ui][layers][strength]") {
  CHECK(parseStrength(QStringLiteral("0.3")) == Approx(0.3));
  CHECK(parseStrength(QStringLiteral(".3")) == Approx(0.3));
  CHECK(parseStrength(QStringLiteral("0,3")) == Approx(0.3));
  CHECK(parseStrength(QStringLiteral(" 30 % ")) == Approx(0.3));
  CHECK(parseStrength(QStringLiteral("30%")) == Approx(0.3));
  CHECK(parseStrength(QStringLiteral("30")) == Approx(0.3));
  CHECK(parseStrength(QStringLiteral("1")) == Approx(1.0));
  CHECK(parseStrength(QStringLiteral("100 %")) == Approx(1.0));
  CHECK_FALSE(parseStrength(QStringLiteral("150")));
  CHECK_FALSE(parseStrength(QStringLiteral("abc")));
  CHECK_FALSE(parseStrength(QStringLiteral("")));
}

TEST_CASE("strength box: typing commits nothing; Enter or focus-out commits one undo step", "[ui][layers][strength]") {
  DocumentController c;
  const doc::LayerId id = addLayer(c, doc::Layer::raster({}, "sky"));
  c.setCurrentLayer(id);
  LayersPanel panel(&c);
  panel.show();
  StrengthSpinBox* spin = panel.strengthSpin();
  QUndoStack* undo = c.undoStack();
  const float before = c.document().layer(id).strength;
  REQUIRE(before == Approx(0.75f));  // a new raster layer's default

  struct Case {
    const char* typed;
    double expected;
  };
  for (const Case& k : {Case{"0.3", 0.3}, Case{".5", 0.5}, Case{"30 %", 0.3}, Case{"75", 0.75}}) {
    INFO(k.typed);
    const int steps = undo->count();
    const float was = c.document().layer(id).strength;
    typeInto(spin, QString::fromLatin1(k.typed));
    CHECK(c.document().layer(id).strength == was);  // nothing per keystroke
    CHECK(undo->count() == steps);
    key(spin, Qt::Key_Return);
    CHECK(c.document().layer(id).strength == Approx(k.expected));
    CHECK(undo->count() == steps + 1);  // one step for the committed value
    CHECK(panel.strengthSlider()->value() == static_cast<int>(std::lround(k.expected * 100)));
  }

  // Focus-out commits too.
  const int steps = undo->count();
  typeInto(spin, QStringLiteral(".2"));
  CHECK(c.document().layer(id).strength == Approx(0.75f));
  QFocusEvent out(QEvent::FocusOut, Qt::TabFocusReason);
  QApplication::sendEvent(spin, &out);
  CHECK(c.document().layer(id).strength == Approx(0.2f));
  CHECK(undo->count() == steps + 1);

  // Undo goes back one committed value at a time.
  undo->undo();
  CHECK(c.document().layer(id).strength == Approx(0.75f));
  CHECK(spin->value() == Approx(0.75));
}

TEST_CASE("painting with no layer: the stroke makes a raster layer (one undo step) or takes the top one",
          "[ui][tools]") {
  DocumentController c;
  ToolController tools(&c);
  int errors = 0;
  QObject::connect(&c, &DocumentController::errorReported, &c, [&errors] { ++errors; });
  auto stroke = [&tools] {
    tools.press({10, 10});
    tools.move({30, 12});
    tools.release({40, 14});
  };

  SECTION("an empty document") {
    stroke();
    CHECK(errors == 0);
    REQUIRE(c.document().layer_count() == 1);
    const doc::Layer& l = c.document().layers().front();
    CHECK_FALSE(l.is_mask());
    CHECK(c.currentLayer() == l.id);
    CHECK_FALSE(l.content_bounds().empty());
    CHECK(c.undoStack()->count() == 1);  // the new layer and the stroke: one step
    c.undoStack()->undo();
    CHECK(c.document().layer_count() == 0);
    c.undoStack()->redo();
    CHECK(c.document().layer_count() == 1);
    CHECK_FALSE(c.document().layers().front().content_bounds().empty());
  }
  SECTION("layers but none selected: the topmost visible unlocked raster layer") {
    const doc::LayerId low = addLayer(c, doc::Layer::raster({}, "low"));
    const doc::LayerId top = addLayer(c, doc::Layer::raster({}, "top"));
    addLayer(c, doc::Layer::mask({}, "mask"));
    c.setCurrentLayer({});
    const int steps = c.undoStack()->count();
    stroke();
    CHECK(errors == 0);
    CHECK(c.document().layer_count() == 3);
    CHECK(c.currentLayer() == top);
    CHECK_FALSE(c.document().layer(top).content_bounds().empty());
    CHECK(c.document().layer(low).content_bounds().empty());
    CHECK(c.undoStack()->count() == steps + 1);
  }
  SECTION("the eraser on an empty document adds nothing and reports no error") {
    tools.setTool(ToolKind::Eraser);
    stroke();
    CHECK(errors == 0);
    CHECK(c.document().layer_count() == 0);
    CHECK(c.undoStack()->count() == 0);
  }
}

TEST_CASE("cancel: the progress says Cancelling… at once, until the job ends", "[ui][generation][cancel]") {
  Window f;
  f.service->stepMs = 60;
  f.panel->stepsSpin()->setValue(50);
  REQUIRE(f.panel->invoke() != 0);
  REQUIRE(test::waitUntil([&] { return f.w.generation()->progress().step >= 1; }));
  f.w.actions()->action(QStringLiteral("edit.cancel"))->trigger();  // Esc
  // Immediately, before the next step boundary.
  CHECK(f.panel->progressLabel()->text() == QStringLiteral("Cancelling…"));
  CHECK_FALSE(f.panel->cancelButton()->isEnabled());
  REQUIRE(test::waitUntil([&] { return !f.w.generation()->isBusy(); }));
  CHECK(f.panel->progressLabel()->text().isEmpty());
  CHECK(f.c->staging().empty());
}

TEST_CASE("error banners go away when their cause is fixed", "[ui][errors]") {
  Window f;
  MessageBanner* banner = f.w.banner();
  auto shown = [banner] { return !banner->isHidden() && banner->kind() == MessageBanner::Kind::Error; };

  SECTION("a model failure: until a model loads") {
    f.panel->modelPicker()->loadModel(QStringLiteral("/models/broken.safetensors"));
    REQUIRE(test::waitUntil(shown));
    CHECK(banner->topic() == ErrorTopic::Model);
    f.c->resolveErrors(ErrorTopic::Edit);  // another topic's success changes nothing
    CHECK(shown());
    f.panel->modelPicker()->loadModel(QStringLiteral("/models/fake.safetensors"));
    REQUIRE(test::waitUntil([&] { return !shown(); }));
  }
  SECTION("a failed generation: until a generation succeeds") {
    f.c->reportError(QStringLiteral("out of memory"), ErrorTopic::Generation);
    CHECK(shown());
    REQUIRE(f.panel->invoke() != 0);
    CHECK(shown());  // queued is not done
    REQUIRE(test::waitUntil([&] { return f.c->staging().size() == 1 && !f.w.generation()->isBusy(); }));
    CHECK_FALSE(shown());
  }
  SECTION("a refused edit: until the next edit or layer selection") {
    const doc::LayerId id = addLayer(*f.c, doc::Layer::raster({}, "a"));
    f.c->setCurrentLayer({});
    f.w.actions()->action(QStringLiteral("layer.flipH"))->trigger();  // "Select a layer to transform."
    REQUIRE(shown());
    CHECK(banner->topic() == ErrorTopic::Edit);
    f.c->setCurrentLayer(id);
    CHECK_FALSE(shown());
  }
  SECTION("a file error: until a file operation succeeds; other errors stay") {
    f.w.importImageLayers({QStringLiteral("/nonexistent/x.png")});
    REQUIRE(shown());
    CHECK(banner->topic() == ErrorTopic::File);
    const auto png = test::uiTempDir("banner-import") / "ok.png";
    test::writeTestPng(png, 8, 8, {1, 2, 3, 255});
    CHECK(f.w.importImageLayers({QString::fromStdString(png.string())}) == 1);
    CHECK_FALSE(shown());
    f.c->reportError(QStringLiteral("something else"));
    f.c->resolveErrors(ErrorTopic::File);
    CHECK(shown());
  }
}

TEST_CASE("export: a PNG of accepted generated pixels carries their metadata, also after save and reopen; "
          "painted pixels carry none",
          "[ui][files][metadata]") {
  Window f;
  const auto dir = test::uiTempDir("export-metadata");
  ProjectFiles* files = f.w.files();
  const auto painted = dir / "painted.png";
  addLayer(*f.c, doc::Layer::raster({}, "paint"));
  ToolController& tools = *f.w.tools();
  tools.press({10, 10});
  tools.release({60, 60});
  REQUIRE(files->exportPng(QString::fromStdString(painted.string()), true));
  CHECK_FALSE(io::read_generation_metadata(painted));

  REQUIRE(f.panel->invoke() != 0);
  REQUIRE(test::waitUntil([&] { return f.c->staging().size() == 1 && !f.w.generation()->isBusy(); }));
  const std::uint64_t seed = f.c->staging().front().info.seed.value();
  REQUIRE(f.w.generation()->accept());
  const auto generated = dir / "generated.png";
  REQUIRE(files->exportPng(QString::fromStdString(generated.string()), true));
  const auto info = io::read_generation_metadata(generated);
  REQUIRE(info);
  CHECK(info->seed == seed);
  CHECK(info->prompt.find("a red fox") != std::string::npos);
  REQUIRE(info->find_extra("Exported from layer"));
  CHECK(info->find_extra("Exported from layer")->find("a red fox") != std::string::npos);

  // Saved and reopened in a fresh window, the accepted layer still knows its generation.
  const auto project = dir / "fox.ora";
  REQUIRE(files->saveAs(QString::fromStdString(project.string())));
  Window g;
  REQUIRE(g.w.files()->open(QString::fromStdString(project.string())));
  const auto reopened = dir / "reopened.png";
  REQUIRE(g.w.files()->exportPng(QString::fromStdString(reopened.string()), true));
  const auto again = io::read_generation_metadata(reopened);
  REQUIRE(again);
  CHECK(again->seed == seed);
  CHECK(again->prompt.find("a red fox") != std::string::npos);
}

TEST_CASE("the embedded model's vocabulary and an example prompt show under the prompt", "[ui][vocabulary]") {
  const QString embedded = QStringLiteral(STRATA_DEFAULT_SOURCE_DIR "/models/strata-shapes/strata-shapes.safetensors");
  const PromptVocabulary v = readPromptVocabulary(embedded);
  REQUIRE_FALSE(v.empty());
  CHECK(v.example == QStringLiteral("a red circle on a blue background"));
  REQUIRE(v.groups.size() >= 3);
  CHECK(v.groups[0].first == QStringLiteral("shapes"));
  CHECK(v.groups[0].second.contains(QStringLiteral("circle")));
  CHECK(v.groups[1].second.contains(QStringLiteral("blue")));
  CHECK(readPromptVocabulary(QStringLiteral(STRATA_DEFAULT_SOURCE_DIR "/models/strata-shapes")) == v);  // the folder
  CHECK(readPromptVocabulary(QStringLiteral("/nonexistent/model.safetensors")).empty());

  Window f;
  QLabel* hint = f.panel->vocabularyLabel();
  CHECK(hint->isHidden());  // the fake model lists no words
  ModelDescription d{embedded, QStringLiteral("strata-shapes.safetensors"), QStringLiteral("SD1 txt2img"), true, {}, 128, {}, {}};
  d.vocabulary = v;
  Q_EMIT f.service->modelLoaded(d);
  CHECK_FALSE(hint->isHidden());
  CHECK(hint->text().contains(QStringLiteral("circle")));
  CHECK(hint->text().contains(QStringLiteral("a red circle on a blue background")));
  CHECK(f.panel->promptEdit()->placeholderText().contains(QStringLiteral("a red circle on a blue background")));
  CHECK(f.panel->promptEdit()->toolTip() == hint->text());
  Q_EMIT f.service->modelLoaded(ModelDescription{QStringLiteral("/m/sd15.safetensors"), QStringLiteral("sd15"),
                                                 QStringLiteral("SD1 txt2img"), true, {}, 512, {}, {}});
  CHECK(hint->isHidden());
  CHECK_FALSE(f.panel->promptEdit()->placeholderText().contains(QStringLiteral("circle")));
}

TEST_CASE("File ▸ Import image as layer adds a layer at the bbox; Open accepts images", "[ui][files][import]") {
  Window f;
  QAction* action = f.w.actions()->action(QStringLiteral("file.importLayer"));
  REQUIRE(action);
  CHECK(action->shortcut() == QKeySequence(QStringLiteral("Ctrl+Alt+O")));
  QMenu* file = f.w.menuBar()->actions().front()->menu();
  REQUIRE(file);
  CHECK(file->actions().contains(action));

  const doc::LayerId existing = addLayer(*f.c, doc::Layer::raster({}, "existing"));
  const auto png = test::uiTempDir("import-layer") / "photo.png";
  test::writeTestPng(png, 40, 30, {10, 200, 30, 255});
  const int steps = f.c->undoStack()->count();
  CHECK(f.w.importImageLayers({QString::fromStdString(png.string())}) == 1);
  REQUIRE(f.c->document().layer_count() == 2);
  CHECK(f.c->document().contains(existing));  // the document was not replaced
  const doc::Layer& added = f.c->document().layers().back();
  CHECK(added.name == "photo");
  CHECK(added.content_bounds() == doc::Rect{f.c->document().bbox().x, f.c->document().bbox().y, 40, 30});
  CHECK(f.c->undoStack()->count() == steps + 1);

  const QString open = ProjectFiles::openFilter().section(QStringLiteral(";;"), 0, 0);
  for (const char* ext : {"*.ora", "*.png", "*.jpg", "*.webp"}) CHECK(open.contains(QLatin1String(ext)));
}
