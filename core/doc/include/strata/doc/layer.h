// strata/doc/layer.h — one layer of a Document: a raster layer or an inpaint mask.
//
// A Layer is a value: copying it copies its properties and shares its tiles (see TiledImage), so a
// copy is a cheap snapshot. Pixels live in layer-local coordinates; the layer's (x, y) offset maps
// them to document coordinates (document = local + offset). Threads: as Document (one thread per
// copy; copies sharing tiles may live on different threads).
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "strata/doc/tiled_image.h"

namespace strata::doc {

// A layer's identity for its whole life: assigned by Document::new_layer_id(), never reused in that
// document (not even after the layer is deleted and the deletion is undone: it comes back with the
// same id). 0 means "no layer".
struct LayerId {
  std::uint32_t value = 0;

  explicit operator bool() const { return value != 0; }
  friend auto operator<=>(const LayerId&, const LayerId&) = default;
};

enum class LayerKind {
  Raster,  // RGBA8 straight alpha; has a denoising strength
  Mask,    // 1-channel inpaint mask: coverage / 255 is the denoising strength (DESIGN §3)
};

// InvokeAI's canvas default for img2img denoising strength.
inline constexpr float default_strength = 0.75f;

struct Layer {
  LayerId id;
  LayerKind kind = LayerKind::Raster;
  std::string name;
  int x = 0;  // offset of the layer's pixel origin in document coordinates
  int y = 0;
  bool visible = true;
  bool locked = false;  // a locked layer refuses pixel edits (Error naming the layer)

  // Raster only.
  float opacity = 1.0f;                 // [0,1], multiplies pixel alpha when composing
  float strength = default_strength;    // [0,1], denoising strength of the pixels it covers

  // Mask only.
  int feather = 0;        // px; compose blurs the coverage (Gaussian, σ = feather / 3, cut at ±feather)
  bool inverted = false;  // compose uses 255 − coverage (so an empty inverted mask covers everything)

  TiledImage pixels{4};   // 4 channels (raster) or 1 (mask)

  static Layer raster(LayerId id, std::string name);
  static Layer mask(LayerId id, std::string name);

  bool is_mask() const { return kind == LayerKind::Mask; }
  // `layer 3 "sky"` / `mask 4 "edges"`: how messages and command texts name a layer.
  std::string label() const;
  // Tight bounds of the non-transparent pixels, in document coordinates.
  Rect content_bounds() const { return pixels.bounds().translated(x, y); }
};

std::string to_string(LayerKind kind);  // "raster" / "mask"
// `"name"` with backslash and double quote escaped.
std::string quoted(const std::string& s);

}  // namespace strata::doc
