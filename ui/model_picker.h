// model_picker.h — the model row of the Generation panel: a list of models (the models folder,
// scanned at start, the embedded default model, files and diffusers folders opened by the user), an Open button, and a
// status line (loading…, the detected family, or why a model cannot run). Models are described
// by the service without loading (inspectModels) and loaded on the worker (loadModel); nothing
// here blocks the UI and a broken file only produces a message. Each entry names the model's family
// and native size (model_entry.h). The Open menu also holds the settings of the last model asked
// for: its tokenizer (AppSettings::tokenizerOverride; normally a model's tokenizer is found beside
// it or is the shipped CLIP vocabulary) and its prediction type (AppSettings::predictionOverride:
// automatic, ε or v, for an SD 2.x file that does not say). UI thread only.
#pragma once

#include <QWidget>

#include "generation_service.h"

class QComboBox;
class QLabel;
class QMenu;
class QProgressBar;
class QToolButton;

namespace strata::ui {

class ModelPicker : public QWidget {
  Q_OBJECT
 public:
  ModelPicker(GenerationService* service, QWidget* parent = nullptr);

  // Lists the .safetensors files and diffusers folders (model_index.json) directly in `folder`.
  void scanFolder(const QString& folder);
  // Adds (when new) and loads a model with the engine settings and its tokenizer override.
  void loadModel(const QString& path);
  // At start-up: loads `last` (the previous session's model), or the embedded default model when
  // `last` is empty or gone, or fails to load (then with an errorOccurred naming the failure).
  void loadAtStart(const QString& last);
  // Sets (or, with "", removes) the tokenizer override of `model` and reloads it.
  void setTokenizerOverride(const QString& model, const QString& tokenizer);
  // Sets (or, with nullopt, removes) the prediction type override of `model` and reloads it.
  void setPredictionOverride(const QString& model, std::optional<diffusion::Prediction> prediction);
  void setEngineOptions(const EngineOptions& options) { m_options = options; }
  QString currentPath() const { return m_loaded; }
  // The embedded default model (strata/io/default_model.h), always listed; empty when not installed.
  QString defaultModelPath() const { return m_default; }
  QString statusText() const;
  QComboBox* combo() const { return m_combo; }

 Q_SIGNALS:
  void errorOccurred(const QString& message);

 private:
  int addModel(const QString& path);
  void addDefaultModel();
  void openFile();
  void openFolder();
  void addPredictionMenu(QMenu* menu);

  GenerationService* m_service;
  EngineOptions m_options;
  QComboBox* m_combo;
  QToolButton* m_open;
  QLabel* m_status;
  QProgressBar* m_busy;
  void chooseTokenizer();

  QString m_loaded, m_loading, m_default;
  QString m_requested;     // the last model asked for (the tokenizer actions act on it)
  QString m_startFallback; // the start-up model whose failure loads the default instead
};

}  // namespace strata::ui
