#include "generation_controller.h"

#include <cmath>

#include "document_controller.h"
#include "qt_image.h"
#include "strata/doc/commands.h"
#include "strata/io/generation_inputs.h"

namespace strata::ui {

QString GenerationProgress::text() const {
  if (!running) return queued > 0 ? QObject::tr("%1 queued").arg(queued) : QString();
  if (cancelling) return QObject::tr("Cancelling…");
  QString s;
  if (images > 1) s += QObject::tr("Image %1/%2 · ").arg(image + 1).arg(images);
  if (totalSteps == 0) return s + QObject::tr("Starting…");
  s += QObject::tr("step %1/%2").arg(step).arg(totalSteps);
  if (secondsPerStep > 0) {
    s += QObject::tr(" · %1 s/step · ETA %2 s").arg(secondsPerStep, 0, 'f', 2).arg(std::ceil(etaSeconds));
  }
  if (queued > 0) s += QObject::tr(" · %1 queued").arg(queued);
  return s;
}

GenerationController::GenerationController(DocumentController* document, GenerationService* service, QObject* parent)
    : QObject(parent), m_document(document), m_service(service) {
  m_frame.setSingleShot(true);
  m_frame.setInterval(16);  // about one display frame
  connect(&m_frame, &QTimer::timeout, this, &GenerationController::publishPreview);
  connect(document, &DocumentController::stagingChanged, this, [this] {
    m_stagingIndex = std::clamp(m_stagingIndex, 0, std::max(0, stagingCount() - 1));
    Q_EMIT stagingChanged(m_stagingIndex, stagingCount());
    Q_EMIT overlayChanged();
  });
  if (!service) return;
  connect(service, &GenerationService::modelLoaded, document, [document] { document->resolveErrors(ErrorTopic::Model); });
  connect(service, &GenerationService::jobStarted, this, [this](quint64 id) {
    for (const Pending& p : m_jobs) {
      if (p.id != id) continue;
      m_progress = {};
      m_progress.running = true;
      m_progress.images = p.images;
      m_progress.queued = m_service->pendingCount();
      m_previewRect = p.bbox;
    }
    Q_EMIT progressChanged(m_progress);
    Q_EMIT busyChanged(true);
  });
  connect(service, &GenerationService::progress, this, &GenerationController::onProgress);
  connect(service, &GenerationService::preview, this, &GenerationController::onPreview);
  connect(service, &GenerationService::resultReady, this, &GenerationController::onResult);
  connect(service, &GenerationService::jobFinished, this, &GenerationController::onFinished);
  connect(service, &GenerationService::queueChanged, this, [this](int pending) {
    m_progress.queued = pending;
    Q_EMIT progressChanged(m_progress);
  });
}

quint64 GenerationController::invoke(const generate::GenerationSettings& settings) {
  if (!m_service || !m_service->hasModel()) {
    m_document->reportError(tr("No model is loaded: open a .safetensors file or a diffusers folder first."),
                            ErrorTopic::Model);
    return 0;
  }
  GenerationJob job;
  const doc::Document& document = m_document->document();
  const doc::Rect b = document.bbox();
  try {
    job.request = generate::build_request(document, b, settings);
  } catch (const doc::Error& e) {
    m_document->reportError(QString::fromUtf8(e.what()), ErrorTopic::Request);
    return 0;
  }
  m_document->resolveErrors(ErrorTopic::Request);
  const quint64 id = m_service->enqueue(std::move(job));
  m_jobs.push_back({id, toQRect(b), std::max(1, settings.batch_count)});
  return id;
}

void GenerationController::cancel() {
  if (!m_service || !m_progress.running) return;
  m_service->cancelCurrent();
  // The job stops at its next step boundary; until jobFinished the progress says so.
  m_progress.cancelling = true;
  Q_EMIT progressChanged(m_progress);
}

void GenerationController::clearQueue() {
  if (!m_service) return;
  m_service->clearQueue();
  if (!m_jobs.empty() && m_progress.running) m_jobs.erase(m_jobs.begin() + 1, m_jobs.end());
  else m_jobs.clear();
}

void GenerationController::onProgress(quint64, int image, int step, int total, double sps) {
  m_progress.running = true;
  m_progress.image = image;
  m_progress.step = step;
  m_progress.totalSteps = total;
  m_progress.secondsPerStep = sps;
  const int imagesLeft = m_progress.images - 1 - image;
  m_progress.etaSeconds = sps * ((total - step) + imagesLeft * total);
  Q_EMIT progressChanged(m_progress);
}

void GenerationController::onPreview(quint64, int, int step, const QImage& preview) {
  m_pendingPreview = preview;
  m_pendingStep = step;
  if (!m_frame.isActive()) m_frame.start();
}

void GenerationController::publishPreview() {
  if (m_pendingPreview.isNull() || !m_progress.running) return;
  m_preview = m_pendingPreview;
  Q_EMIT overlayChanged();
  Q_EMIT previewShown(m_pendingStep);
}

void GenerationController::onResult(quint64, int, const io::StagedImage& result) {
  m_history.push_back(result);
  Q_EMIT historyAdded(static_cast<int>(m_history.size()) - 1);
  m_document->addStaged(result);
  m_stagingIndex = stagingCount() - 1;
  m_preview = QImage();
  m_pendingPreview = QImage();
  Q_EMIT stagingChanged(m_stagingIndex, stagingCount());
  Q_EMIT overlayChanged();
}

void GenerationController::onFinished(quint64 id, JobOutcome outcome, const QString& message) {
  std::erase_if(m_jobs, [id](const Pending& p) { return p.id == id; });
  m_preview = QImage();
  m_pendingPreview = QImage();
  m_frame.stop();
  m_progress = {};
  m_progress.queued = m_service->pendingCount();
  if (outcome == JobOutcome::Failed) m_document->reportError(message, ErrorTopic::Generation);
  if (outcome == JobOutcome::Done) m_document->resolveErrors(ErrorTopic::Generation);
  if (outcome == JobOutcome::Cancelled) m_document->reportInfo(message);
  Q_EMIT overlayChanged();
  Q_EMIT progressChanged(m_progress);
  if (!m_service->isBusy()) Q_EMIT busyChanged(false);
}

QImage GenerationController::overlayImage() const {
  if (!m_preview.isNull()) return m_preview;
  const auto& staging = m_document->staging();
  if (staging.empty()) return {};
  return toQImage(staging.at(static_cast<std::size_t>(m_stagingIndex)).image);
}

QRect GenerationController::overlayRect() const {
  if (!m_preview.isNull()) return m_previewRect;
  const auto& staging = m_document->staging();
  if (staging.empty()) return {};
  const io::StagedImage& s = staging.at(static_cast<std::size_t>(m_stagingIndex));
  return QRect(originOf(s), QSize(s.image.width, s.image.height));
}

QPoint GenerationController::originOf(const io::StagedImage& staged) const {
  if (const std::string* o = staged.info.find_extra("Canvas origin")) {
    const QStringList parts = QString::fromStdString(*o).split(u' ', Qt::SkipEmptyParts);
    bool okX = false, okY = false;
    if (parts.size() == 2) {
      const int x = parts[0].toInt(&okX), y = parts[1].toInt(&okY);
      if (okX && okY) return {x, y};
    }
  }
  const doc::Rect& b = m_document->document().bbox();
  return {b.x, b.y};
}

const io::StagedImage* GenerationController::currentStaged() const {
  const auto& staging = m_document->staging();
  if (staging.empty()) return nullptr;
  return &staging.at(static_cast<std::size_t>(std::clamp(m_stagingIndex, 0, stagingCount() - 1)));
}

int GenerationController::stagingCount() const { return static_cast<int>(m_document->staging().size()); }

void GenerationController::setStagingIndex(int index) {
  if (stagingCount() == 0) return;
  m_stagingIndex = (index % stagingCount() + stagingCount()) % stagingCount();
  Q_EMIT stagingChanged(m_stagingIndex, stagingCount());
  Q_EMIT overlayChanged();
}

void GenerationController::next() { setStagingIndex(m_stagingIndex + 1); }
void GenerationController::previous() { setStagingIndex(m_stagingIndex - 1); }

bool GenerationController::accept() {
  if (stagingCount() == 0) return false;
  const io::StagedImage s = m_document->staging().at(static_cast<std::size_t>(m_stagingIndex));
  std::string prompt = s.info.prompt;
  if (const std::string* user = s.info.find_extra("User prompt")) prompt = *user;
  const QPoint at = originOf(s);
  auto cmd = doc::AddLayer::raster(io::result_layer_name(prompt, static_cast<std::int64_t>(s.info.seed.value_or(0))),
                                   s.image, at.x(), at.y());
  doc::AddLayer* raw = cmd.get();
  if (!m_document->push(std::move(cmd))) return false;
  m_document->setLayerGeneration(raw->id(), s.info);
  m_document->setCurrentLayer(raw->id());
  m_document->clearStaging();
  return true;
}

void GenerationController::discard() { m_document->removeStaged(m_stagingIndex); }
void GenerationController::discardAll() { m_document->clearStaging(); }

}  // namespace strata::ui
