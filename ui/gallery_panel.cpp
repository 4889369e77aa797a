#include "gallery_panel.h"

#include <QHBoxLayout>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "document_controller.h"
#include "generation_controller.h"
#include "qt_image.h"

namespace strata::ui {

GalleryPanel::GalleryPanel(GenerationController* generation, DocumentController* document, QWidget* parent)
    : QWidget(parent), m_generation(generation), m_document(document), m_list(new QListWidget) {
  m_list->setObjectName(QStringLiteral("galleryList"));
  m_list->setViewMode(QListView::IconMode);
  m_list->setIconSize(QSize(72, 72));
  m_list->setResizeMode(QListView::Adjust);
  m_list->setMovement(QListView::Static);
  m_list->setSpacing(4);
  auto* recall = new QPushButton(tr("Recall"));
  recall->setToolTip(tr("Use this image's prompt, seed and settings (double-click)"));
  auto* stage = new QPushButton(tr("Stage"));
  stage->setToolTip(tr("Show it in the staging area again"));
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(recall);
  buttons->addWidget(stage);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(m_list, 1);
  layout->addLayout(buttons);
  connect(recall, &QPushButton::clicked, this, &GalleryPanel::recallSelected);
  connect(m_list, &QListWidget::itemDoubleClicked, this, &GalleryPanel::recallSelected);
  connect(stage, &QPushButton::clicked, this, [this] {
    const int i = selectedHistoryIndex();
    if (i >= 0) m_document->addStaged(m_generation->history().at(static_cast<std::size_t>(i)));
  });
  connect(generation, &GenerationController::historyAdded, this, &GalleryPanel::add);
}

void GalleryPanel::add(int historyIndex) {
  const io::StagedImage& s = m_generation->history().at(static_cast<std::size_t>(historyIndex));
  const QImage thumb = toQImage(s.image).scaled(m_list->iconSize(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
  auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(thumb)), QString::number(s.info.seed.value_or(0)));
  item->setData(Qt::UserRole, historyIndex);
  item->setToolTip(QString::fromStdString(io::format_a1111_parameters(s.info)));
  m_list->insertItem(0, item);
  m_list->setCurrentItem(item);
}

int GalleryPanel::selectedHistoryIndex() const {
  const QListWidgetItem* item = m_list->currentItem();
  return item ? item->data(Qt::UserRole).toInt() : -1;
}

void GalleryPanel::recallSelected() {
  const int i = selectedHistoryIndex();
  if (i < 0) return;
  Q_EMIT recallRequested(m_generation->history().at(static_cast<std::size_t>(i)).info);
}

}  // namespace strata::ui
