// app_settings.h — the application settings the Settings dialog edits, stored in QSettings:
// engine/device, engine/precision, engine/threads, engine/previewMode, engine/taesd, models/folder,
// models/last, files/autosaveMinutes; and the per-model overrides, maps keyed by model path:
// models/tokenizers (there is no global tokenizer: a model's own is found beside it or shipped, see
// strata/diffusion/model_tokenizer.h) and models/predictions (a kPredictions id, "epsilon" or "v";
// absent = detected). UI thread only.
#pragma once

#include <QString>

#include "generation_service.h"

namespace strata::ui {

struct AppSettings {
  EngineOptions engine;
  QString modelsFolder;     // scanned at start ("" = none)
  QString lastModel;        // loaded at start when present
  int autosaveMinutes = 3;  // 0 = off

  static AppSettings load();
  void save() const;

  // The tokenizer chosen for one model ("" = the model's own); setting "" removes the override.
  static QString tokenizerOverride(const QString& model);
  static void setTokenizerOverride(const QString& model, const QString& tokenizer);
  // The prediction type chosen for one model (unset = detected); setting nullopt removes it. A
  // stored name this version does not know reads as unset, with a warning.
  static std::optional<diffusion::Prediction> predictionOverride(const QString& model);
  static void setPredictionOverride(const QString& model, std::optional<diffusion::Prediction> prediction);
};

}  // namespace strata::ui
