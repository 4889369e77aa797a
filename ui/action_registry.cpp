#include "action_registry.h"

#include <QSettings>

namespace strata::ui {

namespace {
QString key(const QString& id) { return QStringLiteral("shortcuts/") + id; }
}  // namespace

QAction* ActionRegistry::add(const QString& id, const QString& text, const QKeySequence& shortcut, const QString& group) {
  auto* a = new QAction(text, this);
  a->setObjectName(id);
  const QVariant saved = QSettings().value(key(id));
  a->setShortcut(saved.isValid() ? QKeySequence(saved.toString()) : shortcut);
  a->setShortcutContext(Qt::WindowShortcut);
  m_ids.push_back(id);
  m_entries.insert(id, {a, shortcut, group});
  return a;
}

QAction* ActionRegistry::action(const QString& id) const {
  const auto it = m_entries.find(id);
  return it == m_entries.end() ? nullptr : it->action;
}

QString ActionRegistry::group(const QString& id) const { return m_entries.value(id).group; }
QKeySequence ActionRegistry::defaultShortcut(const QString& id) const { return m_entries.value(id).defaultShortcut; }

void ActionRegistry::setShortcut(const QString& id, const QKeySequence& shortcut) {
  QAction* a = action(id);
  if (!a) return;
  a->setShortcut(shortcut);
  QSettings().setValue(key(id), shortcut.toString());
}

void ActionRegistry::resetShortcut(const QString& id) {
  QAction* a = action(id);
  if (!a) return;
  a->setShortcut(defaultShortcut(id));
  QSettings().remove(key(id));
}

QStringList ActionRegistry::conflicts(const QKeySequence& shortcut) const {
  QStringList out;
  if (shortcut.isEmpty()) return out;
  for (const QString& id : m_ids) {
    if (action(id)->shortcut() == shortcut) out.push_back(id);
  }
  return out;
}

}  // namespace strata::ui
