#include "project_files.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

#include "document_controller.h"
#include "strata/doc/commands.h"
#include "strata/doc/compose.h"
#include "strata/doc/error.h"
#include "strata/io/image_codec.h"
#include "strata/io/metadata.h"
#include "strata/io/project.h"

namespace strata::ui {

namespace {

constexpr int kMaxRecent = 10;
const QString kImagePatterns = QStringLiteral("*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff");
const QString kImageFilter = QObject::tr("Images (%1)").arg(kImagePatterns);
const QString kProjectFilter = QObject::tr("Strata projects (*.ora)");

std::filesystem::path toPath(const QString& s) { return std::filesystem::path(s.toStdString()); }

// The generation metadata an export of `area` carries: that of the topmost visible layer made by
// Accept whose pixels reach into the area, with the layer named; none when no such layer shows.
std::vector<io::TextChunk> exportMetadata(const DocumentController& c, const doc::Rect& area) {
  const auto& layers = c.document().layers();
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    const io::GenerationInfo* info = c.layerGeneration(it->id);
    if (!info || !it->visible || it->is_mask() || doc::intersect(it->content_bounds(), area).empty()) continue;
    io::GenerationInfo out = *info;
    out.extra.emplace_back("Exported from layer", it->name);
    return io::make_generation_text_chunks(out);
  }
  return {};
}

// A new project holding one image as its only layer, the bbox around it when it is a valid bbox.
io::Project projectFromImage(const doc::Image8& image, const QString& name) {
  io::Project p;
  doc::Layer layer = doc::Layer::raster(p.document.new_layer_id(), name.toStdString());
  layer.pixels.write(image, 0, 0);
  p.document.insert_layer(std::move(layer), 0);
  p.document.set_bbox(doc::snap_bbox({0, 0, image.width, image.height}));
  return p;
}

}  // namespace

ProjectFiles::ProjectFiles(DocumentController* document, QWidget* dialogParent)
    : QObject(dialogParent), m_document(document), m_dialogParent(dialogParent) {
  m_autosave.setInterval(autosaveIntervalMs);
  connect(&m_autosave, &QTimer::timeout, this, &ProjectFiles::autosaveNow);
  m_autosave.start();
  m_autosavedRevision = document->revision();
}

