// build_request: settings + a document or plain images → one complete diffusion request.
#include <utility>

#include "strata/doc/error.h"
#include "strata/doc/strength.h"
#include "strata/generate/request.h"
#include "strata/io/generation_inputs.h"

namespace strata::generate {

namespace {

// Everything the settings alone decide: prompts (template applied), sampling, seeds, paste-back.
diffusion::GenerationRequest from_settings(const GenerationSettings& s) {
  diffusion::GenerationRequest r;
  io::TemplatedPrompts prompts = final_prompts(s);
  r.prompt = std::move(prompts.positive);
  r.negative_prompt = std::move(prompts.negative);
  r.steps = s.steps;
  r.cfg_scale = s.cfg_scale;
  r.sampler = s.sampler;
  r.schedule = s.schedule;
  r.convention = s.convention;
  r.seed = s.seed;
  r.batch_count = s.batch_count;
  r.clip_skip = s.clip_skip;
  r.mask_blur = s.mask_blur;
  r.scale_before_processing = s.scale_before_processing;
  r.color_match = s.color_match;
  r.size_conditioning = s.size_conditioning;
  r.aesthetic_score = s.aesthetic_score;
  r.negative_aesthetic_score = s.negative_aesthetic_score;
  r.vae_tiling = s.vae_tiling;
  return r;
}

io::InfillOptions infill_options(const GenerationSettings& s) {
  io::InfillOptions o;
  o.method = s.infill;
  o.noise_seed = static_cast<std::uint64_t>(s.seed);
  return o;
}

// Grey, RGB or RGBA → RGB (alpha dropped; transparent pixels keep their colour).
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

void check_size(const doc::Image8& image, const char* what, const ImageInputs& in) {
  if (image.width != in.width || image.height != in.height) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     std::string(what) + " is " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                         ", expected " + std::to_string(in.width) + "x" + std::to_string(in.height));
  }
}

Request finish(diffusion::GenerationRequest r, const GenerationSettings& s, std::optional<doc::Rect> bbox) {
  if (s.seed < 0) throw doc::Error(doc::ErrorCode::InvalidArgument, "seed " + std::to_string(s.seed) + " is negative: resolve a random seed first");
  diffusion::validate_request(r);
  return Request{std::move(r), s, bbox};
}

}  // namespace

io::TemplatedPrompts final_prompts(const GenerationSettings& s) {
  if (s.style) return io::apply_template(*s.style, s.prompt, s.negative_prompt);
  return {s.prompt, s.negative_prompt};
}

Request build_request(const doc::Document& document, const doc::Rect& bbox, const GenerationSettings& settings) {
  diffusion::GenerationRequest r = from_settings(settings);
  io::GenerationInputs in = io::generation_inputs(document, bbox, infill_options(settings));
  r.width = in.bbox.width;
  r.height = in.bbox.height;
  if (in.has_content) {
    r.init_image = std::move(in.init);
    r.strength_map = std::move(in.strength);
  }
  return finish(std::move(r), settings, bbox);
}

Request build_request(const ImageInputs& in, const GenerationSettings& settings) {
  diffusion::GenerationRequest r = from_settings(settings);
  r.width = in.width;
  r.height = in.height;
  r.strength = in.init ? settings.strength : 1.0;
  if (in.mask && in.strength_map) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "a mask and a strength map exclude each other: pass one");
  }
  if ((in.mask || in.strength_map) && !in.init) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, std::string(in.mask ? "a mask" : "a strength map") + " needs an init image");
  }
  if (in.init) {
    check_size(*in.init, "the init image", in);
    r.init_image = to_rgb(*in.init);
  }
  if (in.mask) {
    check_size(*in.mask, "the mask", in);
    r.strength_map = doc::strength_from_mask(*in.mask, static_cast<float>(r.strength));
  }
  if (in.strength_map) {
    check_size(*in.strength_map, "the strength map", in);
    r.strength_map = doc::grey_level(*in.strength_map);
  }
  if (in.init && doc::has_transparency(*in.init)) {
    if (!r.strength_map) r.strength_map = doc::ImageF(r.width, r.height, 1, static_cast<float>(r.strength));
    doc::raise_strength_where_transparent(*r.strength_map, *in.init);
    r.init_image = io::infill(*in.init, infill_options(settings));
  }
  return finish(std::move(r), settings, std::nullopt);
}

}  // namespace strata::generate
