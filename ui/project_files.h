// project_files.h — new, open, save, save as, recent files, PNG export and autosave.
//
// Projects are OpenRaster files through io::save_project / io::load_project (atomic saves; a
// failed load changes nothing). Opening a plain image (PNG, JPEG, WebP, BMP, TIFF) starts a new
// document holding it as one layer (Krita's and GIMP's Open); adding an image to the open document
// is File ▸ Import image as layer (MainWindow). Exports carry generation metadata when their pixels
// came from a generation (see exportPng). Errors go to the DocumentController's error channel; every
// function returns false then and leaves the document as it was. maybeSave() asks before unsaved
// changes are lost (Save / Discard / Cancel); tests replace the question with setConfirmHandler.
// Autosave: every few minutes, when something changed, the project is written to
// QStandardPaths::AppDataLocation/autosave.ora; a clean exit removes it, so finding it at start
// means the last session crashed and the window offers to restore it. UI thread only.
#pragma once

#include <QObject>
#include <QStringList>
#include <QTimer>
#include <functional>

class QWidget;

namespace strata::ui {

class DocumentController;

class ProjectFiles : public QObject {
  Q_OBJECT
 public:
  enum class Answer { Save, Discard, Cancel };

  ProjectFiles(DocumentController* document, QWidget* dialogParent);

  bool newDocument();  // asks first when modified
  bool open(const QString& path);  // does not ask; see openWithDialog
  bool save();                     // save as when the document has no file yet
  bool saveAs(const QString& path);
  bool exportPng(const QString& path, bool bboxOnly);

  // Interactive variants (file dialogs, questions).
  bool openWithDialog();
  bool saveAsWithDialog();
  bool exportWithDialog(bool bboxOnly);

  // File-dialog filters: the images Strata reads; what Open accepts (projects and images together).
  static QString imageFilter();
  static QString openFilter();
  bool maybeSave();  // true when it is fine to lose the current document now

  void setConfirmHandler(std::function<Answer()> handler) { m_confirm = std::move(handler); }

  QStringList recentFiles() const;
  void clearRecentFiles();

  static constexpr int autosaveIntervalMs = 3 * 60 * 1000;
  void setAutosaveInterval(int ms);  // 0 turns autosave off (Settings dialog)
  static QString autosavePath();
  bool autosaveNow();  // writes when something changed since the last autosave
  bool hasAutosave() const;
  bool restoreAutosave();
  void discardAutosave();

 Q_SIGNALS:
  void recentFilesChanged();

 private:
  void addRecent(const QString& path);

  DocumentController* m_document;
  QWidget* m_dialogParent;
  std::function<Answer()> m_confirm;
  QTimer m_autosave;
  quint64 m_autosavedRevision = 0;
};

}  // namespace strata::ui
