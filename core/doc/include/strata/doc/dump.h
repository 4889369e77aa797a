// strata/doc/dump.h — a deterministic text description of a Document, for golden tests and bug
// reports. Pure function of the document; any thread that may read it.
//
// Format (one item per line, layers bottom → top, floats with 3 decimals):
//   bbox 0 0 512 512
//   next_id 4
//   layer 1 raster "sky" pos 0 0 visible=1 locked=0 opacity=1.000 strength=0.750
//     pixels bounds 0 0 64 64 tiles 1 crc 3f0c2a11
//   layer 2 mask "edge" pos 0 0 visible=1 locked=0 feather=8 inverted=0
//     pixels empty
// `bounds` are in document coordinates; `crc` is TiledImage::checksum() (layer-local content).
#pragma once

#include <string>

#include "strata/doc/document.h"

namespace strata::doc {

std::string dump(const Document& doc);
std::string dump(const Layer& layer);  // the layer's two lines

}  // namespace strata::doc
