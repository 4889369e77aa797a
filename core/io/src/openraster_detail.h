// Shared by the OpenRaster reader and writer. Internal to strata_io.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "strata/io/openraster.h"

namespace strata::io::detail {

inline constexpr std::string_view kOraMimetype = "image/openraster";
inline constexpr std::string_view kStrataNamespace = "urn:strata:openraster";
inline constexpr std::string_view kStrataJsonEntry = "strata/project.json";

// "data/<i>.png"
inline std::string layer_entry(std::size_t i) { return "data/" + std::to_string(i) + ".png"; }

// The layer attributes OraLayer has fields for (plus "src").
inline bool is_standard_layer_attribute(std::string_view key) {
  for (std::string_view s : {"name", "src", "x", "y", "opacity", "visibility", "composite-op", "edit-locked"}) {
    if (key == s) return true;
  }
  return false;
}

// Names kept in OraLayer::attributes (and the only ones written from it): XML names that are not
// standard, not "xmlns", and either unprefixed or "strata:<local>" with no further colon.
bool is_extra_attribute_name(std::string_view key);

// The canvas-size src-over composite of the visible layers (straight 8-bit RGBA).
doc::Image8 composite_layers(const OraStack& stack);

}  // namespace strata::io::detail
