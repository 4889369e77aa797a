// The generation UI against a fake service: prompt editing, invoke, previews on the canvas,
// progress, staging (accept / discard / saved with the project), cancel, recall, errors.
#include <catch2/catch.hpp>

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QSpinBox>

#include "action_registry.h"
#include "app_settings.h"
#include "canvas_view.h"
#include "document_controller.h"
#include "fake_generation_service.h"
#include "gallery_panel.h"
#include "generation_fixture.h"
#include "generation_controller.h"
#include "main_window.h"
#include "message_banner.h"
#include "model_picker.h"
#include "project_files.h"
#include "prompt_edit.h"
#include "prompt_panel.h"
#include "prompt_syntax.h"
#include "staging_bar.h"
#include "strata/doc/commands.h"
#include "ui_test_support.h"

using namespace strata;
using namespace strata::ui;

using test::Fixture;

TEST_CASE("prompt syntax: Ctrl+Up/Down weights like A1111's edit-attention", "[ui][prompt]") {
  auto adj = [](const QString& t, int a, int b, double d) { return adjustWeight(t, a, b, d); };
  WeightEdit e = adj(QStringLiteral("a red fox"), 2, 5, 0.1);
  CHECK(e.text == QStringLiteral("a (red:1.1) fox"));
  CHECK(e.text.mid(e.selectionStart, e.selectionEnd - e.selectionStart) == QStringLiteral("red"));
  e = adj(e.text, e.selectionStart, e.selectionEnd, 0.1);
  CHECK(e.text == QStringLiteral("a (red:1.2) fox"));
  e = adj(e.text, e.selectionStart, e.selectionEnd, -0.1);
  e = adj(e.text, e.selectionStart, e.selectionEnd, -0.1);
  CHECK(e.text == QStringLiteral("a red fox"));  // back to 1: parentheses removed
  CHECK(adj(QStringLiteral("a red fox"), 3, 3, -0.1).text == QStringLiteral("a (red:0.9) fox"));  // word at cursor
  CHECK(adj(QStringLiteral("x, (big cat:1.3), y"), 8, 8, 0.1).text == QStringLiteral("x, (big cat:1.4), y"));  // group
  CHECK(adj(QStringLiteral("   "), 1, 1, 0.1).text == QStringLiteral("   "));

  PromptEdit edit(QStringLiteral("p"));
  edit.setText(QStringLiteral("castle on a hill"));
  QTextCursor cur = edit.textCursor();
  cur.setPosition(0);
  cur.setPosition(6, QTextCursor::KeepAnchor);
  edit.setTextCursor(cur);
  QKeyEvent up(QEvent::KeyPress, Qt::Key_Up, Qt::ControlModifier);
  QApplication::sendEvent(&edit, &up);
  CHECK(edit.text() == QStringLiteral("(castle:1.1) on a hill"));
  CHECK(tokenCounterText(12) == QStringLiteral("12 / 75"));
  CHECK(tokenCounterText(80) == QStringLiteral("80 / 150"));
  CHECK(tokenCounterText(-1).startsWith(QStringLiteral("—")));
}

TEST_CASE("generation: invoke shows previews, progress, then stages; accept adds one undoable layer", "[ui][generation]") {
  Fixture f;
  f.service->stepMs = 15;
  f.c->push(doc::AddLayer::raster("photo", doc::Image8(512, 512, 4, 255), 0, 0));
  const std::string before = test::state(f.c->document());
  f.panel->setTemplateName(QStringLiteral("Watercolour"));
  f.panel->randomSeedBox()->setChecked(false);
  f.panel->seedSpin()->setValue(1234);
  f.panel->batchSpin()->setValue(2);
  CHECK(f.panel->tokenLabel()->text().endsWith(QStringLiteral("/ 75")));

  int previews = 0;
  QObject::connect(f.w.generation(), &GenerationController::previewShown, [&](int) { ++previews; });
  f.w.actions()->action(QStringLiteral("gen.invoke"))->trigger();  // Ctrl+Enter
  REQUIRE(test::waitUntil([&] { return f.w.canvas()->overlayImage().width() > 0 && f.w.generation()->isBusy(); }));
  CHECK(f.panel->cancelButton()->isEnabled());
  CHECK(f.panel->progressLabel()->text().contains(QStringLiteral("step")));
  REQUIRE(test::waitUntil([&] { return f.w.generation()->stagingCount() == 2 && !f.w.generation()->isBusy(); }));
  CHECK(previews >= 1);
  const GenerationJob& job = f.service->received.at(0);
  CHECK(QString::fromStdString(job.request.diffusion.prompt).startsWith(QStringLiteral("a red fox, watercolour")));
  CHECK(job.request.diffusion.seed == 1234);
  CHECK(job.request.settings.prompt == "a red fox");  // the user's text, recorded beside the final one
  REQUIRE(job.request.bbox);
  CHECK(*job.request.bbox == f.c->document().bbox());  // a complete request of the bbox
  CHECK(test::state(f.c->document()) == before);  // staging does not touch the layers
  CHECK(f.w.stagingBar()->isVisible());
  CHECK(f.w.stagingBar()->counterText() == QStringLiteral("2 / 2"));
  CHECK(f.w.gallery()->list()->count() == 2);
  CHECK(f.c->settings().prompt == "a red fox");  // the project remembers the user's prompt

  f.w.generation()->previous();
  CHECK(f.w.stagingBar()->counterText() == QStringLiteral("1 / 2"));
  const int layers = static_cast<int>(f.c->document().layer_count());
  f.w.stagingBar()->acceptButton()->click();
  REQUIRE(static_cast<int>(f.c->document().layer_count()) == layers + 1);
  const doc::Layer& added = f.c->document().layers().back();
  CHECK(added.name == "a red fox (1234)");
  CHECK(f.c->document().read_region(added.id, {10, 10, 1, 1}).pixels[0] == 200);
  CHECK(f.w.generation()->stagingCount() == 0);  // accept closes the staging area
  CHECK_FALSE(f.w.stagingBar()->isVisible());
  f.c->undoStack()->undo();
  CHECK(test::state(f.c->document()) == before);
}

