#include "image_import.h"

#include <QFileInfo>
#include <QImage>
#include <QMimeData>
#include <QUrl>
#include <cmath>

#include "document_controller.h"
#include "qt_image.h"
#include "strata/doc/commands.h"
#include "strata/doc/error.h"
#include "strata/io/image_codec.h"
#include "strata/io/metadata.h"

namespace strata::ui {

namespace {
std::filesystem::path toPath(const QString& s) { return std::filesystem::path(s.toStdString()); }
}  // namespace

doc::Image8 maskFromImage(const doc::Image8& image) {
  doc::Image8 out(image.width, image.height, 1);
  const int c = image.channels;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      double grey = image.at(x, y, 0);
      if (c >= 3) grey = 0.299 * image.at(x, y, 0) + 0.587 * image.at(x, y, 1) + 0.114 * image.at(x, y, 2);
      const double alpha = (c == 4) ? image.at(x, y, 3) / 255.0 : 1.0;
      out.at(x, y) = static_cast<std::uint8_t>(std::lround(grey * alpha));
    }
  }
  return out;
}

ImageImporter::ImageImporter(DocumentController* document, QObject* parent) : QObject(parent), m_document(document) {}

bool ImageImporter::canImport(const QMimeData* mime) {
  if (!mime) return false;
  if (mime->hasImage()) return true;
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile()) return true;
  }
  return false;
}

bool ImageImporter::importImage(const doc::Image8& image, const QString& name, const QPoint& at, bool asMask) {
  if (image.empty()) return false;
  doc::Layer layer = asMask ? doc::Layer::mask({}, name.toStdString()) : doc::Layer::raster({}, name.toStdString());
  layer.x = at.x();
  layer.y = at.y();
  layer.pixels.write(asMask ? maskFromImage(image) : image, 0, 0);
  auto add = std::make_unique<doc::AddLayer>(std::move(layer));
  doc::AddLayer* raw = add.get();
  if (!m_document->push(std::move(add))) return false;
  m_document->setCurrentLayer(raw->id());  // `raw` lives on in the undo stack
  return true;
}

int ImageImporter::importFiles(const QStringList& paths, const QPoint& at, bool asMask) {
  // Decode everything first: files that fail are reported and leave no trace, not even an empty
  // undo step.
  std::vector<std::pair<QString, doc::Image8>> images;
  for (const QString& path : paths) {
    try {
      images.emplace_back(path, io::read_image(toPath(path)));
    } catch (const doc::Error& e) {
      m_document->reportError(QString::fromStdString(e.what()), ErrorTopic::File);
    }
  }
  if (images.empty()) return 0;
  if (images.size() == static_cast<std::size_t>(paths.size())) m_document->resolveErrors(ErrorTopic::File);
  int added = 0;
  m_document->beginGroup(images.size() == 1 ? tr("Import %1").arg(QFileInfo(images.front().first).fileName())
                                            : tr("Import %n images", nullptr, static_cast<int>(images.size())));
  for (const auto& [path, image] : images) {
    if (importImage(image, QFileInfo(path).completeBaseName(), at, asMask)) ++added;
  }
  m_document->endGroup();
  for (const auto& [path, image] : images) {
    if (!path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) continue;
    try {
      if (auto info = io::read_generation_metadata(toPath(path))) Q_EMIT metadataFound(*info, QFileInfo(path).fileName());
    } catch (const doc::Error&) {
      // Unreadable metadata is no reason to refuse the pixels.
    }
  }
  return added;
}

int ImageImporter::importMimeData(const QMimeData* mime, const QPoint& at, bool asMask) {
  if (!mime) return 0;
  QStringList files;
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile()) files.push_back(url.toLocalFile());
  }
  if (!files.isEmpty()) return importFiles(files, at, asMask);
  if (mime->hasImage()) {
    const QImage image = qvariant_cast<QImage>(mime->imageData());
    if (image.isNull()) {
      m_document->reportError(tr("The pasted data is not an image Strata can read."), ErrorTopic::File);
      return 0;
    }
    return importImage(toImage8(image), tr("Pasted image"), at, asMask) ? 1 : 0;
  }
  m_document->reportError(tr("Nothing to import: drop or paste image files (PNG, JPEG, WebP, BMP, TIFF)."),
                          ErrorTopic::File);
  return 0;
}

}  // namespace strata::ui
