// named_combo.h — combo boxes over the one name table of an enum (strata/doc/names.h): the
// labels shown, the ids as item data, typed values read back. UI thread only.
#pragma once

#include <QComboBox>
#include <QString>

#include "strata/doc/names.h"

namespace strata::ui {

// Adds one item per listed row: text = label, data = id.
template <typename Table>
void fillCombo(QComboBox* box, const Table& table) {
  for (const auto& row : table) {
    if (row.listed) box->addItem(QString::fromUtf8(row.label.data(), static_cast<qsizetype>(row.label.size())),
                                 QString::fromUtf8(row.id.data(), static_cast<qsizetype>(row.id.size())));
  }
}

// The value of the current item; throws doc::Error for an item whose id the table lacks.
template <typename Table>
doc::NamedValue<Table> comboValue(const QComboBox* box, const Table& table, std::string_view what) {
  return doc::parse_named(table, box->currentData().toString().toStdString(), what);
}

// Selects the item of `value` (unchanged when the combo lacks it).
template <typename Table>
void selectComboValue(QComboBox* box, const Table& table, doc::NamedValue<Table> value) {
  const std::string_view id = doc::id_of(table, value);
  const int i = box->findData(QString::fromUtf8(id.data(), static_cast<qsizetype>(id.size())));
  if (i >= 0) box->setCurrentIndex(i);
}

}  // namespace strata::ui
