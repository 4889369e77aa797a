#include "layers_panel.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

#include "document_controller.h"
#include "layer_delegate.h"
#include "layer_model.h"
#include "strata/doc/commands.h"
#include "strata/doc/error.h"

namespace strata::ui {

namespace {

QToolButton* button(const QString& text, const QString& tip, QWidget* parent) {
  auto* b = new QToolButton(parent);
  b->setText(text);
  b->setToolTip(tip);
  b->setAutoRaise(true);
  return b;
}

}  // namespace

std::optional<double> parseStrength(QString text) {
  text = text.trimmed();
  const bool percent = text.endsWith(u'%');
  if (percent) text.chop(1);
  text = text.trimmed().replace(u',', u'.');
  if (text.startsWith(u'.')) text.prepend(u'0');
  bool ok = false;
  const double v = text.toDouble(&ok);
  if (!ok || v < 0) return std::nullopt;
  // A number above 1 cannot be a strength in [0,1]: it is read as a percentage ("30" = 0.30).
  const double s = (percent || v > 1.0) ? v / 100.0 : v;
  if (s > 1.0) return std::nullopt;
  return s;
}

StrengthSpinBox::StrengthSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
  setRange(0.0, 1.0);
  setSingleStep(0.05);
  setDecimals(2);
  setKeyboardTracking(false);  // typing commits nothing: Enter, focus-out or a step does
  setToolTip(tr("Denoising strength: 0.3, .3 or 30 % (Enter to apply)"));
}

bool StrengthSpinBox::isEditing() const { return lineEdit()->isModified(); }

QValidator::State StrengthSpinBox::validate(QString& input, int&) const {
  if (parseStrength(input)) return QValidator::Acceptable;
  // What may still become a strength: digits, one separator, spaces, a trailing %.
  static const QRegularExpression partial(QStringLiteral(R"(^\s*\d{0,3}[.,]?\d*\s*%?\s*$)"));
  return partial.match(input).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
}

double StrengthSpinBox::valueFromText(const QString& text) const { return parseStrength(text).value_or(value()); }

void StrengthSpinBox::fixup(QString& input) const { input = textFromValue(value()); }

