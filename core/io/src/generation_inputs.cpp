#include "strata/io/generation_inputs.h"

namespace strata::io {

GenerationInputs generation_inputs(const doc::Document& document, const doc::Rect& bbox,
                                   const InfillOptions& infill_options) {
  const doc::Composition c = doc::compose(document, bbox);
  GenerationInputs in;
  in.bbox = c.rect;
  in.strength = c.strength;
  for (std::size_t i = 3; i < c.rgba.pixels.size(); i += 4) {
    if (c.rgba.pixels[i] != 0) {
      in.has_content = true;
      break;
    }
  }
  in.init = infill(c.rgba, infill_options);
  return in;
}

std::string result_layer_name(const std::string& prompt, std::int64_t seed) {
  constexpr std::size_t max_bytes = 60;
  std::string p = prompt.empty() ? std::string("(empty prompt)") : prompt;
  if (p.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(p[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    p = p.substr(0, cut) + "\u2026";
  }
  return p + " (" + std::to_string(seed) + ")";
}

}  // namespace strata::io
