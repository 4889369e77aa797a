// document_controller.h — the UI's owner of the open document: the doc::Document, its undo stack,
// the project settings, the current layer and the one error channel (DESIGN §7).
//
// Every edit goes through push(): the doc::Command is applied, the change is announced
// (areasChanged with the document areas whose look changed, layersChanged when the layer list or a
// property changed, bboxChanged), and it is recorded on the QUndoStack as a DocUndoCommand. A layer
// property (name, visibility, lock, opacity, strength, feather, inversion) is changed through
// setLayerProperty(), whoever asks: the layers panel, a row's strength bar, the layer model. Views
// never edit the document themselves. The undo stack is bounded by bytes (doc::History's budget): when
// it is exceeded the oldest steps are dropped. UI thread only.
#pragma once

#include <QObject>
#include <QRect>
#include <QString>
#include <QUndoStack>
#include <QVariant>
#include <QVector>
#include <map>
#include <memory>

#include "strata/doc/command.h"
#include "strata/io/project.h"
#include "undo_command.h"

namespace strata::ui {

// The layer properties the UI edits, and the value each takes in setLayerProperty().
enum class LayerProperty {
  Name,      // QString, trimmed, not empty
  Visible,   // bool
  Locked,    // bool
  Opacity,   // double [0,1], raster layers
  Strength,  // double [0,1], raster layers
  Feather,   // int px [0, doc::max_feather], masks
  Inverted,  // bool, masks
};

// What an error is about; the banner showing it goes away when that topic's success arrives (see
// resolveErrors): the rules are in docs/ARCHITECTURE.md ("Errors").
enum class ErrorTopic {
  Other,       // stays until dismissed or replaced
  Edit,        // a refused edit or tool (locked layer, …): resolved by the next edit or layer selection
  File,        // open / save / export / import: resolved by the next one that succeeds
  Model,       // no model, a model that failed to load: resolved when a model loads
  Request,     // settings the request refuses: resolved when an invocation is queued
  Generation,  // a job that failed: resolved when a job finishes with a result
};

class DocumentController : public QObject, private CommandTarget {
  Q_OBJECT
 public:
  explicit DocumentController(QObject* parent = nullptr);
  ~DocumentController() override;

  const doc::Document& document() const { return m_doc; }
  QUndoStack* undoStack() { return &m_undo; }

  // Applies `command` as one undo step. Returns false (and reports the error) when it failed; the
  // document and the undo stack are then unchanged. Consecutive pushes with the same non-zero
  // mergeKey become one step.
  bool push(std::unique_ptr<doc::Command> command, MergeKey mergeKey = {});
  // The one way to change a property of layer `id` (values: see LayerProperty). Setting the value
  // it already has changes nothing and returns true. Returns false when it failed (no such layer,
  // an empty name, or the document refused it: the wrong kind of layer, out of range; that error
  // is reported). A drag passes the same newMergeKey() with each value: one undo step.
  bool setLayerProperty(doc::LayerId id, LayerProperty property, const QVariant& value, MergeKey mergeKey = {});
  // A key no earlier gesture used, for the edits of one gesture (slider press → release).
  MergeKey newMergeKey();
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

  // Where a layer's pixels came from: the GenerationInfo of the result that Accept made it from.
  // Saved with the project (io::Project::layer_generation, by layer id) and restored by reset();
  // exports write it as PNG metadata (ProjectFiles::exportPng).
  void setLayerGeneration(doc::LayerId id, io::GenerationInfo info) { m_layerGeneration[id.value] = std::move(info); }
  const io::GenerationInfo* layerGeneration(doc::LayerId id) const;

  QString filePath() const { return m_filePath; }
  bool isModified() const { return !m_undo.isClean() || m_settingsModified; }
  void markSaved(const QString& filePath);  // after a successful save
  void markModified();                      // e.g. a restored autosave: not saved anywhere yet
  // Changes since the last autosave (any undo-stack movement counts).
  quint64 revision() const { return m_revision; }

  doc::LayerId currentLayer() const { return m_current; }
  void setCurrentLayer(doc::LayerId id);

  // The one error channel: non-modal, the app keeps running.
  void reportError(const QString& message, ErrorTopic topic = ErrorTopic::Other);
  // The cause of `topic`'s errors is gone (a success of that kind): their banner can go. push()
  // and setCurrentLayer() resolve ErrorTopic::Edit themselves.
  void resolveErrors(ErrorTopic topic);
  void reportInfo(const QString& message);

  std::size_t undoByteBudget() const { return m_byteBudget; }
  void setUndoByteBudget(std::size_t bytes);
  std::size_t undoByteSize() const;

 Q_SIGNALS:
  void documentReset();
  void layersChanged();
  void areasChanged(const QVector<QRect>& documentAreas);
  void bboxChanged();
  void currentLayerChanged(quint32 layerId);
  void settingsChanged();
  void stagingChanged();
  void modifiedChanged(bool modified);
  void errorReported(const QString& message, strata::ui::ErrorTopic topic);
  void errorsResolved(strata::ui::ErrorTopic topic);
  void infoReported(const QString& message);

 private:
  // CommandTarget (DocUndoCommand's redo/undo).
  bool apply(doc::Command& command) override;
  void revert(doc::Command& command) override;
  void announce();
  void trimHistory();

  doc::Document m_doc;
  doc::Document m_shown;  // the state the last announcement described
  QUndoStack m_undo;
  io::GenerationInfo m_settings;
  std::string m_templateName;
  std::vector<io::StagedImage> m_staging;
  std::map<std::uint32_t, io::GenerationInfo> m_layerGeneration;  // by layer id; saved in the project
  QString m_filePath;
  bool m_settingsModified = false;
  quint32 m_lastMergeKey = 0;
  quint64 m_revision = 0;
  doc::LayerId m_current;
  std::size_t m_byteBudget = doc::History::default_byte_budget;
};

}  // namespace strata::ui