LayersPanel::LayersPanel(DocumentController* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_model(new LayerModel(document, this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  m_view = new QListView(this);
  m_view->setModel(m_model);
  m_view->setItemDelegate(new LayerDelegate(document, m_view));
  m_view->setSelectionMode(QAbstractItemView::SingleSelection);
  m_view->setDragEnabled(true);
  m_view->setAcceptDrops(true);
  m_view->setDropIndicatorShown(true);
  m_view->setDragDropMode(QAbstractItemView::InternalMove);
  m_view->setDefaultDropAction(Qt::MoveAction);
  m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
  layout->addWidget(m_view, 1);

  auto* buttons = new QHBoxLayout;
  const std::pair<QToolButton*, void (LayersPanel::*)()> bs[] = {
      {button(tr("+"), tr("Add a raster layer"), this), &LayersPanel::addRasterLayer},
      {button(tr("+M"), tr("Add an inpaint mask"), this), &LayersPanel::addMaskLayer},
      {button(tr("Dup"), tr("Duplicate the layer"), this), &LayersPanel::duplicateLayer},
      {button(tr("▲"), tr("Raise the layer"), this), &LayersPanel::raiseLayer},
      {button(tr("▼"), tr("Lower the layer"), this), &LayersPanel::lowerLayer},
      {button(tr("⤓"), tr("Merge down"), this), &LayersPanel::mergeDown},
      {button(tr("✕"), tr("Delete the layer"), this), &LayersPanel::deleteLayer},
  };
  for (const auto& [b, slot] : bs) {
    connect(b, &QToolButton::clicked, this, slot);
    buttons->addWidget(b);
  }
  buttons->addStretch();
  layout->addLayout(buttons);

  // Properties of the current layer: page 0 raster, page 1 mask, page 2 none.
  m_props = new QStackedWidget(this);
  auto* raster = new QWidget;
  auto* rf = new QFormLayout(raster);
  rf->setContentsMargins(0, 0, 0, 0);
  m_opacity = new QSlider(Qt::Horizontal);
  m_opacity->setRange(0, 100);
  m_opacityValue = new QLabel;
  m_opacityValue->setMinimumWidth(36);
  auto* opacityRow = new QHBoxLayout;
  opacityRow->addWidget(m_opacity);
  opacityRow->addWidget(m_opacityValue);
  rf->addRow(tr("Opacity"), opacityRow);
  m_strength = new QSlider(Qt::Horizontal);
  m_strength->setRange(0, 100);
  m_strength->setToolTip(tr("Denoising strength of this layer: 0 keeps it, 1 repaints it fully"));
  m_strengthSpin = new StrengthSpinBox;
  m_strengthSpin->setObjectName(QStringLiteral("strengthSpin"));
  auto* strengthRow = new QHBoxLayout;
  strengthRow->addWidget(m_strength);
  strengthRow->addWidget(m_strengthSpin);
  rf->addRow(tr("Strength"), strengthRow);
  m_locked = new QCheckBox(tr("Locked"));
  rf->addRow(QString(), m_locked);
  m_props->addWidget(raster);

  auto* mask = new QWidget;
  auto* mf = new QFormLayout(mask);
  mf->setContentsMargins(0, 0, 0, 0);
  m_feather = new QSpinBox;
  m_feather->setRange(0, doc::max_feather);
  m_feather->setSuffix(tr(" px"));
  mf->addRow(tr("Feather"), m_feather);
  m_invert = new QPushButton(tr("Invert"));
  m_invert->setCheckable(true);
  m_clear = new QPushButton(tr("Clear"));
  auto* maskRow = new QHBoxLayout;
  maskRow->addWidget(m_invert);
  maskRow->addWidget(m_clear);
  mf->addRow(QString(), maskRow);
  m_maskLocked = new QCheckBox(tr("Locked"));
  mf->addRow(QString(), m_maskLocked);
  m_props->addWidget(mask);
  m_props->addWidget(new QLabel(tr("No layer selected")));
  layout->addWidget(m_props);

  // A slider drag (press → release) is one gesture: one merge key, one undo step. The number box
  // commits on Enter, focus-out or a step (arrows, wheel), never per keystroke.
  for (QSlider* s : {m_opacity, m_strength}) {
    connect(s, &QSlider::sliderPressed, this, [this] { m_dragKey = m_document->newMergeKey(); });
  }
  connect(m_opacity, &QSlider::valueChanged, this,
          [this](int v) { setCurrentLayerProperty(LayerProperty::Opacity, v / 100.0, m_opacity); });
  connect(m_strength, &QSlider::valueChanged, this,
          [this](int v) { setCurrentLayerProperty(LayerProperty::Strength, v / 100.0, m_strength); });
  connect(m_strengthSpin, &QDoubleSpinBox::valueChanged, this,
          [this](double v) { setCurrentLayerProperty(LayerProperty::Strength, v); });
  auto lock = [this](bool on) { setCurrentLayerProperty(LayerProperty::Locked, on); };
  connect(m_locked, &QCheckBox::toggled, this, lock);
  connect(m_maskLocked, &QCheckBox::toggled, this, lock);
  connect(m_feather, &QSpinBox::valueChanged, this,
          [this](int px) { setCurrentLayerProperty(LayerProperty::Feather, px); });
  connect(m_invert, &QPushButton::clicked, this, &LayersPanel::invertMask);
  connect(m_clear, &QPushButton::clicked, this, &LayersPanel::clearMask);

  connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) { m_document->setCurrentLayer(m_model->layerAt(current.row())); });
  connect(m_model, &QAbstractItemModel::modelReset, this, &LayersPanel::selectCurrent);
  connect(document, &DocumentController::currentLayerChanged, this, [this] {
    selectCurrent();
    refresh();
  });
  connect(document, &DocumentController::layersChanged, this, &LayersPanel::refresh);
  refresh();
}

void LayersPanel::selectCurrent() {
  const QModelIndex index = m_model->indexOf(m_document->currentLayer());
  if (m_view->currentIndex() != index) m_view->setCurrentIndex(index);
}

