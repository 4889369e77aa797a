// generation_controller.h — the UI side of generating: invocations, progress, live previews, the
// staging area and the session's history (DESIGN.md §2, steps 1 and 3).
//
// invoke() builds the complete request from the document (compose, infill, template) and queues
// it as a job on the GenerationService. Service
// events are the only thing that changes generation state here: previews are kept (the latest
// one per job) and published at most once per display frame (overlayChanged); finished images go
// to the document's staging list (saved with the project) and to the history. The canvas shows
// overlayImage() at overlayRect(): the live preview while a job runs, else the current staged
// image. accept() is one undoable command adding the staged image as a raster layer named
// "<prompt> (<seed>)" at the position it was generated for, then clears the staging area
// (InvokeAI's behaviour); discard() drops the current one. Cancelling never touches the document.
// UI thread only.
#pragma once

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QRect>
#include <QTimer>
#include <vector>

#include "generation_service.h"

namespace strata::ui {

class DocumentController;

struct GenerationProgress {
  bool running = false;
  int image = 0, images = 1;
  int step = 0, totalSteps = 0;
  double secondsPerStep = 0;
  double etaSeconds = 0;
  int queued = 0;
  bool cancelling = false;  // cancel() was asked; the job ends at its next step
  QString text() const;     // "Cancelling…" while cancelling  // "Image 1/2 · step 3/10 · 0.42 s/step · ETA 6 s"
};

class GenerationController : public QObject {
  Q_OBJECT
 public:
  GenerationController(DocumentController* document, GenerationService* service, QObject* parent = nullptr);

  GenerationService* service() const { return m_service; }
  // Builds the request of the current bbox (generate::build_request: compose, infill, template)
  // and queues it. Returns the job id, 0 when nothing was queued (no model, or settings the
  // request refuses: reported through the document's error channel).
  quint64 invoke(const generate::GenerationSettings& settings);
  void cancel();       // the running job, within one step; progress says "Cancelling…" until it ends
  void clearQueue();
  bool isBusy() const { return m_progress.running; }
  const GenerationProgress& progress() const { return m_progress; }

  QImage overlayImage() const;
  QRect overlayRect() const;  // document coordinates; empty when nothing is shown
  bool previewVisible() const { return !m_preview.isNull(); }

  int stagingCount() const;
  int stagingIndex() const { return m_stagingIndex; }
  const io::StagedImage* currentStaged() const;  // nullptr when nothing is staged
  void setStagingIndex(int index);
  void next();
  void previous();
  bool accept();
  void discard();
  void discardAll();
  // Where a result belongs: the "Canvas origin" it was generated for, else the bbox corner.
  QPoint originOf(const io::StagedImage& staged) const;

  const std::vector<io::StagedImage>& history() const { return m_history; }

 Q_SIGNALS:
  void overlayChanged();
  void progressChanged(const strata::ui::GenerationProgress& progress);
  void busyChanged(bool busy);
  void stagingChanged(int index, int count);
  void historyAdded(int index);
  void previewShown(int step);  // a preview reached the canvas (tests, screenshots)

 private:
  void onProgress(quint64 id, int image, int step, int total, double sps);
  void onPreview(quint64 id, int image, int step, const QImage& preview);
  void onResult(quint64 id, int image, const io::StagedImage& result);
  void onFinished(quint64 id, JobOutcome outcome, const QString& message);
  void publishPreview();

  DocumentController* m_document;
  GenerationService* m_service;
  struct Pending {
    quint64 id;
    QRect bbox;
    int images;
  };
  std::vector<Pending> m_jobs;  // queued or running, in order
  GenerationProgress m_progress;
  QImage m_preview, m_pendingPreview;
  int m_pendingStep = 0;
  QRect m_previewRect;
  QTimer m_frame;  // display-rate throttle for previews
  int m_stagingIndex = 0;
  std::vector<io::StagedImage> m_history;
};

}  // namespace strata::ui
