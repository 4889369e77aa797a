// layers_panel.h — the Layers dock: the layer list (LayerModel in a QListView with drag-to-reorder,
// checkbox visibility, double-click rename), buttons for add / add mask / duplicate / delete /
// merge down / raise / lower, and the current layer's properties: opacity, lock and the denoising
// strength slider (0–1, with the number) for raster layers; feather, invert and clear for masks.
// Every change goes through the DocumentController as an undoable command; one slider drag is
// one undo step. UI thread only.
#pragma once

#include <QWidget>

#include "strata/doc/layer.h"

class QListView;
class QSlider;
class QDoubleSpinBox;
class QSpinBox;
class QCheckBox;
class QPushButton;
class QLabel;
class QStackedWidget;

namespace strata::ui {

class DocumentController;
class LayerModel;

class LayersPanel : public QWidget {
  Q_OBJECT
 public:
  explicit LayersPanel(DocumentController* document, QWidget* parent = nullptr);

  LayerModel* model() const { return m_model; }
  QListView* view() const { return m_view; }
  QSlider* strengthSlider() const { return m_strength; }
  QDoubleSpinBox* strengthSpin() const { return m_strengthSpin; }

 public Q_SLOTS:
  void addRasterLayer();
  void addMaskLayer();
  void duplicateLayer();
  void deleteLayer();
  void mergeDown();
  void raiseLayer();
  void lowerLayer();
  void clearMask();
  void invertMask();

 private:
  void refresh();          // the property widgets from the current layer
  void selectCurrent();    // the list selection from the controller's current layer
  int mergeKey(int property, bool dragging);
  void setStrength(double value, bool dragging);
  void setOpacity(double value, bool dragging);
  void addLayer(doc::Layer prototype);

  DocumentController* m_document;
  LayerModel* m_model;
  QListView* m_view;
  QStackedWidget* m_props;
  QSlider* m_opacity;
  QLabel* m_opacityValue;
  QSlider* m_strength;
  QDoubleSpinBox* m_strengthSpin;
  QCheckBox* m_locked;
  QSpinBox* m_feather;
  QPushButton* m_invert;
  QPushButton* m_clear;
  QCheckBox* m_maskLocked;
  int m_dragSession = 0;
  int m_layerCounter = 0;
};

}  // namespace strata::ui
