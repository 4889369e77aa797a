#include "worker_generation_service.h"

#include <QPointer>

#include "strata/diffusion/prompt.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace strata::ui {

WorkerGenerationService::WorkerGenerationService(QObject* parent)
    : GenerationService(parent), m_worker(new GenerationWorker(&m_cancelId)) {
  m_thread.setObjectName(QStringLiteral("strata-generation"));
  m_worker->moveToThread(&m_thread);
  connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
  connect(&m_thread, &QThread::started, m_worker, [] {
#ifdef __linux__
    // Per-thread nice; torch's intra-op threads, created from this thread, inherit it.
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
#endif
  }, Qt::DirectConnection);
  m_inspectPool.setMaxThreadCount(1);

  // Worker → UI thread (queued: the worker lives on another thread).
  connect(m_worker, &GenerationWorker::modelLoaded, this, [this](const ModelDescription& d, TokenizerPtr tokenizer) {
    {
      std::lock_guard lock(m_tokenizerMutex);
      m_tokenizer = std::move(tokenizer);
    }
    m_hasModel = true;
    Q_EMIT modelLoaded(d);
  });
  connect(m_worker, &GenerationWorker::modelFailed, this, &GenerationService::modelFailed);
  connect(m_worker, &GenerationWorker::modelLoadProgress, this, &GenerationService::modelLoadProgress);
  connect(m_worker, &GenerationWorker::jobStarted, this, &GenerationService::jobStarted);
  connect(m_worker, &GenerationWorker::progress, this, &GenerationService::progress);
  connect(m_worker, &GenerationWorker::preview, this, &GenerationService::preview);
  connect(m_worker, &GenerationWorker::resultReady, this, &GenerationService::resultReady);
  connect(m_worker, &GenerationWorker::jobFinished, this, &WorkerGenerationService::onJobFinished);
  m_thread.start();
}

WorkerGenerationService::~WorkerGenerationService() {
  m_queue.clear();
  if (m_running) m_cancelId = m_running;
  m_thread.quit();
  m_thread.wait();
  m_inspectPool.waitForDone();
}

void WorkerGenerationService::loadModel(const QString& path, const EngineOptions& options) {
  Q_EMIT modelLoading(path);
  QMetaObject::invokeMethod(m_worker, [w = m_worker, path, options] { w->loadModel(path, options); },
                            Qt::QueuedConnection);
}

void WorkerGenerationService::inspectModels(const QStringList& paths) {
  QPointer<WorkerGenerationService> self(this);
  for (const QString& path : paths) {
    m_inspectPool.start([self, path] {
      const ModelDescription d = describeModel(path);
      // The destructor waits for this pool, so `self` outlives the call; the slot runs queued.
      QMetaObject::invokeMethod(self.data(), [self, d] {
        if (self) Q_EMIT self->modelInspected(d);
      }, Qt::QueuedConnection);
    });
  }
}

quint64 WorkerGenerationService::enqueue(GenerationJob job) {
  job.id = m_nextId++;
  const quint64 id = job.id;
  m_queue.push_back(std::move(job));
  dispatch();
  Q_EMIT queueChanged(pendingCount());
  return id;
}

void WorkerGenerationService::cancelCurrent() {
  if (m_running) m_cancelId = m_running;
}

void WorkerGenerationService::clearQueue() {
  if (m_queue.empty()) return;
  m_queue.clear();
  Q_EMIT queueChanged(0);
}

void WorkerGenerationService::dispatch() {
  if (m_running || m_queue.empty()) return;
  GenerationJob job = std::move(m_queue.front());
  m_queue.pop_front();
  m_running = job.id;
  QMetaObject::invokeMethod(m_worker, [w = m_worker, job = std::move(job)] { w->run(job); }, Qt::QueuedConnection);
}

void WorkerGenerationService::onJobFinished(quint64 id, JobOutcome outcome, const QString& message) {
  if (id == m_running) m_running = 0;
  Q_EMIT jobFinished(id, outcome, message);
  dispatch();
  Q_EMIT queueChanged(pendingCount());
}

int WorkerGenerationService::countTokens(const QString& prompt) const {
  TokenizerPtr tokenizer;
  {
    std::lock_guard lock(m_tokenizerMutex);
    tokenizer = m_tokenizer;
  }
  if (!tokenizer) return -1;
  try {
    return diffusion::count_tokens(*tokenizer, prompt.toStdString());
  } catch (const std::exception&) {
    return -1;  // a malformed weight: the generation reports it
  }
}

}  // namespace strata::ui
