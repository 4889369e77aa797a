// document_controller.h — the UI's owner of the open document: the doc::Document, its undo stack,
// the project settings, the current layer and the one error channel (DESIGN §7).
//
// Every edit goes through push(): the doc::Command is wrapped in a DocUndoCommand on the
// QUndoStack, applied, and the change is announced (areasChanged with the document areas whose
// look changed, layersChanged when the layer list or a property changed, bboxChanged). Views never
// edit the document themselves. The undo stack is bounded by bytes (doc::History's budget): when
// it is exceeded the oldest steps are dropped. UI thread only.
#pragma once

#include <QObject>
#include <QRect>
#include <QString>
#include <QUndoStack>
#include <QVector>
#include <memory>

#include "strata/doc/command.h"
#include "strata/io/project.h"

namespace strata::ui {

class DocumentController : public QObject {
  Q_OBJECT
 public:
  explicit DocumentController(QObject* parent = nullptr);
  ~DocumentController() override;

  const doc::Document& document() const { return m_doc; }
  QUndoStack* undoStack() { return &m_undo; }

  // Applies `command` as one undo step. Returns false (and reports the error) when it failed; the
  // document is then unchanged. Consecutive pushes with the same non-zero mergeKey become one step.
  bool push(std::unique_ptr<doc::Command> command, int mergeKey = 0);
  // Groups the pushes between them into one undo step named `text`.
  void beginGroup(const QString& text) { m_undo.beginMacro(text); }
  void endGroup() { m_undo.endMacro(); }

  // Replaces the whole document (new / open / restore); clears the undo history.
  void reset(io::Project project, const QString& filePath = {});
  // A snapshot of the document and settings, for saving.
  io::Project project() const;

  const io::GenerationInfo& settings() const { return m_settings; }
  void setSettings(const io::GenerationInfo& settings);  // e.g. recalled from a dropped PNG
  const std::string& templateName() const { return m_templateName; }
  void setTemplateName(const std::string& name);

  // Generated results not yet accepted (saved with the project; not part of the undo history).
  const std::vector<io::StagedImage>& staging() const { return m_staging; }
  void addStaged(io::StagedImage image);
  void removeStaged(int index);
  void clearStaging();

  QString filePath() const { return m_filePath; }
  bool isModified() const { return !m_undo.isClean() || m_settingsModified; }
  void markSaved(const QString& filePath);  // after a successful save
  void markModified();                      // e.g. a restored autosave: not saved anywhere yet
  // Changes since the last autosave (any undo-stack movement counts).
  quint64 revision() const { return m_revision; }

  doc::LayerId currentLayer() const { return m_current; }
  void setCurrentLayer(doc::LayerId id);

  // The one error channel: non-modal, the app keeps running.
  void reportError(const QString& message);
  void reportInfo(const QString& message);

  std::size_t undoByteBudget() const { return m_byteBudget; }
  void setUndoByteBudget(std::size_t bytes);
  std::size_t undoByteSize() const;

  // Used by DocUndoCommand.
  bool applyCommand(doc::Command& command);
  void revertCommand(doc::Command& command);
  bool isReplaying() const { return m_replaying; }

 Q_SIGNALS:
  void documentReset();
  void layersChanged();
  void areasChanged(const QVector<QRect>& documentAreas);
  void bboxChanged();
  void currentLayerChanged(quint32 layerId);
  void settingsChanged();
  void stagingChanged();
  void modifiedChanged(bool modified);
  void errorReported(const QString& message);
  void infoReported(const QString& message);

 private:
  void announce();
  void trimHistory();

  doc::Document m_doc;
  doc::Document m_shown;  // the state the last announcement described
  QUndoStack m_undo;
  io::GenerationInfo m_settings;
  std::string m_templateName;
  std::vector<io::StagedImage> m_staging;
  QString m_filePath;
  bool m_settingsModified = false;
  bool m_replaying = false;
  bool m_lastApplyOk = true;
  quint64 m_revision = 0;
  doc::LayerId m_current;
  std::size_t m_byteBudget = doc::History::default_byte_budget;
};

}  // namespace strata::ui
