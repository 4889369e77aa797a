// shortcuts_dialog.h — Help ▸ Keyboard shortcuts: lists every action's shortcut by group, lets
// the user remap one (saved through ActionRegistry) and names the mouse gestures. Non-modal.
#pragma once

#include <QDialog>

class QTreeWidget;
class QKeySequenceEdit;
class QLabel;

namespace strata::ui {

class ActionRegistry;

class ShortcutsDialog : public QDialog {
  Q_OBJECT
 public:
  ShortcutsDialog(ActionRegistry* actions, QWidget* parent = nullptr);
  void reload();

 private:
  QString selectedId() const;

  ActionRegistry* m_actions;
  QTreeWidget* m_tree;
  QKeySequenceEdit* m_edit;
  QLabel* m_warning;
};

}  // namespace strata::ui
