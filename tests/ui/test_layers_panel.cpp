// The layers panel and its model: strength slider, undo, reorder, rename, memory-bounded history.
#include <catch2/catch.hpp>

#include <QApplication>
#include <QDoubleSpinBox>
#include <QListView>
#include <QMimeData>
#include <QSlider>

#include "document_controller.h"
#include "layer_delegate.h"
#include "layer_model.h"
#include "layers_panel.h"
#include "main_window.h"
#include "strata/doc/commands.h"
#include "ui_test_support.h"

using namespace strata;
using namespace strata::ui;

TEST_CASE("the strength slider sets the layer's strength and undo restores it", "[ui][layers]") {
  MainWindow w;
  LayersPanel* panel = w.layersPanel();
  panel->addRasterLayer();
  const doc::LayerId id = w.document()->currentLayer();
  const doc::Document& d = w.document()->document();
  REQUIRE(d.layer(id).strength == Approx(0.75f));
  CHECK(panel->strengthSlider()->value() == 75);
  CHECK(panel->strengthSpin()->value() == Approx(0.75));

  panel->strengthSlider()->setValue(30);
  CHECK(d.layer(id).strength == Approx(0.30f));
  CHECK(panel->strengthSpin()->value() == Approx(0.30));  // the number follows
  w.document()->undoStack()->undo();
  CHECK(d.layer(id).strength == Approx(0.75f));
  CHECK(panel->strengthSlider()->value() == 75);

  // One drag = one undo step.
  const int steps = w.document()->undoStack()->count();
  panel->strengthSlider()->setSliderDown(true);
  for (int v : {70, 60, 50, 40}) panel->strengthSlider()->setValue(v);
  panel->strengthSlider()->setSliderDown(false);
  CHECK(d.layer(id).strength == Approx(0.40f));
  CHECK(w.document()->undoStack()->count() == steps);  // the undone step was replaced by the drag
  w.document()->undoStack()->undo();
  CHECK(d.layer(id).strength == Approx(0.75f));

  panel->strengthSpin()->setValue(0.55);
  CHECK(d.layer(id).strength == Approx(0.55f));
}

TEST_CASE("the layer model renames, hides, reorders and follows undo", "[ui][layers]") {
  MainWindow w;
  LayersPanel* panel = w.layersPanel();
  panel->addRasterLayer();
  panel->addRasterLayer();
  panel->addMaskLayer();
  LayerModel* model = panel->model();
  const doc::Document& d = w.document()->document();
  REQUIRE(model->rowCount() == 3);
  const doc::LayerId top = model->layerAt(0);
  CHECK(d.layer(top).is_mask());
  CHECK(model->data(model->index(0), LayerModel::IsMaskRole).toBool());

  CHECK(model->setData(model->index(1), QStringLiteral("sky"), Qt::EditRole));
  CHECK(d.layer(model->layerAt(1)).name == "sky");
  CHECK(model->setData(model->index(1), Qt::Unchecked, Qt::CheckStateRole));
  CHECK_FALSE(d.layer(model->layerAt(1)).visible);

  // Drag the bottom row to the top (drop before row 0).
  const doc::LayerId bottom = model->layerAt(2);
  QMimeData* mime = model->mimeData({model->index(2)});
  model->dropMimeData(mime, Qt::MoveAction, 0, 0, {});
  delete mime;
  CHECK(model->layerAt(0) == bottom);
  CHECK(d.layers().back().id == bottom);
  w.document()->undoStack()->undo();
  CHECK(model->layerAt(2) == bottom);

  w.document()->setCurrentLayer(model->layerAt(0));
  panel->duplicateLayer();
  CHECK(model->rowCount() == 4);
  panel->deleteLayer();
  CHECK(model->rowCount() == 3);
  panel->invertMask();
  CHECK(d.layer(top).inverted);
}

TEST_CASE("merge down and lock go through the panel as undoable commands", "[ui][layers]") {
  MainWindow w;
  LayersPanel* panel = w.layersPanel();
  DocumentController* c = w.document();
  panel->addRasterLayer();
  const doc::LayerId lower = c->currentLayer();
  c->push(doc::fill_rect(c->document(), lower, {0, 0, 10, 10}, doc::Rgba8{255, 0, 0, 255}));
  panel->addRasterLayer();
  const doc::LayerId upper = c->currentLayer();
  c->push(doc::fill_rect(c->document(), upper, {5, 5, 10, 10}, doc::Rgba8{0, 0, 255, 255}));
  panel->mergeDown();
  CHECK(c->document().layer_count() == 1);
  CHECK(c->currentLayer() == lower);
  CHECK(c->document().layer(lower).content_bounds() == doc::Rect{0, 0, 15, 15});
  c->undoStack()->undo();
  CHECK(c->document().layer_count() == 2);

  // A command made before the layer was locked fails on apply: reported, nothing recorded.
  auto late = doc::fill_rect(c->document(), upper, {0, 0, 2, 2}, doc::Rgba8{1, 1, 1, 255});
  CHECK(c->push(doc::set_locked(upper, true)));
  const int steps = c->undoStack()->count();
  const std::string before = test::state(c->document());
  CHECK_FALSE(c->push(std::move(late)));
  CHECK(c->undoStack()->count() == steps);
  CHECK(test::state(c->document()) == before);
}

TEST_CASE("the undo history is bounded by bytes and keeps the newest steps", "[ui][undo]") {
  DocumentController c;
  c.push(doc::AddLayer::empty_raster("a"));
  const doc::LayerId id = c.document().layers()[0].id;
  c.setUndoByteBudget(200 * 1024);  // ~ 3 full 64×64 RGBA tiles before and after per step
  for (int i = 0; i < 20; ++i) {
    c.push(doc::fill_rect(c.document(), id, {0, 0, 128, 64}, doc::Rgba8{static_cast<std::uint8_t>(i), 0, 0, 255}));
  }
  CHECK(c.undoByteSize() <= 200 * 1024);
  CHECK(c.undoStack()->count() < 21);
  CHECK(c.undoStack()->count() >= 2);
  CHECK(c.isModified());
  const std::string now = test::state(c.document());
  c.undoStack()->undo();
  CHECK(c.document().read_region(id, {0, 0, 1, 1}).pixels[0] == 18);
  c.undoStack()->redo();
  CHECK(test::state(c.document()) == now);
}

TEST_CASE("every raster row carries a strength slider that can be dragged in place", "[ui][layers]") {
  MainWindow w;
  w.resize(1280, 800);
  w.show();
  LayersPanel* panel = w.layersPanel();
  panel->addRasterLayer();
  panel->addMaskLayer();
  QApplication::processEvents();
  const doc::LayerId raster = panel->model()->layerAt(1);
  QListView* view = panel->view();
  const QRect row = view->visualRect(panel->model()->index(1));
  const QRect bar = LayerDelegate::strengthRect(row);
  const int steps = w.document()->undoStack()->count();
  test::drag(view->viewport(), QPointF(bar.left() + bar.width() * 0.8, bar.center().y()),
             QPointF(bar.left() + bar.width() * 0.2, bar.center().y()));
  CHECK(w.document()->document().layer(raster).strength == Approx(0.2f).margin(0.02));
  CHECK(w.document()->undoStack()->count() == steps + 1);  // the whole drag: one step
  w.document()->undoStack()->undo();
  CHECK(w.document()->document().layer(raster).strength == Approx(0.75f));
}
