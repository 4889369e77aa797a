// ComfyUI metadata: the API-format graph in the `prompt` chunk ({id: {class_type, inputs}}, links
// as [node_id, output_index]) and the UI graph in `workflow` ({nodes: [...], links: [...]}).
// Ref: ComfyUI nodes.py (KSampler, KSamplerAdvanced, CLIPTextEncode, EmptyLatentImage,
// CheckpointLoaderSimple, LoraLoader, CLIPSetLastLayer inputs; SaveImage writes the chunks);
// SDXL text encoders: comfyui_sdxl.cpp.
#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "comfyui_graph.h"
#include "detail.h"
#include "strata/io/metadata.h"

namespace strata::io {

namespace comfy {

bool is_sampler(const std::string& type, const Json& node) {
  if (type == "KSampler" || type == "KSamplerAdvanced" || type == "SamplerCustom") return true;
  return type.find("Sampler") != std::string::npos && ApiGraph::input(node, "steps") &&
         (ApiGraph::input(node, "seed") || ApiGraph::input(node, "noise_seed"));
}

std::string model_name(const ApiGraph& g, const Json& node, std::vector<std::string>* loras) {
  const Json* model = g.follow(node, "model");
  for (int d = 0; model && d < kMaxDepth; ++d) {
    if (auto ckpt = as_string(g.scalar(*model, "ckpt_name")); !ckpt.empty()) return ckpt;
    if (auto unet = as_string(g.scalar(*model, "unet_name")); !unet.empty()) return unet;
    if (auto lora = as_string(g.scalar(*model, "lora_name")); !lora.empty() && loras) {
      auto w = as_double(g.scalar(*model, "strength_model"));
      loras->push_back(lora + (w ? ":" + detail::format_number(*w) : ""));
    }
    model = g.follow(*model, "model");
  }
  return {};
}

}  // namespace comfy

namespace {

using comfy::ApiGraph;
using comfy::as_double;
using comfy::as_int;
using comfy::as_string;
using comfy::Json;
using comfy::kMaxDepth;

std::string join(const std::vector<std::string>& loras) {
  std::string out;
  for (std::size_t i = 0; i < loras.size(); ++i) out += (i ? ", " : "") + loras[i];
  return out;
}

std::optional<GenerationInfo> parse_api_graph(std::string_view api_json) {
  Json j = Json::parse(api_json, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  ApiGraph g(j);

  // The sampler: prefer one that starts from an empty latent (the first pass), then the lowest id.
  const Json* sampler = nullptr;
  long long best_id = 0;
  bool best_empty = false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it->is_object() || !comfy::is_sampler(ApiGraph::type(*it), *it)) continue;
    const Json* latent = g.follow(*it, "latent_image");
    bool empty = latent && ApiGraph::type(*latent).find("EmptyLatent") != std::string::npos;
    long long id = detail::parse_u64(it.key()).value_or(~0ull >> 1);
    if (!sampler || (empty && !best_empty) || (empty == best_empty && id < best_id)) {
      sampler = &*it;
      best_id = id;
      best_empty = empty;
    }
  }
  if (!sampler) return std::nullopt;

  GenerationInfo info;
  info.generator = "ComfyUI";
  const Json& s = *sampler;
  const Json* seed = g.scalar(s, "seed");
  if (!seed) seed = g.scalar(s, "noise_seed");
  if (seed && seed->is_number_unsigned()) info.seed = seed->get<std::uint64_t>();
  info.steps = as_int(g.scalar(s, "steps"));
  info.cfg_scale = as_double(g.scalar(s, "cfg"));
  std::string sampler_name = as_string(g.scalar(s, "sampler_name"));
  std::string scheduler = as_string(g.scalar(s, "scheduler"));
  if (const Json* select = g.follow(s, "sampler")) sampler_name = as_string(g.scalar(*select, "sampler_name"));  // SamplerCustom
  if (const Json* sigmas = g.follow(s, "sigmas")) {
    if (!info.steps) info.steps = as_int(g.scalar(*sigmas, "steps"));
    scheduler = as_string(g.scalar(*sigmas, "scheduler"));
    if (scheduler.empty() && ApiGraph::type(*sigmas) == "KarrasScheduler") scheduler = "karras";
  }
  if (!sampler_name.empty()) info.sampler = doc::sampler_id_from_comfy(sampler_name);
  info.schedule = scheduler;
  if (auto denoise = as_double(g.scalar(s, "denoise")); denoise && *denoise < 1.0) info.strength = denoise;

