// strata/io/generation_inputs.h — what a generation from a document starts from (read by
// generate::build_request for the canvas and `strata-cli generate --project`): the bbox composed
// (doc::compose), transparent pixels infilled so none reaches the VAE, and the per-pixel strength
// map; plus the result layer's name.
// Pure functions on values; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "strata/doc/compose.h"
#include "strata/io/infill.h"

namespace strata::io {

struct GenerationInputs {
  doc::Rect bbox;
  doc::Image8 init;       // RGB, bbox-sized, every pixel opaque (infilled where the canvas was empty)
  doc::ImageF strength;   // 1 channel, bbox-sized, S in [0,1]
  bool has_content = false;  // some pixel of the bbox is not fully transparent (else txt2img)
};

// Composes `bbox` of the document and infills its transparent pixels with `infill_options`.
GenerationInputs generation_inputs(const doc::Document& document, const doc::Rect& bbox,
                                   const InfillOptions& infill_options = {});
// The same for the document's own bbox.
inline GenerationInputs generation_inputs(const doc::Document& document, const InfillOptions& infill_options = {}) {
  return generation_inputs(document, document.bbox(), infill_options);
}

// The name of an accepted result layer: "<prompt> (<seed>)", the prompt cut to 60 characters at a
// UTF-8 boundary with "…" when longer, "(empty prompt)" when empty.
std::string result_layer_name(const std::string& prompt, std::int64_t seed);

}  // namespace strata::io
