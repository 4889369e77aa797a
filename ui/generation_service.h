// generation_service.h — what the UI asks of a generation backend, in Qt and document types only.
//
// The real implementation (ui/worker/, WorkerGenerationService) runs a diffusion Pipeline on one
// worker QThread; tests use FakeGenerationService. The UI thread calls these functions and never
// waits: every answer arrives later through the signals, which are always delivered on the UI
// thread (queued). Jobs run one at a time in enqueue order; cancelCurrent() stops the running job
// within one sampler step (jobFinished(Cancelled), no result for the unfinished image),
// clearQueue() drops the jobs not started yet (no signals for them).
// A GenerationJob is a complete value: the diffusion request, built on the UI thread from the
// document and the typed settings (generate::build_request); the backend only runs it.
// UI thread only.
#pragma once

#include <QImage>
#include <QObject>
#include <optional>
#include <QString>
#include <QStringList>

#include "model_vocabulary.h"
#include "strata/doc/document.h"
#include "strata/generate/request.h"
#include "strata/io/project.h"

namespace strata::ui {

// A job is a complete value (DESIGN.md §2): the request built on the UI thread by
// generate::build_request (bbox composed, template applied, strength map made).
struct GenerationJob {
  quint64 id = 0;  // assigned by enqueue()
  generate::Request request;
};

// A model file or folder as the backend sees it.
struct ModelDescription {
  QString path;
  QString name;
  QString family;     // family and variant: "SD1 txt2img", "SD1 inpainting", "SDXL base", "SDXL refiner", …
  bool runnable = false;
  QString reason;     // why not, when !runnable
  int nativeSize = 0; // training resolution (px per side); for a loaded model, after the user's prediction type
  PromptVocabulary vocabulary;  // the words it knows, when its config.json lists them (embedded model)
  QString prediction; // "epsilon" or "v" (diffusion::kPredictions ids); as loaded, or as detected
};

// Engine settings a model is loaded with (Settings dialog).
struct EngineOptions {
  generate::Device device = generate::Device::CPU;
  generate::Precision precision = generate::Precision::FP32;
  int threads = 0;                            // 0 = all cores
  QString tokenizer;                          // this model's tokenizer override ("" = the model's own:
                                              // strata/diffusion/model_tokenizer.h); set per model
  generate::PreviewMode previewMode = generate::PreviewMode::Linear;
  QString taesdDecoder;                       // TAESD weights for PreviewMode::TAESD
  // This model's prediction type when the user chose one (per model, like the tokenizer); unset:
  // detected from the model (strata/diffusion/model_config.h).
  std::optional<diffusion::Prediction> prediction;  // (a plain enum, torch-free)
};

enum class JobOutcome { Done, Cancelled, Failed };

class GenerationService : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;

  // Loads (replacing the current model when it succeeds): modelLoading, then modelLoaded or
  // modelFailed. Jobs queued meanwhile run after the load.
  virtual void loadModel(const QString& path, const EngineOptions& options) = 0;
  virtual bool hasModel() const = 0;
  // Describes models without loading them: one modelInspected per path, in any order.
  virtual void inspectModels(const QStringList& paths) = 0;

  virtual quint64 enqueue(GenerationJob job) = 0;
  virtual void cancelCurrent() = 0;
  virtual void clearQueue() = 0;
  virtual bool isBusy() const = 0;       // a job is running
  virtual int pendingCount() const = 0;  // jobs waiting (not counting the running one)

  // Prompt tokens as the loaded model's tokenizer counts them (A1111's counter), -1 when no
  // tokenizer is loaded. Cheap; thread-safe.
  virtual int countTokens(const QString& prompt) const = 0;

 Q_SIGNALS:
  void modelLoading(const QString& path);
  void modelLoadProgress(const QString& path, double share);  // weights loaded, 0..1
  void modelLoaded(const strata::ui::ModelDescription& model);
  void modelFailed(const QString& path, const QString& message);
  void modelInspected(const strata::ui::ModelDescription& model);

  void jobStarted(quint64 id);
  void progress(quint64 id, int image, int step, int totalSteps, double secondsPerStep);
  void preview(quint64 id, int image, int step, const QImage& preview);
  // One finished image: bbox-sized, RGB, with the parameters it was generated with.
  void resultReady(quint64 id, int image, const strata::io::StagedImage& result);
  void jobFinished(quint64 id, strata::ui::JobOutcome outcome, const QString& message);
  void queueChanged(int pending);
};

}  // namespace strata::ui
