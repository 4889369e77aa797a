// DocumentController::setLayerProperty, the one way a layer property changes: merge keys (one drag =
// one undo step), the layers panel, a row's strength bar and the layer model all landing through
// it alike, and failures reported by the return value.
#include <catch2/catch.hpp>

#include <QApplication>
#include <QDoubleSpinBox>
#include <QListView>
#include <QSlider>
#include <functional>
#include <tuple>

#include "document_controller.h"
#include "generation_fixture.h"
#include "layer_delegate.h"
#include "layer_model.h"
#include "layers_panel.h"
#include "main_window.h"
#include "strata/doc/commands.h"
#include "ui_test_support.h"

using namespace strata;
using namespace strata::ui;

using test::addLayer;

TEST_CASE("a drag (many values, one merge key) is one undo step; each gesture is its own step", "[ui][undo][layers]") {
  DocumentController c;
  const doc::LayerId id = addLayer(c, doc::Layer::raster({}, "sky"));
  const doc::Document& d = c.document();
  QUndoStack* undo = c.undoStack();
  const int steps = undo->count();

  const MergeKey drag = c.newMergeKey();
  CHECK(drag);
  for (double v : {0.7, 0.6, 0.5, 0.4, 0.3}) CHECK(c.setLayerProperty(id, LayerProperty::Strength, v, drag));
  CHECK(d.layer(id).strength == Approx(0.3f));
  CHECK(undo->count() == steps + 1);
  CHECK(undo->undoText() == QStringLiteral("Set strength of layer %1 \"sky\" to 0.30").arg(id.value));

  // The next gesture gets another key and does not merge into the first one.
  const MergeKey next = c.newMergeKey();
  CHECK(next != drag);
  CHECK(c.setLayerProperty(id, LayerProperty::Strength, 0.2, next));
  CHECK(undo->count() == steps + 2);
  // Without a key every change is a step of its own.
  CHECK(c.setLayerProperty(id, LayerProperty::Opacity, 0.5));
  CHECK(c.setLayerProperty(id, LayerProperty::Opacity, 0.4));
  CHECK(undo->count() == steps + 4);
  // The value it already has: nothing to record.
  CHECK(c.setLayerProperty(id, LayerProperty::Opacity, 0.4));
  CHECK(c.setLayerProperty(id, LayerProperty::Name, QStringLiteral(" sky ")));
  CHECK(undo->count() == steps + 4);

  undo->undo();
  undo->undo();
  CHECK(d.layer(id).opacity == Approx(1.0f));
  undo->undo();
  CHECK(d.layer(id).strength == Approx(0.3f));
  undo->undo();  // the whole drag at once
  CHECK(d.layer(id).strength == Approx(doc::default_strength));
  undo->redo();
  CHECK(d.layer(id).strength == Approx(0.3f));
}

TEST_CASE("the panel, a row's strength bar and the model change a layer property alike", "[ui][layers]") {
  MainWindow w;
  w.resize(1280, 800);
  w.show();
  LayersPanel* panel = w.layersPanel();
  DocumentController* c = w.document();
  LayerModel* model = panel->model();
  panel->addRasterLayer();
  QApplication::processEvents();
  const doc::LayerId id = c->currentLayer();
  const doc::Document& d = c->document();
  QUndoStack* undo = c->undoStack();
  const QString text = QStringLiteral("Set strength of layer %1 \"Layer 1\" to 0.30").arg(id.value);

  // Each source: 0.75 → 0.30 is one step with the same text; undo brings 0.75 back everywhere.
  const std::vector<std::pair<const char*, std::function<void()>>> sources = {
      {"panel slider", [&] { panel->strengthSlider()->setValue(30); }},
      {"panel slider drag",
       [&] {
         panel->strengthSlider()->setSliderDown(true);
         for (int v : {60, 45, 30}) panel->strengthSlider()->setValue(v);
         panel->strengthSlider()->setSliderDown(false);
       }},
      {"panel number", [&] { panel->strengthSpin()->setValue(0.30); }},
      {"row bar drag",
       [&] {
         const QRect bar = LayerDelegate::strengthRect(panel->view()->visualRect(model->indexOf(id)));
         const double y = bar.center().y();
         test::drag(panel->view()->viewport(), QPointF(bar.left() + bar.width() * 0.9, y),
                    QPointF(bar.left() + bar.width() * 0.3, y));
       }},
      {"model", [&] { CHECK(model->setData(model->indexOf(id), 0.30, LayerModel::StrengthRole)); }},
  };
  for (const auto& [name, change] : sources) {
    INFO(name);
    const int steps = undo->index();
    change();
    CHECK(d.layer(id).strength == Approx(0.30f));
    CHECK(undo->index() == steps + 1);
    CHECK(undo->undoText() == text);
    CHECK(panel->strengthSlider()->value() == 30);
    CHECK(model->data(model->indexOf(id), LayerModel::StrengthRole).toDouble() == Approx(0.30));
    undo->undo();
    CHECK(d.layer(id).strength == Approx(0.75f));
    CHECK(panel->strengthSlider()->value() == 75);
    CHECK(panel->strengthSpin()->value() == Approx(0.75));
    // Setting the value it already has records nothing, from any of them (the model used to).
    const int before = undo->index();
    CHECK(model->setData(model->indexOf(id), 0.75, LayerModel::StrengthRole));
    panel->strengthSpin()->setValue(0.75);
    CHECK(undo->index() == before);
  }
}

