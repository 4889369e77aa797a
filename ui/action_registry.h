// action_registry.h — every command of the window as a named QAction with a remappable shortcut.
//
// Defaults follow InvokeAI's canvas (B brush, E eraser, V move, C bbox, [ / ] brush size, H mask
// overlay, Ctrl+Z / Ctrl+Shift+Z...). A user's remapping is stored in QSettings under
// "shortcuts/<id>" and applied when the action is added. UI thread only.
#pragma once

#include <QAction>
#include <QKeySequence>
#include <QObject>
#include <QStringList>

namespace strata::ui {

class ActionRegistry : public QObject {
  Q_OBJECT
 public:
  explicit ActionRegistry(QObject* parent) : QObject(parent) {}

  // Creates the action (owned by the registry) with the saved or default shortcut.
  QAction* add(const QString& id, const QString& text, const QKeySequence& shortcut, const QString& group);
  QAction* action(const QString& id) const;
  QStringList ids() const { return m_ids; }
  QString group(const QString& id) const;
  QKeySequence defaultShortcut(const QString& id) const;

  void setShortcut(const QString& id, const QKeySequence& shortcut);  // saved
  void resetShortcut(const QString& id);
  // Ids whose shortcut equals `shortcut` (to warn about clashes).
  QStringList conflicts(const QKeySequence& shortcut) const;

 private:
  struct Entry {
    QAction* action;
    QKeySequence defaultShortcut;
    QString group;
  };
  QStringList m_ids;
  QHash<QString, Entry> m_entries;
};

}  // namespace strata::ui
