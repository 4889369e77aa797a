#include "staging_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

#include "generation_controller.h"

namespace strata::ui {

StagingBar::StagingBar(GenerationController* generation, QWidget* parent)
    : QFrame(parent), m_generation(generation), m_counter(new QLabel), m_info(new QLabel),
      m_accept(new QPushButton(tr("Accept"))), m_discard(new QPushButton(tr("Discard"))) {
  setObjectName(QStringLiteral("stagingBar"));
  setAutoFillBackground(true);
  setStyleSheet(QStringLiteral("#stagingBar { background: #2d3340; } #stagingBar QLabel { color: #e8e8e8; }"));
  auto* prev = new QToolButton;
  prev->setText(QStringLiteral("◀"));
  prev->setToolTip(tr("Previous result"));
  auto* next = new QToolButton;
  next->setText(QStringLiteral("▶"));
  next->setToolTip(tr("Next result"));
  auto* discardAll = new QPushButton(tr("Discard all"));
  m_accept->setToolTip(tr("Add this result as a new layer (one undo step) and close the staging area"));
  m_accept->setDefault(true);
  auto* title = new QLabel(tr("<b>Staging</b>"));
  m_info->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // never widens the window
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 4, 8, 4);
  layout->addWidget(title);
  layout->addWidget(prev);
  layout->addWidget(m_counter);
  layout->addWidget(next);
  layout->addWidget(m_info, 1);
  layout->addWidget(m_accept);
  layout->addWidget(m_discard);
  layout->addWidget(discardAll);
  connect(prev, &QToolButton::clicked, generation, &GenerationController::previous);
  connect(next, &QToolButton::clicked, generation, &GenerationController::next);
  connect(m_accept, &QPushButton::clicked, generation, &GenerationController::accept);
  connect(m_discard, &QPushButton::clicked, generation, &GenerationController::discard);
  connect(discardAll, &QPushButton::clicked, generation, &GenerationController::discardAll);
  connect(generation, &GenerationController::stagingChanged, this, &StagingBar::update);
  update(generation->stagingIndex(), generation->stagingCount());
}

QString StagingBar::counterText() const { return m_counter->text(); }

void StagingBar::update(int index, int count) {
  setVisible(count > 0);
  if (count == 0) return;
  m_counter->setText(QStringLiteral("%1 / %2").arg(index + 1).arg(count));
  if (const io::StagedImage* s = m_generation->currentStaged()) {
    m_info->setText(tr("seed %1 · %2 × %3").arg(s->info.seed.value_or(0)).arg(s->image.width).arg(s->image.height));
    m_info->setToolTip(QString::fromStdString(s->info.prompt));
  }
}

}  // namespace strata::ui
