// settings_dialog.h — Settings: device (CPU, CUDA), precision, threads, models folder, preview mode (linear projection, TAESD, off) with the TAESD weights, autosave
// interval. OK stores them (AppSettings) and emits applied(); the window reloads the model when
// an engine setting changed. UI thread only.
#pragma once

#include <QDialog>

#include "app_settings.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace strata::ui {

class SettingsDialog : public QDialog {
  Q_OBJECT
 public:
  explicit SettingsDialog(QWidget* parent = nullptr);

  void setValues(const AppSettings& settings);
  AppSettings values() const;

 Q_SIGNALS:
  void applied(const strata::ui::AppSettings& settings);

 private:
  QComboBox* m_device;
  QComboBox* m_precision;
  QSpinBox* m_threads;
  QLineEdit* m_modelsFolder;
  QComboBox* m_preview;
  QLineEdit* m_taesd;
  QSpinBox* m_autosave;
};

}  // namespace strata::ui