TEST_CASE("every layer property the panel and the model edit is one undoable step", "[ui][layers]") {
  MainWindow w;
  LayersPanel* panel = w.layersPanel();
  DocumentController* c = w.document();
  LayerModel* model = panel->model();
  panel->addRasterLayer();
  const doc::LayerId raster = c->currentLayer();
  panel->addMaskLayer();
  const doc::LayerId mask = c->currentLayer();
  const doc::Document& d = c->document();
  QUndoStack* undo = c->undoStack();

  const std::vector<std::tuple<const char*, doc::LayerId, std::function<bool()>, std::function<bool()>>> edits = {
      {"name", raster, [&] { return model->setData(model->indexOf(raster), QStringLiteral("sky"), Qt::EditRole); },
       [&] { return d.layer(raster).name == "sky"; }},
      {"visibility", raster,
       [&] { return model->setData(model->indexOf(raster), Qt::Unchecked, Qt::CheckStateRole); },
       [&] { return !d.layer(raster).visible; }},
      {"opacity", raster, [&] { return model->setData(model->indexOf(raster), 0.5, LayerModel::OpacityRole); },
       [&] { return d.layer(raster).opacity == 0.5f; }},
      {"lock (model)", raster, [&] { return model->setData(model->indexOf(raster), true, LayerModel::LockedRole); },
       [&] { return d.layer(raster).locked; }},
      {"feather (model)", mask, [&] { return model->setData(model->indexOf(mask), 12, LayerModel::FeatherRole); },
       [&] { return d.layer(mask).feather == 12; }},
      {"inversion (model)", mask,
       [&] { return model->setData(model->indexOf(mask), true, LayerModel::InvertedRole); },
       [&] { return d.layer(mask).inverted; }},
      {"inversion (panel)", mask,
       [&] {
         panel->invertMask();
         return true;
       },
       [&] { return d.layer(mask).inverted; }},
  };
  for (const auto& [name, id, edit, done] : edits) {
    INFO(name);
    c->setCurrentLayer(id);
    const std::string before = test::state(d);
    const int steps = undo->index();
    CHECK(edit());
    CHECK(done());
    CHECK(undo->index() == steps + 1);
    undo->undo();
    CHECK(test::state(d) == before);
  }
}

TEST_CASE("a failed property change is reported by its return value and records nothing", "[ui][undo][layers]") {
  DocumentController c;
  int errors = 0;
  QObject::connect(&c, &DocumentController::errorReported, &c, [&errors] { ++errors; });
  const doc::LayerId raster = addLayer(c, doc::Layer::raster({}, "photo"));
  const doc::LayerId mask = addLayer(c, doc::Layer::mask({}, "hole"));
  QUndoStack* undo = c.undoStack();
  const int steps = undo->count();
  const std::string before = test::state(c.document());

  CHECK_FALSE(c.setLayerProperty(mask, LayerProperty::Strength, 0.3));  // masks have no strength value
  CHECK(errors == 1);
  CHECK_FALSE(c.setLayerProperty(raster, LayerProperty::Opacity, 1.5));  // out of range
  CHECK(errors == 2);
  CHECK_FALSE(c.setLayerProperty(raster, LayerProperty::Name, QStringLiteral("  ")));  // refused, not an error
  CHECK_FALSE(c.setLayerProperty(doc::LayerId{9999}, LayerProperty::Visible, false));
  CHECK(errors == 2);
  CHECK(undo->count() == steps);
  CHECK(test::state(c.document()) == before);

  // Nothing of a failure lingers: the next change succeeds, then a failing push is false again.
  CHECK(c.setLayerProperty(raster, LayerProperty::Strength, 0.3));
  CHECK_FALSE(c.push(doc::set_feather(raster, 4)));  // rasters have no feather
  CHECK(errors == 3);
  CHECK(c.push(doc::set_feather(mask, 4)));
  CHECK(undo->count() == steps + 2);

  // A refused value in the middle of a drag leaves the drag one step.
  const MergeKey drag = c.newMergeKey();
  CHECK(c.setLayerProperty(raster, LayerProperty::Strength, 0.5, drag));
  CHECK_FALSE(c.setLayerProperty(raster, LayerProperty::Strength, 2.0, drag));
  CHECK(c.setLayerProperty(raster, LayerProperty::Strength, 0.6, drag));
  CHECK(errors == 4);
  CHECK(undo->count() == steps + 3);
  undo->undo();
  CHECK(c.document().layer(raster).strength == Approx(0.3f));

  // The model answers setData with the same result.
  LayerModel model(&c);
  CHECK_FALSE(model.setData(model.indexOf(mask), 0.3, LayerModel::StrengthRole));
  CHECK(errors == 5);
}
