// SD 2.x and SDXL in the canvas (issue 22): the model picker names each model's family and native
// size, the bbox follows the loaded model's native size until the user resizes it, and a
// prediction type chosen for a model is stored per model and reaches the pipeline's options.
#include <catch2/catch.hpp>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>

#include "app_settings.h"
#include "document_controller.h"
#include "fake_generation_service.h"
#include "generation_controller.h"
#include "main_window.h"
#include "message_banner.h"
#include "model_bbox.h"
#include "model_entry.h"
#include "model_picker.h"
#include "named_combo.h"
#include "prompt_edit.h"
#include "prompt_panel.h"
#include "reference.h"
#include "strata/doc/commands.h"
#include "ui_test_support.h"
#include "worker_generation_service.h"

using namespace strata;
using namespace strata::ui;

namespace {

QString kit(const char* name) { return QString::fromStdString((test::reference_dir() / name / "model.safetensors").string()); }

doc::Rect bboxOf(MainWindow& w) { return w.document()->document().bbox(); }

}  // namespace

TEST_CASE("models: display names", "[ui][models]") {
  CHECK(modelDisplayName(QStringLiteral("/m/sd_xl_base_1.0.safetensors")) == QStringLiteral("sd_xl_base_1.0"));
  CHECK(modelDisplayName(QStringLiteral("/m/tiny-sdxl/model.safetensors")) == QStringLiteral("tiny-sdxl"));
  CHECK(modelDisplayName(QStringLiteral("/m/x/unet/diffusion_pytorch_model.safetensors")) == QStringLiteral("unet"));
  ModelDescription d;
  d.path = QStringLiteral("/m/v2-1_768-ema-pruned.safetensors");
  d.name = QStringLiteral("v2-1_768-ema-pruned");
  d.runnable = true;
  d.family = QStringLiteral("SD2 txt2img");
  d.nativeSize = 768;
  CHECK(modelEntryText(d) == QStringLiteral("v2-1_768-ema-pruned — SD2 txt2img · 768²"));
  d.prediction = QStringLiteral("v");
  CHECK(modelStatusText(d, true) == QStringLiteral("v2-1_768-ema-pruned · SD2 txt2img · v-prediction (your choice) · native 768 px"));
  d.runnable = false;
  CHECK(modelEntryText(d) == QStringLiteral("v2-1_768-ema-pruned (cannot run)"));
}

TEST_CASE("models: the picker names family and native size of the tiny SD 1.5, SD 2.1-v and SDXL kits",
          "[ui][models][worker]") {
  REQUIRE_REFERENCE();
  auto* service = new WorkerGenerationService;
  ModelPicker picker(service);
  service->setParent(&picker);
  // Described on the inspection pool (headers only), never on this thread.
  const std::vector<std::pair<const char*, QString>> expected{
      {"tiny-sd15", QStringLiteral("tiny-sd15 — SD1 txt2img · 64²")},
      {"tiny-sd21v", QStringLiteral("tiny-sd21v — SD2 txt2img · 64²")},
      {"tiny-sdxl", QStringLiteral("tiny-sdxl — SDXL base · 64²")},
  };
  for (const auto& [name, text] : expected) {
    picker.scanFolder(QString::fromStdString((test::reference_dir() / name).string()));
  }
  QComboBox* combo = picker.combo();
  for (const auto& [name, text] : expected) {
    const int i = combo->findData(kit(name));
    REQUIRE(i >= 0);
    INFO(name << ": " << combo->itemText(i).toStdString());
    CHECK(test::waitUntil([&] { return combo->itemText(i) == text; }, 30000));
  }
  const ModelDescription v = describeModel(kit("tiny-sd21v"));
  CHECK(v.prediction == QStringLiteral("v"));  // its config.json says v_prediction
  CHECK(describeModel(kit("tiny-sdxl")).prediction == QStringLiteral("epsilon"));
}

