// generation_worker.h — the QObject that lives on the generation thread and owns the Pipeline.
//
// Created on the UI thread, moved to the worker QThread by WorkerGenerationService; its slots run
// there only (queued calls). It runs a job's request (complete, built on the UI thread) through
// Pipeline::generate image by image (seed, seed + 1, …) so that each result is delivered as soon
// as it is decoded, describes each (generate::describe), and reports through queued signals. Nothing
// thrown by the pipeline leaves run()/loadModel(): doc::Error(Cancelled) becomes
// JobOutcome::Cancelled, every other failure JobOutcome::Failed or modelFailed with its message.
// The pipeline holds c10::InferenceMode itself, on this thread.
#pragma once

#include <QObject>
#include <atomic>
#include <memory>

#include "generation_service.h"

namespace strata::diffusion {
class Pipeline;
class Tokenizer;
}  // namespace strata::diffusion

namespace strata::ui {

using TokenizerPtr = std::shared_ptr<const diffusion::Tokenizer>;

class GenerationWorker : public QObject {
  Q_OBJECT
 public:
  // cancelId: the id of the job to stop (set by the UI thread; read between steps).
  explicit GenerationWorker(const std::atomic<quint64>* cancelId);
  ~GenerationWorker() override;

  // Worker thread only.
  void loadModel(const QString& path, const strata::ui::EngineOptions& options);
  void run(const strata::ui::GenerationJob& job);

 Q_SIGNALS:
  void modelLoaded(const strata::ui::ModelDescription& model, strata::ui::TokenizerPtr tokenizer);
  void modelFailed(const QString& path, const QString& message);
  void modelLoadProgress(const QString& path, double share);
  void jobStarted(quint64 id);
  void progress(quint64 id, int image, int step, int totalSteps, double secondsPerStep);
  void preview(quint64 id, int image, int step, const QImage& preview);
  void resultReady(quint64 id, int image, const strata::io::StagedImage& result);
  void jobFinished(quint64 id, strata::ui::JobOutcome outcome, const QString& message);

 private:
  const std::atomic<quint64>* m_cancelId;
  std::unique_ptr<diffusion::Pipeline> m_pipeline;
  EngineOptions m_options;
  QString m_modelPath;
};

// Describes a model file or folder (diffusion::inspect_model); never throws. Any thread.
ModelDescription describeModel(const QString& path);

}  // namespace strata::ui
