#include "template_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "template_store.h"

namespace strata::ui {

TemplateDialog::TemplateDialog(TemplateStore* store, std::function<std::pair<QString, QString>()> currentPrompts,
                               QWidget* parent)
    : QDialog(parent), m_store(store), m_prompts(std::move(currentPrompts)), m_search(new QLineEdit),
      m_list(new QListWidget), m_name(new QLineEdit), m_positive(new QPlainTextEdit), m_negative(new QPlainTextEdit),
      m_preview(new QLabel), m_save(new QPushButton(tr("Save"))), m_delete(new QPushButton(tr("Delete"))) {
  setWindowTitle(tr("Prompt templates"));
  setObjectName(QStringLiteral("templateDialog"));
  resize(760, 480);
  m_search->setPlaceholderText(tr("Search templates"));
  m_search->setClearButtonEnabled(true);
  m_preview->setWordWrap(true);
  m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_preview->setObjectName(QStringLiteral("templatePreview"));
  m_positive->setPlaceholderText(tr("Positive template; {prompt} marks where your prompt goes"));
  m_negative->setPlaceholderText(tr("Negative template; {prompt} marks where your negative prompt goes"));

  auto* left = new QVBoxLayout;
  left->addWidget(m_search);
  left->addWidget(m_list, 1);
  auto* manage = new QHBoxLayout;
  auto* create = new QPushButton(tr("New"));
  auto* dup = new QPushButton(tr("Duplicate"));
  manage->addWidget(create);
  manage->addWidget(dup);
  manage->addWidget(m_delete);
  left->addLayout(manage);
  auto* files = new QHBoxLayout;
  auto* import = new QPushButton(tr("Import…"));
  import->setToolTip(tr("Strata JSON, or InvokeAI style presets (JSON or CSV)"));
  auto* exportButton = new QPushButton(tr("Export…"));
  exportButton->setToolTip(tr("Strata JSON; name it *.invokeai.json or *.csv for InvokeAI"));
  files->addWidget(import);
  files->addWidget(exportButton);
  left->addLayout(files);

  auto* form = new QFormLayout;
  form->addRow(tr("Name"), m_name);
  form->addRow(tr("Positive"), m_positive);
  form->addRow(tr("Negative"), m_negative);
  form->addRow(tr("Result"), m_preview);
  form->addRow(QString(), m_save);
  auto* columns = new QHBoxLayout;
  columns->addLayout(left, 2);
  columns->addLayout(form, 3);
  auto* buttons = new QDialogButtonBox;
  QPushButton* use = buttons->addButton(tr("Use template"), QDialogButtonBox::AcceptRole);
  buttons->addButton(QDialogButtonBox::Close);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(columns, 1);
  layout->addWidget(buttons);

  connect(m_search, &QLineEdit::textChanged, this, &TemplateDialog::refill);
  connect(m_list, &QListWidget::currentRowChanged, this, &TemplateDialog::showSelected);
  connect(m_positive, &QPlainTextEdit::textChanged, this, &TemplateDialog::updatePreview);
  connect(m_negative, &QPlainTextEdit::textChanged, this, &TemplateDialog::updatePreview);
  connect(m_save, &QPushButton::clicked, this, &TemplateDialog::saveSelected);
  connect(create, &QPushButton::clicked, this, [this] {
    select(m_store->add({tr("My template").toStdString(), "{prompt}", ""}));
  });
  connect(dup, &QPushButton::clicked, this, [this] { select(m_store->duplicate(selectedName())); });
  connect(m_delete, &QPushButton::clicked, this, [this] { m_store->remove(selectedName()); });
  connect(import, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import templates"), {}, tr("Templates (*.json *.csv)"));
    if (!path.isEmpty()) importFrom(path);
  });
  connect(exportButton, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export templates"), QStringLiteral("templates.json"),
                                                      tr("Strata JSON (*.json);;InvokeAI CSV (*.csv)"));
    if (!path.isEmpty()) exportTo(path);
  });
  connect(use, &QPushButton::clicked, this, [this] {
    Q_EMIT templateChosen(selectedName());
    hide();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::hide);
  connect(m_store, &TemplateStore::changed, this, &TemplateDialog::refill);
  refill();
}

