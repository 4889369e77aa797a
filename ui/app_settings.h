// app_settings.h — the application settings the Settings dialog edits, stored in QSettings:
// engine/device, engine/precision, engine/threads, engine/tokenizer, engine/previewMode,
// engine/taesd, models/folder, models/last, files/autosaveMinutes. UI thread only.
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
};

}  // namespace strata::ui
