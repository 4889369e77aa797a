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

namespace {

// One entry of a per-model map (models/tokenizers, models/predictions): "" removes it.
void setModelEntry(const QString& key, const QString& model, const QString& value) {
  QSettings s;
  QVariantMap map = s.value(key).toMap();
  if (value.isEmpty()) {
    map.remove(model);
  } else {
    map.insert(model, value);
  }
  s.setValue(key, map);
}

}  // namespace

std::optional<diffusion::Prediction> AppSettings::predictionOverride(const QString& model) {
  const QString stored = QSettings().value(QStringLiteral("models/predictions")).toMap().value(model).toString();
  if (stored.isEmpty()) return std::nullopt;
  if (const auto* row = doc::find_named(diffusion::kPredictions, stored.toStdString())) return row->value;
  qWarning("settings: the prediction type '%s' of %s is not one of %s; detecting it", qPrintable(stored),
           qPrintable(model), doc::joined_ids(diffusion::kPredictions).c_str());
  return std::nullopt;
}

void AppSettings::setPredictionOverride(const QString& model, std::optional<diffusion::Prediction> prediction) {
  setModelEntry(QStringLiteral("models/predictions"), model,
                prediction ? idText(diffusion::kPredictions, *prediction) : QString());
}

void AppSettings::setTokenizerOverride(const QString& model, const QString& tokenizer) {
  setModelEntry(QStringLiteral("models/tokenizers"), model, tokenizer);
}

}  // namespace strata::ui
