// worker_generation_service.h — GenerationService over one worker QThread that owns the Pipeline
// (DESIGN.md §6). The queue lives here, on the UI thread: one job is handed to the worker at a
// time, the next when the previous finishes, so clearQueue() never races with the worker. Cancel
// is an atomic "job id to stop" the worker's should_cancel hook reads between steps. Model
// inspection runs on a small pool of its own so that it never waits behind a generation.
// The worker thread runs at a lower CPU priority (nice +5 on Linux) so the UI stays responsive
// on machines with few cores. The destructor cancels the running job, drops the queue and joins
// the thread (at most one sampler step). UI thread only (countTokens: any thread).
#pragma once

#include <QThread>
#include <QThreadPool>
#include <atomic>
#include <deque>
#include <mutex>

#include "generation_service.h"
#include "generation_worker.h"

namespace strata::ui {

class WorkerGenerationService : public GenerationService {
  Q_OBJECT
 public:
  explicit WorkerGenerationService(QObject* parent = nullptr);
  ~WorkerGenerationService() override;

  void loadModel(const QString& path, const EngineOptions& options) override;
  bool hasModel() const override { return m_hasModel; }
  void inspectModels(const QStringList& paths) override;

  quint64 enqueue(GenerationJob job) override;
  void cancelCurrent() override;
  void clearQueue() override;
  bool isBusy() const override { return m_running != 0; }
  int pendingCount() const override { return static_cast<int>(m_queue.size()); }

  int countTokens(const QString& prompt) const override;

 private:
  void dispatch();
  void onJobFinished(quint64 id, JobOutcome outcome, const QString& message);

  QThread m_thread;
  GenerationWorker* m_worker;
  QThreadPool m_inspectPool;
  std::atomic<quint64> m_cancelId{0};
  std::deque<GenerationJob> m_queue;
  quint64 m_nextId = 1;
  quint64 m_running = 0;
  bool m_hasModel = false;
  mutable std::mutex m_tokenizerMutex;
  TokenizerPtr m_tokenizer;
};

}  // namespace strata::ui
