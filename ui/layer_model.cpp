#include "layer_model.h"

#include <QColor>
#include <QMimeData>

#include "document_controller.h"
#include "strata/doc/commands.h"

namespace strata::ui {

LayerModel::LayerModel(DocumentController* document, QObject* parent) : QAbstractListModel(parent), m_document(document) {
  connect(document, &DocumentController::layersChanged, this, &LayerModel::sync);
  connect(document, &DocumentController::documentReset, this, &LayerModel::sync);
  sync();
}

void LayerModel::sync() {
  std::vector<doc::LayerId> rows;
  const auto& layers = m_document->document().layers();
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) rows.push_back(it->id);
  if (rows == m_rows) {
    if (!m_rows.empty()) Q_EMIT dataChanged(index(0), index(rowCount() - 1));
    return;
  }
  beginResetModel();
  m_rows = std::move(rows);
  endResetModel();
}

int LayerModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

doc::LayerId LayerModel::layerAt(int row) const {
  return row >= 0 && row < rowCount() ? m_rows[static_cast<std::size_t>(row)] : doc::LayerId{};
}

int LayerModel::rowOf(doc::LayerId id) const {
  for (std::size_t i = 0; i < m_rows.size(); ++i) {
    if (m_rows[i] == id) return static_cast<int>(i);
  }
  return -1;
}

QVariant LayerModel::data(const QModelIndex& index, int role) const {
  const doc::Layer* l = m_document->document().find(layerAt(index.row()));
  if (!l) return {};
  switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole: return QString::fromStdString(l->name);
    case Qt::CheckStateRole: return l->visible ? Qt::Checked : Qt::Unchecked;
    case Qt::ToolTipRole: return QString::fromStdString(l->label());
    case Qt::DecorationRole: return l->is_mask() ? QColor(232, 48, 96) : QColor(90, 140, 220);
    case LayerIdRole: return QVariant::fromValue<quint32>(l->id.value);
    case IsMaskRole: return l->is_mask();
    case OpacityRole: return static_cast<double>(l->opacity);
    case StrengthRole: return static_cast<double>(l->strength);
    case LockedRole: return l->locked;
    case FeatherRole: return l->feather;
    case InvertedRole: return l->inverted;
    default: return {};
  }
}

bool LayerModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  const doc::LayerId id = layerAt(index.row());
  if (!id) return false;
  switch (role) {
    case Qt::EditRole: return m_document->setLayerProperty(id, LayerProperty::Name, value);
    case Qt::CheckStateRole:
      return m_document->setLayerProperty(id, LayerProperty::Visible, value.toInt() == Qt::Checked);
    case OpacityRole: return m_document->setLayerProperty(id, LayerProperty::Opacity, value);
    case StrengthRole: return m_document->setLayerProperty(id, LayerProperty::Strength, value);
    case LockedRole: return m_document->setLayerProperty(id, LayerProperty::Locked, value);
    case FeatherRole: return m_document->setLayerProperty(id, LayerProperty::Feather, value);
    case InvertedRole: return m_document->setLayerProperty(id, LayerProperty::Inverted, value);
    default: return false;
  }
}

Qt::ItemFlags LayerModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::ItemIsDropEnabled;
  return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemIsUserCheckable |
         Qt::ItemIsDragEnabled;
}

QHash<int, QByteArray> LayerModel::roleNames() const {
  auto names = QAbstractListModel::roleNames();
  names[LayerIdRole] = "layerId";
  names[StrengthRole] = "strength";
  names[OpacityRole] = "opacity";
  return names;
}

QStringList LayerModel::mimeTypes() const { return {QString::fromLatin1(mimeType)}; }

QMimeData* LayerModel::mimeData(const QModelIndexList& indexes) const {
  if (indexes.isEmpty()) return nullptr;
  auto* mime = new QMimeData;
  mime->setData(QString::fromLatin1(mimeType), QByteArray::number(layerAt(indexes.front().row()).value));
  return mime;
}

bool LayerModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int, const QModelIndex& parent) {
  if (action != Qt::MoveAction || !data || !data->hasFormat(QString::fromLatin1(mimeType))) return false;
  const doc::LayerId id{data->data(QString::fromLatin1(mimeType)).toUInt()};
  if (row < 0) row = parent.isValid() ? parent.row() : rowCount();
  moveToRow(id, row);
  return false;  // the model resets itself from the document; the view must not remove rows
}

bool LayerModel::moveRows(const QModelIndex& sourceParent, int sourceRow, int count, const QModelIndex& destinationParent,
                          int destinationChild) {
  if (sourceParent.isValid() || destinationParent.isValid() || count != 1) return false;
  return moveToRow(layerAt(sourceRow), destinationChild);
}

bool LayerModel::moveToRow(doc::LayerId id, int row) {
  const int from = rowOf(id);
  if (from < 0) return false;
  // `row` is an insertion point in the top-first list as seen before the move.
  int target = row > from ? row - 1 : row;
  target = std::clamp(target, 0, rowCount() - 1);
  if (target == from) return false;
  const auto index = static_cast<std::size_t>(rowCount() - 1 - target);  // bottom-first index
  return m_document->push(std::make_unique<doc::MoveLayer>(id, index));
}

}  // namespace strata::ui
