#include "app_settings.h"

#include <QSettings>

#include "named_combo.h"

namespace strata::ui {

namespace {

// A stored name; a value this version does not know keeps the default, with a warning naming it.
template <typename Table>
void readNamed(const QSettings& s, const QString& key, const Table& table, doc::NamedValue<Table>& value) {
  if (!s.contains(key)) return;
  const QString stored = s.value(key).toString();
  if (const auto* row = doc::find_named(table, stored.toStdString())) {
    value = row->value;
  } else {
    qWarning("settings: %s = '%s' is not one of %s; using %s", qPrintable(key), qPrintable(stored),
             doc::joined_ids(table).c_str(), qPrintable(idText(table, value)));
  }
}

}  // namespace

AppSettings AppSettings::load() {
  QSettings s;
  AppSettings a;
  readNamed(s, QStringLiteral("engine/device"), generate::kDevices, a.engine.device);
  readNamed(s, QStringLiteral("engine/precision"), generate::kPrecisions, a.engine.precision);
  a.engine.threads = s.value(QStringLiteral("engine/threads"), a.engine.threads).toInt();
  s.remove(QStringLiteral("engine/tokenizer"));  // the old global tokenizer broke every other model
  readNamed(s, QStringLiteral("engine/previewMode"), generate::kPreviewModes, a.engine.previewMode);
  a.engine.taesdDecoder = s.value(QStringLiteral("engine/taesd")).toString();
  a.modelsFolder = s.value(QStringLiteral("models/folder")).toString();
  a.lastModel = s.value(QStringLiteral("models/last")).toString();
  a.autosaveMinutes = s.value(QStringLiteral("files/autosaveMinutes"), a.autosaveMinutes).toInt();
  return a;
}

void AppSettings::save() const {
  QSettings s;
  s.setValue(QStringLiteral("engine/device"), idText(generate::kDevices, engine.device));
  s.setValue(QStringLiteral("engine/precision"), idText(generate::kPrecisions, engine.precision));
  s.setValue(QStringLiteral("engine/threads"), engine.threads);
  s.setValue(QStringLiteral("engine/previewMode"), idText(generate::kPreviewModes, engine.previewMode));
  s.setValue(QStringLiteral("engine/taesd"), engine.taesdDecoder);
  s.setValue(QStringLiteral("models/folder"), modelsFolder);
  s.setValue(QStringLiteral("models/last"), lastModel);
  s.setValue(QStringLiteral("files/autosaveMinutes"), autosaveMinutes);
}

QString AppSettings::tokenizerOverride(const QString& model) {
  return QSettings().value(QStringLiteral("models/tokenizers")).toMap().value(model).toString();
}

void AppSettings::setTokenizerOverride(const QString& model, const QString& tokenizer) {
  QSettings s;
  QVariantMap map = s.value(QStringLiteral("models/tokenizers")).toMap();
  if (tokenizer.isEmpty()) {
    map.remove(model);
  } else {
    map.insert(model, tokenizer);
  }
  s.setValue(QStringLiteral("models/tokenizers"), map);
}

}  // namespace strata::ui
