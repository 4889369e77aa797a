// ComfyUI metadata: the API-format graph in the `prompt` chunk ({id: {class_type, inputs}}, links
// as [node_id, output_index]) and the UI graph in `workflow` ({nodes: [...], links: [...]}).
// Ref: ComfyUI nodes.py (KSampler, KSamplerAdvanced, CLIPTextEncode, EmptyLatentImage,
// CheckpointLoaderSimple, LoraLoader, CLIPSetLastLayer inputs; SaveImage writes the chunks).
#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "detail.h"
#include "strata/io/metadata.h"

namespace strata::io {


namespace {

using Json = nlohmann::json;
constexpr int kMaxDepth = 24;

bool is_link(const Json& v) { return v.is_array() && v.size() == 2 && (v[0].is_string() || v[0].is_number_integer()); }
std::string link_target(const Json& v) { return v[0].is_string() ? v[0].get<std::string>() : std::to_string(v[0].get<long long>()); }

class ApiGraph {
 public:
  explicit ApiGraph(const Json& j) : j_(j) {}

  const Json* node(const std::string& id) const {
    auto it = j_.find(id);
    return it != j_.end() && it->is_object() ? &*it : nullptr;
  }
  static std::string type(const Json& node) {
    auto it = node.find("class_type");
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
  }
  static const Json* input(const Json& node, const char* name) {
    auto inputs = node.find("inputs");
    if (inputs == node.end() || !inputs->is_object()) return nullptr;
    auto it = inputs->find(name);
    return it == inputs->end() ? nullptr : &*it;
  }
  // The node a link input points to.
  const Json* follow(const Json& node, const char* name) const {
    const Json* v = input(node, name);
    return v && is_link(*v) ? this->node(link_target(*v)) : nullptr;
  }

  // A scalar input, following links to primitive nodes ("Seed", "Primitive", "Int" ...).
  const Json* scalar(const Json& node, const char* name, int depth = 0) const {
    const Json* v = input(node, name);
    if (!v || depth > kMaxDepth) return nullptr;
    if (!is_link(*v)) return v->is_primitive() ? v : nullptr;
    const Json* source = this->node(link_target(*v));
    if (!source) return nullptr;
    for (const char* alt : {name, "seed", "noise_seed", "value", "int", "float", "number", "string", "text"}) {
      if (const Json* s = scalar(*source, alt, depth + 1)) return s;
    }
    return nullptr;
  }

  // Prompt text reaching a sampler's `role` input ("positive"/"negative") through conditioning
  // nodes (ControlNet, combine, ...), depth-limited.
  std::string text(const Json& node, const char* role, int depth, std::set<const Json*>& seen) const {
    if (depth > kMaxDepth || !seen.insert(&node).second) return {};
    for (const char* name : {"text", "text_g", "prompt", "string"}) {
      if (const Json* s = scalar(node, name)) {
        if (s->is_string()) return s->get<std::string>();
      }
    }
    for (const char* name : {role, "conditioning", "conditioning_1", "conditioning_to", "conditioning_from"}) {
      if (const Json* up = follow(node, name)) {
        auto t = text(*up, role, depth + 1, seen);
        if (!t.empty()) return t;
      }
    }
    return {};
  }

 private:
  const Json& j_;
};

std::optional<int> as_int(const Json* v) {
  if (v && v->is_number_integer()) return static_cast<int>(v->get<long long>());
  if (v && v->is_number_float()) return static_cast<int>(v->get<double>());
  return std::nullopt;
}
std::optional<double> as_double(const Json* v) {
  return v && v->is_number() ? std::optional<double>(v->get<double>()) : std::nullopt;
}
std::string as_string(const Json* v) { return v && v->is_string() ? v->get<std::string>() : std::string(); }

bool is_sampler(const std::string& type, const Json& node) {
  if (type == "KSampler" || type == "KSamplerAdvanced" || type == "SamplerCustom") return true;
  return type.find("Sampler") != std::string::npos && ApiGraph::input(node, "steps") &&
         (ApiGraph::input(node, "seed") || ApiGraph::input(node, "noise_seed"));
}

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
    if (!it->is_object() || !is_sampler(ApiGraph::type(*it), *it)) continue;
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
  const Json* model = g.follow(s, "model");
  for (int d = 0; model && d < kMaxDepth; ++d) {
    if (auto ckpt = as_string(g.scalar(*model, "ckpt_name")); !ckpt.empty()) { info.model_name = ckpt; break; }
    if (auto unet = as_string(g.scalar(*model, "unet_name")); !unet.empty()) { info.model_name = unet; break; }
    if (auto lora = as_string(g.scalar(*model, "lora_name")); !lora.empty()) {
      auto w = as_double(g.scalar(*model, "strength_model"));
      loras.push_back(lora + (w ? ":" + detail::format_number(*w) : ""));
    }
    model = g.follow(*model, "model");
  }
  if (!loras.empty()) info.extra.emplace_back("LoRAs", join(loras));

  // Clip skip: CLIPSetLastLayer on the text encoder's clip input (-2 means skip 2).
  if (const Json* pos = g.follow(s, "positive")) {
    const Json* clip = g.follow(*pos, "clip");
    for (int d = 0; clip && d < kMaxDepth; ++d) {
      if (auto layer = as_int(g.scalar(*clip, "stop_at_clip_layer"))) { info.clip_skip = -*layer; break; }
      clip = g.follow(*clip, "clip");
    }
  }
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
  auto text_of = [&](const Json* node, const char* role) {
    for (int d = 0; node && d < kMaxDepth; ++d) {
      if (node->value("type", "").find("CLIPTextEncode") != std::string::npos) return as_string(widget(*node, 0));
      const Json* up = source_of(*node, role);
      node = up ? up : source_of(*node, "conditioning");
    }
    return std::string();
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
    info.prompt = text_of(source_of(n, "positive"), "positive");
    info.negative_prompt = text_of(source_of(n, "negative"), "negative");
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
