// layer_delegate.h — draws each row of the layer list with, on raster layers, a denoising-strength
// slider (a bar with its value, 0.00–1.00) that can be dragged in place; one drag is one undo step
// (DocumentController::setLayerProperty with one merge key from press to release).
#pragma once

#include <QStyledItemDelegate>

#include "undo_command.h"

namespace strata::ui {

class DocumentController;

class LayerDelegate : public QStyledItemDelegate {
  Q_OBJECT
 public:
  LayerDelegate(DocumentController* document, QObject* parent);

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                   const QModelIndex& index) override;

  // The strength bar's rectangle inside a row.
  static QRect strengthRect(const QRect& row);

 protected:
  // Follows the drag on the view's viewport (item views only forward presses to delegates).
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void setStrengthAt(double x);

  DocumentController* m_document;
  MergeKey m_dragKey;  // of the drag under way
  QWidget* m_viewport = nullptr;  // while a drag lasts
  QRect m_bar;
  quint32 m_layer = 0;
};

}  // namespace strata::ui