TEST_CASE("generation: with a mask only masked pixels are repainted; the overlay stays over the accepted layer",
          "[ui][generation][mask]") {
  Fixture f;
  f.service->resultColor = {20, 200, 20, 255};
  REQUIRE(f.c->push(std::make_unique<doc::SetBBox>(doc::Rect{0, 0, 128, 128})));
  f.c->push(doc::AddLayer::raster("photo", doc::Image8(128, 128, 4, 255), 0, 0));  // strength 0.75
  f.c->push(doc::AddLayer::mask("inpaint"));
  const doc::LayerId maskId = f.c->document().layers().back().id;
  f.c->push(doc::fill_mask(f.c->document(), maskId, {0, 0, 64, 128}, 255));
  // The mask sits at the bottom of the stack: the overlay must still draw above the photo.
  REQUIRE(f.c->push(std::make_unique<doc::MoveLayer>(maskId, 0)));
  REQUIRE(f.c->document().layers().front().id == maskId);

  f.w.actions()->action(QStringLiteral("gen.invoke"))->trigger();
  REQUIRE(test::waitUntil([&] { return f.w.generation()->stagingCount() == 1 && !f.w.generation()->isBusy(); }));
  const auto& map = f.service->received.at(0).request.diffusion.strength_map;
  REQUIRE(map);
  CHECK(map->at(10, 10) == 1.0f);   // masked: the mask's opacity
  CHECK(map->at(100, 10) == 0.0f);  // outside the mask: kept, whatever the layer's strength
  REQUIRE(f.w.generation()->accept());

  f.w.canvas()->setView(QPointF(0, 0), 1.0);
  const QImage shot = f.w.canvas()->grab().toImage();
  const QColor inMask = shot.pixelColor(f.w.canvas()->docToWidget(QPointF(20, 60)).toPoint());
  const QColor outside = shot.pixelColor(f.w.canvas()->docToWidget(QPointF(100, 60)).toPoint());
  INFO("in mask " << inMask.red() << " " << inMask.green() << " " << inMask.blue());
  INFO("outside " << outside.red() << " " << outside.green() << " " << outside.blue());
  CHECK(outside.green() > 180);         // the accepted result, untinted
  CHECK(outside.red() < 40);
  CHECK(inMask.red() > 100);            // tinted half-way towards the mask colour
  CHECK(inMask.green() < 150);
}

TEST_CASE("generation: Esc cancels, leaving the document and staging untouched", "[ui][generation]") {
  Fixture f;
  f.service->stepMs = 20;
  f.panel->stepsSpin()->setValue(50);
  const std::string before = test::state(f.c->document());
  f.panel->invoke();
  REQUIRE(test::waitUntil([&] { return f.w.generation()->progress().step >= 2; }));
  f.w.actions()->action(QStringLiteral("edit.cancel"))->trigger();  // Esc
  REQUIRE(test::waitUntil([&] { return !f.w.generation()->isBusy(); }));
  CHECK(f.w.generation()->stagingCount() == 0);
  CHECK(f.w.canvas()->overlayImage().isNull());
  CHECK(test::state(f.c->document()) == before);
  CHECK(f.c->undoStack()->count() == 0);
}

