// named_combo.h — combo boxes over the one name table of an enum (strata/doc/names.h): the
// labels shown, the ids as item data, typed values read back. UI thread only.
#pragma once

#include <QComboBox>
#include <QString>
#include <string_view>

#include "strata/doc/names.h"

namespace strata::ui {

// A name from a table (UTF-8, not NUL-terminated) as a QString.
inline QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// The id of `value` as a QString (settings files, item data).
template <typename Table>
QString idText(const Table& table, doc::NamedValue<Table> value) {
  return qstr(doc::id_of(table, value));
}

// Adds one item per listed row: text = label, data = id.
template <typename Table>
void fillCombo(QComboBox* box, const Table& table) {
  for (const auto& row : table) {
    if (row.listed) box->addItem(qstr(row.label), qstr(row.id));
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
  const int i = box->findData(idText(table, value));
  if (i >= 0) box->setCurrentIndex(i);
}

}  // namespace strata::ui