TEST_CASE("models: the bbox takes the loaded model's native size until the user resizes it", "[ui][models]") {
  auto* service = new test::FakeGenerationService;
  const QString xl = QStringLiteral("/m/sdxl.safetensors"), sd2v = QStringLiteral("/m/sd21v.safetensors"),
                sd1 = QStringLiteral("/m/sd15.safetensors");
  service->nativeSizes = {{xl, 1024}, {sd2v, 768}};
  MainWindow w{service};
  DocumentController* c = w.document();
  ModelPicker* picker = w.promptPanel()->modelPicker();
  auto load = [&](const QString& path) {
    picker->loadModel(path);
    REQUIRE(test::waitUntil([&] { return picker->currentPath() == path; }));
  };
  REQUIRE(bboxOf(w) == doc::default_bbox);
  load(xl);
  CHECK(bboxOf(w) == doc::Rect{0, 0, 1024, 1024});
  CHECK_FALSE(c->isModified());  // an empty untitled canvas: nothing to save
  load(sd2v);
  CHECK(bboxOf(w) == doc::Rect{0, 0, 768, 768});
  load(sd1);
  CHECK(bboxOf(w) == doc::Rect{0, 0, 512, 512});
  load(xl);
  CHECK(bboxOf(w) == doc::Rect{0, 0, 1024, 1024});

  // "Scale to the model's size" goes with the request; the pipeline scales to the model's size.
  w.promptPanel()->promptEdit()->setText(QStringLiteral("a lighthouse"));
  REQUIRE(w.promptPanel()->invoke() != 0);
  REQUIRE(test::waitUntil([&] { return service->received.size() == 1; }));
  CHECK(service->received[0].request.diffusion.width == 1024);
  CHECK(service->received[0].request.diffusion.scale_before_processing);

  // Moved, the bbox keeps following; resized by the user, it stays as it is.
  REQUIRE(c->push(std::make_unique<doc::SetBBox>(doc::Rect{64, 32, 1024, 1024})));
  load(sd2v);
  CHECK(bboxOf(w) == doc::Rect{64, 32, 768, 768});
  CHECK(c->undoStack()->text(c->undoStack()->index() - 1).contains(QStringLiteral("Set bbox")));
  c->undoStack()->undo();  // one undo step: back to where the user put it
  CHECK(bboxOf(w) == doc::Rect{64, 32, 1024, 1024});
  REQUIRE(c->push(std::make_unique<doc::SetBBox>(doc::Rect{0, 0, 640, 512})));
  load(xl);
  CHECK(bboxOf(w) == doc::Rect{0, 0, 640, 512});
  load(sd1);
  CHECK(bboxOf(w) == doc::Rect{0, 0, 640, 512});

  // A new document starts at the loaded model's size.
  load(xl);
  c->reset(io::Project{});
  REQUIRE(test::waitUntil([&] { return bboxOf(w) == doc::Rect{0, 0, 1024, 1024}; }));
  CHECK_FALSE(c->isModified());
  QSettings().remove(QStringLiteral("models/last"));
}

TEST_CASE("models: a prediction type chosen for a model is kept per model in QSettings and loads it",
          "[ui][models]") {
  auto* service = new test::FakeGenerationService;
  MainWindow w{service};
  ModelPicker* picker = w.promptPanel()->modelPicker();
  const QString sd2 = QStringLiteral("/m/v2-1_768-nonema.safetensors"), other = QStringLiteral("/m/other.safetensors");
  auto waitLoaded = [&](const QString& path) { REQUIRE(test::waitUntil([&] { return picker->currentPath() == path; })); };

  picker->setPredictionOverride(sd2, diffusion::Prediction::VPrediction);
  CHECK(service->lastLoadOptions.prediction == diffusion::Prediction::VPrediction);
  CHECK(QSettings().value(QStringLiteral("models/predictions")).toMap().value(sd2).toString() == QStringLiteral("v"));
  waitLoaded(sd2);
  CHECK(picker->statusText().contains(QStringLiteral("v-prediction (your choice)")));

  picker->loadModel(other);  // another model: detected
  CHECK_FALSE(service->lastLoadOptions.prediction.has_value());
  waitLoaded(other);
  CHECK_FALSE(picker->statusText().contains(QStringLiteral("your choice")));
  picker->loadModel(sd2);  // back: the choice is still there
  CHECK(service->lastLoadOptions.prediction == diffusion::Prediction::VPrediction);
  waitLoaded(sd2);

  // The Open menu's Prediction type entries act on the last model asked for.
  QAction* eps = picker->findChild<QAction*>(QStringLiteral("prediction_epsilon"));
  QAction* automatic = picker->findChild<QAction*>(QStringLiteral("prediction_auto"));
  REQUIRE(eps);
  REQUIRE(automatic);
  eps->trigger();
  CHECK(service->lastLoadOptions.prediction == diffusion::Prediction::Epsilon);
  CHECK(AppSettings::predictionOverride(sd2) == diffusion::Prediction::Epsilon);
  // (reloaded: the current model stays sd2 throughout; the status line says what it loaded as)
  CHECK(test::waitUntil([&] { return picker->statusText().contains(QStringLiteral("ε (epsilon) (your choice)")); }));
  automatic->trigger();
  CHECK_FALSE(service->lastLoadOptions.prediction.has_value());
  CHECK_FALSE(QSettings().value(QStringLiteral("models/predictions")).toMap().contains(sd2));

  // A name this version does not know reads as "detect".
  QSettings().setValue(QStringLiteral("models/predictions"), QVariantMap{{sd2, QStringLiteral("x0")}});
  CHECK_FALSE(AppSettings::predictionOverride(sd2).has_value());
  QSettings().remove(QStringLiteral("models/predictions"));
  QSettings().remove(QStringLiteral("models/last"));
}

