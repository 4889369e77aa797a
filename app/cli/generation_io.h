// Conversions between strata-cli's generation values and files: init images to RGB, and the PNG
// text chunks (A1111 `parameters` + Strata's `strata` JSON) describing one generated image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "strata/diffusion/pipeline.h"
#include "strata/io/image_codec.h"
#include "strata/io/infill.h"

namespace strata::cli {

// Grey, RGB or RGBA → RGB (alpha dropped; transparent pixels keep their colour).
doc::Image8 to_rgb(const doc::Image8& image);

// RGBA with transparent pixels → RGB with them pre-filled ("telea", "edge", "solid", "noise"),
// so that no transparent pixel reaches the VAE (outpainting). Noise is seeded with `seed`.
io::InfillOptions infill_options(const std::string& method, std::int64_t seed);
doc::Image8 fill_transparent(const doc::Image8& rgba, const std::string& method, std::int64_t seed);

std::vector<io::TextChunk> metadata_chunks(const diffusion::GenerationRequest& request,
                                           const diffusion::GeneratedImage& image,
                                           const diffusion::ModelSummary& model, const std::string& model_hash,
                                           int batch_index);

}  // namespace strata::cli
