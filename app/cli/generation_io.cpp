#include "generation_io.h"

#include "strata/io/infill.h"

#include "strata/io/generation_info.h"
#include "strata/io/metadata.h"

namespace strata::cli {

io::InfillOptions infill_options(const std::string& method, std::int64_t seed) {
  io::InfillOptions o;
  const auto m = io::parse_infill_method(method);
  if (!m) throw doc::Error(doc::ErrorCode::InvalidArgument, "--infill " + method + ": expected telea, edge, solid or noise");
  o.method = *m;
  o.noise_seed = static_cast<std::uint64_t>(seed);
  return o;
}

doc::Image8 fill_transparent(const doc::Image8& rgba, const std::string& method, std::int64_t seed) {
  return io::infill(rgba, infill_options(method, seed));
}

doc::Image8 to_rgb(const doc::Image8& image) {
  if (image.channels == 3) return image;
  doc::Image8 out(image.width, image.height, 3);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      for (int c = 0; c < 3; ++c) out.at(x, y, c) = image.at(x, y, image.channels == 1 ? 0 : c);
    }
  }
  return out;
}

std::vector<io::TextChunk> metadata_chunks(const diffusion::GenerationRequest& r, const diffusion::GeneratedImage& im,
                                           const diffusion::ModelSummary& model, const std::string& model_hash,
                                           int batch_index) {
  io::GenerationInfo info;
  info.generator = "Strata";
  info.prompt = r.prompt;
  info.negative_prompt = r.negative_prompt;
  info.steps = r.steps;
  info.sampler = std::string(diffusion::to_string(r.sampler));
  info.schedule = std::string(diffusion::to_string(r.schedule));
  info.cfg_scale = r.cfg_scale;
  info.seed = static_cast<std::uint64_t>(im.seed);
  info.width = r.width;
  info.height = r.height;
  info.model_name = model.name;
  info.model_hash = model_hash;
  if (r.clip_skip > 1) info.clip_skip = r.clip_skip;
  if (r.init_image) info.strength = r.strength_map ? static_cast<double>(im.max_strength) : r.strength;
  info.steps_run = im.steps_run;
  info.start_sigma = im.start_sigma;
  if (r.batch_count > 1) {
    info.batch_size = r.batch_count;
    info.batch_index = batch_index;
  }
  info.extra.emplace_back("Strength convention", std::string(diffusion::to_string(r.convention)));
  info.extra.emplace_back("Start timestep", std::to_string(im.start_timestep));
  info.extra.emplace_back("Model family", std::string(diffusion::to_string(model.config.family)));
  if (r.strength_map) {
    info.extra.emplace_back("Strength map", "per-pixel (strength = its maximum)");
    info.extra.emplace_back("Mask blur", std::to_string(r.mask_blur));
  }
  if (im.processed_width != r.width || im.processed_height != r.height) {
    info.extra.emplace_back("Processed at", std::to_string(im.processed_width) + "x" + std::to_string(im.processed_height));
  }
  return io::make_generation_text_chunks(info);
}

}  // namespace strata::cli