TEST_CASE("models: the worker loads tiny-sd21v as its config says, or with the prediction type chosen",
          "[ui][models][worker]") {
  REQUIRE_REFERENCE();
  auto* service = new WorkerGenerationService;
  MainWindow w{service};
  ModelPicker* picker = w.promptPanel()->modelPicker();
  std::vector<ModelDescription> loaded;
  QObject::connect(service, &GenerationService::modelLoaded, &w, [&](const ModelDescription& d) { loaded.push_back(d); });
  const QString sd2 = kit("tiny-sd21v");
  picker->setPredictionOverride(sd2, diffusion::Prediction::Epsilon);
  REQUIRE(test::waitUntil([&] { return loaded.size() == 1; }, 120000));
  CHECK(loaded[0].prediction == QStringLiteral("epsilon"));  // the pipeline was built with the user's type
  CHECK(picker->statusText().contains(QStringLiteral("ε (epsilon) (your choice)")));
  picker->setPredictionOverride(sd2, std::nullopt);
  REQUIRE(test::waitUntil([&] { return loaded.size() == 2; }, 120000));
  CHECK(loaded[1].prediction == QStringLiteral("v"));
  CHECK(bboxOf(w) == doc::Rect{0, 0, 64, 64});  // the kit's native size (its config.json)
  QSettings().remove(QStringLiteral("models/last"));
}

TEST_CASE("models: tiny-sdxl and tiny-sd21v generate from the canvas", "[ui][models][worker][slow]") {
  REQUIRE_REFERENCE();
  auto* service = new WorkerGenerationService;
  MainWindow w{service};
  w.resize(1100, 760);
  w.show();
  PromptPanel* panel = w.promptPanel();
  panel->promptEdit()->setText(QStringLiteral("a lighthouse at dusk"));
  panel->stepsSpin()->setValue(3);
  for (const char* name : {"tiny-sdxl", "tiny-sd21v"}) {
    INFO(name);
    panel->modelPicker()->loadModel(kit(name));
    REQUIRE(test::waitUntil([&] { return panel->modelPicker()->currentPath() == kit(name) && service->hasModel(); }, 120000));
    REQUIRE(panel->invoke() != 0);
    const int before = w.generation()->stagingCount();
    REQUIRE(test::waitUntil([&] { return w.generation()->stagingCount() == before + 1 && !w.generation()->isBusy(); }, 300000));
    CHECK(w.banner()->kind() != MessageBanner::Kind::Error);
  }
  QSettings().remove(QStringLiteral("models/last"));
}

TEST_CASE("models: VAE tiling is chosen in the Generation panel and goes with the request", "[ui][models]") {
  auto* service = new test::FakeGenerationService;
  MainWindow w{service};
  PromptPanel* panel = w.promptPanel();
  panel->modelPicker()->loadModel(QStringLiteral("/m/sdxl.safetensors"));
  REQUIRE(test::waitUntil([&] { return service->hasModel(); }));
  QComboBox* tiling = panel->vaeTilingCombo();
  REQUIRE(tiling->count() == 3);
  CHECK(comboValue(tiling, generate::kVaeTilings, "VAE tiling") == generate::VaeTiling::Auto);  // the default
  panel->promptEdit()->setText(QStringLiteral("a harbour"));
  for (const auto value : {generate::VaeTiling::On, generate::VaeTiling::Off}) {
    selectComboValue(tiling, generate::kVaeTilings, value);
    REQUIRE(panel->invoke() != 0);
  }
  REQUIRE(test::waitUntil([&] { return service->received.size() == 2; }));
  CHECK(service->received[0].request.diffusion.vae_tiling == generate::VaeTiling::On);
  CHECK(service->received[1].request.diffusion.vae_tiling == generate::VaeTiling::Off);

  io::GenerationInfo info;  // recalled from an image's metadata
  info.extra.emplace_back("VAE tiling", "on");
  panel->recall(info);
  CHECK(comboValue(tiling, generate::kVaeTilings, "VAE tiling") == generate::VaeTiling::On);
  QSettings().remove(QStringLiteral("models/last"));
}
