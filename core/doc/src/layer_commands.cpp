// Structure, property, position and bbox commands. Pixel commands are in pixel_commands.cpp.
#include <cmath>
#include <cstdio>

#include "strata/doc/commands.h"
#include "strata/doc/error.h"

namespace strata::doc {

namespace {

std::string fixed2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string id_label(LayerId id) { return "layer " + std::to_string(id.value); }

}  // namespace

// --- AddLayer ---------------------------------------------------------------------------------

AddLayer::AddLayer(Layer prototype, std::optional<std::size_t> index) : layer_(std::move(prototype)), index_(index) {
  layer_->id = LayerId{};
  label_ = (layer_->is_mask() ? "mask " : "layer ") + quoted(layer_->name);
}

std::unique_ptr<AddLayer> AddLayer::raster(std::string name, const Image8& image, int x, int y) {
  Layer l = Layer::raster(LayerId{}, std::move(name));
  l.x = x;
  l.y = y;
  try {
    l.pixels.write(image, 0, 0);
  } catch (const Error& e) {
    throw Error(e.code(), "adding layer " + quoted(l.name) + ": " + e.what());
  }
  return std::make_unique<AddLayer>(std::move(l));
}

std::unique_ptr<AddLayer> AddLayer::empty_raster(std::string name) {
  return std::make_unique<AddLayer>(Layer::raster(LayerId{}, std::move(name)));
}

std::unique_ptr<AddLayer> AddLayer::mask(std::string name) {
  return std::make_unique<AddLayer>(Layer::mask(LayerId{}, std::move(name)));
}

void AddLayer::apply(Document& doc) {
  const std::size_t index = index_.value_or(doc.layer_count());
  if (index > doc.layer_count()) {
    throw Error(ErrorCode::InvalidArgument, "adding " + quoted(layer_->name) + " at index " + std::to_string(index) +
                                                ": expected at most " + std::to_string(doc.layer_count()));
  }
  if (!id_) id_ = doc.new_layer_id();
  layer_->id = id_;
  label_ = layer_->label();
  doc.insert_layer(*layer_, index);  // a copy shares the tiles; drop ours only once it succeeded
  layer_.reset();
}

void AddLayer::revert(Document& doc) { layer_ = doc.remove_layer(id_); }

std::string AddLayer::text() const { return "Add " + label_; }

std::size_t AddLayer::byte_size() const { return 256 + (layer_ ? layer_->pixels.byte_size() : 0); }

// --- DeleteLayer ------------------------------------------------------------------------------

void DeleteLayer::apply(Document& doc) {
  index_ = doc.index_of(id_);
  removed_ = doc.remove_layer(id_);
  label_ = removed_->label();
}

void DeleteLayer::revert(Document& doc) {
  doc.insert_layer(std::move(*removed_), index_);
  removed_.reset();
}

std::string DeleteLayer::text() const { return "Delete " + (label_.empty() ? id_label(id_) : label_); }

std::size_t DeleteLayer::byte_size() const {
  // While applied, this command alone keeps the deleted layer's tiles alive.
  return 256 + (removed_ ? removed_->pixels.byte_size() : 0);
}

// --- DuplicateLayer ---------------------------------------------------------------------------

void DuplicateLayer::apply(Document& doc) {
  const std::size_t index = doc.index_of(source_);
  Layer copy = doc.layer(source_);
  if (!copy_id_) copy_id_ = doc.new_layer_id();
  copy.id = copy_id_;
  copy.name += " copy";
  source_label_ = doc.layer(source_).label();
  copy_label_ = copy.label();
  doc.insert_layer(std::move(copy), index + 1);
}

void DuplicateLayer::revert(Document& doc) { doc.remove_layer(copy_id_); }

std::string DuplicateLayer::text() const {
  if (copy_label_.empty()) return "Duplicate " + id_label(source_);
  return "Duplicate " + source_label_ + " as " + copy_label_;
}

// --- MoveLayer --------------------------------------------------------------------------------

void MoveLayer::apply(Document& doc) {
  const std::size_t from = doc.index_of(id_);
  doc.move_layer(id_, to_);
  from_ = from;
  label_ = doc.layer(id_).label();
}

void MoveLayer::revert(Document& doc) { doc.move_layer(id_, from_); }

std::string MoveLayer::text() const {
  return "Move " + (label_.empty() ? id_label(id_) : label_) + " from index " + std::to_string(from_) + " to " +
         std::to_string(to_);
}

// --- RenameLayer ------------------------------------------------------------------------------

void RenameLayer::apply(Document& doc) {
  Layer& l = doc.mutable_layer(id_);
  label_ = l.label();
  old_name_ = l.name;
  l.name = name_;
}

void RenameLayer::revert(Document& doc) { doc.mutable_layer(id_).name = old_name_; }

std::string RenameLayer::text() const {
  return "Rename " + (label_.empty() ? id_label(id_) : label_) + " to " + quoted(name_);
}

// --- SetLayerProperty -------------------------------------------------------------------------

namespace {

using Property = SetLayerProperty::Property;

const char* property_name(Property p) {
  switch (p) {
    case Property::Visible: return "visibility";
    case Property::Locked: return "lock";
    case Property::Opacity: return "opacity";
    case Property::Strength: return "strength";
    case Property::Feather: return "feather";
    case Property::Inverted: return "inversion";
  }
  return "?";
}

double get(const Layer& l, Property p) {
  switch (p) {
    case Property::Visible: return l.visible;
    case Property::Locked: return l.locked;
    case Property::Opacity: return l.opacity;
    case Property::Strength: return l.strength;
    case Property::Feather: return l.feather;
    case Property::Inverted: return l.inverted;
  }
  return 0;
}

void set(Layer& l, Property p, double v) {
  switch (p) {
    case Property::Visible: l.visible = v != 0; break;
    case Property::Locked: l.locked = v != 0; break;
    case Property::Opacity: l.opacity = static_cast<float>(v); break;
    case Property::Strength: l.strength = static_cast<float>(v); break;
    case Property::Feather: l.feather = static_cast<int>(v); break;
    case Property::Inverted: l.inverted = v != 0; break;
  }
}

void validate(const Layer& l, Property p, double v) {
  const std::string what = std::string(property_name(p)) + " of " + l.label();
  const bool mask_only = p == Property::Feather || p == Property::Inverted;
  const bool raster_only = p == Property::Opacity || p == Property::Strength;
  if ((mask_only && !l.is_mask()) || (raster_only && l.is_mask())) {
    throw Error(ErrorCode::InvalidArgument, what + ": only " + (mask_only ? "mask" : "raster") + " layers have it");
  }
  const double hi = p == Property::Feather ? max_feather : 1.0;
  if (!(v >= 0.0 && v <= hi)) {
    throw Error(ErrorCode::InvalidArgument,
                what + ": expected a value in [0, " + (p == Property::Feather ? std::to_string(max_feather) : "1") +
                    "], found " + fixed2(v));
  }
}

}  // namespace

void SetLayerProperty::apply(Document& doc) {
  Layer& l = doc.mutable_layer(id_);
  validate(l, property_, value_);
  old_value_ = get(l, property_);
  set(l, property_, value_);
  label_ = l.label();
}

void SetLayerProperty::revert(Document& doc) { set(doc.mutable_layer(id_), property_, old_value_); }

std::string SetLayerProperty::text() const {
  const std::string who = label_.empty() ? id_label(id_) : label_;
  const bool on = value_ != 0;
  switch (property_) {
    case Property::Visible: return (on ? "Show " : "Hide ") + who;
    case Property::Locked: return (on ? "Lock " : "Unlock ") + who;
    case Property::Inverted: return (on ? "Invert " : "Uninvert ") + who;
    case Property::Feather: return "Set feather of " + who + " to " + std::to_string(static_cast<int>(value_)) + " px";
    case Property::Opacity:
    case Property::Strength: return std::string("Set ") + property_name(property_) + " of " + who + " to " + fixed2(value_);
  }
  return "?";
}

std::unique_ptr<SetLayerProperty> set_visible(LayerId id, bool v) {
  return std::make_unique<SetLayerProperty>(id, Property::Visible, v);
}
std::unique_ptr<SetLayerProperty> set_locked(LayerId id, bool v) {
  return std::make_unique<SetLayerProperty>(id, Property::Locked, v);
}
std::unique_ptr<SetLayerProperty> set_opacity(LayerId id, float v) {
  return std::make_unique<SetLayerProperty>(id, Property::Opacity, v);
}
std::unique_ptr<SetLayerProperty> set_strength(LayerId id, float v) {
  return std::make_unique<SetLayerProperty>(id, Property::Strength, v);
}
std::unique_ptr<SetLayerProperty> set_feather(LayerId id, int px) {
  return std::make_unique<SetLayerProperty>(id, Property::Feather, px);
}
std::unique_ptr<SetLayerProperty> set_inverted(LayerId id, bool v) {
  return std::make_unique<SetLayerProperty>(id, Property::Inverted, v);
}
std::unique_ptr<SetLayerProperty> invert_mask(const Document& doc, LayerId id) {
  return set_inverted(id, !doc.layer(id).inverted);
}

// --- SetLayerPosition -------------------------------------------------------------------------

void SetLayerPosition::apply(Document& doc) {
  doc.require_unlocked(id_);
  Layer& l = doc.mutable_layer(id_);
  old_x_ = l.x;
  old_y_ = l.y;
  l.x = x_;
  l.y = y_;
  label_ = l.label();
}

void SetLayerPosition::revert(Document& doc) {
  Layer& l = doc.mutable_layer(id_);
  l.x = old_x_;
  l.y = old_y_;
}

std::string SetLayerPosition::text() const {
  return "Move " + (label_.empty() ? id_label(id_) : label_) + " to (" + std::to_string(x_) + ", " +
         std::to_string(y_) + ")";
}

// --- SetBBox ----------------------------------------------------------------------------------

void SetBBox::apply(Document& doc) {
  const Rect old = doc.bbox();
  doc.set_bbox(bbox_);
  old_ = old;
}

void SetBBox::revert(Document& doc) { doc.set_bbox(old_); }

std::string SetBBox::text() const { return "Set bbox to " + to_string(bbox_); }

}  // namespace strata::doc
