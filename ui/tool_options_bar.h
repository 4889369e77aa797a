// tool_options_bar.h — the brush options in the tool bar: size, hardness, opacity (the strength
// a mask stroke paints) and the colour for raster layers; kept in sync with the ToolController.
#pragma once

#include <QWidget>

class QSpinBox;
class QDoubleSpinBox;
class QToolButton;

namespace strata::ui {

class ToolController;

class ToolOptionsBar : public QWidget {
  Q_OBJECT
 public:
  ToolOptionsBar(ToolController* tools, QWidget* parent = nullptr);

 private:
  void sync();

  ToolController* m_tools;
  QSpinBox* m_size;
  QSpinBox* m_hardness;
  QDoubleSpinBox* m_opacity;
  QToolButton* m_color;
};

}  // namespace strata::ui
