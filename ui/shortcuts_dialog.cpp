#include "shortcuts_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "action_registry.h"

namespace strata::ui {

ShortcutsDialog::ShortcutsDialog(ActionRegistry* actions, QWidget* parent) : QDialog(parent), m_actions(actions) {
  setWindowTitle(tr("Keyboard shortcuts"));
  resize(520, 560);
  auto* layout = new QVBoxLayout(this);
  m_tree = new QTreeWidget(this);
  m_tree->setColumnCount(2);
  m_tree->setHeaderLabels({tr("Action"), tr("Shortcut")});
  m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  layout->addWidget(m_tree, 1);

  auto* row = new QHBoxLayout;
  m_edit = new QKeySequenceEdit(this);
  auto* assign = new QPushButton(tr("Assign"), this);
  auto* reset = new QPushButton(tr("Reset to default"), this);
  row->addWidget(new QLabel(tr("New shortcut:")));
  row->addWidget(m_edit, 1);
  row->addWidget(assign);
  row->addWidget(reset);
  layout->addLayout(row);
  m_warning = new QLabel(this);
  m_warning->setStyleSheet(QStringLiteral("color: #d08000"));
  layout->addWidget(m_warning);
  layout->addWidget(new QLabel(tr("Mouse: wheel zooms about the cursor · space-drag or middle button pans · "
                                  "Shift while dropping an image makes an inpaint mask")));
  auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(close, &QDialogButtonBox::rejected, this, &QDialog::close);
  layout->addWidget(close);

  connect(assign, &QPushButton::clicked, this, [this] {
    const QString id = selectedId();
    if (id.isEmpty()) return;
    const QKeySequence seq = m_edit->keySequence();
    QStringList clash = m_actions->conflicts(seq);
    clash.removeAll(id);
    m_warning->setText(clash.isEmpty() ? QString()
                                       : tr("Also used by: %1").arg(clash.join(QStringLiteral(", "))));
    m_actions->setShortcut(id, seq);
    reload();
  });
  connect(reset, &QPushButton::clicked, this, [this] {
    if (!selectedId().isEmpty()) m_actions->resetShortcut(selectedId());
    reload();
  });
  reload();
}

QString ShortcutsDialog::selectedId() const {
  const QTreeWidgetItem* item = m_tree->currentItem();
  return item ? item->data(0, Qt::UserRole).toString() : QString();
}

void ShortcutsDialog::reload() {
  const QString keep = selectedId();
  m_tree->clear();
  QHash<QString, QTreeWidgetItem*> groups;
  for (const QString& id : m_actions->ids()) {
    const QString g = m_actions->group(id);
    QTreeWidgetItem*& parent = groups[g];
    if (!parent) {
      parent = new QTreeWidgetItem(m_tree, {g});
      parent->setFirstColumnSpanned(true);
      parent->setExpanded(true);
    }
    const QAction* a = m_actions->action(id);
    auto* item = new QTreeWidgetItem(parent, {a->text().remove(QLatin1Char('&')), a->shortcut().toString(QKeySequence::NativeText)});
    item->setData(0, Qt::UserRole, id);
    if (id == keep) m_tree->setCurrentItem(item);
  }
}

}  // namespace strata::ui
