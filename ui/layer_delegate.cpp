#include "layer_delegate.h"

#include <QAbstractItemView>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "document_controller.h"
#include "layer_model.h"

namespace strata::ui {

namespace {
constexpr int kBarWidth = 84;
}  // namespace

LayerDelegate::LayerDelegate(DocumentController* document, QObject* parent)
    : QStyledItemDelegate(parent), m_document(document) {}

QRect LayerDelegate::strengthRect(const QRect& row) {
  return QRect(row.right() - kBarWidth - 4, row.top() + 5, kBarWidth, row.height() - 10);
}

QSize LayerDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QSize s = QStyledItemDelegate::sizeHint(option, index);
  s.setHeight(std::max(s.height(), 28));
  return s;
}

void LayerDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
  const bool mask = index.data(LayerModel::IsMaskRole).toBool();
  QStyleOptionViewItem opt(option);
  if (!mask) opt.rect.setRight(opt.rect.right() - kBarWidth - 8);
  if (index.data(LayerModel::LockedRole).toBool()) opt.font.setItalic(true);
  // Background across the whole row, then the usual content in the narrowed rect.
  if (const QWidget* w = option.widget) w->style()->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, painter, w);
  QStyledItemDelegate::paint(painter, opt, index);
  if (mask) return;

  const double s = index.data(LayerModel::StrengthRole).toDouble();
  const QRect bar = strengthRect(option.rect);
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setPen(Qt::NoPen);
  painter->setBrush(QColor(0, 0, 0, 60));
  painter->drawRoundedRect(bar, 3, 3);
  QRect fill = bar;
  fill.setWidth(static_cast<int>(std::lround(bar.width() * std::clamp(s, 0.0, 1.0))));
  painter->setBrush(QColor(232, 140, 48));
  painter->drawRoundedRect(fill, 3, 3);
  painter->setPen(option.state & QStyle::State_Selected ? option.palette.highlightedText().color()
                                                          : option.palette.text().color());
  QFont f = option.font;
  f.setPointSizeF(f.pointSizeF() * 0.9);
  painter->setFont(f);
  painter->drawText(bar, Qt::AlignCenter, QStringLiteral("%1").arg(s, 0, 'f', 2));
  painter->restore();
}

bool LayerDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                                const QModelIndex& index) {
  const auto type = event->type();
  if (type != QEvent::MouseButtonPress && type != QEvent::MouseButtonDblClick) {
    return QStyledItemDelegate::editorEvent(event, model, option, index);
  }
  auto* me = static_cast<QMouseEvent*>(event);
  const QRect bar = strengthRect(option.rect);
  if (index.data(LayerModel::IsMaskRole).toBool() || me->button() != Qt::LeftButton ||
      !bar.adjusted(0, -4, 0, 4).contains(me->position().toPoint())) {
    return QStyledItemDelegate::editorEvent(event, model, option, index);
  }
  m_dragKey = m_document->newMergeKey();
  m_bar = bar;
  m_layer = index.data(LayerModel::LayerIdRole).toUInt();
  if (const auto* view = qobject_cast<const QAbstractItemView*>(option.widget)) {
    m_viewport = view->viewport();
    m_viewport->installEventFilter(this);
  }
  setStrengthAt(me->position().x());
  return true;
}

bool LayerDelegate::eventFilter(QObject* watched, QEvent* event) {
  if (watched != m_viewport) return false;
  if (event->type() == QEvent::MouseMove) {
    setStrengthAt(static_cast<QMouseEvent*>(event)->position().x());
    return true;
  }
  if (event->type() == QEvent::MouseButtonRelease) {
    setStrengthAt(static_cast<QMouseEvent*>(event)->position().x());
    m_viewport->removeEventFilter(this);
    m_viewport = nullptr;
    return true;
  }
  return false;
}

void LayerDelegate::setStrengthAt(double x) {
  const double v = std::round(std::clamp((x - m_bar.left()) / m_bar.width(), 0.0, 1.0) * 100) / 100;
  m_document->setLayerProperty(doc::LayerId{m_layer}, LayerProperty::Strength, v, m_dragKey);
}

}  // namespace strata::ui
