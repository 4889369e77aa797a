#include "strata/doc/layer.h"

namespace strata::doc {

Layer Layer::raster(LayerId id, std::string name) {
  Layer l;
  l.id = id;
  l.kind = LayerKind::Raster;
  l.name = std::move(name);
  return l;
}

Layer Layer::mask(LayerId id, std::string name) {
  Layer l;
  l.id = id;
  l.kind = LayerKind::Mask;
  l.name = std::move(name);
  l.pixels = TiledImage(1);
  return l;
}

std::string Layer::label() const {
  return std::string(is_mask() ? "mask " : "layer ") + std::to_string(id.value) + " " + quoted(name);
}

std::string to_string(LayerKind kind) { return kind == LayerKind::Mask ? "mask" : "raster"; }

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace strata::doc
