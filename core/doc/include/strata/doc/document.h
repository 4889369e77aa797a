// strata/doc/document.h — the canvas document: a stack of layers, inpaint masks and the bbox.
//
// Ownership and threads: a Document is a value owned by its user (the UI's DocumentController, the
// CLI, a test) and is used from one thread. Copying it is a cheap snapshot (layers share their
// tiles, see TiledImage); a snapshot may be handed to another thread, which then owns that copy.
//
// Editing: every user-visible change should go through a doc::Command (commands.h) pushed on a
// History, so it can be undone. The mutators below are the primitives those commands are built on;
// loaders (io) and tests may call them directly to build a document without history.
//
// Errors: a missing layer id, a wrong layer kind, a locked layer or an invalid bbox are
// user-causable and throw doc::Error whose message names the layer (`layer 3 "sky"`) or value.
// Every mutator checks before it changes anything, so a throwing call leaves the document as it was.
#pragma once

#include <cstdint>
#include <vector>

#include "strata/doc/geometry.h"
#include "strata/doc/image.h"
#include "strata/doc/layer.h"

namespace strata::doc {

struct Rgba8 {
  std::uint8_t r = 0, g = 0, b = 0, a = 0;
  friend bool operator==(const Rgba8&, const Rgba8&) = default;
};

class Document {
 public:
  Document() = default;  // no layers, bbox = default_bbox

  // --- Layers, bottom → top -------------------------------------------------------------------
  const std::vector<Layer>& layers() const { return layers_; }
  std::vector<LayerId> order() const;
  std::size_t layer_count() const { return layers_.size(); }
  bool contains(LayerId id) const { return find(id) != nullptr; }
  const Layer* find(LayerId id) const;  // nullptr when absent
  const Layer& layer(LayerId id) const;  // throws Error(NotFound) "layer 7: no such layer"
  std::size_t index_of(LayerId id) const;  // 0 = bottom; throws like layer()

  // Low-level structure edits (no undo; see the header comment).
  LayerId new_layer_id();  // the next never-used id (1, 2, 3, ...)
  LayerId next_layer_id() const { return LayerId{next_id_}; }
  // Inserts at `index` (0 = bottom, layer_count() = top). The id must be non-zero, absent from
  // the document and previously issued by new_layer_id() (or it is reserved now, so that ids
  // never repeat); `layer.pixels` must have the channel count of its kind.
  void insert_layer(Layer layer, std::size_t index);
  Layer remove_layer(LayerId id);  // returns the removed layer
  void move_layer(LayerId id, std::size_t index);  // index in the stack after the move
  // Mutable access to properties (no validation, no lock check: commands validate).
  Layer& mutable_layer(LayerId id);

  // --- Generation bounding box ----------------------------------------------------------------
  const Rect& bbox() const { return bbox_; }
  void set_bbox(const Rect& r);  // validate_bbox() first

  // --- Pixels, in document coordinates --------------------------------------------------------
  // Raster layers read and write RGBA8 (4 channels, straight alpha); masks 1-channel coverage.
  Image8 read_region(LayerId id, const Rect& r) const;
  Rect content_bounds(LayerId id) const;  // empty Rect for an empty layer
  // These refuse locked layers (Error InvalidArgument naming the layer).
  void write_pixels(LayerId id, const Image8& image, int x, int y);  // see TiledImage::write
  void fill(LayerId id, const Rect& r, Rgba8 color);         // raster layers only
  void fill(LayerId id, const Rect& r, std::uint8_t coverage);  // masks only
  void clear(LayerId id, const Rect& r);

  // Throws Error(InvalidArgument) "layer 3 "sky" is locked" when locked.
  void require_unlocked(LayerId id) const;
  // Throws Error(InvalidArgument) when the layer is not of `kind` ("... is a mask, expected a raster layer").
  void require_kind(LayerId id, LayerKind kind) const;

 private:
  std::vector<Layer> layers_;
  Rect bbox_ = default_bbox;
  std::uint32_t next_id_ = 1;
};

}  // namespace strata::doc
