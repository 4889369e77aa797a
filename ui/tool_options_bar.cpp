#include "tool_options_bar.h"

#include <QColorDialog>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <cmath>

#include "tool_controller.h"

namespace strata::ui {

ToolOptionsBar::ToolOptionsBar(ToolController* tools, QWidget* parent) : QWidget(parent), m_tools(tools) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(6, 0, 6, 0);
  m_size = new QSpinBox(this);
  m_size->setRange(1, static_cast<int>(doc::max_brush_size));
  m_size->setSuffix(tr(" px"));
  m_size->setToolTip(tr("Brush size ([ and ])"));
  m_hardness = new QSpinBox(this);
  m_hardness->setRange(0, 100);
  m_hardness->setSuffix(tr(" %"));
  m_hardness->setToolTip(tr("Brush hardness"));
  m_opacity = new QDoubleSpinBox(this);
  m_opacity->setRange(0.0, 1.0);
  m_opacity->setSingleStep(0.05);
  m_opacity->setToolTip(tr("Brush opacity: the denoising strength a mask stroke paints"));
  m_color = new QToolButton(this);
  m_color->setToolTip(tr("Brush colour for raster layers (pick one with I)"));
  layout->addWidget(new QLabel(tr("Size")));
  layout->addWidget(m_size);
  layout->addWidget(new QLabel(tr("Hardness")));
  layout->addWidget(m_hardness);
  layout->addWidget(new QLabel(tr("Opacity / strength")));
  layout->addWidget(m_opacity);
  layout->addWidget(m_color);

  connect(m_size, &QSpinBox::valueChanged, this, [this](int v) { m_tools->setBrushSize(static_cast<float>(v)); });
  connect(m_hardness, &QSpinBox::valueChanged, this, [this](int v) { m_tools->setBrushHardness(v / 100.0f); });
  connect(m_opacity, &QDoubleSpinBox::valueChanged, this,
          [this](double v) { m_tools->setBrushOpacity(static_cast<float>(v)); });
  connect(m_color, &QToolButton::clicked, this, [this] {
    const doc::Rgba8 c = m_tools->brush().color;
    const QColor picked = QColorDialog::getColor(QColor(c.r, c.g, c.b), this, tr("Brush colour"));
    if (picked.isValid()) m_tools->setBrushColor(picked);
  });
  connect(tools, &ToolController::brushChanged, this, &ToolOptionsBar::sync);
  sync();
}

void ToolOptionsBar::sync() {
  const doc::BrushSettings& b = m_tools->brush();
  const QSignalBlocker b1(m_size), b2(m_hardness), b3(m_opacity);
  m_size->setValue(static_cast<int>(std::lround(b.size)));
  m_hardness->setValue(static_cast<int>(std::lround(b.hardness * 100)));
  m_opacity->setValue(b.opacity);
  QPixmap swatch(16, 16);
  swatch.fill(QColor(b.color.r, b.color.g, b.color.b));
  m_color->setIcon(QIcon(swatch));
}

}  // namespace strata::ui
