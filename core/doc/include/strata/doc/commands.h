// strata/doc/commands.h — the concrete Commands: layer structure, properties, pixels, bbox.
//
// Each command names its target by LayerId and validates on apply (see Command). Typical use:
//   History history(doc);
//   LayerId sky = history.push(AddLayer::raster("sky", image, 0, 0)).id();
//   history.push(set_strength(sky, 0.4f));
// Pixel edits store only the tiles they touched, before and after; the tiles are shared with the
// document, so a stroke costs the tiles it changed. A tool paints into a copy of the layer's
// TiledImage (cheap: copy-on-write) and turns it into one command with PaintPixels::from_edit.
// Threads and ownership: as Command.
#pragma once

#include <optional>

#include "strata/doc/command.h"

namespace strata::doc {

// Adds a layer, by default on top. The id is allocated by the first apply (and kept for redo).
class AddLayer : public Command {
 public:
  // `prototype.id` is ignored; `index` nullopt = top of the stack.
  explicit AddLayer(Layer prototype, std::optional<std::size_t> index = std::nullopt);
  // A raster layer at offset (x, y) holding `image` (1, 3 or 4 channels) at its origin.
  static std::unique_ptr<AddLayer> raster(std::string name, const Image8& image, int x, int y);
  static std::unique_ptr<AddLayer> empty_raster(std::string name);
  static std::unique_ptr<AddLayer> mask(std::string name);  // empty inpaint mask

  LayerId id() const { return id_; }  // valid after the first apply
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;
  std::size_t byte_size() const override;

 private:
  std::optional<Layer> layer_;  // held while not applied; the document holds it while applied
  std::optional<std::size_t> index_;
  LayerId id_;
  std::string label_;
};

// Deletes a layer; revert puts it back, identical, at its old index.
class DeleteLayer : public Command {
 public:
  explicit DeleteLayer(LayerId id) : id_(id) {}
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;
  std::size_t byte_size() const override;

 private:
  LayerId id_;
  std::optional<Layer> removed_;
  std::size_t index_ = 0;
  std::string label_;
};

// Copies a layer (sharing its tiles) just above it, named "<name> copy", with a new id.
class DuplicateLayer : public Command {
 public:
  explicit DuplicateLayer(LayerId source) : source_(source) {}
  LayerId id() const { return copy_id_; }  // valid after the first apply
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;

 private:
  LayerId source_;
  LayerId copy_id_;
  std::string source_label_, copy_label_;
};

// Moves a layer to `index` in the bottom → top order (0 = bottom).
class MoveLayer : public Command {
 public:
  MoveLayer(LayerId id, std::size_t index) : id_(id), to_(index) {}
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;

 private:
  LayerId id_;
  std::size_t to_, from_ = 0;
  std::string label_;
};

class RenameLayer : public Command {
 public:
  RenameLayer(LayerId id, std::string name) : id_(id), name_(std::move(name)) {}
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;

 private:
  LayerId id_;
  std::string name_, old_name_, label_;
};

// One scalar property of a layer. Use the factories below; they document each value's range.
class SetLayerProperty : public Command {
 public:
  enum class Property { Visible, Locked, Opacity, Strength, Feather, Inverted };
  SetLayerProperty(LayerId id, Property property, double value) : id_(id), property_(property), value_(value) {}
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;

 private:
  LayerId id_;
  Property property_;
  double value_, old_value_ = 0;
  std::string label_;
};

inline constexpr int max_feather = 256;  // px

std::unique_ptr<SetLayerProperty> set_visible(LayerId id, bool visible);  // any layer
std::unique_ptr<SetLayerProperty> set_locked(LayerId id, bool locked);    // any layer
std::unique_ptr<SetLayerProperty> set_opacity(LayerId id, float opacity);    // raster, [0,1]
std::unique_ptr<SetLayerProperty> set_strength(LayerId id, float strength);  // raster, [0,1]
std::unique_ptr<SetLayerProperty> set_feather(LayerId id, int px);           // mask, [0, max_feather]
std::unique_ptr<SetLayerProperty> set_inverted(LayerId id, bool inverted);   // mask
// Toggles the mask's inverted flag (reads the current value from `doc`).
std::unique_ptr<SetLayerProperty> invert_mask(const Document& doc, LayerId id);

// Moves a layer's offset to (x, y) in document coordinates. Refused on locked layers.
class SetLayerPosition : public Command {
 public:
  SetLayerPosition(LayerId id, int x, int y) : id_(id), x_(x), y_(y) {}
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;

 private:
  LayerId id_;
  int x_, y_, old_x_ = 0, old_y_ = 0;
  std::string label_;
};

class SetBBox : public Command {
 public:
  explicit SetBBox(const Rect& bbox) : bbox_(bbox) {}  // validated by apply (validate_bbox)
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;

 private:
  Rect bbox_, old_ = default_bbox;
};

// A pixel edit of one layer: the tiles it touched, before and after. Refused on locked layers.
class PaintPixels : public Command {
 public:
  struct TileChange {
    TileKey key;
    TilePtr before, after;  // nullptr = no tile (transparent)
  };
  // `verb` starts the text: verb + " " + layer label, e.g. "Paint on" → `Paint on layer 3 "sky"`.
  PaintPixels(LayerId id, std::vector<TileChange> changes, std::string verb);
  // Compares `edited` with the layer's current pixels tile by tile (shared tiles are unchanged
  // tiles) and records the difference. `edited` must be a copy of that layer's pixels, edited in
  // the same layer-local coordinates. Throws if the layer is missing, locked or of another kind.
  static std::unique_ptr<PaintPixels> from_edit(const Document& doc, LayerId id, const TiledImage& edited,
                                                std::string verb = "Paint on");

  bool empty() const { return changes_.empty(); }  // nothing changed
  const std::vector<TileChange>& changes() const { return changes_; }
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;
  std::size_t byte_size() const override;

 private:
  LayerId id_;
  std::vector<TileChange> changes_;
  std::string verb_, label_;
};

// Pixel-edit helpers (document coordinates), each one PaintPixels command.
std::unique_ptr<PaintPixels> write_pixels(const Document& doc, LayerId id, const Image8& image, int x, int y);
std::unique_ptr<PaintPixels> fill_rect(const Document& doc, LayerId id, const Rect& r, Rgba8 color);  // raster
std::unique_ptr<PaintPixels> fill_mask(const Document& doc, LayerId id, const Rect& r, std::uint8_t coverage);
std::unique_ptr<PaintPixels> clear_rect(const Document& doc, LayerId id, const Rect& r);
std::unique_ptr<PaintPixels> clear_layer(const Document& doc, LayerId id);  // e.g. "Clear mask 4 "m""

// Composites a raster layer onto the raster layer below it and deletes it. The upper layer's pixels
// are blended src-over with their alpha × the upper layer's opacity, whether it is visible or not;
// the lower layer keeps its own name, offset, opacity and strength. Refused when either layer is a
// mask or locked, or when the layer is the bottom one.
class MergeDown : public Command {
 public:
  explicit MergeDown(LayerId upper) : upper_(upper) {}
  void apply(Document& doc) override;
  void revert(Document& doc) override;
  std::string text() const override;
  std::size_t byte_size() const override;

 private:
  LayerId upper_, lower_;
  std::optional<Layer> removed_;
  std::size_t index_ = 0;
  std::optional<TiledImage> lower_before_;
  std::size_t changed_bytes_ = 0;
  std::string upper_label_, lower_label_;
};

}  // namespace strata::doc
