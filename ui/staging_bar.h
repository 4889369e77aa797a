// staging_bar.h — the staging area's controls under the canvas (the staged image itself is drawn
// over the bbox by the canvas): previous / next with "2 / 3", Accept (Enter), Discard, Discard
// all. Hidden while nothing is staged. UI thread only.
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace strata::ui {

class GenerationController;

class StagingBar : public QFrame {
  Q_OBJECT
 public:
  explicit StagingBar(GenerationController* generation, QWidget* parent = nullptr);

  QPushButton* acceptButton() const { return m_accept; }
  QPushButton* discardButton() const { return m_discard; }
  QString counterText() const;

 private:
  void update(int index, int count);

  GenerationController* m_generation;
  QLabel* m_counter;
  QLabel* m_info;
  QPushButton* m_accept;
  QPushButton* m_discard;
};

}  // namespace strata::ui
