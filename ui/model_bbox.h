// model_bbox.h — the bbox follows the loaded model's native size, as in InvokeAI's canvas.
//
// When a model loads (or another one replaces it), a bbox the user has not resized becomes the
// model's native size, square, at the same top-left corner: 512 for SD 1.x, 768 for SD 2.x-v,
// 1024 for SDXL (or what the model's config says). "Not resized" means the bbox is still the
// square it was last given automatically (at first the default 512²); a bbox of any other size is
// the user's and is left alone. A new, empty document gets the loaded model's size too. The change
// is one undo step ("Set bbox to …"); on an untitled, empty, unmodified document it does not mark
// the document modified. UI thread only.
#pragma once

#include <QObject>

namespace strata::ui {

class DocumentController;

class ModelBBox : public QObject {
  Q_OBJECT
 public:
  explicit ModelBBox(DocumentController* document, QObject* parent = nullptr);

  // A model with this native size (pixels per side; ≤ 0 = unknown) is loaded now.
  void modelLoaded(int nativeSize);
  // The side the bbox was last given automatically (the default bbox's at first).
  int autoSide() const { return m_autoSide; }

 private:
  void documentReset();
  bool followsModel() const;
  void apply(int side);

  DocumentController* m_document;
  int m_native = 0;
  int m_autoSide;
};

}  // namespace strata::ui