bool ProjectFiles::maybeSave() {
  if (!m_document->isModified()) return true;
  Answer answer = Answer::Cancel;
  if (m_confirm) {
    answer = m_confirm();
  } else {
    const auto b = QMessageBox::warning(m_dialogParent, tr("Unsaved changes"),
                                        tr("The document has unsaved changes. Save them first?"),
                                        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    answer = b == QMessageBox::Save ? Answer::Save : b == QMessageBox::Discard ? Answer::Discard : Answer::Cancel;
  }
  if (answer == Answer::Save) return save();
  return answer == Answer::Discard;
}

bool ProjectFiles::newDocument() {
  if (!maybeSave()) return false;
  m_document->reset(io::Project{});
  return true;
}

bool ProjectFiles::open(const QString& path) {
  try {
    if (path.endsWith(QLatin1String(".ora"), Qt::CaseInsensitive)) {
      m_document->reset(io::load_project(toPath(path)), path);
    } else {
      const doc::Image8 image = io::read_image(toPath(path));
      m_document->reset(projectFromImage(image, QFileInfo(path).completeBaseName()));
      m_document->markModified();
    }
  } catch (const doc::Error& e) {
    m_document->reportError(QString::fromStdString(e.what()), ErrorTopic::File);
    return false;
  }
  m_document->resolveErrors(ErrorTopic::File);
  addRecent(path);
  return true;
}

bool ProjectFiles::save() {
  if (m_document->filePath().isEmpty()) return saveAsWithDialog();
  return saveAs(m_document->filePath());
}

bool ProjectFiles::saveAs(const QString& path) {
  QString target = path;
  if (!target.endsWith(QLatin1String(".ora"), Qt::CaseInsensitive)) target += QStringLiteral(".ora");
  try {
    io::save_project(toPath(target), m_document->project());
  } catch (const doc::Error& e) {
    m_document->reportError(QString::fromStdString(e.what()), ErrorTopic::File);
    return false;
  }
  m_document->resolveErrors(ErrorTopic::File);
  m_document->markSaved(target);
  m_document->reportInfo(tr("Saved %1").arg(QFileInfo(target).fileName()));
  addRecent(target);
  return true;
}

bool ProjectFiles::exportPng(const QString& path, bool bboxOnly) {
  const doc::Document& d = m_document->document();
  doc::Rect area = d.bbox();
  if (!bboxOnly) {
    area = {};
    for (const doc::Layer& l : d.layers()) {
      if (l.visible && !l.is_mask()) area = doc::unite(area, l.content_bounds());
    }
    if (area.empty()) {
      m_document->reportError(tr("Nothing to export: the canvas has no visible pixels."), ErrorTopic::File);
      return false;
    }
  }
  try {
    io::write_png(toPath(path), doc::compose(d, area).rgba, exportMetadata(*m_document, area));
  } catch (const doc::Error& e) {
    m_document->reportError(QString::fromStdString(e.what()), ErrorTopic::File);
    return false;
  }
  m_document->resolveErrors(ErrorTopic::File);
  m_document->reportInfo(tr("Exported %1").arg(QFileInfo(path).fileName()));
  return true;
}

bool ProjectFiles::openWithDialog() {
  if (!maybeSave()) return false;
  const QString path = QFileDialog::getOpenFileName(m_dialogParent, tr("Open"), QString(), openFilter());
  return !path.isEmpty() && open(path);
}

QString ProjectFiles::imageFilter() { return kImageFilter; }

QString ProjectFiles::openFilter() {
  return tr("Projects and images (*.ora %1)").arg(kImagePatterns) + QStringLiteral(";;") + kProjectFilter +
         QStringLiteral(";;") + kImageFilter;
}

bool ProjectFiles::saveAsWithDialog() {
  const QString path = QFileDialog::getSaveFileName(m_dialogParent, tr("Save as"), m_document->filePath(), kProjectFilter);
  return !path.isEmpty() && saveAs(path);
}

bool ProjectFiles::exportWithDialog(bool bboxOnly) {
  QString path = QFileDialog::getSaveFileName(m_dialogParent, bboxOnly ? tr("Export bbox") : tr("Export canvas"),
                                              QString(), tr("PNG images (*.png)"));
  if (path.isEmpty()) return false;
  if (!path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) path += QStringLiteral(".png");
  return exportPng(path, bboxOnly);
}

QStringList ProjectFiles::recentFiles() const { return QSettings().value(QStringLiteral("recentFiles")).toStringList(); }

void ProjectFiles::clearRecentFiles() {
  QSettings().remove(QStringLiteral("recentFiles"));
  Q_EMIT recentFilesChanged();
}

void ProjectFiles::addRecent(const QString& path) {
  QStringList files = recentFiles();
  const QString abs = QFileInfo(path).absoluteFilePath();
  files.removeAll(abs);
  files.prepend(abs);
  while (files.size() > kMaxRecent) files.removeLast();
  QSettings().setValue(QStringLiteral("recentFiles"), files);
  Q_EMIT recentFilesChanged();
}

QString ProjectFiles::autosavePath() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave.ora");
}

void ProjectFiles::setAutosaveInterval(int ms) {
  if (ms <= 0) {
    m_autosave.stop();
    return;
  }
  m_autosave.start(ms);
}

bool ProjectFiles::autosaveNow() {
  if (m_document->revision() == m_autosavedRevision || !m_document->isModified()) return false;
  QDir().mkpath(QFileInfo(autosavePath()).absolutePath());
  try {
    io::save_project(toPath(autosavePath()), m_document->project());
  } catch (const doc::Error& e) {
    m_document->reportError(tr("Autosave failed: %1").arg(QString::fromStdString(e.what())), ErrorTopic::File);
    return false;
  }
  QSettings().setValue(QStringLiteral("autosave/source"), m_document->filePath());
  m_autosavedRevision = m_document->revision();
  return true;
}

bool ProjectFiles::hasAutosave() const { return QFileInfo::exists(autosavePath()); }

bool ProjectFiles::restoreAutosave() {
  try {
    m_document->reset(io::load_project(toPath(autosavePath())),
                      QSettings().value(QStringLiteral("autosave/source")).toString());
  } catch (const doc::Error& e) {
    m_document->reportError(tr("The autosave could not be restored: %1").arg(QString::fromStdString(e.what())), ErrorTopic::File);
    return false;
  }
  m_document->markModified();
  return true;
}

void ProjectFiles::discardAutosave() {
  QFile::remove(autosavePath());
  QSettings().remove(QStringLiteral("autosave/source"));
}

}  // namespace strata::ui
