// Request validation: every field a user can set, checked before any model work.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "strata/diffusion/pipeline.h"
#include "strata/doc/error.h"

namespace strata::diffusion {

namespace {

using doc::Error;
using doc::ErrorCode;

[[noreturn]] void bad(const std::string& msg) { throw Error(ErrorCode::InvalidArgument, msg); }

std::string nearest_sizes(int v) {
  int lo = std::max(64, v / 8 * 8);
  int hi = std::min(4096, (v + 7) / 8 * 8);
  if (v < 64) return "64";
  if (v > 4096) return "4096";
  return lo == hi ? std::to_string(lo) : std::to_string(lo) + " or " + std::to_string(hi);
}

void check_side(const char* name, int v) {
  if (v < 64 || v > 4096 || v % 8 != 0) {
    bad(std::string(name) + " " + std::to_string(v) +
        " is not a multiple of 8 between 64 and 4096; nearest valid: " + nearest_sizes(v));
  }
}

// SDXL's size conditioning: pixel values in 0..16384 (ComfyUI's limit; 0 = the default), finite
// aesthetic scores. Checked for every model: a request is valid or not whatever runs it.
void check_sdxl_fields(const GenerationRequest& r) {
  const SizeConditioning& c = r.size_conditioning;
  const std::pair<const char*, int> sides[] = {{"original width", c.original_width}, {"original height", c.original_height},
                                               {"crop left", c.crop_left},           {"crop top", c.crop_top},
                                               {"target width", c.target_width},     {"target height", c.target_height}};
  for (const auto& [name, v] : sides) {
    if (v < 0 || v > 16384) bad(std::string(name) + " " + std::to_string(v) + " outside 0..16384");
  }
  if (!std::isfinite(r.aesthetic_score) || !std::isfinite(r.negative_aesthetic_score)) {
    bad("aesthetic scores must be finite numbers");
  }
}

}  // namespace

void validate_request(const GenerationRequest& r) {
  check_side("width", r.width);
  check_side("height", r.height);
  check_sdxl_fields(r);
  if (r.steps < 1 || r.steps > 1000) bad("steps " + std::to_string(r.steps) + " outside 1..1000");
  if (!std::isfinite(r.cfg_scale)) bad("cfg scale is not a finite number");
  if (r.cfg_scale < 0.0f || r.cfg_scale > 100.0f) bad("cfg scale " + std::to_string(r.cfg_scale) + " outside 0..100");
  if (!std::isfinite(r.strength) || r.strength < 0.0 || r.strength > 1.0) {
    bad("strength " + std::to_string(r.strength) + " outside [0,1]");
  }
  if (r.batch_count < 1 || r.batch_count > 1000) bad("batch count " + std::to_string(r.batch_count) + " outside 1..1000");
  if (r.clip_skip < 1 || r.clip_skip > 12) bad("clip skip " + std::to_string(r.clip_skip) + " outside 1..12");
  if (r.init_image) {
    const auto& im = *r.init_image;
    if (im.channels != 3) bad("init image must be RGB (3 channels), got " + std::to_string(im.channels));
    if (im.width != r.width || im.height != r.height) {
      bad("init image is " + std::to_string(im.width) + "x" + std::to_string(im.height) +
          " but the request is " + std::to_string(r.width) + "x" + std::to_string(r.height));
    }
  }
  if (r.mask_blur < 0 || r.mask_blur > 256) bad("mask blur " + std::to_string(r.mask_blur) + " outside 0..256");
  if (r.strength_map) {
    const auto& m = *r.strength_map;
    if (m.channels != 1) bad("strength map must have 1 channel, got " + std::to_string(m.channels));
    if (m.width != r.width || m.height != r.height) {
      bad("strength map is " + std::to_string(m.width) + "x" + std::to_string(m.height) + " but the request is " +
          std::to_string(r.width) + "x" + std::to_string(r.height));
    }
    float lo = 1.0f;
    for (float v : m.pixels) {
      if (!std::isfinite(v) || v < 0.0f || v > 1.0f) bad("strength map holds " + std::to_string(v) + ", outside [0,1]");
      lo = std::min(lo, v);
    }
    if (lo < 1.0f && !r.init_image) {
      bad("strength map has values below 1 (min " + std::to_string(lo) + ") but there is no init image to keep");
    }
  }
}

}  // namespace strata::diffusion
