// layer_model.h — the document's layers as a Qt item model, top layer first (row 0).
//
// Reading: DisplayRole/EditRole = name, CheckStateRole = visibility, DecorationRole = a kind
// marker, plus the roles below. Writing (setData: DocumentController::setLayerProperty, one undo
// step each) and reordering (drag and drop inside the view, or dropMimeData with the layer-id MIME
// type: a pushed MoveLayer) go through the DocumentController, so every change is undoable; the
// model itself never edits the document. It follows the
// controller's layersChanged: a reset when the set or order of layers changed, dataChanged
// otherwise. UI thread only.
#pragma once

#include <QAbstractListModel>
#include <vector>

#include "strata/doc/layer.h"

namespace strata::ui {

class DocumentController;

class LayerModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Role {
    LayerIdRole = Qt::UserRole + 1,  // quint32
    IsMaskRole,                      // bool
    OpacityRole,                     // double [0,1] (raster)
    StrengthRole,                    // double [0,1] (raster)
    LockedRole,                      // bool
    FeatherRole,                     // int px (mask)
    InvertedRole,                    // bool (mask)
  };
  static constexpr const char* mimeType = "application/x-strata-layer-id";

  explicit LayerModel(DocumentController* document, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QHash<int, QByteArray> roleNames() const override;

  Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QModelIndexList& indexes) const override;
  bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column, const QModelIndex& parent) override;
  // QListView's internal move calls this; it pushes a MoveLayer (the model then resets itself).
  bool moveRows(const QModelIndex& sourceParent, int sourceRow, int count, const QModelIndex& destinationParent,
                int destinationChild) override;

  doc::LayerId layerAt(int row) const;
  int rowOf(doc::LayerId id) const;  // -1 when absent
  QModelIndex indexOf(doc::LayerId id) const { return index(rowOf(id)); }

  // Moves layer `id` so that it shows at `row` (top-first rows); one undo step.
  bool moveToRow(doc::LayerId id, int row);

 private:
  void sync();

  DocumentController* m_document;
  std::vector<doc::LayerId> m_rows;  // top first
};

}  // namespace strata::ui