  std::set<const Json*> seen;
  if (const Json* pos = g.follow(s, "positive")) info.prompt = g.text(*pos, "positive", 0, seen);
  seen.clear();
  if (const Json* neg = g.follow(s, "negative")) info.negative_prompt = g.text(*neg, "negative", 0, seen);

  // Size and batch from the latent's source (EmptyLatentImage or a resize node).
  const Json* latent = g.follow(s, "latent_image");
  for (int d = 0; latent && d < kMaxDepth; ++d) {
    if (ApiGraph::input(*latent, "width") && ApiGraph::input(*latent, "height")) {
      info.width = as_int(g.scalar(*latent, "width"));
      info.height = as_int(g.scalar(*latent, "height"));
      if (auto b = as_int(g.scalar(*latent, "batch_size")); b && *b > 1) info.batch_size = b;
      break;
    }
    const Json* next = g.follow(*latent, "samples");
    if (!next) next = g.follow(*latent, "latent");
    latent = next;
  }

  // Model through LoRA and patch nodes; LoRAs recorded as extra.
  std::vector<std::string> loras;
  info.model_name = comfy::model_name(g, s, &loras);
  if (!loras.empty()) info.extra.emplace_back("LoRAs", join(loras));

  // Clip skip: CLIPSetLastLayer on the text encoder's clip input (-2 means skip 2).
  if (const Json* pos = g.follow(s, "positive")) {
    const Json* clip = g.follow(*pos, "clip");
    for (int d = 0; clip && d < kMaxDepth; ++d) {
      if (auto layer = as_int(g.scalar(*clip, "stop_at_clip_layer"))) { info.clip_skip = -*layer; break; }
      clip = g.follow(*clip, "clip");
    }
  }
  comfy::read_sdxl(g, j, s, info);
  info.extra.emplace_back("Sampler node", ApiGraph::type(s));
  return info;
}

std::optional<GenerationInfo> parse_ui_graph(std::string_view workflow_json) {
  Json j = Json::parse(workflow_json, nullptr, false);
  if (!j.is_object() || !j.contains("nodes") || !j["nodes"].is_array()) return std::nullopt;
  const Json& nodes = j["nodes"];
  auto node_by_id = [&](const Json& id) -> const Json* {
    for (const auto& n : nodes) {
      if (n.is_object() && n.contains("id") && n["id"] == id) return &n;
    }
    return nullptr;
  };
  // links: [id, from_node, from_slot, to_node, to_slot, type]
  auto source_of = [&](const Json& node, const char* input_name) -> const Json* {
    if (!node.contains("inputs") || !node["inputs"].is_array() || !j.contains("links") || !j["links"].is_array()) return nullptr;
    for (const auto& in : node["inputs"]) {
      if (!in.is_object() || in.value("name", "") != input_name || !in.contains("link") || in["link"].is_null()) continue;
      for (const auto& l : j["links"]) {
        if (l.is_array() && l.size() >= 4 && l[0] == in["link"]) return node_by_id(l[1]);
      }
    }
    return nullptr;
  };
  auto widgets = [](const Json& node) -> const Json* {
    auto it = node.find("widgets_values");
    return it != node.end() && it->is_array() ? &*it : nullptr;
  };
  auto widget = [&](const Json& node, std::size_t i) -> const Json* {
    const Json* w = widgets(node);
    return w && i < w->size() ? &(*w)[i] : nullptr;
  };
  // The text encoder feeding a sampler input, through conditioning nodes.
  auto encoder_of = [&](const Json* node, const char* role) -> const Json* {
    for (int d = 0; node && d < kMaxDepth; ++d) {
      if (node->value("type", "").find("CLIPTextEncode") != std::string::npos) return node;
      const Json* up = source_of(*node, role);
      node = up ? up : source_of(*node, "conditioning");
    }
    return nullptr;
  };
  // Widgets: CLIPTextEncode [text]; CLIPTextEncodeSDXL [width, height, crop_w, crop_h,
  // target_width, target_height, text_g, text_l]; CLIPTextEncodeSDXLRefiner [ascore, width, height, text].
  auto text_of = [&](const Json* enc) {
    if (!enc) return std::string();
    const std::string type = enc->value("type", "");
    return as_string(widget(*enc, type == "CLIPTextEncodeSDXL" ? 6 : type == "CLIPTextEncodeSDXLRefiner" ? 3 : 0));
  };
  auto read_sdxl = [&](const Json* pos, const Json* neg, GenerationInfo& info) {
    auto ints = [&](const Json& node, std::size_t i) -> std::optional<std::pair<int, int>> {
      auto a = as_int(widget(node, i));
      auto b = as_int(widget(node, i + 1));
      return a && b ? std::optional(std::pair{*a, *b}) : std::nullopt;
    };
    auto type = [](const Json* e) { return e ? e->value("type", "") : std::string(); };
    if (type(pos) == "CLIPTextEncodeSDXL") {
      info.model_family = "SDXL";
      if (auto p = ints(*pos, 0)) info.original_size = PixelSize{p->first, p->second};
      if (auto p = ints(*pos, 2)) info.crop_top_left = PixelOffset{p->first, p->second};
      if (auto p = ints(*pos, 4)) info.target_size = PixelSize{p->first, p->second};
    }
    if (type(pos) == "CLIPTextEncodeSDXLRefiner") {
      info.model_family = "SDXL";
      info.aesthetic_score = as_double(widget(*pos, 0));
      if (auto p = ints(*pos, 1)) info.original_size = PixelSize{p->first, p->second};
    }
    if (type(neg) == "CLIPTextEncodeSDXLRefiner") info.negative_aesthetic_score = as_double(widget(*neg, 0));
  };

  for (const auto& n : nodes) {
    if (!n.is_object()) continue;
    std::string type = n.value("type", "");
    std::size_t base;  // index of the seed widget
    if (type == "KSampler") base = 0;
    else if (type == "KSamplerAdvanced") base = 1;
    else continue;
    GenerationInfo info;
    info.generator = "ComfyUI";
    if (const Json* seed = widget(n, base); seed && seed->is_number_unsigned()) info.seed = seed->get<std::uint64_t>();
    info.steps = as_int(widget(n, base + 2));
    info.cfg_scale = as_double(widget(n, base + 3));
    if (auto name = as_string(widget(n, base + 4)); !name.empty()) info.sampler = doc::sampler_id_from_comfy(name);
    info.schedule = as_string(widget(n, base + 5));
    if (type == "KSampler") {
      if (auto d = as_double(widget(n, 6)); d && *d < 1.0) info.strength = d;
    }
    const Json* pos = encoder_of(source_of(n, "positive"), "positive");
    const Json* neg = encoder_of(source_of(n, "negative"), "negative");
    info.prompt = text_of(pos);
    info.negative_prompt = text_of(neg);
    read_sdxl(pos, neg, info);
    if (const Json* latent = source_of(n, "latent_image"); latent && latent->value("type", "").find("EmptyLatent") != std::string::npos) {
      info.width = as_int(widget(*latent, 0));
      info.height = as_int(widget(*latent, 1));
    }
    const Json* model = source_of(n, "model");
    for (int d = 0; model && d < kMaxDepth; ++d) {
      if (model->value("type", "").starts_with("CheckpointLoader")) { info.model_name = as_string(widget(*model, 0)); break; }
      model = source_of(*model, "model");
    }
    info.extra.emplace_back("Sampler node", type);
    return info;
  }
  return std::nullopt;
}

}  // namespace

// Graphs are user data of any shape: a member of an unexpected type makes nlohmann throw, which
// here means "not usable", never an error.
std::optional<GenerationInfo> parse_comfyui_prompt(std::string_view api_json) {
  try {
    return parse_api_graph(api_json);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::optional<GenerationInfo> parse_comfyui_workflow(std::string_view workflow_json) {
  try {
    return parse_ui_graph(workflow_json);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace strata::io
