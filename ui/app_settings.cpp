#include "app_settings.h"

#include <QSettings>

namespace strata::ui {

AppSettings AppSettings::load() {
  QSettings s;
  AppSettings a;
  a.engine.device = s.value(QStringLiteral("engine/device"), a.engine.device).toString();
  a.engine.precision = s.value(QStringLiteral("engine/precision"), a.engine.precision).toString();
  a.engine.threads = s.value(QStringLiteral("engine/threads"), a.engine.threads).toInt();
  a.engine.tokenizer = s.value(QStringLiteral("engine/tokenizer")).toString();
  a.engine.previewMode = s.value(QStringLiteral("engine/previewMode"), a.engine.previewMode).toString();
  a.engine.taesdDecoder = s.value(QStringLiteral("engine/taesd")).toString();
  a.modelsFolder = s.value(QStringLiteral("models/folder")).toString();
  a.lastModel = s.value(QStringLiteral("models/last")).toString();
  a.autosaveMinutes = s.value(QStringLiteral("files/autosaveMinutes"), a.autosaveMinutes).toInt();
  return a;
}

void AppSettings::save() const {
  QSettings s;
  s.setValue(QStringLiteral("engine/device"), engine.device);
  s.setValue(QStringLiteral("engine/precision"), engine.precision);
  s.setValue(QStringLiteral("engine/threads"), engine.threads);
  s.setValue(QStringLiteral("engine/tokenizer"), engine.tokenizer);
  s.setValue(QStringLiteral("engine/previewMode"), engine.previewMode);
  s.setValue(QStringLiteral("engine/taesd"), engine.taesdDecoder);
  s.setValue(QStringLiteral("models/folder"), modelsFolder);
  s.setValue(QStringLiteral("models/last"), lastModel);
  s.setValue(QStringLiteral("files/autosaveMinutes"), autosaveMinutes);
}

}  // namespace strata::ui
