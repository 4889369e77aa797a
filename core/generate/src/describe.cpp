// describe / record_settings: a request and its result as metadata (A1111 `parameters` and
// Strata's JSON are both written from this GenerationInfo), and the settings a project keeps.
#include <cmath>

#include "strata/generate/request.h"

namespace strata::generate {

namespace {
// cfg is a float in the request; metadata keeps the value the user typed (7.3, not 7.300000190…).
double recorded_cfg(float cfg) { return std::round(static_cast<double>(cfg) * 1000.0) / 1000.0; }
}  // namespace

io::GenerationInfo describe(const Request& request, const diffusion::GeneratedImage& image,
                            const diffusion::ModelSummary& model, const std::string& model_hash, int batch_index) {
  const diffusion::GenerationRequest& r = request.diffusion;
  const GenerationSettings& s = request.settings;
  io::GenerationInfo info;
  info.generator = "Strata " STRATA_VERSION;
  info.prompt = r.prompt;
  info.negative_prompt = r.negative_prompt;
  info.steps = r.steps;
  info.sampler = std::string(diffusion::to_string(r.sampler));
  info.schedule = std::string(diffusion::to_string(r.schedule));
  info.cfg_scale = recorded_cfg(r.cfg_scale);
  info.seed = static_cast<std::uint64_t>(image.seed);
  info.width = r.width;
  info.height = r.height;
  info.model_name = model.name;
  info.model_hash = model_hash;
  if (r.clip_skip > 1) info.clip_skip = r.clip_skip;
  if (r.init_image) info.strength = r.strength_map ? static_cast<double>(image.max_strength) : r.strength;
  info.steps_run = image.steps_run;
  info.start_sigma = image.start_sigma;
  if (s.batch_count > 1) {
    info.batch_size = s.batch_count;
    info.batch_index = batch_index;
  }
  info.extra.emplace_back("Strength convention", std::string(diffusion::to_string(r.convention)));
  info.extra.emplace_back("Start timestep", std::to_string(image.start_timestep));
  info.extra.emplace_back("Model family", std::string(diffusion::to_string(model.config.family)));
  if (r.strength_map) {
    info.extra.emplace_back("Strength map", "per-pixel (strength = its maximum)");
    info.extra.emplace_back("Mask blur", std::to_string(r.mask_blur));
    info.extra.emplace_back("Colour match", r.color_match ? "on" : "off");
  }
  if (image.processed_width != r.width || image.processed_height != r.height) {
    info.extra.emplace_back("Processed at", std::to_string(image.processed_width) + "x" + std::to_string(image.processed_height));
  }
  if (s.style) {
    info.extra.emplace_back("Template", s.style->name);
    info.extra.emplace_back("User prompt", s.prompt);
    info.extra.emplace_back("User negative prompt", s.negative_prompt);
  }
  if (request.bbox) {
    info.extra.emplace_back("Canvas origin", std::to_string(request.bbox->x) + " " + std::to_string(request.bbox->y));
  }
  return info;
}

io::GenerationInfo record_settings(const GenerationSettings& s, io::GenerationInfo into) {
  into.prompt = s.prompt;
  into.negative_prompt = s.negative_prompt;
  into.seed = static_cast<std::uint64_t>(s.seed);
  into.steps = s.steps;
  into.cfg_scale = recorded_cfg(s.cfg_scale);
  into.sampler = std::string(diffusion::to_string(s.sampler));
  into.schedule = std::string(diffusion::to_string(s.schedule));
  into.clip_skip = s.clip_skip;
  into.batch_size = s.batch_count;
  return into;
}

}  // namespace strata::generate