void TemplateDialog::refill() {
  const QString keep = selectedName();
  m_list->blockSignals(true);
  m_list->clear();
  for (const QString& name : m_store->search(m_search->text())) {
    const TemplateEntry* e = m_store->find(name);
    auto* item = new QListWidgetItem(e && !e->builtin ? name + QStringLiteral(" ★") : name);
    item->setData(Qt::UserRole, name);
    m_list->addItem(item);
  }
  m_list->blockSignals(false);
  select(keep);
  if (m_list->currentRow() < 0 && m_list->count() > 0) m_list->setCurrentRow(0);
  showSelected();
}

void TemplateDialog::select(const QString& name) {
  for (int i = 0; i < m_list->count(); ++i) {
    if (m_list->item(i)->data(Qt::UserRole).toString() == name) m_list->setCurrentRow(i);
  }
}

QString TemplateDialog::selectedName() const {
  const QListWidgetItem* item = m_list->currentItem();
  return item ? item->data(Qt::UserRole).toString() : QString();
}

void TemplateDialog::showSelected() {
  const TemplateEntry* e = m_store->find(selectedName());
  const bool editable = e && !e->builtin;
  m_name->setText(e ? QString::fromStdString(e->value.name) : QString());
  m_positive->setPlainText(e ? QString::fromStdString(e->value.positive) : QString());
  m_negative->setPlainText(e ? QString::fromStdString(e->value.negative) : QString());
  for (QWidget* w : std::initializer_list<QWidget*>{m_name, m_positive, m_negative, m_save, m_delete}) w->setEnabled(editable);
  m_name->setToolTip(e && e->builtin ? tr("Built-in: duplicate it to make your own version") : QString());
  updatePreview();
}

void TemplateDialog::saveSelected() {
  QString error;
  const io::PromptTemplate t{m_name->text().toStdString(), m_positive->toPlainText().toStdString(),
                             m_negative->toPlainText().toStdString()};
  if (!m_store->update(selectedName(), t, &error)) Q_EMIT errorOccurred(error);
  select(QString::fromStdString(t.name));
}

void TemplateDialog::updatePreview() {
  const auto [positive, negative] = m_prompts ? m_prompts() : std::pair<QString, QString>();
  const io::PromptTemplate t{"", m_positive->toPlainText().toStdString(), m_negative->toPlainText().toStdString()};
  const auto out = io::apply_template(t, positive.toStdString(), negative.toStdString());
  m_preview->setText(tr("<b>Prompt:</b> %1<br><b>Negative:</b> %2")
                         .arg(QString::fromStdString(out.positive).toHtmlEscaped(),
                              QString::fromStdString(out.negative).toHtmlEscaped()));
}

QString TemplateDialog::previewText() const { return m_preview->text(); }

bool TemplateDialog::importFrom(const QString& path) {
  QString error;
  if (m_store->importFile(path, &error) < 0) {
    Q_EMIT errorOccurred(error);
    return false;
  }
  return true;
}

bool TemplateDialog::exportTo(const QString& path) {
  QStringList names;
  for (const TemplateEntry& e : m_store->templates()) {
    if (!e.builtin) names.push_back(QString::fromStdString(e.value.name));
  }
  if (names.isEmpty()) {
    for (const TemplateEntry& e : m_store->templates()) names.push_back(QString::fromStdString(e.value.name));
  }
  QString error;
  if (!m_store->exportFile(path, names, &error)) {
    Q_EMIT errorOccurred(error);
    return false;
  }
  return true;
}

}  // namespace strata::ui
