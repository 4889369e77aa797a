// strata/doc/names.h — one name table per enum: the spelling used on the command line, in
// settings files and in metadata (`id`), and the label a combo box shows.
//
// Every enum a user chooses from (sampler, schedule, precision, infill, …) has exactly one table of
// `Named<E>` rows, defined next to the enum. Parsing, printing, `--help` texts and the GUI's combo
// boxes all read that table, so a new value is added in one place. Rows with `listed = false` are
// accepted aliases (e.g. "edge" for edge_tile): parsed, never printed or offered.
// Thread-safety: constexpr data and pure functions.
#pragma once

#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "strata/doc/error.h"

namespace strata::doc {

template <typename E>
struct Named {
  E value;
  std::string_view id;     // "euler_a", "bf16", "telea"
  std::string_view label;  // "Euler a", "bf16", "Telea": what a combo box shows
  bool listed = true;      // false: an alias, accepted by parse_named only
};

// The id of `value` (its first row); "unknown" when the table has none (a broken invariant).
// A table is any range of Named<E> rows (a constexpr std::array in practice).
template <typename Table>
using NamedValue = decltype(std::begin(std::declval<const Table&>())->value);

template <typename Table>
constexpr std::string_view id_of(const Table& table, NamedValue<Table> value) {
  for (const auto& row : table) {
    if (row.value == value) return row.id;
  }
  return "unknown";
}

template <typename Table>
constexpr std::string_view label_of(const Table& table, NamedValue<Table> value) {
  for (const auto& row : table) {
    if (row.value == value) return row.label;
  }
  return "unknown";
}

// "a, b, c": the listed ids, for --help texts and error messages.
template <typename Table>
std::string joined_ids(const Table& table, std::string_view separator = ", ") {
  std::string s;
  for (const auto& row : table) {
    if (!row.listed) continue;
    if (!s.empty()) s += separator;
    s += row.id;
  }
  return s;
}

// The value named `name` (exact, case-sensitive id or alias); nullptr when none.
template <typename Table>
constexpr auto find_named(const Table& table, std::string_view name) -> decltype(&*std::begin(table)) {
  for (const auto& row : table) {
    if (row.id == name) return &row;
  }
  return nullptr;
}

// The value named `name`; throws Error(InvalidArgument) "unknown <what> '<name>'; expected one of:
// <ids>" otherwise. An unknown name is an error, never a silent default.
template <typename Table>
NamedValue<Table> parse_named(const Table& table, std::string_view name, std::string_view what) {
  if (const auto* row = find_named(table, name)) return row->value;
  throw Error(ErrorCode::InvalidArgument, "unknown " + std::string(what) + " '" + std::string(name) +
                                              "'; expected one of: " + joined_ids(table));
}

}  // namespace strata::doc
