// app_settings.h — the application settings the Settings dialog edits, stored in QSettings:
// engine/device, engine/precision, engine/threads, engine/previewMode, engine/taesd, models/folder,
// models/last, files/autosaveMinutes; and models/tokenizers, the per-model tokenizer overrides
// (there is no global tokenizer: a model's own is found beside it or shipped, see
// strata/diffusion/model_tokenizer.h). UI thread only.
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
};

}  // namespace strata::ui
