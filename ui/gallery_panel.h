// gallery_panel.h — the session's generated images (newest first) with their parameters as a
// tooltip; Recall puts prompt, seed and every setting back into the Generation panel, Stage puts
// the image back into the staging area. UI thread only.
#pragma once

#include <QWidget>

#include "strata/io/generation_info.h"

class QListWidget;

namespace strata::ui {

class GenerationController;
class DocumentController;

class GalleryPanel : public QWidget {
  Q_OBJECT
 public:
  GalleryPanel(GenerationController* generation, DocumentController* document, QWidget* parent = nullptr);

  QListWidget* list() const { return m_list; }
  void recallSelected();

 Q_SIGNALS:
  void recallRequested(const strata::io::GenerationInfo& info);

 private:
  void add(int historyIndex);
  int selectedHistoryIndex() const;

  GenerationController* m_generation;
  DocumentController* m_document;
  QListWidget* m_list;
};

}  // namespace strata::ui
