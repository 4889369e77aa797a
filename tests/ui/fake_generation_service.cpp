#include "fake_generation_service.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace strata::test {

FakeGenerationService::FakeGenerationService(QObject* parent) : ui::GenerationService(parent) {
  connect(&m_timer, &QTimer::timeout, this, &FakeGenerationService::tick);
}

void FakeGenerationService::loadModel(const QString& path, const ui::EngineOptions& options) {
  lastLoadOptions = options;
  Q_EMIT modelLoading(path);
  QTimer::singleShot(1, this, [this, path, prediction = options.prediction] {
    if (path.contains(QLatin1String("broken"))) {
      Q_EMIT modelFailed(path, QStringLiteral("%1: not a safetensors file").arg(QFileInfo(path).fileName()));
      return;
    }
    m_hasModel = true;
    ui::ModelDescription d = describe(path);
    if (prediction) d.prediction = *prediction == diffusion::Prediction::VPrediction ? QStringLiteral("v") : QStringLiteral("epsilon");
    Q_EMIT modelLoaded(d);
  });
}

void FakeGenerationService::inspectModels(const QStringList& paths) {
  for (const QString& p : paths) Q_EMIT modelInspected(describe(p));
}

ui::ModelDescription FakeGenerationService::describe(const QString& path) const {
  ui::ModelDescription d;
  d.path = path;
  d.name = QFileInfo(path).completeBaseName();
  d.runnable = !path.contains(QLatin1String("broken"));
  if (!d.runnable) {
    d.reason = QStringLiteral("not a model");
    return d;
  }
  d.family = QStringLiteral("SD1 txt2img");
  d.nativeSize = 512;
  d.prediction = QStringLiteral("epsilon");
  if (const auto it = nativeSizes.find(path); it != nativeSizes.end()) d.nativeSize = it->second;
  return d;
}

quint64 FakeGenerationService::enqueue(ui::GenerationJob job) {
  job.id = m_nextId++;
  const quint64 id = job.id;
  m_queue.push_back(std::move(job));
  if (!isBusy()) QTimer::singleShot(0, this, &FakeGenerationService::startNext);
  Q_EMIT queueChanged(pendingCount());
  return id;
}

void FakeGenerationService::startNext() {
  if (isBusy() || m_queue.empty()) return;
  m_running = std::move(m_queue.front());
  m_queue.pop_front();
  received.push_back(m_running);
  m_image = m_step = 0;
  m_cancel = false;
  Q_EMIT jobStarted(m_running.id);
  m_timer.start(stepMs);
}

void FakeGenerationService::tick() {
  const quint64 id = m_running.id;
  if (m_cancel) {
    m_timer.stop();
    m_running = {};
    Q_EMIT jobFinished(id, ui::JobOutcome::Cancelled, QStringLiteral("Generation cancelled"));
    startNext();
    return;
  }
  const diffusion::GenerationRequest& r = m_running.request.diffusion;
  const int steps = r.steps;
  ++m_step;
  Q_EMIT progress(id, m_image, m_step, steps, stepMs / 1000.0);
  QImage frame(r.width / 8, r.height / 8, QImage::Format_RGB888);
  frame.fill(QColor(30, 30 + 200 * m_step / steps, 90));
  Q_EMIT preview(id, m_image, m_step, frame);
  if (m_step < steps) return;
  diffusion::GeneratedImage generated;
  generated.image = doc::Image8(r.width, r.height, 3);
  for (std::size_t i = 0; i < generated.image.pixels.size(); i += 3) {
    generated.image.pixels[i] = resultColor.r;
    generated.image.pixels[i + 1] = resultColor.g;
    generated.image.pixels[i + 2] = resultColor.b;
  }
  generated.seed = r.seed + m_image;
  generated.steps_run = steps;
  generated.processed_width = r.width;
  generated.processed_height = r.height;
  diffusion::ModelSummary model;
  model.name = "fake.safetensors";
  io::StagedImage result;
  result.info = generate::describe(m_running.request, generated, model, "", m_image);
  result.image = std::move(generated.image);
  Q_EMIT resultReady(id, m_image, result);
  m_step = 0;
  if (++m_image < r.batch_count) return;
  m_timer.stop();
  m_running = {};
  Q_EMIT jobFinished(id, ui::JobOutcome::Done, {});
  startNext();
}

void FakeGenerationService::cancelCurrent() {
  if (isBusy()) m_cancel = true;
}

void FakeGenerationService::clearQueue() {
  m_queue.clear();
  Q_EMIT queueChanged(0);
}

int FakeGenerationService::countTokens(const QString& prompt) const {
  if (!m_hasModel) return -1;
  return static_cast<int>(prompt.split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts).size());
}

}  // namespace strata::test