TEST_CASE("generation: discard, the queue, and staging saved with the project", "[ui][generation]") {
  Fixture f;
  f.panel->invoke();
  f.panel->invoke();
  CHECK(f.service->pendingCount() >= 1);
  REQUIRE(test::waitUntil([&] { return f.w.generation()->stagingCount() == 2; }));
  f.w.generation()->discard();
  CHECK(f.w.generation()->stagingCount() == 1);
  const auto path = test::uiTempDir("staging") / "staged.ora";
  REQUIRE(f.w.files()->saveAs(QString::fromStdString(path.string())));
  f.c->clearStaging();
  REQUIRE(f.w.files()->open(QString::fromStdString(path.string())));
  REQUIRE(f.w.generation()->stagingCount() == 1);
  CHECK(f.w.stagingBar()->isVisible());
  CHECK(f.w.canvas()->overlayImage().width() == 512);
  CHECK(f.panel->promptEdit()->text() == QStringLiteral("a red fox"));  // settings reloaded

  f.service->stepMs = 30;
  f.panel->invoke();
  f.panel->invoke();
  f.panel->invoke();
  REQUIRE(test::waitUntil([&] { return f.w.generation()->isBusy(); }));
  f.w.generation()->clearQueue();
  REQUIRE(test::waitUntil([&] { return !f.w.generation()->isBusy(); }));
  CHECK(f.w.generation()->stagingCount() == 2);  // only the running one finished
}

TEST_CASE("generation: recall, no model, broken model", "[ui][generation]") {
  Fixture f;
  f.panel->randomSeedBox()->setChecked(false);
  f.panel->seedSpin()->setValue(77);
  f.panel->setTemplateName(QStringLiteral("Anime"));
  f.panel->invoke();
  REQUIRE(test::waitUntil([&] { return f.w.gallery()->list()->count() == 1; }));
  f.panel->promptEdit()->setText(QStringLiteral("something else"));
  f.panel->seedSpin()->setValue(1);
  f.panel->setTemplateName({});
  f.w.gallery()->list()->setCurrentRow(0);
  f.w.gallery()->recallSelected();
  CHECK(f.panel->promptEdit()->text() == QStringLiteral("a red fox"));
  CHECK(f.panel->seedSpin()->value() == 77);
  CHECK(f.panel->templateName() == QStringLiteral("Anime"));

  f.panel->modelPicker()->loadModel(QStringLiteral("/models/broken.safetensors"));
  REQUIRE(test::waitUntil([&] { return f.w.banner()->kind() == MessageBanner::Kind::Error; }));
  CHECK(f.w.banner()->text().contains(QStringLiteral("broken.safetensors")));
  CHECK(f.panel->modelPicker()->statusText().contains(QStringLiteral("still using")));
  CHECK(f.panel->invoke() != 0);  // the previous model still works

  MainWindow none;  // no backend at all
  CHECK_FALSE(none.actions()->action(QStringLiteral("gen.invoke"))->isEnabled());
  CHECK(none.promptPanel()->invoke() == 0);
  CHECK(none.banner()->text().contains(QStringLiteral("No model")));
}

TEST_CASE("models: a broken last model falls back to the embedded one with a banner; tokenizers are per model",
          "[ui][generation]") {
  QTemporaryDir dir;
  const QString broken = dir.filePath(QStringLiteral("broken.safetensors"));
  {
    QFile f(broken);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write("not a model");
  }
  QSettings().setValue(QStringLiteral("models/last"), broken);
  auto* service = new test::FakeGenerationService;
  MainWindow w{service};
  ModelPicker* picker = w.promptPanel()->modelPicker();
  const QString embedded = picker->defaultModelPath();
  REQUIRE(!embedded.isEmpty());
  w.startGeneration();
  REQUIRE(test::waitUntil([&] { return service->hasModel(); }));
  CHECK(picker->currentPath() == embedded);
  CHECK(w.banner()->kind() == MessageBanner::Kind::Error);
  CHECK(w.banner()->text().contains(QStringLiteral("broken.safetensors: not a safetensors file")));
  CHECK(w.banner()->text().contains(QStringLiteral("using the embedded model instead")));
  CHECK(QSettings().value(QStringLiteral("models/last")).toString() == embedded);

  // A tokenizer chosen for one model goes with that model only.
  const QString other = QStringLiteral("/models/other.safetensors");
  picker->setTokenizerOverride(other, QStringLiteral("/tokenizers/bpe_simple_vocab_16e6.txt.gz"));
  CHECK(service->lastLoadOptions.tokenizer == QStringLiteral("/tokenizers/bpe_simple_vocab_16e6.txt.gz"));
  REQUIRE(test::waitUntil([&] { return picker->currentPath() == other; }));
  CHECK(picker->statusText().contains(QStringLiteral("tokenizer bpe_simple_vocab_16e6.txt.gz")));
  picker->loadModel(embedded);
  CHECK(service->lastLoadOptions.tokenizer.isEmpty());
  REQUIRE(test::waitUntil([&] { return picker->currentPath() == embedded; }));
  picker->loadModel(other);
  CHECK(service->lastLoadOptions.tokenizer == QStringLiteral("/tokenizers/bpe_simple_vocab_16e6.txt.gz"));
  picker->setTokenizerOverride(other, {});
  CHECK(service->lastLoadOptions.tokenizer.isEmpty());
  CHECK(AppSettings::tokenizerOverride(other).isEmpty());
  QSettings().remove(QStringLiteral("models/last"));
  QSettings().remove(QStringLiteral("models/tokenizers"));
}
