// image_import.h — images from files, drops and the clipboard become layers.
//
// importMimeData takes what a drop or the clipboard carries: local file URLs (PNG, JPEG, WebP,
// BMP, TIFF, read by io::read_image with its size limits) or raw image data. Each image becomes a
// raster layer — or, with asMask, an inpaint mask whose coverage is the image's grey level times
// its alpha (white = repaint) — with its top-left corner at the given document point; several
// images give several layers, all in one undo step, the last one current. A file that cannot be
// read is reported through the DocumentController's error channel and changes nothing; the others
// are still imported. A PNG carrying generation metadata (Strata, A1111, InvokeAI, ComfyUI) emits
// metadataFound so the window can offer to recall its parameters. UI thread only.
#pragma once

#include <QObject>
#include <QPoint>
#include <QString>

#include "strata/doc/image.h"
#include "strata/io/generation_info.h"

class QMimeData;

namespace strata::ui {

class DocumentController;

class ImageImporter : public QObject {
  Q_OBJECT
 public:
  explicit ImageImporter(DocumentController* document, QObject* parent = nullptr);

  static bool canImport(const QMimeData* mime);
  // Returns the number of layers added.
  int importMimeData(const QMimeData* mime, const QPoint& documentPos, bool asMask);
  int importFiles(const QStringList& paths, const QPoint& documentPos, bool asMask);
  // One already decoded image (clipboard, tests).
  bool importImage(const doc::Image8& image, const QString& name, const QPoint& documentPos, bool asMask);

 Q_SIGNALS:
  void metadataFound(const strata::io::GenerationInfo& info, const QString& fileName);

 private:
  DocumentController* m_document;
};

// The coverage an image gives as an inpaint mask: grey level (Rec. 601) × alpha, 1 channel.
doc::Image8 maskFromImage(const doc::Image8& image);

}  // namespace strata::ui
