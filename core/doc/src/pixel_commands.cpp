// PaintPixels (tile before/after), its helpers, and MergeDown.
#include <array>
#include <cstring>

#include "blend.h"
#include "strata/doc/commands.h"
#include "strata/doc/error.h"

namespace strata::doc {

namespace {

bool same_pixels(const TilePtr& a, const TilePtr& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return a->data == b->data;
}

// Calls f(key, before, after) for each tile key whose content differs between a and b.
template <typename F>
void for_each_difference(const TiledImage& a, const TiledImage& b, F&& f) {
  auto ia = a.tiles().begin();
  auto ib = b.tiles().begin();
  const auto ea = a.tiles().end();
  const auto eb = b.tiles().end();
  while (ia != ea || ib != eb) {
    if (ib == eb || (ia != ea && ia->first < ib->first)) {
      f(ia->first, ia->second, TilePtr{});
      ++ia;
    } else if (ia == ea || ib->first < ia->first) {
      f(ib->first, TilePtr{}, ib->second);
      ++ib;
    } else {
      if (!same_pixels(ia->second, ib->second)) f(ia->first, ia->second, ib->second);
      ++ia;
      ++ib;
    }
  }
}

// A copy of the layer's pixels to edit, after checking that it may be edited.
TiledImage editable_copy(const Document& doc, LayerId id) {
  doc.require_unlocked(id);
  return doc.layer(id).pixels;
}

}  // namespace

// --- PaintPixels ------------------------------------------------------------------------------

PaintPixels::PaintPixels(LayerId id, std::vector<TileChange> changes, std::string verb)
    : id_(id), changes_(std::move(changes)), verb_(std::move(verb)), label_("layer " + std::to_string(id.value)) {}

std::unique_ptr<PaintPixels> PaintPixels::from_edit(const Document& doc, LayerId id, const TiledImage& edited,
                                                    std::string verb) {
  const Layer& l = doc.layer(id);
  doc.require_unlocked(id);
  if (edited.channels() != l.pixels.channels()) {
    throw Error(ErrorCode::InvalidArgument, l.label() + ": edited pixels have " + std::to_string(edited.channels()) +
                                                " channels, expected " + std::to_string(l.pixels.channels()));
  }
  std::vector<TileChange> changes;
  for_each_difference(l.pixels, edited, [&](TileKey key, const TilePtr& before, const TilePtr& after) {
    changes.push_back({key, before, after});
  });
  return std::make_unique<PaintPixels>(id, std::move(changes), std::move(verb));
}

void PaintPixels::apply(Document& doc) {
  doc.require_unlocked(id_);
  Layer& l = doc.mutable_layer(id_);
  for (const TileChange& c : changes_) {
    if ((c.before && c.before->channels != l.pixels.channels()) || (c.after && c.after->channels != l.pixels.channels())) {
      throw Error(ErrorCode::InvalidArgument, l.label() + ": tile channels differ from the layer's");
    }
  }
  for (const TileChange& c : changes_) l.pixels.set_tile(c.key, c.after);
  label_ = l.label();
}

void PaintPixels::revert(Document& doc) {
  Layer& l = doc.mutable_layer(id_);
  for (const TileChange& c : changes_) l.pixels.set_tile(c.key, c.before);
}

std::string PaintPixels::text() const { return verb_ + " " + label_; }

std::size_t PaintPixels::byte_size() const {
  std::size_t n = 256;
  for (const TileChange& c : changes_) {
    n += sizeof(TileChange) + (c.before ? c.before->byte_size() : 0) + (c.after ? c.after->byte_size() : 0);
  }
  return n;
}

std::unique_ptr<PaintPixels> write_pixels(const Document& doc, LayerId id, const Image8& image, int x, int y) {
  TiledImage edited = editable_copy(doc, id);
  const Layer& l = doc.layer(id);
  try {
    edited.write(image, x - l.x, y - l.y);
  } catch (const Error& e) {
    throw Error(e.code(), l.label() + ": " + e.what());
  }
  return PaintPixels::from_edit(doc, id, edited, "Paint on");
}

std::unique_ptr<PaintPixels> fill_rect(const Document& doc, LayerId id, const Rect& r, Rgba8 color) {
  doc.require_kind(id, LayerKind::Raster);
  TiledImage edited = editable_copy(doc, id);
  const Layer& l = doc.layer(id);
  const std::array<std::uint8_t, 4> v{color.r, color.g, color.b, color.a};
  edited.fill(r.translated(-l.x, -l.y), v);
  return PaintPixels::from_edit(doc, id, edited, "Fill " + to_string(r) + " on");
}

std::unique_ptr<PaintPixels> fill_mask(const Document& doc, LayerId id, const Rect& r, std::uint8_t coverage) {
  doc.require_kind(id, LayerKind::Mask);
  TiledImage edited = editable_copy(doc, id);
  const Layer& l = doc.layer(id);
  const std::array<std::uint8_t, 1> v{coverage};
  edited.fill(r.translated(-l.x, -l.y), v);
  return PaintPixels::from_edit(doc, id, edited, "Fill " + to_string(r) + " on");
}

std::unique_ptr<PaintPixels> clear_rect(const Document& doc, LayerId id, const Rect& r) {
  TiledImage edited = editable_copy(doc, id);
  const Layer& l = doc.layer(id);
  edited.clear(r.translated(-l.x, -l.y));
  return PaintPixels::from_edit(doc, id, edited, "Clear " + to_string(r) + " on");
}

std::unique_ptr<PaintPixels> clear_layer(const Document& doc, LayerId id) {
  TiledImage edited = editable_copy(doc, id);
  edited.clear();
  return PaintPixels::from_edit(doc, id, edited, "Clear");
}

// --- MergeDown --------------------------------------------------------------------------------

void MergeDown::apply(Document& doc) {
  const std::size_t index = doc.index_of(upper_);
  const Layer& upper = doc.layer(upper_);
  if (index == 0) {
    throw Error(ErrorCode::InvalidArgument, "merging " + upper.label() + " down: it is the bottom layer");
  }
  const Layer& lower = doc.layers()[index - 1];
  for (const Layer* l : {&upper, &lower}) {
    doc.require_kind(l->id, LayerKind::Raster);
    doc.require_unlocked(l->id);
  }
  // Composite in document coordinates over the upper layer's content, written back into the lower
  // layer's local coordinates.
  TiledImage merged = lower.pixels;
  const Rect region = upper.content_bounds();
  if (!region.empty()) {
    const Image8 src = doc.read_region(upper.id, region);
    Image8 dst = doc.read_region(lower.id, region);
    for (std::size_t i = 0; i < dst.pixels.size(); i += 4) detail::src_over(&dst.pixels[i], &src.pixels[i], upper.opacity);
    merged.write(dst, region.x - lower.x, region.y - lower.y);
  }
  changed_bytes_ = 0;
  for_each_difference(lower.pixels, merged, [&](TileKey, const TilePtr& before, const TilePtr&) {
    changed_bytes_ += before ? before->byte_size() : 0;
  });
  lower_ = lower.id;
  upper_label_ = upper.label();
  lower_label_ = lower.label();
  lower_before_ = lower.pixels;
  doc.mutable_layer(lower_).pixels = std::move(merged);
  index_ = index;
  removed_ = doc.remove_layer(upper_);
}

void MergeDown::revert(Document& doc) {
  doc.mutable_layer(lower_).pixels = std::move(*lower_before_);
  lower_before_.reset();
  doc.insert_layer(std::move(*removed_), index_);
  removed_.reset();
}

std::string MergeDown::text() const {
  if (upper_label_.empty()) return "Merge layer " + std::to_string(upper_.value) + " down";
  return "Merge " + upper_label_ + " down into " + lower_label_;
}

std::size_t MergeDown::byte_size() const {
  return 256 + changed_bytes_ + (removed_ ? removed_->pixels.byte_size() : 0);
}

}  // namespace strata::doc