void LayersPanel::refresh() {
  const doc::Layer* l = m_document->document().find(m_document->currentLayer());
  if (!l) {
    m_props->setCurrentIndex(2);
    return;
  }
  const QSignalBlocker b1(m_opacity), b2(m_strength), b3(m_strengthSpin), b4(m_locked), b5(m_feather), b6(m_invert),
      b7(m_maskLocked);
  m_props->setCurrentIndex(l->is_mask() ? 1 : 0);
  if (!m_opacity->isSliderDown()) m_opacity->setValue(static_cast<int>(std::lround(l->opacity * 100)));
  m_opacityValue->setText(QStringLiteral("%1 %").arg(std::lround(l->opacity * 100)));
  if (!m_strength->isSliderDown()) m_strength->setValue(static_cast<int>(std::lround(l->strength * 100)));
  if (!m_strengthSpin->isEditing()) m_strengthSpin->setValue(l->strength);  // keep what is being typed
  m_locked->setChecked(l->locked);
  m_maskLocked->setChecked(l->locked);
  m_feather->setValue(l->feather);
  m_invert->setChecked(l->inverted);
}

void LayersPanel::setCurrentLayerProperty(LayerProperty property, const QVariant& value, const QSlider* slider) {
  const doc::LayerId id = m_document->currentLayer();
  if (!id) return;
  m_document->setLayerProperty(id, property, value, slider && slider->isSliderDown() ? m_dragKey : MergeKey{});
}

void LayersPanel::addLayer(doc::Layer prototype) {
  std::optional<std::size_t> index;
  if (const doc::LayerId cur = m_document->currentLayer()) index = m_document->document().index_of(cur) + 1;
  auto add = std::make_unique<doc::AddLayer>(std::move(prototype), index);
  doc::AddLayer* raw = add.get();
  if (m_document->push(std::move(add))) m_document->setCurrentLayer(raw->id());
}

void LayersPanel::addRasterLayer() {
  addLayer(doc::Layer::raster({}, tr("Layer %1").arg(++m_layerCounter).toStdString()));
}

void LayersPanel::addMaskLayer() {
  addLayer(doc::Layer::mask({}, tr("Inpaint mask %1").arg(++m_layerCounter).toStdString()));
}

void LayersPanel::duplicateLayer() {
  if (!m_document->currentLayer()) return;
  auto dup = std::make_unique<doc::DuplicateLayer>(m_document->currentLayer());
  doc::DuplicateLayer* raw = dup.get();
  if (m_document->push(std::move(dup))) m_document->setCurrentLayer(raw->id());
}

void LayersPanel::deleteLayer() {
  if (m_document->currentLayer()) m_document->push(std::make_unique<doc::DeleteLayer>(m_document->currentLayer()));
}

void LayersPanel::mergeDown() {
  if (m_document->currentLayer()) m_document->push(std::make_unique<doc::MergeDown>(m_document->currentLayer()));
}

void LayersPanel::raiseLayer() {
  const doc::LayerId id = m_document->currentLayer();
  if (!id) return;
  const std::size_t i = m_document->document().index_of(id);
  if (i + 1 < m_document->document().layer_count()) m_document->push(std::make_unique<doc::MoveLayer>(id, i + 1));
}

void LayersPanel::lowerLayer() {
  const doc::LayerId id = m_document->currentLayer();
  if (!id) return;
  const std::size_t i = m_document->document().index_of(id);
  if (i > 0) m_document->push(std::make_unique<doc::MoveLayer>(id, i - 1));
}

void LayersPanel::clearMask() {
  const doc::LayerId id = m_document->currentLayer();
  const doc::Layer* l = m_document->document().find(id);
  if (!l || !l->is_mask()) return;
  try {
    auto cmd = doc::clear_layer(m_document->document(), id);
    if (!cmd->empty()) m_document->push(std::move(cmd));
  } catch (const doc::Error& e) {
    m_document->reportError(QString::fromStdString(e.what()), ErrorTopic::Edit);
  }
}

void LayersPanel::invertMask() {
  const doc::LayerId id = m_document->currentLayer();
  const doc::Layer* l = m_document->document().find(id);
  if (l && l->is_mask()) m_document->setLayerProperty(id, LayerProperty::Inverted, !l->inverted);
  refresh();
}

}  // namespace strata::ui
