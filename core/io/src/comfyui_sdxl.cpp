// ComfyUI's SDXL conditioning nodes in the API graph. Ref: ComfyUI comfy_extras/nodes_clip_sdxl.py:
// CLIPTextEncodeSDXL (width, height, crop_w, crop_h, target_width, target_height, text_g, text_l:
// the original size, the crop's top-left corner as x/y, the target size) and
// CLIPTextEncodeSDXLRefiner (ascore, width, height, text).
#include <string>

#include "comfyui_graph.h"
#include "detail.h"

namespace strata::io::comfy {

namespace {

constexpr std::string_view kBaseEncoder = "CLIPTextEncodeSDXL";
constexpr std::string_view kRefinerEncoder = "CLIPTextEncodeSDXLRefiner";

const Json* encoder(const ApiGraph& g, const Json& sampler, std::string_view type, const char* role) {
  const Json* cond = g.follow(sampler, role);
  return cond ? g.upstream(*cond, type, role) : nullptr;
}

std::optional<PixelSize> size_of(const ApiGraph& g, const Json& node, const char* w, const char* h) {
  auto width = as_int(g.scalar(node, w));
  auto height = as_int(g.scalar(node, h));
  if (!width || !height) return std::nullopt;
  return PixelSize{*width, *height};
}

// The base encoder's size conditioning (from the positive side), and text_l where it differs from
// text_g (the prompt recorded is text_g).
void read_base(const ApiGraph& g, const Json& sampler, GenerationInfo& info) {
  const Json* pos = encoder(g, sampler, kBaseEncoder, "positive");
  if (!pos) return;
  info.model_family = "SDXL";
  info.original_size = size_of(g, *pos, "width", "height");
  info.target_size = size_of(g, *pos, "target_width", "target_height");
  auto left = as_int(g.scalar(*pos, "crop_w"));
  auto top = as_int(g.scalar(*pos, "crop_h"));
  if (left && top) info.crop_top_left = PixelOffset{*left, *top};
  for (const char* role : {"positive", "negative"}) {
    const Json* e = encoder(g, sampler, kBaseEncoder, role);
    if (!e) continue;
    auto text_l = as_string(g.scalar(*e, "text_l"));
    if (!text_l.empty() && text_l != as_string(g.scalar(*e, "text_g"))) {
      info.extra.emplace_back(role == std::string_view("positive") ? "CLIP-L prompt" : "Negative CLIP-L prompt", text_l);
    }
  }
}

// The aesthetic scores of refiner encoders feeding `sampler`; false when none does.
bool read_refiner_scores(const ApiGraph& g, const Json& sampler, GenerationInfo& info) {
  const Json* pos = encoder(g, sampler, kRefinerEncoder, "positive");
  const Json* neg = encoder(g, sampler, kRefinerEncoder, "negative");
  if (!pos && !neg) return false;
  if (pos) info.aesthetic_score = as_double(g.scalar(*pos, "ascore"));
  if (neg) info.negative_aesthetic_score = as_double(g.scalar(*neg, "ascore"));
  if (!info.original_size) info.original_size = size_of(g, pos ? *pos : *neg, "width", "height");
  info.model_family = "SDXL";
  return true;
}

}  // namespace

void read_sdxl(const ApiGraph& g, const Json& root, const Json& sampler, GenerationInfo& info) {
  read_base(g, sampler, info);
  if (read_refiner_scores(g, sampler, info)) return;  // the recorded pass is a refiner pass itself
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (&*it == &sampler || !it->is_object() || !is_sampler(ApiGraph::type(*it), *it)) continue;
    if (!read_refiner_scores(g, *it, info)) continue;
    if (auto name = model_name(g, *it); !name.empty()) info.extra.emplace_back("Refiner", name);
    // KSamplerAdvanced refiner pass: steps start_at_step..steps of a schedule of `steps`.
    auto start = as_int(g.scalar(*it, "start_at_step"));
    auto steps = as_int(g.scalar(*it, "steps"));
    if (start && steps && *start > 0 && *start < *steps) {
      info.extra.emplace_back("Refiner switch at", detail::format_number(static_cast<double>(*start) / *steps));
    }
    return;
  }
}

}  // namespace strata::io::comfy
