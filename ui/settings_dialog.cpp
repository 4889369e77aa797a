#include "settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QThread>
#include <QToolButton>

#include "named_combo.h"

namespace strata::ui {

namespace {

QWidget* withBrowse(QLineEdit* edit, bool folder, const QString& filter) {
  auto* w = new QWidget;
  auto* row = new QHBoxLayout(w);
  row->setContentsMargins(0, 0, 0, 0);
  auto* browse = new QToolButton;
  browse->setText(QStringLiteral("…"));
  QObject::connect(browse, &QToolButton::clicked, edit, [edit, folder, filter] {
    const QString path = folder ? QFileDialog::getExistingDirectory(edit, {}, edit->text())
                                : QFileDialog::getOpenFileName(edit, {}, edit->text(), filter);
    if (!path.isEmpty()) edit->setText(path);
  });
  row->addWidget(edit, 1);
  row->addWidget(browse);
  return w;
}

}  // namespace

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent), m_device(new QComboBox), m_precision(new QComboBox), m_threads(new QSpinBox),
      m_modelsFolder(new QLineEdit), m_preview(new QComboBox), m_taesd(new QLineEdit),
      m_autosave(new QSpinBox) {
  setWindowTitle(tr("Settings"));
  fillCombo(m_device, generate::kDevices);
  fillCombo(m_precision, generate::kPrecisions);
  m_threads->setRange(0, 256);
  m_threads->setSpecialValueText(tr("All cores (%1)").arg(QThread::idealThreadCount()));
  fillCombo(m_preview, generate::kPreviewModes);
  m_autosave->setRange(0, 120);
  m_autosave->setSuffix(tr(" min"));
  m_autosave->setSpecialValueText(tr("Off"));

  auto* form = new QFormLayout;
  form->addRow(tr("Device"), m_device);
  form->addRow(tr("Precision"), m_precision);
  form->addRow(tr("Threads"), m_threads);
  form->addRow(tr("Models folder"), withBrowse(m_modelsFolder, true, {}));
  form->addRow(tr("Previews"), m_preview);
  form->addRow(tr("TAESD decoder"), withBrowse(m_taesd, false, tr("Safetensors (*.safetensors)")));
  form->addRow(tr("Autosave every"), m_autosave);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    const AppSettings s = values();
    s.save();
    Q_EMIT applied(s);
    accept();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  setValues(AppSettings::load());
}

void SettingsDialog::setValues(const AppSettings& s) {
  selectComboValue(m_device, generate::kDevices, s.engine.device);
  selectComboValue(m_precision, generate::kPrecisions, s.engine.precision);
  m_threads->setValue(s.engine.threads);
  m_modelsFolder->setText(s.modelsFolder);
  selectComboValue(m_preview, generate::kPreviewModes, s.engine.previewMode);
  m_taesd->setText(s.engine.taesdDecoder);
  m_autosave->setValue(s.autosaveMinutes);
}

AppSettings SettingsDialog::values() const {
  AppSettings s = AppSettings::load();
  s.engine.device = comboValue(m_device, generate::kDevices, "device");
  s.engine.precision = comboValue(m_precision, generate::kPrecisions, "precision");
  s.engine.threads = m_threads->value();
  s.modelsFolder = m_modelsFolder->text().trimmed();
  s.engine.previewMode = comboValue(m_preview, generate::kPreviewModes, "preview mode");
  s.engine.taesdDecoder = m_taesd->text().trimmed();
  s.autosaveMinutes = m_autosave->value();
  return s;
}

}  // namespace strata::ui
