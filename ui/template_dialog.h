// template_dialog.h — the prompt template picker and manager (non-modal): search box, the list
// (built-ins first, user templates marked ★), the selected template's texts (editable for user
// templates), a preview of the final prompt and negative prompt for the current prompts, and
// New / Duplicate / Delete / Save / Import… / Export… / Use. UI thread only.
#pragma once

#include <QDialog>
#include <functional>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace strata::ui {

class TemplateStore;

class TemplateDialog : public QDialog {
  Q_OBJECT
 public:
  // currentPrompts: the user's positive and negative prompts, for the preview.
  TemplateDialog(TemplateStore* store, std::function<std::pair<QString, QString>()> currentPrompts,
                 QWidget* parent = nullptr);

  void select(const QString& name);
  QString selectedName() const;
  QLineEdit* searchBox() const { return m_search; }
  QListWidget* list() const { return m_list; }
  QString previewText() const;
  bool importFrom(const QString& path);
  bool exportTo(const QString& path);  // the user templates, or every template when there are none

 Q_SIGNALS:
  void templateChosen(const QString& name);
  void errorOccurred(const QString& message);

 private:
  void refill();
  void showSelected();
  void saveSelected();
  void updatePreview();

  TemplateStore* m_store;
  std::function<std::pair<QString, QString>()> m_prompts;
  QLineEdit* m_search;
  QListWidget* m_list;
  QLineEdit* m_name;
  QPlainTextEdit* m_positive;
  QPlainTextEdit* m_negative;
  QLabel* m_preview;
  QPushButton* m_save;
  QPushButton* m_delete;
};

}  // namespace strata::ui
