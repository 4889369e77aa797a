#include "strata/doc/document.h"

#include <algorithm>
#include <array>

#include "strata/doc/error.h"

namespace strata::doc {

namespace {
std::string missing(LayerId id) { return "layer " + std::to_string(id.value) + ": no such layer"; }
}  // namespace

std::vector<LayerId> Document::order() const {
  std::vector<LayerId> ids;
  ids.reserve(layers_.size());
  for (const Layer& l : layers_) ids.push_back(l.id);
  return ids;
}

const Layer* Document::find(LayerId id) const {
  const auto it = std::find_if(layers_.begin(), layers_.end(), [&](const Layer& l) { return l.id == id; });
  return it == layers_.end() ? nullptr : &*it;
}

const Layer& Document::layer(LayerId id) const {
  const Layer* l = find(id);
  if (!l) throw Error(ErrorCode::NotFound, missing(id));
  return *l;
}

Layer& Document::mutable_layer(LayerId id) { return const_cast<Layer&>(layer(id)); }

std::size_t Document::index_of(LayerId id) const {
  return static_cast<std::size_t>(&layer(id) - layers_.data());
}

LayerId Document::new_layer_id() { return LayerId{next_id_++}; }

void Document::insert_layer(Layer layer, std::size_t index) {
  if (!layer.id) throw Error(ErrorCode::InvalidArgument, "inserting a layer without an id");
  if (contains(layer.id)) {
    throw Error(ErrorCode::InvalidArgument, "inserting " + layer.label() + ": the id is already in use");
  }
  if (index > layers_.size()) {
    throw Error(ErrorCode::InvalidArgument, "inserting " + layer.label() + " at index " + std::to_string(index) +
                                                ": expected at most " + std::to_string(layers_.size()));
  }
  if (layer.pixels.channels() != (layer.is_mask() ? 1 : 4)) {
    throw Error(ErrorCode::InvalidArgument, "inserting " + layer.label() + ": pixels have " +
                                                std::to_string(layer.pixels.channels()) + " channels");
  }
  next_id_ = std::max(next_id_, layer.id.value + 1);
  layers_.insert(layers_.begin() + static_cast<std::ptrdiff_t>(index), std::move(layer));
}

Layer Document::remove_layer(LayerId id) {
  const auto i = static_cast<std::ptrdiff_t>(index_of(id));
  Layer out = std::move(layers_[static_cast<std::size_t>(i)]);
  layers_.erase(layers_.begin() + i);
  return out;
}

void Document::move_layer(LayerId id, std::size_t index) {
  const std::size_t from = index_of(id);
  if (index >= layers_.size()) {
    throw Error(ErrorCode::InvalidArgument, "moving " + layers_[from].label() + " to index " + std::to_string(index) +
                                                ": expected at most " + std::to_string(layers_.size() - 1));
  }
  Layer l = std::move(layers_[from]);
  layers_.erase(layers_.begin() + static_cast<std::ptrdiff_t>(from));
  layers_.insert(layers_.begin() + static_cast<std::ptrdiff_t>(index), std::move(l));
}

void Document::set_bbox(const Rect& r) {
  validate_bbox(r);
  bbox_ = r;
}

void Document::require_unlocked(LayerId id) const {
  const Layer& l = layer(id);
  if (l.locked) throw Error(ErrorCode::InvalidArgument, l.label() + " is locked");
}

void Document::require_kind(LayerId id, LayerKind kind) const {
  const Layer& l = layer(id);
  if (l.kind != kind) {
    throw Error(ErrorCode::InvalidArgument, l.label() + " is a " + to_string(l.kind) + " layer, expected a " +
                                                to_string(kind) + " layer");
  }
}

Image8 Document::read_region(LayerId id, const Rect& r) const {
  const Layer& l = layer(id);
  return l.pixels.read(r.translated(-l.x, -l.y));
}

Rect Document::content_bounds(LayerId id) const { return layer(id).content_bounds(); }

void Document::write_pixels(LayerId id, const Image8& image, int x, int y) {
  require_unlocked(id);
  Layer& l = mutable_layer(id);
  try {
    l.pixels.write(image, x - l.x, y - l.y);
  } catch (const Error& e) {
    throw Error(e.code(), l.label() + ": " + e.what());
  }
}

void Document::fill(LayerId id, const Rect& r, Rgba8 color) {
  require_kind(id, LayerKind::Raster);
  require_unlocked(id);
  Layer& l = mutable_layer(id);
  const std::array<std::uint8_t, 4> v{color.r, color.g, color.b, color.a};
  l.pixels.fill(r.translated(-l.x, -l.y), v);
}

void Document::fill(LayerId id, const Rect& r, std::uint8_t coverage) {
  require_kind(id, LayerKind::Mask);
  require_unlocked(id);
  Layer& l = mutable_layer(id);
  const std::array<std::uint8_t, 1> v{coverage};
  l.pixels.fill(r.translated(-l.x, -l.y), v);
}

void Document::clear(LayerId id, const Rect& r) {
  require_unlocked(id);
  Layer& l = mutable_layer(id);
  l.pixels.clear(r.translated(-l.x, -l.y));
}

}  // namespace strata::doc
