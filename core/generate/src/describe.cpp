// describe / record_settings: a request and its result as metadata (A1111 `parameters` and
// Strata's JSON are both written from this GenerationInfo), and the settings a project keeps.
#include <cmath>

#include "strata/generate/request.h"

namespace strata::generate {

namespace {
// cfg is a float in the request; metadata keeps the value the user typed (7.3, not 7.300000190…).
double recorded_cfg(float cfg) { return std::round(static_cast<double>(cfg) * 1000.0) / 1000.0; }

// SDXL's size conditioning as the model saw it: 0 resolved per side to the size generated (the
// processed size, which "scale before processing" makes differ from the request's).
void record_size_conditioning(const diffusion::SizeConditioning& c, int width, int height, io::GenerationInfo& info) {
  auto side = [](int value, int generated) { return value > 0 ? value : generated; };
  info.original_size = io::PixelSize{side(c.original_width, width), side(c.original_height, height)};
  info.crop_top_left = io::PixelOffset{c.crop_left, c.crop_top};
  info.target_size = io::PixelSize{side(c.target_width, width), side(c.target_height, height)};
}

// What a project keeps: only the values the user set (0 = the size generated; default scores).
std::optional<io::PixelSize> chosen_size(int width, int height) {
  return width || height ? std::optional(io::PixelSize{width, height}) : std::nullopt;
}
std::optional<double> chosen_score(double value, double default_value) {
  return value != default_value ? std::optional(value) : std::nullopt;
}
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
  const diffusion::ModelConfig& config = model.config;
  if (config.family != diffusion::ModelFamily::Unknown) info.model_family = std::string(diffusion::to_string(config.family));
  info.prediction = std::string(diffusion::to_string(config.prediction));
  if (config.family == diffusion::ModelFamily::SDXL) {
    const int w = image.processed_width > 0 ? image.processed_width : r.width;
    const int h = image.processed_height > 0 ? image.processed_height : r.height;
    record_size_conditioning(r.size_conditioning, w, h, info);
    if (config.variant == "refiner") {  // its ids: original size, crop, aesthetic score (no target)
      info.target_size.reset();
      info.aesthetic_score = r.aesthetic_score;
      info.negative_aesthetic_score = r.negative_aesthetic_score;
    }
  }
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
  info.extra.emplace_back("VAE tiling", std::string(doc::id_of(diffusion::kVaeTilings, r.vae_tiling)));
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
  const diffusion::SizeConditioning& c = s.size_conditioning;
  into.original_size = chosen_size(c.original_width, c.original_height);
  into.crop_top_left = c.crop_left || c.crop_top ? std::optional(io::PixelOffset{c.crop_left, c.crop_top}) : std::nullopt;
  into.target_size = chosen_size(c.target_width, c.target_height);
  const diffusion::GenerationRequest defaults;
  into.aesthetic_score = chosen_score(s.aesthetic_score, defaults.aesthetic_score);
  into.negative_aesthetic_score = chosen_score(s.negative_aesthetic_score, defaults.negative_aesthetic_score);
  return into;
}

}  // namespace strata::generate
