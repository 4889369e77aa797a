// A GenerationService for UI tests: no model, no threads. A job runs on a timer on the UI thread:
// `steps` progress + preview events `stepMs` apart, then one result per batch image (a flat
// colour over the bbox: every pixel = resultColor, so tests can tell it from the document).
// Loading a path containing "broken" fails; countTokens counts words. Every model is "SD1 txt2img"
// with native size 512 unless nativeSizes names another; a loaded model reports the prediction
// type it was loaded with (ε unless the options chose one).
#pragma once

#include <QTimer>
#include <deque>
#include <map>

#include "generation_service.h"

namespace strata::test {

class FakeGenerationService : public ui::GenerationService {
  Q_OBJECT
 public:
  explicit FakeGenerationService(QObject* parent = nullptr);

  void loadModel(const QString& path, const ui::EngineOptions& options) override;
  bool hasModel() const override { return m_hasModel; }
  void inspectModels(const QStringList& paths) override;
  quint64 enqueue(ui::GenerationJob job) override;
  void cancelCurrent() override;
  void clearQueue() override;
  bool isBusy() const override { return m_running.id != 0; }
  int pendingCount() const override { return static_cast<int>(m_queue.size()); }
  int countTokens(const QString& prompt) const override;

  int stepMs = 5;
  doc::Rgba8 resultColor{200, 40, 160, 255};
  std::vector<ui::GenerationJob> received;  // every job started, in order
  ui::EngineOptions lastLoadOptions;        // what the last loadModel() was given
  std::map<QString, int> nativeSizes;       // by path; 512 when not listed

 private:
  ui::ModelDescription describe(const QString& path) const;
  void startNext();
  void tick();

  bool m_hasModel = false;
  std::deque<ui::GenerationJob> m_queue;
  ui::GenerationJob m_running;
  int m_image = 0, m_step = 0;
  bool m_cancel = false;
  quint64 m_nextId = 1;
  QTimer m_timer;
};

}  // namespace strata::test
