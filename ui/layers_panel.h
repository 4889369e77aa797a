// layers_panel.h — the Layers dock: the layer list (LayerModel in a QListView with drag-to-reorder,
// checkbox visibility, double-click rename), buttons for add / add mask / duplicate / delete /
// merge down / raise / lower, and the current layer's properties: opacity, lock and the denoising
// strength slider (0–1, with a number box that commits on Enter / focus-out) for raster layers; feather, invert and clear for masks.
// Every change goes through the DocumentController as an undoable command (properties through
// setLayerProperty); one slider drag (press → release, one merge key) is one undo step. UI thread
// only.
#pragma once

#include <QDoubleSpinBox>
#include <QWidget>
#include <optional>

#include "document_controller.h"
#include "strata/doc/layer.h"

class QListView;
class QSlider;
class QSpinBox;
class QCheckBox;
class QPushButton;
class QLabel;
class QStackedWidget;

namespace strata::ui {

class LayerModel;

// A typed strength: "0.3", ".3", "0,3", "30 %" or "30" (a number above 1 is a percentage); nullopt
// when it is not a number in [0,1] (or [0,100] %).
std::optional<double> parseStrength(QString text);

// The strength number box: accepts what parseStrength reads and commits (valueChanged) only on
// Enter, focus-out or a step (arrow keys, wheel), so a half-typed "0." never becomes a strength.
class StrengthSpinBox : public QDoubleSpinBox {
 public:
  explicit StrengthSpinBox(QWidget* parent = nullptr);
  bool isEditing() const;  // the text was typed and not yet committed

 protected:
  QValidator::State validate(QString& input, int& pos) const override;
  double valueFromText(const QString& text) const override;
  void fixup(QString& input) const override;
};

class LayersPanel : public QWidget {
  Q_OBJECT
 public:
  explicit LayersPanel(DocumentController* document, QWidget* parent = nullptr);

  LayerModel* model() const { return m_model; }
  QListView* view() const { return m_view; }
  QSlider* strengthSlider() const { return m_strength; }
  StrengthSpinBox* strengthSpin() const { return m_strengthSpin; }

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
  // Sets a property of the current layer; while `slider` is held down, as part of its drag.
  void setCurrentLayerProperty(LayerProperty property, const QVariant& value, const QSlider* slider = nullptr);
  void addLayer(doc::Layer prototype);

  DocumentController* m_document;
  LayerModel* m_model;
  QListView* m_view;
  QStackedWidget* m_props;
  QSlider* m_opacity;
  QLabel* m_opacityValue;
  QSlider* m_strength;
  StrengthSpinBox* m_strengthSpin;
  QCheckBox* m_locked;
  QSpinBox* m_feather;
  QPushButton* m_invert;
  QPushButton* m_clear;
  QCheckBox* m_maskLocked;
  MergeKey m_dragKey;  // of the slider drag under way
  int m_layerCounter = 0;
};

}  // namespace strata::ui
