// strata/doc/tools/transform.h — scaling and flipping a layer's pixels about its content centre.
#pragma once

#include "strata/doc/tools/tool.h"

namespace strata::doc {

struct Transform {
  double scale_x = 1.0;  // (0, 16]
  double scale_y = 1.0;
  bool flip_h = false;   // mirror left ↔ right
  bool flip_v = false;   // mirror top ↔ bottom
};

// The layer's pixels resampled (bilinear on premultiplied colour; exact for flips and for
// nearest-integer scales of uniform areas) about the centre of their content. Layer-local
// coordinates; the channel count is kept. An empty image stays empty.
TiledImage transform_pixels(const TiledImage& pixels, const Transform& t);

// One command replacing the layer's pixels with transform_pixels(); nullptr when the layer is
// empty or the transform is the identity. Throws Error(InvalidArgument) for a scale outside
// (0, 16] or a result side above bbox_max·2, and for a locked layer.
std::unique_ptr<Command> transform_layer(const Document& doc, LayerId id, const Transform& t);

}  // namespace strata::doc
